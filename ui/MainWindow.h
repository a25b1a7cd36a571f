#pragma once

#include "LastTestResult.h"

#include "profile/ProfileStore.h"
#include "smtp/TestReport.h"

#include <QHash>
#include <QMainWindow>
#include <QUuid>

#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;

namespace relaydeck {
class ProfileTestBatch;
class SecretStore;
} // namespace relaydeck

namespace relaydeck::ui {

class Banner;
class ConnectionEditor;
class ConnectionListModel;
class Prompter;
class SessionSecretStore;
class TestPanel;

// The Relaydeck window: the connection list (filter, last test status), the editor with its four
// tabs, and the Test panel; menus and a toolbar for New (blank or from a preset), Copy, Rename,
// Delete, Import, Export, Test and Test all. It drives core's ProfileStore, SecretStore and
// ConnectionTest; every question to the user goes through the Prompter.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `configDir`: where connections.json lives (empty: ProfileStore's default); the window's own
    // state (geometry, last test results) is kept next to it in relaydeck-gui.ini. `keychain` and
    // `prompter` must outlive the window.
    MainWindow(const QString& configDir, SecretStore& keychain, Prompter& prompter,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // Test seams.
    ProfileStore& store() { return m_store; }
    ConnectionEditor* editor() const { return m_editor; }
    TestPanel* testPanel() const { return m_testPanel; }
    ConnectionListModel* connectionModel() const { return m_model; }
    QListView* connectionList() const { return m_list; }
    ProfileTestBatch* testAllBatch() const { return m_testAll; }
    SessionSecretStore* secrets() const { return m_secrets; }
    QUuid currentId() const { return m_editingId; }
    QString settingsPath() const;

    // Selects a connection as a click in the list does (asks about unsaved changes).
    bool selectConnection(const QUuid& id);

    // The actions of the menus and toolbar.
    void newBlank();
    void newFromPreset(const QString& presetId = QString());
    bool save();
    void revert();
    void copyConnection();
    void renameConnection();
    void deleteConnection();
    void importConnections();
    void exportConnections();
    void testCurrent();
    void testAll();
    void cancelTests();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    QWidget* createEmptyPage();
    void loadStore();
    void reloadList(const QUuid& select = QUuid());
    void selectInList(const QUuid& id);
    void onCurrentChanged(const QModelIndex& current);
    void loadIntoEditor(const QUuid& id);
    void startNew(const ConnectionProfile& profile, const QString& note);
    // Save / Discard / Cancel when the editor has unsaved changes; false: stay.
    bool resolveUnsavedChanges();
    void updateActions();
    void updatePage();
    void showStatus(const QString& message);
    void onKeychainFailed(const QString& message);
    void onTestFinished(const TestReport& report);
    void recordResult(const QUuid& id, const LastTestResult& result);
    void trustCertificate(const QString& sha256);
    void switchSecurity(Security security, int port);
    void restoreState();
    void saveState();
    void loadLastResults();

    Prompter& m_prompter;
    ProfileStore m_store;
    bool m_storeUsable = false;
    std::unique_ptr<QSettings> m_settings;
    SessionSecretStore* m_secrets;
    ConnectionListModel* m_model;
    QSortFilterProxyModel* m_filter;
    Banner* m_keychainBanner;
    Banner* m_storeBanner;
    QLineEdit* m_filterEdit;
    QListView* m_list;
    QSplitter* m_splitter;
    QStackedWidget* m_pages;
    ConnectionEditor* m_editor;
    TestPanel* m_testPanel;
    ProfileTestBatch* m_testAll;
    QLabel* m_countLabel;

    QAction* m_newAction = nullptr;
    QAction* m_newFromPresetAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_revertAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_renameAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_importAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_testAction = nullptr;
    QAction* m_testAllAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_quitAction = nullptr;
    QMenu* m_presetMenu = nullptr;

    QUuid m_editingId; // the stored profile in the editor (null: a new one, or none)
    QUuid m_testingId; // the profile the Test panel is testing
    bool m_ignoreSelection = false;
    quint64 m_secretsGeneration = 0;    // drops answers for a profile no longer in the editor
    QHash<QUuid, TestReport> m_reports; // this session's last report per profile
};

} // namespace relaydeck::ui
