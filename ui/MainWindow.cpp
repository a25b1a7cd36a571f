#include "MainWindow.h"

#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "ConnectionListPane.h"
#include "ConnectionTransfer.h"
#include "ConnectionsFileWatcher.h"
#include "DesktopWording.h"
#include "EditorSelection.h"
#include "EditorTestRunner.h"
#include "EmptyPage.h"
#include "FirstFrame.h"
#include "Icons.h"
#include "MainWindowActions.h"
#include "OAuthSignInController.h"
#include "PresetDialog.h"
#include "PresetPrompt.h"
#include "Prompter.h"
#include "ResponsiveSplitter.h"
#include "SessionSecretStore.h"
#include "TestAllController.h"
#include "TestPanel.h"
#include "TestResults.h"
#include "WindowBanners.h"

#include "profile/Presets.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

constexpr int statusTimeoutMs = 8000;

} // namespace

MainWindow::MainWindow(const QString& configDir, SecretStore& keychain, Prompter& prompter,
                       QWidget* parent, KeychainFallback fallback)
    : QMainWindow(parent)
    , m_prompter(prompter)
    , m_windowSettings(configDir.isEmpty() ? ProfileStore::defaultConfigDir() : configDir)
    , m_secrets(new SessionSecretStore(keychain, this))
    , m_library(configDir, fallback == KeychainFallback::SessionMemory ? *m_secrets : keychain)
    , m_listPane(new ConnectionListPane(this))
    , m_model(m_listPane->model())
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_workSplitter(new ResponsiveSplitter(420, this)) // the test panel goes below when narrow
    , m_pages(new QStackedWidget(this))
    , m_editor(new ConnectionEditor(prompter, this))
    , m_testPanel(new TestPanel(prompter, this))
    , m_countLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Relaydeck"));
    setWindowIcon(Icons::application());
    m_results = std::make_unique<TestResults>(*m_model, m_windowSettings.settings());
    m_transfer = std::make_unique<ConnectionTransfer>(this, prompter, m_library);
    m_testAll = new TestAllController(m_library, *m_results, prompter, this);
    m_selection = new EditorSelection(
        {m_library.store(), m_library.secretStore(), *m_editor, *m_listPane, *m_testPanel,
         *m_results, prompter},
        [this] { return save(); }, this);
    m_runner = new EditorTestRunner(*m_editor, *m_testPanel, *m_results, *m_selection, this);

    createLayout();
    m_actions = new MainWindowActions(this, m_listPane->view());
    connectActions();
    connectTestAll();

    auto* signIn = new OAuthSignInController(*m_secrets, this);
    m_editor->setSignInController(signIn);
    m_testPanel->setSignInController(signIn); // Test gets OAuth access tokens from the sign-in
    m_editor->setValidator(
        [this](const ConnectionProfile& profile) { return m_library.store().validate(profile); });
    connect(m_editor, &ConnectionEditor::saveRequested, this, [this] { save(); });
    connect(m_editor, &ConnectionEditor::edited, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::dirtyChanged, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::validityChanged, this, &MainWindow::updateActions);
    connect(m_runner, &EditorTestRunner::stateChanged, this, &MainWindow::updateActions);
    connect(m_runner, &EditorTestRunner::statusMessage, this, &MainWindow::showStatus);
    connect(m_testPanel, &TestPanel::started, this, &MainWindow::updateActions);
    connect(m_testPanel, &TestPanel::trustCertificateRequested, this,
            &MainWindow::trustCertificate);
    connect(m_testPanel, &TestPanel::trustIssuerRequested, this, [this](const QString& caFile) {
        if (m_editor->hasProfile()) {
            m_editor->trustIssuer(caFile);
            if (save())
                testCurrent();
        }
    });
    connect(m_banners, &WindowBanners::keychainRetried, this, &MainWindow::showStatus);
    connect(m_banners, &WindowBanners::reloadRequested, this, [this] {
        loadStore();
        reloadList(m_selection->editingId());
    });
    connect(m_selection, &EditorSelection::keychainFailed, m_banners,
            &WindowBanners::showKeychainFailed);
    connect(m_selection, &EditorSelection::statusMessage, this, &MainWindow::showStatus);
    connect(m_selection, &EditorSelection::changed, this, [this] {
        updatePage();
        updateActions();
    });

    loadStore();
    reloadList();
    connect(new ConnectionsFileWatcher(m_library.store().filePath(), this),
            &ConnectionsFileWatcher::changed, this, &MainWindow::onConnectionsFileChanged);
    m_results->load(m_library.store().profiles());
    m_windowSettings.restore(*this, *m_splitter, *m_workSplitter);
    // The first frame shows the first connection's settings; its secrets follow from the
    // keychain once the window is on screen.
    m_selection->holdKeychain();
    FirstFrame::after(this, this, [this] { m_selection->releaseKeychain(); });
    if (!m_model->profiles().isEmpty())
        m_selection->show(m_listPane->idAtVisibleRow(0));
    updatePage();
    updateActions();
}

