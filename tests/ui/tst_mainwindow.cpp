#include "MainWindowFixture.h"
#include "UiTestSupport.h"

#include "Banner.h"
#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "MainWindow.h"
#include "SessionSecretStore.h"
#include "i18n/Translations.h"

#include "profile/Presets.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile profileNamed(const QString& name, const QString& host)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = host;
    return profile;
}

void retype(QLineEdit* edit, const QString& text)
{
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Backspace);
    else
        QTest::keyClicks(edit, text);
}

} // namespace

class TestMainWindow : public QObject, private MainWindowFixture
{
    Q_OBJECT

private:
    // `resize`: 1280×800 for the screenshots; false keeps what the window restored itself.
    void open(bool resize = true,
              MainWindow::KeychainFallback fallback = MainWindow::KeychainFallback::SessionMemory)
    {
        openWindow(resize ? QSize(1280, 800) : QSize(), fallback);
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    QAction* action(const QString& name) const { return find<QAction>(name); }
    // Clicks the list row of `name`, as the user does.
    void clickConnection(const QString& name)
    {
        QListView* list = window->connectionList();
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            const QModelIndex index = list->model()->index(row, 0);
            if (index.data().toString() == name) {
                list->scrollTo(index);
                QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                                  list->visualRect(index).center());
                return;
            }
        }
        QFAIL(qPrintable(u"no row "_s + name));
    }
    int listRows() const { return window->connectionList()->model()->rowCount(); }

