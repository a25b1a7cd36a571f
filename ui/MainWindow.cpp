#include "MainWindow.h"

#include "Banner.h"
#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "ConnectionListPane.h"
#include "ConnectionTransfer.h"
#include "ConnectionsFileWatcher.h"
#include "DesktopWording.h"
#include "EmptyPage.h"
#include "Icons.h"
#include "MainWindowActions.h"
#include "OAuthSignInController.h"
#include "PresetDialog.h"
#include "PresetPrompt.h"
#include "Prompter.h"
#include "ResponsiveSplitter.h"
#include "SessionSecretStore.h"
#include "TestPanel.h"
#include "TestReportText.h"
#include "TestResults.h"

#include "batch/ProfileTestBatch.h"
#include "profile/Presets.h"
#include "secrets/ProfileSecretNeeds.h"
#include "smtp/ErrorIds.h"
#include "smtp/TestMessage.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
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
    , m_keychainBanner(new Banner(u"keychainBanner"_s, this))
    , m_storeBanner(new Banner(u"storeBanner"_s, this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_workSplitter(new ResponsiveSplitter(420, this)) // the test panel goes below when narrow
    , m_pages(new QStackedWidget(this))
    , m_editor(new ConnectionEditor(prompter, this))
    , m_testPanel(new TestPanel(prompter, this))
    , m_testAll(new ProfileTestBatch(m_library, this))
    , m_countLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Relaydeck"));
    setWindowIcon(Icons::application());
    m_results = std::make_unique<TestResults>(*m_model, m_windowSettings.settings());
    m_transfer = std::make_unique<ConnectionTransfer>(this, prompter, m_library);

    createLayout();
    m_actions = new MainWindowActions(this, m_listPane->view());
    connectActions();
    connectTestAll();

    m_editor->setSignInController(new OAuthSignInController(*m_secrets, this));
    m_editor->setValidator(
        [this](const ConnectionProfile& profile) { return m_library.store().validate(profile); });
    connect(m_listPane, &ConnectionListPane::currentRequested, this,
            &MainWindow::onCurrentRequested);
    connect(m_editor, &ConnectionEditor::saveRequested, this, [this] { save(); });
    connect(m_editor, &ConnectionEditor::edited, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::dirtyChanged, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::validityChanged, this, &MainWindow::updateActions);
    connect(m_testPanel, &TestPanel::testRequested, this, &MainWindow::testCurrent);
    connect(m_testPanel, &TestPanel::finished, this, &MainWindow::onTestFinished);
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
    connect(m_testPanel, &TestPanel::switchSecurityRequested, this, &MainWindow::switchSecurity);
    connect(m_secrets, &SessionSecretStore::keychainFailed, this, &MainWindow::onKeychainFailed);
    connect(m_keychainBanner, &Banner::actionTriggered, this, [this] {
        m_secrets->retryKeychain();
        m_keychainBanner->hide();
        showStatus(tr("Relaydeck will use the keychain again. Save a connection to store its "
                      "password there."));
    });
    connect(m_storeBanner, &Banner::actionTriggered, this, [this] {
        loadStore();
        reloadList(m_editingId);
    });

    loadStore();
    reloadList();
    connect(new ConnectionsFileWatcher(m_library.store().filePath(), this),
            &ConnectionsFileWatcher::changed, this, &MainWindow::onConnectionsFileChanged);
    m_results->load(m_library.store().profiles());
    m_windowSettings.restore(*this, *m_splitter, *m_workSplitter);
    if (!m_model->profiles().isEmpty())
        selectInList(m_listPane->idAtVisibleRow(0));
    updatePage();
    updateActions();
}

MainWindow::~MainWindow() = default;

QListView* MainWindow::connectionList() const
{
    return m_listPane->view();
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
    centralLayout->addWidget(m_keychainBanner);
    centralLayout->addWidget(m_storeBanner);
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
    m_testAll->setWording(DesktopWording::instance());
    connect(m_testAll, &ProfileTestBatch::profileStarted, this,
            [this](const QUuid& id) { m_results->started(id); });
    connect(m_testAll, &ProfileTestBatch::profileFinished, this,
            [this](const QUuid& id, const TestReport& report) {
                m_results->finished(id, report);
                if (id == m_editingId && !m_testPanel->isRunning()) {
                    if (const auto profile = m_library.store().findById(id))
                        m_testPanel->showReport(report, *profile);
                }
            });
    connect(m_testAll, &ProfileTestBatch::profileSkipped, this,
            [this](const QUuid& id, const QString& reason) {
                m_results->skipped(id, reason);
                // The connection on screen says at once why it was not tested.
                if (id == m_editingId && !m_testPanel->isRunning()) {
                    m_results->dropReport(id);
                    m_testPanel->showProblem(reason);
                }
            });
    connect(m_testAll, &ProfileTestBatch::progress, this, [this](int done, int total) {
        if (done < total)
            statusBar()->showMessage(
                tr("Testing all connections: %1 of %2 done…").arg(done).arg(total));
    });
    connect(m_testAll, &ProfileTestBatch::finished, this, [this] {
        const auto count = [this](LastTestResult::Status status) {
            return m_model->countResults(status);
        };
        showStatus(tr("Test all finished: %1 passed, %2 failed, %3 not tested.")
                       .arg(count(LastTestResult::Status::Passed))
                       .arg(count(LastTestResult::Status::Failed))
                       .arg(count(LastTestResult::Status::Skipped)));
        updateActions();
    });
}

void MainWindow::loadStore()
{
    const Result<void> result = m_library.store().load();
    m_storeUsable = result.ok();
    if (m_storeUsable) {
        m_storeBanner->hide();
    } else {
        m_storeBanner->showMessage(
            Banner::Kind::Error,
            tr("The connections cannot be read, so nothing can be changed until this is "
               "fixed: %1")
                .arg(result.failure().message),
            tr("&Reload"));
    }
}

void MainWindow::reloadList(const QUuid& select)
{
    m_listPane->setProfiles(m_library.store().profiles());
    m_countLabel->setText(
        tr("%n connection(s)", nullptr, int(m_library.store().profiles().size())));
    if (!select.isNull())
        selectInList(select);
    updatePage();
    updateActions();
}

void MainWindow::selectInList(const QUuid& id)
{
    m_listPane->setCurrent(id);
    if (m_model->rowOf(id) >= 0 && (id != m_editingId || !m_editor->hasProfile()))
        loadIntoEditor(id);
}

bool MainWindow::selectConnection(const QUuid& id)
{
    if (id == m_editingId && m_editor->hasProfile())
        return true;
    if (!resolveUnsavedChanges())
        return false;
    selectInList(id);
    return m_editingId == id;
}

void MainWindow::onCurrentRequested(const QUuid& id)
{
    if (id == m_editingId && m_editor->hasProfile())
        return;
    if (!resolveUnsavedChanges()) {
        // Stay on the edited connection; the list follows once this signal has returned.
        m_listPane->setCurrentLater(m_editingId);
        return;
    }
    selectInList(id);
}

void MainWindow::loadIntoEditor(const QUuid& id)
{
    const std::optional<ConnectionProfile> profile = m_library.store().findById(id);
    if (!profile)
        return;
    m_editingId = id;
    QString note;
    if (!profile->preset.isEmpty()) {
        if (const auto preset = Presets::find(profile->preset))
            note = preset->note;
    }
    const bool needsKeychain = ProfileSecretNeeds::mayHaveSecrets(*profile);
    m_editor->setProfile(*profile, note, needsKeychain);
    const quint64 generation = ++m_secretsGeneration;
    if (needsKeychain) {
        ProfileSecrets::load(m_library.secretStore(), id, this,
                             [this, generation](const Result<ProfileSecretValues>& loaded) {
                                 if (generation != m_secretsGeneration)
                                     return;
                                 if (loaded.ok()) {
                                     m_editor->setSecrets(loaded->values);
                                 } else {
                                     m_editor->setSecretsUnavailable();
                                     onKeychainFailed(loaded.failure().message);
                                 }
                                 updateActions();
                             });
    }
    if (!m_testPanel->isRunning()) {
        const LastTestResult last = m_model->result(id);
        if (const std::optional<TestReport> report = m_results->report(id))
            m_testPanel->showReport(*report, *profile);
        else if (last.status == LastTestResult::Status::Skipped && !last.summary.isEmpty())
            m_testPanel->showProblem(last.summary); // why Test all could not test it
        else
            m_testPanel->clear();
    }
    updatePage();
    updateActions();
}

void MainWindow::startNew(const ConnectionProfile& profile, const QString& note)
{
    ++m_secretsGeneration;
    m_editingId = QUuid();
    m_listPane->clearCurrent();
    m_editor->setProfile(profile, note);
    if (!m_testPanel->isRunning())
        m_testPanel->clear();
    updatePage();
    updateActions();
}

bool MainWindow::resolveUnsavedChanges()
{
    if (!m_editor->isDirty())
        return true;
    const QString name = m_editor->editedProfile().name.trimmed().isEmpty()
                             ? tr("Unnamed connection")
                             : m_editor->editedProfile().name.trimmed();
    switch (m_prompter.askUnsavedChanges(this, name)) {
    case Prompter::UnsavedChangesAnswer::Save:
        if (!m_editor->isValid()) {
            m_editor->focusFirstIssue();
            showStatus(tr("The connection was not saved: fix the marked fields first."));
            return false;
        }
        return save();
    case Prompter::UnsavedChangesAnswer::Discard:
        if (m_editor->isNew()) {
            m_editor->clear();
            m_editingId = QUuid();
        } else {
            m_editor->revert();
        }
        updatePage();
        return true;
    case Prompter::UnsavedChangesAnswer::Cancel:
        return false;
    }
    return false;
}

void MainWindow::newFromAddress()
{
    const std::optional<ConnectionProfile> detected =
        resolveUnsavedChanges() ? m_prompter.detectSettings(this, QString()) : std::nullopt;
    if (!detected)
        return;
    ConnectionProfile profile = *detected;
    profile.name = m_library.store().uniqueName(profile.host);
    const std::optional<Preset> preset = Presets::find(profile.preset);
    startNew(profile, preset ? preset->note : QString());
}

void MainWindow::newBlank()
{
    if (!resolveUnsavedChanges())
        return;
    ConnectionProfile profile;
    profile.name = m_library.store().uniqueName(tr("New connection"));
    startNew(profile, QString());
    focusEditorField(0, u"hostEdit"_s);
    showStatus(tr("Fill in the server, then Save."));
}

void MainWindow::newFromPreset(const QString& presetId)
{
    if (!resolveUnsavedChanges())
        return;
    std::optional<PresetPrompt::Chosen> chosen = PresetPrompt::ask(this, m_prompter, presetId);
    if (!chosen)
        return;
    chosen->profile.name = m_library.store().uniqueName(chosen->preset.connectionName());
    startNew(chosen->profile, PresetDialog::noteFor(chosen->preset, chosen->region));
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
    m_editingId = stored.id;
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
    updateActions();
}

void MainWindow::copyConnection()
{
    const std::optional<ConnectionProfile> original = m_library.store().findById(m_editingId);
    if (!original || !m_storeUsable || !resolveUnsavedChanges())
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
                showUndone(tr("Connection Not Copied"), copied.failure(), m_editingId);
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
    const std::optional<ConnectionProfile> original = m_library.store().findById(m_editingId);
    if (!original || !m_storeUsable || !resolveUnsavedChanges())
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
    const std::optional<ConnectionProfile> victim = m_library.store().findById(m_editingId);
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
                onKeychainFailed(gone->keychainWarning);
        });
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Deleted"),
                          result.failure().message);
        return;
    }
    if (m_testingId == victim->id)
        m_testPanel->cancel();
    m_results->forget(victim->id);
    ++m_secretsGeneration;
    m_editingId = QUuid();
    m_editor->clear();
    reloadList();
    if (m_listPane->visibleCount() > 0) {
        selectInList(m_listPane->idAtVisibleRow(row));
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
    if (!m_editor->hasProfile() || m_editingId == id) {
        ++m_secretsGeneration;
        m_editingId = QUuid();
        m_editor->clear();
    }
    QUuid select = m_editingId;
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
    QUuid select = m_editingId;
    if (!imported.outcome.added.isEmpty())
        select = imported.outcome.added.first().id;
    // A replaced profile that is open unchanged in the editor shows its new settings.
    for (const ConnectionProfile& profile : imported.outcome.replaced) {
        if (profile.id == m_editingId && !m_editor->isDirty())
            m_editor->markSaved(profile);
    }
    if (select != m_editingId && !resolveUnsavedChanges())
        select = m_editingId;
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
        reloadList(m_editingId);
        return;
    }
    const std::optional<ConnectionProfile> onDisk = m_library.store().findById(m_editingId);
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
        m_editingId = QUuid();
        m_editor->clear();
    }
    reloadList(m_editingId);
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
    if (!m_editor->hasProfile() || m_testPanel->isRunning())
        return;
    if (!m_editor->isValid()) {
        m_editor->focusFirstIssue();
        m_testPanel->showProblem(tr("Fix the marked fields before testing."));
        return;
    }
    TestRequest request;
    request.profile = m_editor->editedProfile();
    request.secrets = m_editor->connectionSecrets();
    request.sendTo = m_testPanel->sendTo();
    if (const auto missing = ProfileSecretNeeds::missingSecret(request.profile, request.secrets)) {
        m_testPanel->showProblem(DesktopWording::instance().missingSecret(*missing));
        m_editor->focusPassword();
        return;
    }
    if (!request.sendTo.isEmpty()) {
        if (const auto problem = SmtpInputValidation::checkAddress(request.sendTo)) {
            m_testPanel->showProblem(tr("Send a test message to: %1").arg(*problem));
            return;
        }
    }
    m_testingId = m_editingId;
    if (!m_testingId.isNull())
        m_results->started(m_testingId);
    m_testPanel->start(request);
    updateActions();
}