MainWindow::~MainWindow() = default;

QListView* MainWindow::connectionList() const
{
    return m_listPane->view();
}

QUuid MainWindow::currentId() const
{
    return m_selection->editingId();
}

ProfileTestBatch* MainWindow::testAllBatch() const
{
    return m_testAll->batch();
}

QString MainWindow::settingsPath() const
{
    return m_windowSettings.path();
}

void MainWindow::createLayout()
{
    m_workSplitter->setObjectName(u"workSplitter"_s);
    m_workSplitter->addWidget(m_editor);
    m_workSplitter->addScrollingPane(m_testPanel);
    m_workSplitter->setChildrenCollapsible(false);
    m_workSplitter->setStretchFactor(0, 1);
    m_workSplitter->setStretchFactor(1, 1);
    auto* emptyPage = new EmptyPage(this);
    connect(emptyPage, &EmptyPage::newFromPresetClicked, this, [this] { newFromPreset(); });
    connect(emptyPage, &EmptyPage::newBlankClicked, this, &MainWindow::newBlank);
    connect(emptyPage, &EmptyPage::importClicked, this, &MainWindow::importConnections);
    m_pages->setObjectName(u"pages"_s);
    m_pages->addWidget(emptyPage);
    m_pages->addWidget(m_workSplitter);

    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_listPane);
    m_splitter->addWidget(m_pages);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({270, 1000});
    m_workSplitter->setSizes({520, 480});

    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(8, 6, 8, 4);
    m_banners = new WindowBanners(*m_secrets, this, centralLayout);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_countLabel->setObjectName(u"connectionCount"_s);
    statusBar()->setObjectName(u"statusBar"_s);
    statusBar()->addPermanentWidget(m_countLabel);
}

