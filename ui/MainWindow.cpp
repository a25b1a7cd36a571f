#include "MainWindow.h"

#include "Banner.h"
#include "ConnectionEditor.h"
#include "ConnectionItemDelegate.h"
#include "ConnectionListModel.h"
#include "DesktopWording.h"
#include "ExportDialog.h"
#include "Icons.h"
#include "PresetDialog.h"
#include "Prompter.h"
#include "ResponsiveSplitter.h"
#include "ResponsiveToolBar.h"
#include "SessionSecretStore.h"
#include "TestPanel.h"
#include "TestReportText.h"

#include "batch/ProfileTestBatch.h"
#include "profile/Presets.h"
#include "profile/ProfileFormats.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"
#include "smtp/ErrorIds.h"
#include "smtp/TestMessage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

constexpr int statusTimeoutMs = 8000;

QString resultKey(const QUuid& id)
{
    return u"lastTest/"_s + id.toString(QUuid::WithoutBraces);
}

// The one-line summary the list keeps for a report.
QString summaryOf(const TestReport& report)
{
    if (report.ok)
        return report.auth.attempted
                   ? MainWindow::tr("Authenticated with %1.").arg(report.auth.mechanism)
                   : MainWindow::tr("Connected; no authentication configured.");
    return report.error.message.isEmpty() ? report.error.id
                                          : TestReportText::humanMessage(report.error.message);
}

} // namespace

MainWindow::MainWindow(const QString& configDir, SecretStore& keychain, Prompter& prompter,
                       QWidget* parent)
    : QMainWindow(parent)
    , m_prompter(prompter)
    , m_store(configDir)
    , m_secrets(new SessionSecretStore(keychain, this))
    , m_model(new ConnectionListModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_keychainBanner(new Banner(u"keychainBanner"_s, this))
    , m_storeBanner(new Banner(u"storeBanner"_s, this))
    , m_filterEdit(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_pages(new QStackedWidget(this))
    , m_editor(new ConnectionEditor(prompter, this))
    , m_testPanel(new TestPanel(prompter, this))
    , m_testAll(new ProfileTestBatch(*m_secrets, this))
    , m_countLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Relaydeck"));
    setWindowIcon(Icons::application());
    m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);

    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(ConnectionListModel::SearchTextRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortLocaleAware(true);
    m_filter->sort(0);

    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_filterEdit->setPlaceholderText(tr("Name, server or user"));
    m_filterEdit->setClearButtonEnabled(true);
    auto* filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filterEdit);
    m_list->setObjectName(u"connectionList"_s);
    m_list->setModel(m_filter);
    m_list->setItemDelegate(new ConnectionItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* listPane = new QWidget(this);
    listPane->setObjectName(u"listPane"_s);
    auto* listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filterEdit, 1);
    listLayout->addLayout(filterRow);
    listLayout->addWidget(m_list, 1);

    auto* work = new ResponsiveSplitter(420, this); // the test panel goes below when narrow
    work->setObjectName(u"workSplitter"_s);
    work->addWidget(m_editor);
    work->addScrollingPane(m_testPanel);
    work->setChildrenCollapsible(false);
    work->setStretchFactor(0, 1);
    work->setStretchFactor(1, 1);
    m_pages->setObjectName(u"pages"_s);
    m_pages->addWidget(createEmptyPage());
    m_pages->addWidget(work);

    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(listPane);
    m_splitter->addWidget(m_pages);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({270, 1000});
    work->setSizes({520, 480});

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

    createActions();
    createMenus();
    createToolBar();

    m_editor->setValidator(
        [this](const ConnectionProfile& profile) { return m_store.validate(profile); });
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    connect(m_editor, &ConnectionEditor::saveRequested, this, [this] { save(); });
    connect(m_editor, &ConnectionEditor::edited, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::dirtyChanged, this, &MainWindow::updateActions);
    connect(m_editor, &ConnectionEditor::validityChanged, this, &MainWindow::updateActions);
    connect(m_testPanel, &TestPanel::testRequested, this, &MainWindow::testCurrent);
    connect(m_testPanel, &TestPanel::finished, this, &MainWindow::onTestFinished);
    connect(m_testPanel, &TestPanel::started, this, &MainWindow::updateActions);
    connect(m_testPanel, &TestPanel::trustCertificateRequested, this,
            &MainWindow::trustCertificate);
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
    m_testAll->setWording(DesktopWording::instance());

    connect(m_testAll, &ProfileTestBatch::profileStarted, this, [this](const QUuid& id) {
        recordResult(id, LastTestResult{LastTestResult::Status::Running, {}, {}});
    });
    connect(m_testAll, &ProfileTestBatch::profileFinished, this,
            [this](const QUuid& id, const TestReport& report) {
                m_reports.insert(id, report);
                recordResult(id, LastTestResult{report.ok ? LastTestResult::Status::Passed
                                                          : LastTestResult::Status::Failed,
                                                QDateTime::currentDateTime(), summaryOf(report)});
                if (id == m_editingId && !m_testPanel->isRunning()) {
                    if (const auto profile = m_store.findById(id))
                        m_testPanel->showReport(report, *profile);
                }
            });
    connect(m_testAll, &ProfileTestBatch::profileSkipped, this,
            [this](const QUuid& id, const QString& reason) {
                recordResult(id, LastTestResult{LastTestResult::Status::Skipped,
                                                QDateTime::currentDateTime(), reason});
                // The connection on screen says at once why it was not tested.
                if (id == m_editingId && !m_testPanel->isRunning()) {
                    m_reports.remove(id);
                    m_testPanel->showProblem(reason);
                }
            });
    connect(m_testAll, &ProfileTestBatch::progress, this, [this](int done, int total) {
        if (done < total)
            statusBar()->showMessage(
                tr("Testing all connections: %1 of %2 done…").arg(done).arg(total));
    });
    connect(m_testAll, &ProfileTestBatch::finished, this, [this] {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (const ConnectionProfile& profile : m_model->profiles()) {
            switch (m_model->result(profile.id).status) {
            case LastTestResult::Status::Passed:
                ++passed;
                break;
            case LastTestResult::Status::Failed:
                ++failed;
                break;
            case LastTestResult::Status::Skipped:
                ++skipped;
                break;
            default:
                break;
            }
        }
        showStatus(tr("Test all finished: %1 passed, %2 failed, %3 not tested.")
                       .arg(passed)
                       .arg(failed)
                       .arg(skipped));
        updateActions();
    });

    loadStore();
    reloadList();
    loadLastResults();
    restoreState();
    if (!m_model->profiles().isEmpty())
        selectInList(m_filter->mapToSource(m_filter->index(0, 0))
                         .data(ConnectionListModel::IdRole)
                         .toUuid());
    updatePage();
    updateActions();
}