void MainWindow::onTestFinished(const TestReport& report)
{
    const QUuid id = m_testingId;
    m_testingId = QUuid();
    if (!id.isNull()) {
        if (report.error.id == ErrorId::Cancelled)
            m_results->cancelled(id, report);
        else
            m_results->finished(id, report);
    }
    showStatus(TestReportText::verdict(report));
    updateActions();
}

void MainWindow::testAll()
{
    if (m_testAll->isRunning() || m_library.store().profiles().isEmpty())
        return;
    m_testAll->start(m_library.store().profiles());
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

void MainWindow::switchSecurity(Security security, int port)
{
    if (!m_editor->hasProfile())
        return;
    m_editor->setSecurityAndPort(security, port);
    showStatus(tr("Switched to %1 on port %2; Save to keep it.")
                   .arg(ConnectionListModel::securityName(security))
                   .arg(port));
    testCurrent();
}

void MainWindow::onKeychainFailed(const QString& message)
{
    m_keychainBanner->showMessage(
        Banner::Kind::Warning,
        tr("The system keychain is not available: %1\nPasswords you enter are kept for this "
           "session only and are not written anywhere. Start or unlock your keyring (e.g. GNOME "
           "Keyring or KWallet), then choose Retry and save the connection again.")
            .arg(message),
        tr("&Retry"));
}

void MainWindow::updatePage()
{
    const bool empty = m_model->profiles().isEmpty() && !m_editor->hasProfile();
    m_pages->setCurrentIndex(empty ? 0 : 1);
}

void MainWindow::updateActions()
{
    const bool canTest = m_editor->hasProfile() && m_editor->isValid();
    m_actions->update({m_storeUsable, !m_editingId.isNull() && m_editor->hasProfile(),
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
    if (!resolveUnsavedChanges()) {
        event->ignore();
        return;
    }
    cancelTests();
    m_windowSettings.save(*this, *m_splitter, *m_workSplitter);
    event->accept();
}

} // namespace relaydeck::ui
