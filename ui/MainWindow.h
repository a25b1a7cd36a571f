#pragma once

#include "ConnectionTransfer.h"
#include "WindowSettings.h"

#include "library/ProfileLibrary.h"
#include "smtp/TestReport.h"

#include <QMainWindow>
#include <QUuid>

#include <memory>

class QLabel;
class QListView;
class QSplitter;
class QStackedWidget;

namespace relaydeck {
class ProfileTestBatch;
class SecretStore;
} // namespace relaydeck

namespace relaydeck::ui {

class ResponsiveSplitter;
class ConnectionEditor;
class ConnectionListModel;
class ConnectionListPane;
class EditorSelection;
class EditorTestRunner;
class ConnectionTransfer;
class MainWindowActions;
class Prompter;
class SessionSecretStore;
class TestAllController;
class TestPanel;
class TestResults;
class WindowBanners;

// The Relaydeck window: the connection list (filter, last test status), the editor with its four
// tabs, and the Test panel; menus and a toolbar for New (blank or from a preset), Copy, Rename,
// Delete, Import, Export, Test and Test all. Profiles and their secrets change only through
// core's ProfileLibrary (its keychain-failure rule: a change whose secrets cannot be written is
// undone and the error shown); the window keeps the prompts (all through the Prompter) and the
// view. Its parts: MainWindowActions (actions, menus, toolbar), EmptyPage, WindowBanners,
// EditorSelection (which connection the editor holds), ConnectionTransfer (Import/Export),
// TestResults (the list's last results), TestAllController (Test all and its results table).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // What happens when the keychain fails.
    enum class KeychainFallback
    {
        SessionMemory, // secrets are kept for this session (SessionSecretStore) and a banner says
                       // so
        None           // the keychain-failure rule alone: the change is undone, the error shown
    };

    // `configDir`: where connections.json lives (empty: ProfileStore's default); the window's own
    // state (geometry, last test results) is kept next to it in relaydeck-gui.ini. `keychain` and
    // `prompter` must outlive the window.
    MainWindow(const QString& configDir, SecretStore& keychain, Prompter& prompter,
               QWidget* parent = nullptr,
               KeychainFallback fallback = KeychainFallback::SessionMemory);
    ~MainWindow() override;

    // Test seams.
    ProfileStore& store() { return m_library.store(); }
    ProfileLibrary& library() { return m_library; }
    ConnectionEditor* editor() const { return m_editor; }
    TestPanel* testPanel() const { return m_testPanel; }
    ConnectionListModel* connectionModel() const { return m_model; }
    QListView* connectionList() const;
    ProfileTestBatch* testAllBatch() const;
    TestAllController* testAllController() const { return m_testAll; }
    SessionSecretStore* secrets() const { return m_secrets; }
    QUuid currentId() const;
    QString settingsPath() const;

    // Selects a connection as a click in the list does (asks about unsaved changes).
    bool selectConnection(const QUuid& id);

    // The actions of the menus and toolbar.
    void newBlank();
    void newFromAddress();
    void newFromPreset(const QString& presetId = QString());
    bool save();
    void revert();
    void copyConnection();
    void renameConnection();
    void deleteConnection();
    void importConnections();
    void showImported(const ConnectionTransfer::Imported& imported);
    // connections.json changed on disk (relaydeck-cli): reload, keep unsaved edits, ask on a
    // conflict.
    void onConnectionsFileChanged();
    void exportConnections();
    void testCurrent();
    void testAll();
    void cancelTests();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createLayout();
    void connectActions();
    void connectTestAll();
    void loadStore();
    void reloadList(const QUuid& select = QUuid());
    void focusEditorField(int tab, const QString& objectName);
    void updateActions();
    void updatePage();
    void showStatus(const QString& message);
    // After ProfileLibrary undid a change of profile `id`: the view follows, the error is shown.
    void showUndone(const QString& title, const Failure& failure, QUuid id);
    void trustCertificate(const QString& sha256);

    Prompter& m_prompter;
    WindowSettings m_windowSettings;
    SessionSecretStore* m_secrets;
    ProfileLibrary m_library;
    bool m_storeUsable = false;
    std::unique_ptr<ConnectionTransfer> m_transfer;
    std::unique_ptr<TestResults> m_results;
    ConnectionListPane* m_listPane;
    ConnectionListModel* m_model;
    WindowBanners* m_banners = nullptr;
    QSplitter* m_splitter;
    ResponsiveSplitter* m_workSplitter;
    QStackedWidget* m_pages;
    ConnectionEditor* m_editor;
    TestPanel* m_testPanel;
    EditorSelection* m_selection = nullptr;
    EditorTestRunner* m_runner = nullptr;
    TestAllController* m_testAll = nullptr;
    QLabel* m_countLabel;
    MainWindowActions* m_actions = nullptr;
};

} // namespace relaydeck::ui