MainWindow::~MainWindow() = default;

QString MainWindow::settingsPath() const
{
    return QDir(m_store.configDir()).filePath(u"relaydeck-gui.ini"_s);
}

void MainWindow::createActions()
{
    const auto make = [this](const QString& objectName, const QString& icon, const QString& text,
                             const QKeySequence& shortcut, const QString& tip) {
        auto* action = new QAction(icon.isEmpty() ? QIcon() : Icons::get(icon), text, this);
        action->setObjectName(objectName);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        action->setStatusTip(tip);
        action->setToolTip(
            shortcut.isEmpty()
                ? tip
                : u"%1 (%2)"_s.arg(tip, shortcut.toString(QKeySequence::NativeText)));
        return action;
    };
    m_newAction = make(u"newAction"_s, u"new"_s, tr("&New Blank Connection"), QKeySequence::New,
                       tr("Create a connection from an empty form"));
    m_newFromPresetAction =
        make(u"newFromPresetAction"_s, u"preset"_s, tr("New from &Preset…"),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
             tr("Create a connection from a provider's settings (Gmail, Office 365, SES, …)"));
    m_saveAction = make(u"saveAction"_s, u"save"_s, tr("&Save"), QKeySequence::Save,
                        tr("Save the connection in the editor"));
    m_revertAction = make(u"revertAction"_s, u"revert"_s, tr("Re&vert"), QKeySequence(),
                          tr("Throw away the changes since the last save"));
    m_copyAction = make(u"copyAction"_s, u"copy"_s, tr("&Copy…"), QKeySequence(),
                        tr("Copy the selected connection, with its passwords"));
    m_renameAction = make(u"renameAction"_s, u"rename"_s, tr("&Rename…"), QKeySequence(Qt::Key_F2),
                          tr("Rename the selected connection"));
    m_deleteAction = make(u"deleteAction"_s, u"delete"_s, tr("&Delete…"), QKeySequence(),
                          tr("Delete the selected connection and its passwords"));
    m_importAction =
        make(u"importAction"_s, u"import"_s, tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I),
             tr("Import connections from Relaydeck JSON, an msmtprc or DSN lines"));
    m_exportAction =
        make(u"exportAction"_s, u"export"_s, tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E),
             tr("Export connections without their passwords"));
    m_testAction = make(u"testAction"_s, u"test"_s, tr("&Test"), QKeySequence(Qt::Key_F5),
                        tr("Test the connection in the editor"));
    m_testAllAction = make(u"testAllAction"_s, u"test-all"_s, tr("Test &All"),
                           QKeySequence(Qt::SHIFT | Qt::Key_F5),
                           tr("Test every saved connection, several at a time"));
    m_cancelAction = make(u"cancelTestsAction"_s, u"cancel"_s, tr("&Stop Testing"),
                          QKeySequence(Qt::Key_Escape), tr("Stop the running tests"));
    m_quitAction =
        make(u"quitAction"_s, QString(), tr("&Quit"), QKeySequence::Quit, tr("Quit Relaydeck"));
    m_quitAction->setMenuRole(QAction::QuitRole);
    // Delete acts on the list only, so that Del in a text field still deletes characters.
    auto* deleteKey = new QAction(this);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    m_list->addAction(deleteKey);
    connect(deleteKey, &QAction::triggered, this, &MainWindow::deleteConnection);

    connect(m_newAction, &QAction::triggered, this, &MainWindow::newBlank);
    connect(m_newFromPresetAction, &QAction::triggered, this, [this] { newFromPreset(); });
    connect(m_saveAction, &QAction::triggered, this, [this] {
        if (m_editor->isDirty() && m_editor->isValid())
            save();
        else if (!m_editor->isValid())
            m_editor->focusFirstIssue();
    });
    connect(m_revertAction, &QAction::triggered, this, &MainWindow::revert);
    connect(m_copyAction, &QAction::triggered, this, &MainWindow::copyConnection);
    connect(m_renameAction, &QAction::triggered, this, &MainWindow::renameConnection);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteConnection);
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importConnections);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportConnections);
    connect(m_testAction, &QAction::triggered, this, &MainWindow::testCurrent);
    connect(m_testAllAction, &QAction::triggered, this, &MainWindow::testAll);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelTests);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    // The list's context menu.
    m_list->addActions({m_copyAction, m_renameAction, m_deleteAction, m_testAction});
}

