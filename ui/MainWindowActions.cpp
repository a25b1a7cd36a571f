#include "MainWindowActions.h"
#include "ResponsiveToolBar.h"

#include "Icons.h"

#include "profile/Presets.h"

#include <QAction>
#include <QApplication>
#include <QListView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

MainWindowActions::MainWindowActions(QMainWindow* window, QListView* list)
    : QObject(window)
    , m_window(window)
{
    createActions(list);
    createMenus();
    createToolBar();
}

void MainWindowActions::update(const State& state)
{
    newBlank->setEnabled(state.storeUsable);
    newFromPreset->setEnabled(state.storeUsable);
    presetMenu->setEnabled(state.storeUsable);
    save->setEnabled(state.storeUsable && state.dirty && state.valid);
    revert->setEnabled(state.dirty && !state.isNew);
    copy->setEnabled(state.storeUsable && state.stored);
    rename->setEnabled(state.storeUsable && state.stored);
    remove->setEnabled(state.storeUsable && state.stored);
    import->setEnabled(state.storeUsable);
    exportAll->setEnabled(state.hasProfiles);
    test->setEnabled(state.canTest && !state.panelTesting);
    testAll->setEnabled(!state.batchTesting && state.hasProfiles);
    cancel->setEnabled(state.panelTesting || state.batchTesting);
}

void MainWindowActions::createActions(QListView* list)
{
    const auto make = [this](const QString& objectName, const QString& icon, const QString& text,
                             const QKeySequence& shortcut, const QString& tip) {
        auto* action = new QAction(icon.isEmpty() ? QIcon() : Icons::get(icon), text, m_window);
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
    newBlank = make(u"newAction"_s, u"new"_s, tr("&New Blank Connection"), QKeySequence::New,
                    tr("Create a connection from an empty form"));
    newFromPreset =
        make(u"newFromPresetAction"_s, u"preset"_s, tr("New from &Preset…"),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
             tr("Create a connection from a provider's settings (Gmail, Office 365, SES, …)"));
    newFromAddress = new QAction(tr("New from &Address…"), m_window);
    newFromAddress->setObjectName(u"newFromAddressAction"_s);
    save = make(u"saveAction"_s, u"save"_s, tr("&Save"), QKeySequence::Save,
                tr("Save the connection in the editor"));
    revert = make(u"revertAction"_s, u"revert"_s, tr("Re&vert"), QKeySequence(),
                  tr("Throw away the changes since the last save"));
    copy = make(u"copyAction"_s, u"copy"_s, tr("&Copy…"), QKeySequence(),
                tr("Copy the selected connection, with its passwords"));
    rename = make(u"renameAction"_s, u"rename"_s, tr("&Rename…"), QKeySequence(Qt::Key_F2),
                  tr("Rename the selected connection"));
    remove = make(u"deleteAction"_s, u"delete"_s, tr("&Delete…"), QKeySequence(),
                  tr("Delete the selected connection and its passwords"));
    import =
        make(u"importAction"_s, u"import"_s, tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I),
             tr("Import connections from Relaydeck JSON, an msmtprc or DSN lines"));
    exportAll =
        make(u"exportAction"_s, u"export"_s, tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E),
             tr("Export connections without their passwords"));
    test = make(u"testAction"_s, u"test"_s, tr("&Test"), QKeySequence(Qt::Key_F5),
                tr("Test the connection in the editor"));
    testAll = make(u"testAllAction"_s, u"test-all"_s, tr("Test &All"),
                   QKeySequence(Qt::SHIFT | Qt::Key_F5),
                   tr("Test every saved connection, several at a time"));
    cancel = make(u"cancelTestsAction"_s, u"cancel"_s, tr("&Stop Testing"),
                  QKeySequence(Qt::Key_Escape), tr("Stop the running tests"));
    quit = make(u"quitAction"_s, QString(), tr("&Quit"), QKeySequence::Quit, tr("Quit Relaydeck"));
    quit->setMenuRole(QAction::QuitRole);
    // Delete acts on the list only, so that Del in a text field still deletes characters.
    deleteKey = new QAction(m_window);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    list->addAction(deleteKey);
    // The list's context menu.
    list->addActions({copy, rename, remove, test});
}

void MainWindowActions::createMenus()
{
    presetMenu = new QMenu(tr("New from Pr&eset"), m_window);
    presetMenu->setObjectName(u"presetMenu"_s);
    presetMenu->setIcon(Icons::get(u"preset"_s));
    for (const Preset& preset : Presets::all()) {
        QAction* action = presetMenu->addAction(preset.displayName);
        action->setObjectName(u"preset_"_s + preset.id);
        action->setData(preset.id);
        connect(action, &QAction::triggered, this,
                [this, id = preset.id] { emit presetChosen(id); });
    }

    QMenu* connections = m_window->menuBar()->addMenu(tr("&Connection"));
    connections->setObjectName(u"connectionMenu"_s);
    connections->addAction(newBlank);
    connections->addAction(newFromPreset);
    connections->addAction(newFromAddress);
    connections->addMenu(presetMenu);
    connections->addSeparator();
    connections->addAction(save);
    connections->addAction(revert);
    connections->addSeparator();
    connections->addAction(copy);
    connections->addAction(rename);
    connections->addAction(remove);
    connections->addSeparator();
    connections->addAction(import);
    connections->addAction(exportAll);
    connections->addSeparator();
    connections->addAction(quit);

    QMenu* testMenu = m_window->menuBar()->addMenu(tr("&Test"));
    testMenu->setObjectName(u"testMenu"_s);
    testMenu->addAction(test);
    testMenu->addAction(testAll);
    testMenu->addAction(cancel);

    QMenu* help = m_window->menuBar()->addMenu(tr("&Help"));
    help->setObjectName(u"helpMenu"_s);
    QAction* about = help->addAction(tr("&About Relaydeck"));
    about->setObjectName(u"aboutAction"_s);
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            m_window, tr("About Relaydeck"),
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

void MainWindowActions::createToolBar()
{
    QToolBar* bar = new ResponsiveToolBar(tr("Main Toolbar"), m_window); // icons only when narrow
    m_window->addToolBar(bar);
    bar->setObjectName(u"mainToolBar"_s);
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    // "New" with the presets one click away.
    auto* newButton = new QToolButton(bar);
    newButton->setObjectName(u"newButton"_s);
    newButton->setDefaultAction(newFromPreset);
    newButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    newButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto* newMenu = new QMenu(newButton);
    newMenu->addAction(newBlank);
    newMenu->addSeparator();
    newMenu->addActions(presetMenu->actions());
    newButton->setMenu(newMenu);
    newButton->setText(tr("New"));
    bar->addWidget(newButton);
    bar->addAction(save);
    bar->addSeparator();
    bar->addAction(copy);
    bar->addAction(rename);
    bar->addAction(remove);
    bar->addSeparator();
    bar->addAction(import);
    bar->addAction(exportAll);
    bar->addSeparator();
    bar->addAction(test);
    bar->addAction(testAll);
    bar->addAction(cancel);
}

} // namespace relaydeck::ui