void MainWindow::connectActions()
{
    MainWindowActions& a = *m_actions;
    connect(a.newBlank, &QAction::triggered, this, &MainWindow::newBlank);
    connect(a.newFromPreset, &QAction::triggered, this, [this] { newFromPreset(); });
    connect(&a, &MainWindowActions::presetChosen, this, &MainWindow::newFromPreset);
    connect(a.newFromAddress, &QAction::triggered, this, &MainWindow::newFromAddress);
    connect(a.save, &QAction::triggered, this, [this] {
        if (m_editor->isDirty() && m_editor->isValid())
            save();
        else if (!m_editor->isValid())
            m_editor->focusFirstIssue();
    });
    connect(a.revert, &QAction::triggered, this, &MainWindow::revert);
    connect(a.copy, &QAction::triggered, this, &MainWindow::copyConnection);
    connect(a.rename, &QAction::triggered, this, &MainWindow::renameConnection);
    connect(a.remove, &QAction::triggered, this, &MainWindow::deleteConnection);
    connect(a.deleteKey, &QAction::triggered, this, &MainWindow::deleteConnection);
    connect(a.import, &QAction::triggered, this, &MainWindow::importConnections);
    connect(a.exportAll, &QAction::triggered, this, &MainWindow::exportConnections);
    connect(a.test, &QAction::triggered, this, &MainWindow::testCurrent);
    connect(a.testAll, &QAction::triggered, this, &MainWindow::testAll);
    connect(a.cancel, &QAction::triggered, this, &MainWindow::cancelTests);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::connectTestAll()
{
    connect(m_testAll, &TestAllController::reported, this,
            [this](const QUuid& id) { m_selection->showTestAllResult(id, true); });
    connect(m_testAll, &TestAllController::notTested, this,
            [this](const QUuid& id) { m_selection->showTestAllResult(id, false); });
    connect(m_testAll, &TestAllController::progress, this,
            [this](const QString& message) { statusBar()->showMessage(message); });
    connect(m_testAll, &TestAllController::finished, this, [this](const QString& message) {
        showStatus(message);
        updateActions();
    });
    connect(m_testAll, &TestAllController::showConnectionRequested, m_selection,
            &EditorSelection::select);
}

void MainWindow::loadStore()
{
    const Result<void> result = m_library.store().load();
    m_storeUsable = result.ok();
    m_banners->showStoreProblem(m_storeUsable ? QString() : result.failure().message);
}

void MainWindow::reloadList(const QUuid& select)
{
    m_listPane->setProfiles(m_library.store().profiles());
    m_countLabel->setText(
        tr("%n connection(s)", nullptr, int(m_library.store().profiles().size())));
    if (!select.isNull())
        m_selection->show(select);
    updatePage();
    updateActions();
}

bool MainWindow::selectConnection(const QUuid& id)
{
    return m_selection->select(id);
}

void MainWindow::newFromAddress()
{
    const std::optional<ConnectionProfile> detected =
        m_selection->resolveUnsavedChanges() ? m_prompter.detectSettings(this, QString())
                                             : std::nullopt;
    if (!detected)
        return;
    ConnectionProfile profile = *detected;
    profile.name = m_library.store().uniqueName(profile.host);
    const std::optional<Preset> preset = Presets::find(profile.preset);
    m_selection->startNew(profile, preset ? preset->note : QString());
}

void MainWindow::newBlank()
{
    if (!m_selection->resolveUnsavedChanges())
        return;
    ConnectionProfile profile;
    profile.name = m_library.store().uniqueName(tr("New connection"));
    m_selection->startNew(profile, QString());
    focusEditorField(0, u"hostEdit"_s);
    showStatus(tr("Fill in the server, then Save."));
}

void MainWindow::newFromPreset(const QString& presetId)
{
    if (!m_selection->resolveUnsavedChanges())
        return;
    std::optional<PresetPrompt::Chosen> chosen = PresetPrompt::ask(this, m_prompter, presetId);
    if (!chosen)
        return;
    chosen->profile.name = m_library.store().uniqueName(chosen->preset.connectionName());
    m_selection->startNew(chosen->profile, PresetDialog::noteFor(chosen->preset, chosen->region));
    // Send the user where the preset still needs them: the server (Exchange) or the login.
    if (chosen->profile.host.isEmpty())
        focusEditorField(0, u"hostEdit"_s);
    else
        focusEditorField(1, u"usernameEdit"_s);
    showStatus((chosen->profile.host.isEmpty()
                    ? tr("New connection from the preset \"%1\": enter the server and your "
                         "login, then Save.")
                    : tr("New connection from the preset \"%1\": enter your login, then Save."))
                   .arg(chosen->preset.displayName));
}

void MainWindow::focusEditorField(int tab, const QString& objectName)
{
    m_editor->tabs()->setCurrentIndex(tab);
    if (auto* field = m_editor->findChild<QLineEdit*>(objectName))
        field->setFocus(Qt::OtherFocusReason);
}

bool MainWindow::save()
{
    if (!m_editor->hasProfile() || !m_storeUsable)
        return false;
    const ConnectionProfile edited = m_editor->editedProfile();
    const ValidationIssues issues = m_library.store().validate(edited);
    if (!issues.isEmpty()) {
        m_editor->focusFirstIssue();
        showStatus(tr("The connection was not saved: fix the marked fields first."));
        return false;
    }
    if (!m_editor->confirmSaveWithoutPassword())
        return false;
    auto savedId = std::make_shared<QUuid>();
    const Result<ConnectionProfile> result =
        m_library.save(edited, m_editor->changedSecrets(), this,
                       [this, savedId](const Result<ConnectionProfile>& saved) {
                           if (!saved.ok())
                               showUndone(tr("Connection Not Saved"), saved.failure(), *savedId);
                       });
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Saved"),
                          result.failure().message);
        return false;
    }
    const ConnectionProfile stored = result.value();
    *savedId = stored.id;
    m_editor->markSaved(stored);
    m_selection->setEditing(stored.id);
    reloadList(stored.id);
    showStatus(
        m_secrets->keychainAvailable()
            ? tr("Saved \"%1\".").arg(stored.name)
            : tr("Saved \"%1\"; its password is kept for this session only.").arg(stored.name));
    return true;
}

void MainWindow::revert()
{
    if (m_editor->isNew())
        return; // nothing to go back to; Delete or another connection discards it
    m_editor->revert();
    if (!m_testPanel->isRunning()) {
        if (const auto saved = m_library.store().findById(m_selection->editingId()))
            m_results->showLast(*saved, *m_testPanel);
    }
    updateActions();
}