void MainWindow::createMenus()
{
    m_presetMenu = new QMenu(tr("New from Pr&eset"), this);
    m_presetMenu->setObjectName(u"presetMenu"_s);
    m_presetMenu->setIcon(Icons::get(u"preset"_s));
    for (const Preset& preset : Presets::all()) {
        QAction* action = m_presetMenu->addAction(preset.displayName);
        action->setObjectName(u"preset_"_s + preset.id);
        action->setData(preset.id);
        connect(action, &QAction::triggered, this, [this, id = preset.id] { newFromPreset(id); });
    }

    QMenu* connections = menuBar()->addMenu(tr("&Connection"));
    connections->setObjectName(u"connectionMenu"_s);
    connections->addAction(m_newAction);
    connections->addAction(m_newFromPresetAction);
    connections->addAction(tr("New from &Address…"), this, [this] {
        const std::optional<ConnectionProfile> detected =
            resolveUnsavedChanges() ? m_prompter.detectSettings(this, QString()) : std::nullopt;
        if (!detected)
            return;
        ConnectionProfile profile = *detected;
        profile.name = m_store.uniqueName(profile.host);
        const std::optional<Preset> preset = Presets::find(profile.preset);
        startNew(profile, preset ? preset->note : QString());
    });
    connections->addMenu(m_presetMenu);
    connections->addSeparator();
    connections->addAction(m_saveAction);
    connections->addAction(m_revertAction);
    connections->addSeparator();
    connections->addAction(m_copyAction);
    connections->addAction(m_renameAction);
    connections->addAction(m_deleteAction);
    connections->addSeparator();
    connections->addAction(m_importAction);
    connections->addAction(m_exportAction);
    connections->addSeparator();
    connections->addAction(m_quitAction);

    QMenu* test = menuBar()->addMenu(tr("&Test"));
    test->setObjectName(u"testMenu"_s);
    test->addAction(m_testAction);
    test->addAction(m_testAllAction);
    test->addAction(m_cancelAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(u"helpMenu"_s);
    QAction* about = help->addAction(tr("&About Relaydeck"));
    about->setObjectName(u"aboutAction"_s);
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About Relaydeck"),
            tr("<h3>Relaydeck %1</h3><p>Keeps SMTP connection profiles, tests them step by step "
               "and explains what failed.</p><p>Passwords live in the system keychain. The "
               "command line tool <code>relaydeck-cli</code> does everything this window "
               "does.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
    QAction* aboutQt = help->addAction(tr("About &Qt"));
    aboutQt->setObjectName(u"aboutQtAction"_s);
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar* bar = new ResponsiveToolBar(tr("Main Toolbar"), this); // icons only when narrow
    addToolBar(bar);
    bar->setObjectName(u"mainToolBar"_s);
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    // "New" with the presets one click away.
    auto* newButton = new QToolButton(bar);
    newButton->setObjectName(u"newButton"_s);
    newButton->setDefaultAction(m_newFromPresetAction);
    newButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    newButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto* newMenu = new QMenu(newButton);
    newMenu->addAction(m_newAction);
    newMenu->addSeparator();
    newMenu->addActions(m_presetMenu->actions());
    newButton->setMenu(newMenu);
    newButton->setText(tr("New"));
    bar->addWidget(newButton);
    bar->addAction(m_saveAction);
    bar->addSeparator();
    bar->addAction(m_copyAction);
    bar->addAction(m_renameAction);
    bar->addAction(m_deleteAction);
    bar->addSeparator();
    bar->addAction(m_importAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();
    bar->addAction(m_testAction);
    bar->addAction(m_testAllAction);
    bar->addAction(m_cancelAction);
}

QWidget* MainWindow::createEmptyPage()
{
    auto* page = new QWidget(this);
    page->setObjectName(u"emptyPage"_s);
    auto* icon = new QLabel(page);
    icon->setPixmap(Icons::application().pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    auto* title = new QLabel(tr("No connections yet"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    auto* text = new QLabel(
        tr("Start from a provider preset (Gmail, Microsoft 365, Amazon SES, your Exchange "
           "server and more), from a blank form, or import the connections you already have "
           "(Relaydeck JSON, an msmtprc, Symfony DSNs)."),
        page);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    // A fixed width and the height the wrapped text needs at that width (a centred label in a
    // box layout does not get its height-for-width otherwise).
    text->setFixedWidth(520);
    text->setMinimumHeight(text->heightForWidth(520));
    auto* fromPreset = new QPushButton(Icons::get(u"preset"_s), tr("New from &Preset…"), page);
    fromPreset->setObjectName(u"emptyNewFromPresetButton"_s);
    fromPreset->setDefault(true);
    fromPreset->setAutoDefault(true);
    auto* blank = new QPushButton(Icons::get(u"new"_s), tr("&Blank Connection"), page);
    blank->setObjectName(u"emptyNewBlankButton"_s);
    auto* import = new QPushButton(Icons::get(u"import"_s), tr("&Import…"), page);
    import->setObjectName(u"emptyImportButton"_s);
    connect(fromPreset, &QPushButton::clicked, this, [this] { newFromPreset(); });
    connect(blank, &QPushButton::clicked, this, &MainWindow::newBlank);
    connect(import, &QPushButton::clicked, this, &MainWindow::importConnections);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(fromPreset);
    buttons->addWidget(blank);
    buttons->addWidget(import);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addStretch(3);
    page->setFocusProxy(fromPreset);
    return page;
}

void MainWindow::loadStore()
{
    const Result<void> result = m_store.load();
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
    {
        const QSignalBlocker blocker(m_list->selectionModel());
        m_ignoreSelection = true;
        m_model->setProfiles(m_store.profiles());
        m_ignoreSelection = false;
    }
    m_countLabel->setText(tr("%n connection(s)", nullptr, int(m_store.profiles().size())));
    if (!select.isNull())
        selectInList(select);
    updatePage();
    updateActions();
}

void MainWindow::selectInList(const QUuid& id)
{
    const int row = m_model->rowOf(id);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_filter->mapFromSource(m_model->index(row));
    m_ignoreSelection = true;
    if (index.isValid())
        m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    else
        m_list->selectionModel()->clearSelection();
    m_ignoreSelection = false;
    if (row >= 0 && (id != m_editingId || !m_editor->hasProfile()))
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

void MainWindow::onCurrentChanged(const QModelIndex& current)
{
    if (m_ignoreSelection)
        return;
    const QUuid id = current.data(ConnectionListModel::IdRole).toUuid();
    if (id.isNull() || (id == m_editingId && m_editor->hasProfile()))
        return;
    if (!resolveUnsavedChanges()) {
        // Stay on the edited connection; the list follows once this signal has returned.
        const QUuid stay = m_editingId;
        QMetaObject::invokeMethod(
            this,
            [this, stay] {
                const int row = m_model->rowOf(stay);
                m_ignoreSelection = true;
                if (row >= 0)
                    m_list->selectionModel()->setCurrentIndex(
                        m_filter->mapFromSource(m_model->index(row)),
                        QItemSelectionModel::ClearAndSelect);
                else
                    m_list->selectionModel()->clear();
                m_ignoreSelection = false;
            },
            Qt::QueuedConnection);
        return;
    }
    selectInList(id);
}

void MainWindow::loadIntoEditor(const QUuid& id)
{
    const std::optional<ConnectionProfile> profile = m_store.findById(id);
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
        ProfileSecrets::load(*m_secrets, id, this,
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
        if (m_reports.contains(id))
            m_testPanel->showReport(m_reports.value(id), *profile);
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
    m_ignoreSelection = true;
    m_list->selectionModel()->clear();
    m_ignoreSelection = false;
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

void MainWindow::newBlank()
{
    if (!resolveUnsavedChanges())
        return;
    ConnectionProfile profile;
    profile.name = m_store.uniqueName(tr("New connection"));
    startNew(profile, QString());
    m_editor->tabs()->setCurrentIndex(0);
    if (auto* host = m_editor->findChild<QLineEdit*>(u"hostEdit"_s))
        host->setFocus(Qt::OtherFocusReason);
    showStatus(tr("Fill in the server, then Save."));
}

void MainWindow::newFromPreset(const QString& presetId)
{
    if (!resolveUnsavedChanges())
        return;
    std::optional<PresetChoice> choice;
    const std::optional<Preset> known = presetId.isEmpty() ? std::nullopt : Presets::find(presetId);
    if (known && known->needsRegion()) {
        const std::optional<QString> region = m_prompter.chooseItem(
            this, tr("Choose the Region"), tr("%1 region:").arg(known->displayName), known->regions,
            known->defaultRegion);
        if (region)
            choice = PresetChoice{known->id, *region};
    } else if (known) {
        choice = PresetChoice{known->id, QString()};
    } else {
        choice = m_prompter.choosePreset(this, presetId);
    }
    if (!choice)
        return;
    QString error;
    std::optional<ConnectionProfile> profile =
        Presets::apply(choice->presetId, choice->region, &error);
    const std::optional<Preset> preset = Presets::find(choice->presetId);
    if (!profile || !preset) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Preset Not Available"), error);
        return;
    }
    profile->name = m_store.uniqueName(preset->connectionName());
    startNew(*profile, PresetDialog::noteFor(*preset, choice->region));
    // Send the user where the preset still needs them: the server (Exchange) or the login.
    if (profile->host.isEmpty()) {
        m_editor->tabs()->setCurrentIndex(0);
        if (auto* host = m_editor->findChild<QLineEdit*>(u"hostEdit"_s))
            host->setFocus(Qt::OtherFocusReason);
    } else {
        m_editor->tabs()->setCurrentIndex(1);
        if (auto* user = m_editor->findChild<QLineEdit*>(u"usernameEdit"_s))
            user->setFocus(Qt::OtherFocusReason);
    }
    showStatus((profile->host.isEmpty()
                    ? tr("New connection from the preset \"%1\": enter the server and your "
                         "login, then Save.")
                    : tr("New connection from the preset \"%1\": enter your login, then Save."))
                   .arg(preset->displayName));
}

bool MainWindow::save()
{
    if (!m_editor->hasProfile() || !m_storeUsable)
        return false;
    const ConnectionProfile edited = m_editor->editedProfile();
    const ValidationIssues issues = m_store.validate(edited);
    if (!issues.isEmpty()) {
        m_editor->focusFirstIssue();
        showStatus(tr("The connection was not saved: fix the marked fields first."));
        return false;
    }
    if (!m_editor->confirmSaveWithoutPassword())
        return false;
    const Result<ConnectionProfile> result =
        edited.id.isNull() ? m_store.add(edited) : m_store.update(edited);
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Saved"),
                          result.failure().message);
        return false;
    }
    const ConnectionProfile stored = result.value();
    const QMap<SecretSlot, QString> changedSecrets = m_editor->changedSecrets();
    if (!changedSecrets.isEmpty()) {
        ProfileSecrets::save(*m_secrets, stored.id, changedSecrets, this,
                             [this](const Result<ProfileSecretValues>& saved) {
                                 if (!saved.ok())
                                     onKeychainFailed(saved.failure().message);
                             });
    }
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
    const std::optional<ConnectionProfile> original = m_store.findById(m_editingId);
    if (!original || !m_storeUsable || !resolveUnsavedChanges())
        return;
    const std::optional<QString> name =
        m_prompter.askText(this, tr("Copy Connection"), tr("Name of the copy:"),
                           m_store.uniqueName(tr("%1 (copy)").arg(original->name)));
    if (!name || name->trimmed().isEmpty())
        return;
    const Result<ConnectionProfile> result = m_store.copy(original->id, name->trimmed());
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Copied"),
                          result.failure().message);
        return;
    }
    const ConnectionProfile stored = result.value();
    const auto done = [this, stored] {
        reloadList(stored.id);
        showStatus(tr("Copied to \"%1\".").arg(stored.name));
    };
    if (!ProfileSecretNeeds::mayHaveSecrets(*original)) {
        done();
        return;
    }
    // Show the copy once its secrets are there, so the editor reads them complete.
    ProfileSecrets::copy(*m_secrets, original->id, stored.id, this,
                         [this, done](const Result<ProfileSecretValues>& copied) {
                             if (!copied.ok())
                                 onKeychainFailed(copied.failure().message);
                             done();
                         });
}

void MainWindow::renameConnection()
{
    const std::optional<ConnectionProfile> original = m_store.findById(m_editingId);
    if (!original || !m_storeUsable || !resolveUnsavedChanges())
        return;
    const std::optional<QString> name =
        m_prompter.askText(this, tr("Rename Connection"),
                           tr("New name for \"%1\":").arg(original->name), original->name);
    if (!name || name->trimmed().isEmpty() || *name == original->name)
        return;
    const Result<void> result = m_store.rename(original->id, name->trimmed());
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Renamed"),
                          result.failure().message);
        return;
    }
    if (const auto stored = m_store.findById(original->id))
        m_editor->markSaved(*stored);
    reloadList(original->id);
    showStatus(tr("Renamed \"%1\" to \"%2\".").arg(original->name, name->trimmed()));
}

void MainWindow::deleteConnection()
{
    const std::optional<ConnectionProfile> victim = m_store.findById(m_editingId);
    if (!victim || !m_storeUsable)
        return;
    if (!m_prompter.confirm(this, tr("Delete Connection"),
                            tr("Delete the connection \"%1\" and its stored passwords? This "
                               "cannot be undone.")
                                .arg(victim->name),
                            tr("&Delete")))
        return;
    const Result<void> result = m_store.remove(victim->id);
    if (!result.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Connection Not Deleted"),
                          result.failure().message);
        return;
    }
    ProfileSecrets::remove(*m_secrets, victim->id, this,
                           [this](const Result<ProfileSecretValues>& gone) {
                               if (!gone.ok())
                                   onKeychainFailed(gone.failure().message);
                           });
    if (m_testingId == victim->id)
        m_testPanel->cancel();
    m_reports.remove(victim->id);
    m_settings->remove(resultKey(victim->id));
    // Select the neighbour in the list's order.
    const int row = m_filter->mapFromSource(m_model->index(m_model->rowOf(victim->id))).row();
    ++m_secretsGeneration;
    m_editingId = QUuid();
    m_editor->clear();
    reloadList();
    if (m_filter->rowCount() > 0) {
        const QModelIndex next = m_filter->index(std::min(row, m_filter->rowCount() - 1), 0);
        selectInList(next.data(ConnectionListModel::IdRole).toUuid());
    } else {
        m_testPanel->clear();
    }
    updatePage();
    showStatus(tr("Deleted \"%1\".").arg(victim->name));
}

void MainWindow::importConnections()
{
    if (!m_storeUsable)
        return;
    const QString path = m_prompter.openFileName(
        this, tr("Import Connections"),
        tr("Connection files (*.json *msmtprc* *.conf *.txt *.env);;Relaydeck JSON (*.json);;"
           "msmtp configuration (*msmtprc* *.conf);;DSN lines (*.txt *.env);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Nothing Imported"),
                          tr("%1 cannot be read: %2").arg(path, file.errorString()));
        return;
    }
    const Result<ImportedProfiles> read =
        ProfileFormats::importProfiles(file.readAll(), std::nullopt);
    if (!read.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Nothing Imported"),
                          tr("%1: %2\n\nNothing was imported.")
                              .arg(QFileInfo(path).fileName(), read.failure().message));
        return;
    }
    const ImportedProfiles& parsed = read.value();
    QStringList clashes;
    for (const ConnectionProfile& profile : parsed.profiles) {
        if (m_store.findByName(profile.name))
            clashes << profile.name;
    }
    ConflictPolicy policy = ConflictPolicy::Fail;
    if (!clashes.isEmpty()) {
        const std::optional<ConflictPolicy> chosen = m_prompter.chooseConflictPolicy(this, clashes);
        if (!chosen)
            return;
        policy = *chosen;
    }
    const Result<ImportOutcome> imported = m_store.importProfiles(parsed.profiles, policy);
    if (!imported.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Nothing Imported"),
                          imported.failure().message);
        return;
    }
    const ImportOutcome& outcome = imported.value();
    QStringList lines;
    lines << tr("Imported %n connection(s) from %1.", nullptr,
                int(outcome.added.size() + outcome.replaced.size()))
                 .arg(QFileInfo(path).fileName());
    for (const ConnectionProfile& profile : outcome.replaced)
        lines << tr("Replaced the settings of \"%1\" (its passwords stay).").arg(profile.name);
    for (const auto& [from, to] : outcome.renamed)
        lines << tr("\"%1\" was imported as \"%2\".").arg(from, to);
    for (const QString& name : outcome.skipped)
        lines << tr("Skipped \"%1\": the name exists.").arg(name);
    if (!outcome.added.isEmpty())
        lines << tr("Passwords are not part of an import: enter them on the Authentication tab.");
    const QString details = parsed.unmapped.isEmpty()
                                ? QString()
                                : tr("Not imported (no equivalent in Relaydeck):") + u'\n' +
                                      parsed.unmapped.join(u'\n');
    if (!parsed.unmapped.isEmpty())
        lines << tr("%n setting(s) could not be mapped; see the details.", nullptr,
                    int(parsed.unmapped.size()));

    QUuid select = m_editingId;
    if (!outcome.added.isEmpty())
        select = outcome.added.first().id;
    // A replaced profile that is open unchanged in the editor shows its new settings.
    for (const ConnectionProfile& profile : outcome.replaced) {
        if (profile.id == m_editingId && !m_editor->isDirty())
            m_editor->markSaved(profile);
    }
    if (select != m_editingId && !resolveUnsavedChanges())
        select = m_editingId;
    reloadList(select);
    showStatus(lines.first());
    m_prompter.inform(this,
                      parsed.unmapped.isEmpty() ? Prompter::Severity::Information
                                                : Prompter::Severity::Warning,
                      tr("Import Finished"), lines.join(u'\n'), details);
}