private slots:
    void initTestCase()
    {
        // English plural forms ("1 connection") come from the embedded relaydeck_en.
        installTestTranslations();
    }

    void init() { setUpWindowFixture(); }
    void cleanup() { tearDownWindowFixture(); }

    void emptyStartInvitesAPreset()
    {
        open();
        auto* pages = find<QStackedWidget>(u"pages"_s);
        QCOMPARE(pages->currentWidget()->objectName(), u"emptyPage"_s);
        auto* button = find<QPushButton>(u"emptyNewFromPresetButton"_s);
        QVERIFY(button->isVisible());
        screenshot(window.get(), u"main-empty"_s);

        prompter->presetAnswers << PresetChoice{u"gmail"_s, QString()};
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(prompter->count(u"preset"_s), 1);
        ConnectionEditor* editor = window->editor();
        QVERIFY(editor->isNew());
        QVERIFY(pages->currentWidget() != find<QWidget>(u"emptyPage"_s));
        const Preset gmail = *Presets::find(u"gmail"_s);
        auto* note = find<QLabel>(u"presetNote"_s);
        QVERIFY(note->isVisible());
        QCOMPARE(note->text(), gmail.note);
        QCOMPARE(find<QLineEdit>(u"hostEdit"_s)->text(), u"smtp.gmail.com"_s);
        QCOMPARE(find<QLineEdit>(u"nameEdit"_s)->text(), gmail.displayName);
        // The user is sent to the login.
        QCOMPARE(editor->tabs()->currentIndex(), 1);
        // Gmail signs in with OAuth: no password field, the Sign In… box with the client id.
        QVERIFY(!find<QLineEdit>(u"passwordEdit"_s)->isVisible());
        QVERIFY(find<QPushButton>(u"signInButton"_s)->isVisible());
        retype(find<QLineEdit>(u"usernameEdit"_s), u"someone@gmail.com"_s);
        retype(find<QLineEdit>(u"oauthClientIdEdit"_s), u"1234-desktop.apps.example"_s);
        retype(find<QLineEdit>(u"oauthClientSecretEdit"_s), u"client-secret-1234"_s);
        screenshot(window.get(), u"main-new-gmail"_s);
        QTest::mouseClick(find<QPushButton>(u"saveButton"_s), Qt::LeftButton);

        const ProfileStore stored = reread();
        QCOMPARE(stored.profiles().size(), 1);
        const ConnectionProfile saved = stored.profiles().first();
        QCOMPARE(saved.name, gmail.displayName);
        QCOMPARE(saved.host, u"smtp.gmail.com"_s);
        QCOMPARE(saved.preset, u"gmail"_s);
        QCOMPARE(saved.auth.username, u"someone@gmail.com"_s);
        QVERIFY(saved.auth.mechanism == AuthMechanism::XOAuth2);
        QVERIFY(saved.oauth.provider == OAuthProvider::Google);
        QCOMPARE(saved.oauth.clientId, u"1234-desktop.apps.example"_s);
        QTRY_COMPARE(keychain->entries().value(secretKey(saved.id, SecretSlot::OAuthClientSecret)),
                     u"client-secret-1234"_s);
        QVERIFY(!keychain->entries().contains(secretKey(saved.id, SecretSlot::SmtpPassword)));
        QVERIFY(!fileContents(stored.filePath()).contains("client-secret-1234"));
        QVERIFY(!editor->isDirty());
        QCOMPARE(window->currentId(), saved.id);
        QCOMPARE(listRows(), 1);
        QCOMPARE(find<QLabel>(u"connectionCount"_s)->text(), u"1 connection"_s);
    }

    void sesAsksForTheRegion()
    {
        store(profileNamed(u"Existing"_s, u"smtp.example.com"_s));
        open();
        // From the preset menu: the region is asked on its own.
        prompter->itemAnswers << u"eu-central-1"_s;
        action(u"preset_ses"_s)->trigger();
        QCOMPARE(prompter->itemsOffered.size(), 1);
        QCOMPARE(prompter->itemsOffered.first(), Presets::find(u"ses"_s)->regions);
        QCOMPARE(find<QLineEdit>(u"hostEdit"_s)->text(),
                 u"email-smtp.eu-central-1.amazonaws.com"_s);
        QVERIFY(find<QLabel>(u"presetNote"_s)->text().contains(u"SES"_s));

        // From the preset dialog: the dialog's region. The unsaved SES connection is discarded.
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        prompter->presetAnswers << PresetChoice{u"ses"_s, u"ap-south-1"_s};
        action(u"newFromPresetAction"_s)->trigger();
        QCOMPARE(find<QLineEdit>(u"hostEdit"_s)->text(), u"email-smtp.ap-south-1.amazonaws.com"_s);

        // Cancelling the region leaves the editor as it was.
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        prompter->itemAnswers << std::nullopt;
        action(u"preset_ses"_s)->trigger();
        QVERIFY(!window->editor()->isNew() || !window->editor()->hasProfile() ||
                window->editor()->editedProfile().host != u"email-smtp.ap-south-1.amazonaws.com"_s);
    }

    void presetsNameTheConnectionAndSayWhatIsMissing()
    {
        QTest::failOnWarning(QRegularExpression(u"setWindowModified"_s));
        open();
        prompter->presetAnswers << PresetChoice{u"exchange"_s, QString()};
        action(u"newFromPresetAction"_s)->trigger();
        QCOMPARE(find<QLineEdit>(u"nameEdit"_s)->text(), u"Microsoft Exchange"_s);
        QVERIFY(window->isWindowModified());
        QVERIFY(window->windowTitle().contains(u"[*]"_s));
        // No server yet: the status bar asks for it, not only for the login.
        QVERIFY2(window->statusBar()->currentMessage().contains(u"server"_s),
                 qPrintable(window->statusBar()->currentMessage()));
        // SES: the region is said in the note, not only inside the host name.
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        prompter->itemAnswers << u"eu-central-1"_s;
        action(u"preset_ses"_s)->trigger();
        QVERIFY(find<QLabel>(u"presetNote"_s)->text().contains(u"Region: eu-central-1"_s));
        QVERIFY(!window->statusBar()->currentMessage().contains(u"server"_s));
    }

    void savingWithoutThePasswordIsQuestioned()
    {
        open();
        action(u"newAction"_s)->trigger();
        retype(find<QLineEdit>(u"hostEdit"_s), u"relay.example.net"_s);
        retype(find<QLineEdit>(u"usernameEdit"_s), u"ops"_s);
        prompter->confirmAnswers << false;
        QVERIFY(!window->save());
        QCOMPARE(prompter->count(u"confirm"_s), 1);
        QCOMPARE(reread().profiles().size(), 0);
        prompter->confirmAnswers << true;
        QVERIFY(window->save());
        QCOMPARE(reread().profiles().size(), 1);
    }

    void newBlankConnection()
    {
        open();
        action(u"newAction"_s)->trigger();
        QVERIFY(window->editor()->isNew());
        QCOMPARE(window->editor()->tabs()->currentIndex(), 0);
        // Invalid until the server is entered: Save is disabled, Test too.
        QVERIFY(!find<QPushButton>(u"saveButton"_s)->isEnabled());
        QVERIFY(!action(u"testAction"_s)->isEnabled());
        QVERIFY(!find<QLabel>(u"hostError"_s)->isHidden());
        retype(find<QLineEdit>(u"hostEdit"_s), u"relay.example.net"_s);
        QVERIFY(find<QPushButton>(u"saveButton"_s)->isEnabled());
        action(u"saveAction"_s)->trigger();
        QCOMPARE(reread().profiles().size(), 1);
        QCOMPARE(reread().profiles().first().host, u"relay.example.net"_s);
        // No password: the keychain was not asked to store anything.
        QCOMPARE(keychain->entries().size(), 0);
    }

    void unsavedChangesAreAskedAbout()
    {
        const ConnectionProfile a = store(profileNamed(u"Alpha"_s, u"alpha.example.com"_s));
        const ConnectionProfile b = store(profileNamed(u"Beta"_s, u"beta.example.com"_s));
        open();
        QCOMPARE(window->currentId(), a.id); // the first one is selected
        retype(find<QLineEdit>(u"hostEdit"_s), u"alpha2.example.com"_s);
        QVERIFY(window->isWindowModified());

        // Cancel: stay on Alpha with the edit.
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Cancel;
        clickConnection(u"Beta"_s);
        QCOMPARE(prompter->count(u"unsaved"_s), 1);
        QCOMPARE(prompter->last(u"unsaved"_s)->text, u"Alpha"_s);
        QCOMPARE(window->currentId(), a.id);
        QCOMPARE(find<QLineEdit>(u"hostEdit"_s)->text(), u"alpha2.example.com"_s);
        QTRY_COMPARE(window->connectionList()->currentIndex().data().toString(), u"Alpha"_s);

        // Discard: Beta, Alpha unchanged on disk.
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        clickConnection(u"Beta"_s);
        QCOMPARE(window->currentId(), b.id);
        QCOMPARE(reread().findById(a.id)->host, u"alpha.example.com"_s);

        // Save: the edit of Beta is stored, then Alpha is shown.
        retype(find<QLineEdit>(u"hostEdit"_s), u"beta2.example.com"_s);
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Save;
        clickConnection(u"Alpha"_s);
        QCOMPARE(window->currentId(), a.id);
        QCOMPARE(reread().findById(b.id)->host, u"beta2.example.com"_s);

        // Quitting with unsaved changes asks too; Cancel keeps the window open.
        retype(find<QLineEdit>(u"hostEdit"_s), u"alpha3.example.com"_s);
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Cancel;
        QVERIFY(!window->close());
        QVERIFY(window->isVisible());
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        QVERIFY(window->close());
        QCOMPARE(reread().findById(a.id)->host, u"alpha.example.com"_s);
    }

    // Start-up (issue 14): the first frame shows the first connection's settings without waiting
    // for the keychain; its password is read once the window is on screen.
    void keychainWaitsForTheFirstFrame()
    {
        ConnectionProfile profile = profileNamed(u"Alpha"_s, u"alpha.example.com"_s);
        profile.auth.username = u"ops"_s;
        const ConnectionProfile a = store(profile);
        keychain->write(secretKey(a.id, SecretSlot::SmtpPassword), u"pw-alpha"_s, nullptr,
                        [](const SecretResult&) {});
        const int before = keychain->operationCount();
        window = std::make_unique<MainWindow>(dir->path(), *keychain, *prompter, nullptr,
                                              MainWindow::KeychainFallback::SessionMemory);
        QCoreApplication::processEvents();
        QCOMPARE(find<QLineEdit>(u"hostEdit"_s)->text(), u"alpha.example.com"_s);
        QCOMPARE(keychain->operationCount(), before); // not shown yet: nothing read
        window->resize(1280, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"pw-alpha"_s);
        QVERIFY(keychain->operationCount() > before);
        // The filter's clear button comes after the first frame too.
        QTRY_VERIFY(find<QLineEdit>(u"filterEdit"_s)->isClearButtonEnabled());
    }

    void renameCopyDelete()
    {
        const ConnectionProfile a = [this] {
            ConnectionProfile profile = profileNamed(u"Alpha"_s, u"alpha.example.com"_s);
            profile.auth.username = u"ops"_s;
            return store(profile);
        }();
        keychain->write(secretKey(a.id, SecretSlot::SmtpPassword), u"pw-alpha"_s, nullptr,
                        [](const SecretResult&) {});
        open();
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"pw-alpha"_s);

        // Rename keeps the id (and so the keychain entry).
        prompter->textAnswers << u"Alpha Prime"_s;
        action(u"renameAction"_s)->trigger();
        QCOMPARE(reread().findById(a.id)->name, u"Alpha Prime"_s);
        QCOMPARE(find<QLineEdit>(u"nameEdit"_s)->text(), u"Alpha Prime"_s);
        QVERIFY(!window->editor()->isDirty());
        QVERIFY(keychain->contains(secretKey(a.id, SecretSlot::SmtpPassword)));

        // A name in use is refused with core's message.
        store(profileNamed(u"Taken"_s, u"taken.example.com"_s));
        window->store().load();
        prompter->textAnswers << u"taken"_s;
        action(u"renameAction"_s)->trigger();
        QCOMPARE(prompter->last(u"inform"_s)->title, u"Connection Not Renamed"_s);
        QCOMPARE(reread().findById(a.id)->name, u"Alpha Prime"_s);

        // Copy copies the password to the new id and selects the copy.
        prompter->textAnswers << u"Alpha Copy"_s;
        action(u"copyAction"_s)->trigger();
        QVERIFY(prompter->last(u"text"_s)->text.endsWith(u"|Alpha Prime (copy)"_s));
        QTRY_VERIFY(reread().findByName(u"Alpha Copy"_s).has_value());
        const ConnectionProfile copy = *reread().findByName(u"Alpha Copy"_s);
        QVERIFY(copy.id != a.id);
        QTRY_COMPARE(keychain->entries().value(secretKey(copy.id, SecretSlot::SmtpPassword)),
                     u"pw-alpha"_s);
        QTRY_COMPARE(window->currentId(), copy.id);
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"pw-alpha"_s);

        // Delete asks first; "no" keeps it.
        prompter->confirmAnswers << false;
        action(u"deleteAction"_s)->trigger();
        QVERIFY(reread().findById(copy.id).has_value());
        prompter->confirmAnswers << true;
        action(u"deleteAction"_s)->trigger();
        QVERIFY(prompter->last(u"confirm"_s)->text.contains(u"Alpha Copy"_s));
        QVERIFY(!reread().findById(copy.id).has_value());
        QTRY_VERIFY(!keychain->contains(secretKey(copy.id, SecretSlot::SmtpPassword)));
        QVERIFY(keychain->contains(secretKey(a.id, SecretSlot::SmtpPassword)));
        QCOMPARE(listRows(), 2);
        QVERIFY(!window->currentId().isNull()); // a neighbour is selected
    }

    void importAndExportThroughTheDialogs()
    {
        open();
        const QString msmtprc =
            QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/tests/data/msmtprc-realworld"_s;
        prompter->openAnswers << msmtprc;
        action(u"importAction"_s)->trigger();
        // The keychain check before the selection question answers later.
        QTRY_VERIFY(prompter->last(u"inform"_s).has_value());
        const auto informed = prompter->last(u"inform"_s);
        QVERIFY(informed);
        QCOMPARE(informed->title, u"Import Finished"_s);
        // Lines the import could not map are listed, e.g. the plaintext password line.
        QVERIFY2(informed->text.startsWith(u"warning|"_s), qPrintable(informed->text));
        QVERIFY(informed->text.contains(u"password"_s));
        const int imported = int(reread().profiles().size());
        QVERIFY(imported >= 4);
        QCOMPARE(listRows(), imported);
        QVERIFY(reread().findByName(u"gmail"_s).has_value());
        // The plaintext password of the msmtprc is in no file.
        QVERIFY(!fileContents(reread().filePath()).contains("hunter2"));

        // Importing the same file again: the names clash, the user picks "rename".
        prompter->openAnswers << msmtprc;
        prompter->conflictAnswers << ConflictPolicy::Rename;
        action(u"importAction"_s)->trigger();
        QTRY_COMPARE(prompter->count(u"conflict"_s), 1);
        QVERIFY(prompter->conflictNames.first().contains(u"gmail"_s));
        QCOMPARE(int(reread().profiles().size()), 2 * imported);
        QVERIFY(reread().findByName(u"gmail (2)"_s).has_value());

        // Cancel at the clash question changes nothing.
        prompter->openAnswers << msmtprc;
        prompter->conflictAnswers << std::nullopt;
        action(u"importAction"_s)->trigger();
        QTRY_COMPARE(prompter->count(u"conflict"_s), 2);
        QCOMPARE(int(reread().profiles().size()), 2 * imported);

        // A malformed file: nothing changes, the message says where.
        const QString bad = dir->filePath(u"bad.json"_s);
        QFile badFile(bad);
        QVERIFY(badFile.open(QIODevice::WriteOnly));
        badFile.write("{\"format\": \"relaydeck-profiles\", \"version\": 1, \"profiles\": [{]}");
        badFile.close();
        prompter->openAnswers << bad;
        action(u"importAction"_s)->trigger();
        QCOMPARE(prompter->last(u"inform"_s)->title, u"Nothing Imported"_s);
        QCOMPARE(int(reread().profiles().size()), 2 * imported);

        // Export two of them as msmtprc.
        const ConnectionProfile gmail = *reread().findByName(u"gmail"_s);
        const ConnectionProfile local = *reread().findByName(u"local"_s);
        const QString out = dir->filePath(u"exported.msmtprc"_s);
        prompter->exportAnswers << ExportChoice{ProfileFormat::Msmtp, {gmail.id, local.id}};
        prompter->saveAnswers << out;
        action(u"exportAction"_s)->trigger();
        QCOMPARE(prompter->exportProfileIds.first().size(), 2 * imported); // all were offered
        const QByteArray exported = fileContents(out);
        QVERIFY(exported.contains("smtp.gmail.com"));
        QVERIFY(exported.contains("host localhost"));
        QVERIFY(!exported.contains("mail.corp.example.com"));
        QVERIFY(!exported.contains("hunter2"));

        // JSON export, then import it into an empty folder through another window.
        const QString json = dir->filePath(u"exported.json"_s);
        prompter->exportAnswers << ExportChoice{ProfileFormat::Json, {gmail.id}};
        prompter->saveAnswers << json;
        action(u"exportAction"_s)->trigger();
        QVERIFY(fileContents(json).contains("\"relaydeck-profiles\""));
        QTemporaryDir other;
        MainWindow second(other.path(), *keychain, *prompter);
        prompter->openAnswers << json;
        second.findChild<QAction*>(u"importAction"_s)->trigger();
        QTRY_COMPARE(prompter->count(u"import"_s), 4);
        ProfileStore otherStore(other.path());
        otherStore.load();
        QCOMPARE(otherStore.profiles().size(), 1);
        QCOMPARE(otherStore.profiles().first().host, u"smtp.gmail.com"_s);
        // The file's id is free in this folder: it is kept, and with it the keychain link.
        QCOMPARE(otherStore.profiles().first().id, gmail.id);
    }

    void filterNarrowsTheList()
    {
        store(profileNamed(u"Alpha"_s, u"alpha.example.com"_s));
        store(profileNamed(u"Beta"_s, u"mx.beta.example.org"_s));
        store(profileNamed(u"Gamma"_s, u"gamma.example.com"_s));
        open();
        QCOMPARE(listRows(), 3);
        // Sorted by name.
        QCOMPARE(window->connectionList()->model()->index(0, 0).data().toString(), u"Alpha"_s);
        QTest::keyClicks(find<QLineEdit>(u"filterEdit"_s), u"example.org"_s);
        QCOMPARE(listRows(), 1);
        QCOMPARE(window->connectionList()->model()->index(0, 0).data().toString(), u"Beta"_s);
        find<QLineEdit>(u"filterEdit"_s)->clear();
        QCOMPARE(listRows(), 3);
    }

    void geometryAndSplittersAreRemembered()
    {
        store(profileNamed(u"Alpha"_s, u"alpha.example.com"_s));
        open();
        window->resize(1100, 720);
        auto* splitter = find<QSplitter>(u"mainSplitter"_s);
        splitter->setSizes({333, 700});
        const QList<int> sizes = splitter->sizes();
        QVERIFY(window->close());
        window.reset();
        QSettings settings(dir->filePath(u"relaydeck-gui.ini"_s), QSettings::IniFormat);
        QVERIFY(!settings.value(u"window/geometry"_s).toByteArray().isEmpty());
        open(false);
        QCOMPARE(window->size(), QSize(1100, 720));
        QCOMPARE(find<QSplitter>(u"mainSplitter"_s)->sizes(), sizes);
    }

    void keychainFailureShowsTheBanner()
    {
        const ConnectionProfile a = [this] {
            ConnectionProfile profile = profileNamed(u"Alpha"_s, u"alpha.example.com"_s);
            profile.auth.username = u"ops"_s;
            return store(profile);
        }();
        keychain->setFailure(u"The keyring is locked."_s);
        open();
        auto* banner = find<Banner>(u"keychainBanner"_s);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->message().contains(u"The keyring is locked."_s));
        QVERIFY(banner->message().contains(u"this session only"_s));
        // Not modal: the editor is usable and the password can be typed.
        auto* password = find<QLineEdit>(u"passwordEdit"_s);
        QTRY_VERIFY(password->isEnabled());
        retype(password, u"session-secret"_s);
        action(u"saveAction"_s)->trigger();
        QVERIFY(!window->editor()->isDirty());
        const QString key = secretKey(a.id, SecretSlot::SmtpPassword);
        QTRY_VERIFY(window->secrets()->sessionOnlyKeys().contains(key));
        QVERIFY(!keychain->contains(key));
        // Never written in plaintext: not in any file of the config folder.
        const QDir config(dir->path());
        for (const QString& name : config.entryList(QDir::Files)) {
            QVERIFY2(!fileContents(config.filePath(name)).contains("session-secret"),
                     qPrintable(name));
        }
        // Another connection and back: the session keeps the password.
        store(profileNamed(u"Beta"_s, u"beta.example.com"_s));
        window->store().load();
        action(u"newAction"_s)->trigger();
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
        QVERIFY(window->selectConnection(a.id));
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"session-secret"_s);

        // The keyring works again: Retry, and the next save goes to the keychain.
        keychain->setFailure(QString());
        QTest::mouseClick(find<QPushButton>(u"keychainBannerAction"_s), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        retype(find<QLineEdit>(u"passwordEdit"_s), u"keychain-secret"_s);
        action(u"saveAction"_s)->trigger();
        QTRY_COMPARE(keychain->entries().value(key), u"keychain-secret"_s);
        QTRY_VERIFY(!window->secrets()->sessionOnlyKeys().contains(key));
    }

    // Without the session fallback the desktop follows ProfileLibrary's keychain-failure rule, as
    // relaydeck-cli does: a change whose secrets cannot be written is undone and the keychain's
    // error is shown.
    void keychainFailureUndoesTheChangeWithoutFallback()
    {
        const ConnectionProfile a = [this] {
            ConnectionProfile profile = profileNamed(u"Alpha"_s, u"alpha.example.com"_s);
            profile.auth.username = u"ops"_s;
            return store(profile);
        }();
        const QString key = secretKey(a.id, SecretSlot::SmtpPassword);
        keychain->write(key, u"pw-alpha"_s, nullptr, [](const SecretResult&) {});
        open(true, MainWindow::KeychainFallback::None);
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"pw-alpha"_s);
        keychain->setFailure(u"The keyring is locked."_s);
        const auto informedAbout = [this](const QString& title) {
            const auto informed = prompter->last(u"inform"_s);
            return informed && informed->title == title &&
                   informed->text.contains(u"The keyring is locked."_s);
        };

        // Save: the new settings are taken back.
        retype(find<QLineEdit>(u"hostEdit"_s), u"changed.example.com"_s);
        retype(find<QLineEdit>(u"passwordEdit"_s), u"new-secret"_s);
        action(u"saveAction"_s)->trigger();
        QTRY_VERIFY(informedAbout(u"Connection Not Saved"_s));
        QCOMPARE(reread().findById(a.id)->host, u"alpha.example.com"_s);
        QTRY_COMPARE(find<QLineEdit>(u"hostEdit"_s)->text(), u"alpha.example.com"_s);
        QCOMPARE(keychain->entries().value(key), u"pw-alpha"_s);
        QVERIFY(!window->secrets()->sessionOnlyKeys().contains(key));

        // A new connection whose password cannot be stored is not added.
        action(u"newAction"_s)->trigger();
        retype(find<QLineEdit>(u"nameEdit"_s), u"Beta"_s);
        retype(find<QLineEdit>(u"hostEdit"_s), u"beta.example.com"_s);
        window->editor()->tabs()->setCurrentIndex(1);
        retype(find<QLineEdit>(u"usernameEdit"_s), u"beta-user"_s);
        retype(find<QLineEdit>(u"passwordEdit"_s), u"beta-secret"_s);
        prompter->asked.clear();
        action(u"saveAction"_s)->trigger();
        QTRY_VERIFY(informedAbout(u"Connection Not Saved"_s));
        QVERIFY(!reread().findByName(u"Beta"_s));
        QTRY_COMPARE(listRows(), 1);

        // Copy with secrets: the copy is removed again.
        QVERIFY(window->selectConnection(a.id));
        prompter->textAnswers << u"Alpha Copy"_s;
        action(u"copyAction"_s)->trigger();
        QTRY_VERIFY(informedAbout(u"Connection Not Copied"_s));
        QVERIFY(!reread().findByName(u"Alpha Copy"_s));
        QTRY_COMPARE(listRows(), 1);

        // Delete: the connection comes back, with its secret.
        prompter->confirmAnswers << true;
        action(u"deleteAction"_s)->trigger();
        QTRY_VERIFY(informedAbout(u"Connection Not Deleted"_s));
        QVERIFY(reread().findById(a.id).has_value());
        QTRY_COMPARE(listRows(), 1);
        QTRY_COMPARE(window->currentId(), a.id);
        QCOMPARE(keychain->entries().value(key), u"pw-alpha"_s);
    }

    void profilesWithoutSecretsDoNotTouchTheKeychain()
    {
        store(profileNamed(u"Relay"_s, u"relay.example.com"_s));
        keychain->setFailure(u"no keyring"_s);
        open();
        QTest::qWait(50);
        QCOMPARE(keychain->operationCount(), 0);
        QVERIFY(!find<Banner>(u"keychainBanner"_s)->isVisible());
    }

    void unreadableStoreIsReported()
    {
        QFile file(QDir(dir->path()).filePath(u"connections.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ this is not json");
        file.close();
        open();
        auto* banner = find<Banner>(u"storeBanner"_s);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->message().contains(u"connections.json"_s));
        QVERIFY(!action(u"newAction"_s)->isEnabled());
        QVERIFY(!action(u"importAction"_s)->isEnabled());
        QCOMPARE(fileContents(file.fileName()), QByteArray("{ this is not json"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