void MainWindow::copyConnection()
{
    const std::optional<ConnectionProfile> original =
        m_library.store().findById(m_selection->editingId());
    if (!original || !m_storeUsable || !m_selection->resolveUnsavedChanges())
        return;
    const std::optional<QString> name =
        m_prompter.askText(this, tr("Copy Connection"), tr("Name of the copy:"),
                           m_library.store().uniqueName(tr("%1 (copy)").arg(original->name)));
    if (!name || name->trimmed().isEmpty())
        return;
    // The copy is shown once its secrets are there, so the editor reads them complete.
    const Result<ConnectionProfile> result = m_library.copy(
        original->id, name->trimmed(), true, this, [this](const Result<ConnectionProfile>& copied) {
            if (!copied.ok()) {
                showUndone(tr("Connection Not Copied"), copied.failure(), m_selection->editingId());
                return;
            }
            reloadList(copied->id);
            showStatus(tr("Copied to \"%1\".").arg(copied->name));
        });
    if (!result.ok())
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Copied"),
                          result.failure().message);
}

void MainWindow::renameConnection()
{
    const std::optional<ConnectionProfile> original =
        m_library.store().findById(m_selection->editingId());
    if (!original || !m_storeUsable || !m_selection->resolveUnsavedChanges())
        return;
    const std::optional<QString> name =
        m_prompter.askText(this, tr("Rename Connection"),
                           tr("New name for \"%1\":").arg(original->name), original->name);
    if (!name || name->trimmed().isEmpty() || *name == original->name)
        return;
    const Result<ConnectionProfile> result = m_library.rename(original->id, name->trimmed());
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Renamed"),
                          result.failure().message);
        return;
    }
    m_editor->markSaved(result.value());
    reloadList(original->id);
    showStatus(tr("Renamed \"%1\" to \"%2\".").arg(original->name, name->trimmed()));
}

void MainWindow::deleteConnection()
{
    const std::optional<ConnectionProfile> victim =
        m_library.store().findById(m_selection->editingId());
    if (!victim || !m_storeUsable)
        return;
    if (!m_prompter.confirm(this, tr("Delete Connection"),
                            tr("Delete the connection \"%1\" and its stored passwords? This "
                               "cannot be undone.")
                                .arg(victim->name),
                            tr("&Delete")))
        return;
    // The row before the change, to select its neighbour in the list's order.
    const int row = m_listPane->visibleRowOf(victim->id);
    const Result<RemovedProfile> result = m_library.remove(
        victim->id, false, this, [this, id = victim->id](const Result<RemovedProfile>& gone) {
            if (!gone.ok())
                showUndone(tr("Connection Not Deleted"), gone.failure(), id);
            else if (!gone->keychainWarning.isEmpty())
                m_banners->showKeychainFailed(gone->keychainWarning);
        });
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Deleted"),
                          result.failure().message);
        return;
    }
    m_runner->stopTesting(victim->id);
    m_results->forget(victim->id);
    m_selection->clear();
    reloadList();
    if (m_listPane->visibleCount() > 0) {
        m_selection->show(m_listPane->idAtVisibleRow(row));
    } else {
        m_testPanel->clear();
    }
    updatePage();
    showStatus(tr("Deleted \"%1\".").arg(victim->name));
}

void MainWindow::showUndone(const QString& title, const Failure& failure, QUuid id)
{
    // ProfileLibrary has undone the change (its keychain-failure rule): show connections.json as
    // it is now. The editor follows unless it holds another connection.
    if (!m_editor->hasProfile() || m_selection->editingId() == id) {
        m_selection->clear();
    }
    QUuid select = m_selection->editingId();
    if (select.isNull() && m_library.store().findById(id))
        select = id;
    reloadList(select);
    if (!m_editor->hasProfile())
        m_testPanel->clear();
    updatePage();
    m_prompter.inform(this, Prompter::Severity::Error, title, failure.message);
}

void MainWindow::importConnections()
{
    if (!m_storeUsable)
        return;
    m_transfer->importFile(
        this, [this](const ConnectionTransfer::Imported& imported) { showImported(imported); });
}

void MainWindow::showImported(const ConnectionTransfer::Imported& imported)
{
    QUuid select = m_selection->editingId();
    if (!imported.outcome.added.isEmpty())
        select = imported.outcome.added.first().id;
    // A replaced profile that is open unchanged in the editor shows its new settings.
    for (const ConnectionProfile& profile : imported.outcome.replaced) {
        if (profile.id == m_selection->editingId() && !m_editor->isDirty())
            m_editor->markSaved(profile);
    }
    if (select != m_selection->editingId() && !m_selection->resolveUnsavedChanges())
        select = m_selection->editingId();
    reloadList(select);
    showStatus(imported.lines.first());
    m_transfer->reportImport(imported);
}