void MainWindow::exportConnections()
{
    if (m_store.profiles().isEmpty())
        return;
    const std::optional<ExportChoice> choice =
        m_prompter.chooseExport(this, m_model->profiles(), {});
    if (!choice || choice->profileIds.isEmpty())
        return;
    QList<ConnectionProfile> profiles;
    for (const QUuid& id : choice->profileIds) {
        if (const auto profile = m_store.findById(id))
            profiles << *profile;
    }
    const QString suggested = QDir::home().filePath(u"relaydeck-connections."_s +
                                                    ExportDialog::fileExtension(choice->format));
    const QString path = m_prompter.saveFileName(this, tr("Export Connections"), suggested,
                                                 ExportDialog::fileFilter(choice->format));
    if (path.isEmpty())
        return;
    const QByteArray data = ProfileFormats::exportProfiles(profiles, choice->format);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Nothing Exported"),
                          tr("%1 cannot be written: %2").arg(path, file.errorString()));
        return;
    }
    QString message = tr("Exported %n connection(s) to %1.", nullptr, int(profiles.size()))
                          .arg(QDir::toNativeSeparators(path));
    if (m_editor->isDirty())
        message += u' ' + tr("Unsaved changes in the editor are not part of it.");
    showStatus(message);
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
        recordResult(m_testingId, LastTestResult{LastTestResult::Status::Running, {}, {}});
    m_testPanel->start(request);
    updateActions();
}

