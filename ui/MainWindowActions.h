#pragma once

#include <QObject>

class QAction;
class QListView;
class QMainWindow;
class QMenu;

namespace relaydeck::ui {

// The main window's actions (by objectName, e.g. "saveAction"), its menu bar, toolbar and the
// connection list's context menu. The window connects the actions to what they do; this class
// only builds them. The preset actions ("preset_<id>") emit presetChosen.
class MainWindowActions : public QObject
{
    Q_OBJECT

public:
    // The actions are children of `window`; Delete on `list` triggers deleteAction.
    MainWindowActions(QMainWindow* window, QListView* list);

    // What the window is doing, for update().
    struct State
    {
        bool storeUsable = false; // connections.json could be read
        bool stored = false;      // the editor holds a stored connection
        bool dirty = false;
        bool valid = false;
        bool isNew = false;
        bool canTest = false;      // the editor's connection can be tested
        bool panelTesting = false; // the Test panel runs a test
        bool batchTesting = false; // Test all runs
        bool hasProfiles = false;
    };
    // Enables what makes sense in `state`.
    void update(const State& state);

    QAction* newBlank = nullptr;
    QAction* newFromPreset = nullptr;
    QAction* newFromAddress = nullptr;
    QAction* save = nullptr;
    QAction* revert = nullptr;
    QAction* copy = nullptr;
    QAction* rename = nullptr;
    QAction* remove = nullptr;
    QAction* deleteKey = nullptr; // Del in the list
    QAction* import = nullptr;
    QAction* exportAll = nullptr;
    QAction* test = nullptr;
    QAction* testAll = nullptr;
    QAction* cancel = nullptr;
    QAction* quit = nullptr;
    QMenu* presetMenu = nullptr;

signals:
    void presetChosen(const QString& presetId);

private:
    void createActions(QListView* list);
    void createMenus();
    void createToolBar();

    QMainWindow* m_window;
};

} // namespace relaydeck::ui