void MainWindow::onConnectionsFileChanged()
{
    ProfileStore disk(m_library.store().configDir());
    // Unreadable (a half-written file would not be: writers replace it atomically), or this
    // window's own change: nothing to do.
    if (!disk.load().ok() || disk.profiles() == m_library.store().profiles())
        return;
    loadStore();
    if (!m_editor->hasProfile() || m_editor->isNew()) {
        reloadList(m_selection->editingId());
        return;
    }
    const std::optional<ConnectionProfile> onDisk =
        m_library.store().findById(m_selection->editingId());
    bool reload = false;
    switch (ExternalChange::forEditor(onDisk, m_editor->originalProfile(), m_editor->isDirty())) {
    case ExternalChange::ForEditor::Keep:
        break;
    case ExternalChange::ForEditor::Reload:
        reload = true;
        break;
    case ExternalChange::ForEditor::Conflict:
        reload = m_prompter.confirm(
            this, tr("Connection Changed Elsewhere"),
            (onDisk ? tr("Another program (such as relaydeck-cli) changed \"%1\" while you "
                         "edited it.\n\nLoad its version? Your edits are lost. Cancel keeps "
                         "your edits; saving them overwrites the other version.")
                    : tr("Another program (such as relaydeck-cli) deleted \"%1\" while you "
                         "edited it.\n\nDiscard your edits? Cancel keeps them on screen."))
                .arg(m_editor->originalProfile().name),
            onDisk ? tr("&Load Its Version") : tr("&Discard My Edits"));
        break;
    }
    if (reload && onDisk) {
        m_editor->markSaved(*onDisk);
    } else if (reload) {
        m_selection->setEditing(QUuid());
        m_editor->clear();
    }
    reloadList(m_selection->editingId());
    showStatus(tr("The connections were changed by another program; the list is up to date."));
}

void MainWindow::exportConnections()
{
    if (m_library.store().profiles().isEmpty())
        return;
    std::optional<QString> message = m_transfer->exportFile(m_model->profiles());
    if (!message)
        return;
    if (m_editor->isDirty())
        *message += u' ' + tr("Unsaved changes in the editor are not part of it.");
    showStatus(*message);
}

void MainWindow::testCurrent()
{
    m_runner->test();
}

void MainWindow::testAll()
{
    m_testAll->start();
    updateActions();
}

void MainWindow::cancelTests()
{
    m_testPanel->cancel();
    m_testAll->cancel();
}

void MainWindow::trustCertificate(const QString& sha256)
{
    if (!m_editor->hasProfile())
        return;
    m_editor->addPinnedCertificate(sha256);
    if (!save())
        return;
    showStatus(tr("Pinned the certificate; testing again."));
    testCurrent();
}

void MainWindow::updatePage()
{
    const bool empty = m_model->profiles().isEmpty() && !m_editor->hasProfile();
    m_pages->setCurrentIndex(empty ? 0 : 1);
}

void MainWindow::updateActions()
{
    const bool canTest = m_editor->hasProfile() && m_editor->isValid();
    m_actions->update({m_storeUsable, !m_selection->editingId().isNull() && m_editor->hasProfile(),
                       m_editor->isDirty(), m_editor->isValid(), m_editor->isNew(), canTest,
                       m_testPanel->isRunning(), m_testAll->isRunning(),
                       !m_library.store().profiles().isEmpty()});
    m_testPanel->setTestEnabled(canTest, m_editor->hasProfile()
                                             ? tr("Fix the marked fields first")
                                             : tr("Select or create a connection first"));
    setWindowTitle(m_editor->hasProfile()
                       ? tr("%1[*] — Relaydeck")
                             .arg(m_editor->editedProfile().name.trimmed().isEmpty()
                                      ? tr("Unnamed connection")
                                      : m_editor->editedProfile().name.trimmed())
                       : tr("Relaydeck"));
    setWindowModified(m_editor->isDirty()); // after the title with its '[*]'
}

void MainWindow::showStatus(const QString& message)
{
    statusBar()->showMessage(message, statusTimeoutMs);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_selection->resolveUnsavedChanges()) {
        event->ignore();
        return;
    }
    cancelTests();
    m_windowSettings.save(*this, *m_splitter, *m_workSplitter);
    event->accept();
}

} // namespace relaydeck::ui