void MainWindow::onTestFinished(const TestReport& report)
{
    const QUuid id = m_testingId;
    m_testingId = QUuid();
    if (!id.isNull()) {
        m_reports.insert(id, report);
        if (report.error.id == ErrorId::Cancelled) {
            recordResult(id, LastTestResult{LastTestResult::Status::Skipped,
                                            QDateTime::currentDateTime(), tr("Test cancelled.")});
        } else {
            recordResult(id, LastTestResult{report.ok ? LastTestResult::Status::Passed
                                                      : LastTestResult::Status::Failed,
                                            QDateTime::currentDateTime(), summaryOf(report)});
        }
    }
    showStatus(TestReportText::verdict(report));
    updateActions();
}

void MainWindow::testAll()
{
    if (m_testAll->isRunning() || m_store.profiles().isEmpty())
        return;
    m_testAll->start(m_store.profiles());
    updateActions();
}

void MainWindow::cancelTests()
{
    m_testPanel->cancel();
    m_testAll->cancel();
}

void MainWindow::recordResult(const QUuid& id, const LastTestResult& result)
{
    m_model->setResult(id, result);
    if (result.status == LastTestResult::Status::Running)
        return;
    m_settings->beginGroup(resultKey(id));
    m_settings->setValue(u"status"_s, int(result.status));
    m_settings->setValue(u"finishedAt"_s, result.finishedAt.toUTC());
    m_settings->setValue(u"summary"_s, result.summary);
    m_settings->endGroup();
}

void MainWindow::loadLastResults()
{
    for (const ConnectionProfile& profile : m_store.profiles()) {
        m_settings->beginGroup(resultKey(profile.id));
        if (m_settings->contains(u"status"_s)) {
            LastTestResult result;
            result.status =
                static_cast<LastTestResult::Status>(m_settings->value(u"status"_s).toInt());
            if (result.status == LastTestResult::Status::Running)
                result.status = LastTestResult::Status::Untested;
            result.finishedAt = m_settings->value(u"finishedAt"_s).toDateTime().toLocalTime();
            result.summary = m_settings->value(u"summary"_s).toString();
            m_model->setResult(profile.id, result);
        }
        m_settings->endGroup();
    }
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
    const bool stored = !m_editingId.isNull() && m_editor->hasProfile();
    const bool testing = m_testPanel->isRunning() || m_testAll->isRunning();
    m_newAction->setEnabled(m_storeUsable);
    m_newFromPresetAction->setEnabled(m_storeUsable);
    m_presetMenu->setEnabled(m_storeUsable);
    m_saveAction->setEnabled(m_storeUsable && m_editor->isDirty() && m_editor->isValid());
    m_revertAction->setEnabled(m_editor->isDirty() && !m_editor->isNew());
    m_copyAction->setEnabled(m_storeUsable && stored);
    m_renameAction->setEnabled(m_storeUsable && stored);
    m_deleteAction->setEnabled(m_storeUsable && stored);
    m_importAction->setEnabled(m_storeUsable);
    m_exportAction->setEnabled(!m_store.profiles().isEmpty());
    const bool canTest = m_editor->hasProfile() && m_editor->isValid();
    m_testAction->setEnabled(canTest && !m_testPanel->isRunning());
    m_testPanel->setTestEnabled(canTest, m_editor->hasProfile()
                                             ? tr("Fix the marked fields first")
                                             : tr("Select or create a connection first"));
    m_testAllAction->setEnabled(!m_testAll->isRunning() && !m_store.profiles().isEmpty());
    m_cancelAction->setEnabled(testing);
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

void MainWindow::restoreState()
{
    const QByteArray geometry = m_settings->value(u"window/geometry"_s).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // First start: 1280×800 or what the screen allows.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::min(1280, available.width()), std::min(800, available.height()));
    }
    QMainWindow::restoreState(m_settings->value(u"window/state"_s).toByteArray());
    m_splitter->restoreState(m_settings->value(u"window/splitter"_s).toByteArray());
    if (auto* work = findChild<QSplitter*>(u"workSplitter"_s))
        work->restoreState(m_settings->value(u"window/workSplitter"_s).toByteArray());
}

void MainWindow::saveState()
{
    m_settings->setValue(u"window/geometry"_s, saveGeometry());
    m_settings->setValue(u"window/state"_s, QMainWindow::saveState());
    m_settings->setValue(u"window/splitter"_s, m_splitter->saveState());
    if (auto* work = findChild<QSplitter*>(u"workSplitter"_s))
        m_settings->setValue(u"window/workSplitter"_s, work->saveState());
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!resolveUnsavedChanges()) {
        event->ignore();
        return;
    }
    cancelTests();
    saveState();
    event->accept();
}

} // namespace relaydeck::ui
