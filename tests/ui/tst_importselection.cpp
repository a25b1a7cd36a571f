// Import asks per connection (the desktop's `relaydeck-cli import --only`): the selection
// dialog lists each connection of the file with what it needs afterwards, from a keychain
// check (a password our export's id still finds is not asked for again); only the checked ones
// are imported; a clean import is an information, not a warning.
#include "UiTestSupport.h"

#include "ImportSelectionDialog.h"
#include "MainWindow.h"

#include "profile/ProfileFormats.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAction>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile profileNamed(const QString& name, AuthMechanism mechanism)
{
    ConnectionProfile profile;
    profile.id = QUuid::createUuid();
    profile.name = name;
    profile.host = name.toLower() + u".example.org"_s;
    profile.port = 587;
    profile.security = Security::StartTls;
    profile.auth.mechanism = mechanism;
    if (mechanism != AuthMechanism::None)
        profile.auth.username = u"admin@example.org"_s;
    return profile;
}

} // namespace

class TestImportSelection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { installTestTranslations(); }

    void importsTheCheckedConnectionsWithAdviceFromTheKeychain()
    {
        // Our JSON export of three connections: one whose password is in the keychain under
        // its id, one without a password there, one that needs none.
        const ConnectionProfile stored = profileNamed(u"Stored"_s, AuthMechanism::Plain);
        const ConnectionProfile typed = profileNamed(u"Typed"_s, AuthMechanism::Plain);
        const ConnectionProfile open = profileNamed(u"Open"_s, AuthMechanism::None);
        QTemporaryDir files;
        const QString path = files.filePath(u"connections-export.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ProfileFormats::exportProfiles({stored, typed, open}, ProfileFormat::Json));
        file.close();
        MemorySecretStore keychain;
        keychain.write(secretKey(stored.id, SecretSlot::SmtpPassword), u"s3cret"_s, nullptr,
                       [](const SecretResult&) {});

        QTemporaryDir config;
        ScriptedPrompter prompter;
        MainWindow window(config.path(), keychain, prompter);
        prompter.openAnswers << path;
        prompter.importAnswers << QStringList{u"Stored"_s, u"Typed"_s}; // "Open" unchecked
        window.findChild<QAction*>(u"importAction"_s)->trigger();
        QTRY_VERIFY(prompter.last(u"inform"_s).has_value());

        // What each one needs, from the keychain check.
        QCOMPARE(prompter.importOffers.size(), 1);
        QMap<QString, QString> needs;
        for (const ImportCandidate& candidate : prompter.importOffers.first())
            needs.insert(candidate.name, candidate.needs);
        QCOMPARE(needs.keys(), (QStringList{u"Open"_s, u"Stored"_s, u"Typed"_s}));
        QCOMPARE(needs.value(u"Stored"_s), u"ready: its password is in the keychain"_s);
        QCOMPARE(needs.value(u"Typed"_s), u"a password to enter"_s);
        QCOMPARE(needs.value(u"Open"_s), u"ready: no password needed"_s);

        // Only the checked ones, with their ids (and so the keychain link).
        ProfileStore store(config.path());
        QVERIFY(store.load().ok());
        QCOMPARE(store.profiles().size(), 2);
        QCOMPARE(store.findByName(u"Stored"_s)->id, stored.id);
        QVERIFY(!store.findByName(u"Open"_s));

        // A clean import is an information; the advice names only the connection that needs
        // its password typed.
        const QString informed = prompter.last(u"inform"_s)->text;
        QVERIFY2(informed.startsWith(u"information|"_s), qPrintable(informed));
        QVERIFY2(informed.contains(u"Authentication tab for Typed."_s), qPrintable(informed));
        QVERIFY(!informed.contains(u"Stored"_s));
        QVERIFY2(prompter.unexpected.isEmpty(), qPrintable(prompter.unexpected.join(u"; "_s)));

        // Cancelled at the selection: nothing changes.
        prompter.openAnswers << path;
        prompter.importAnswers << std::nullopt;
        const int informs = prompter.count(u"inform"_s);
        window.findChild<QAction*>(u"importAction"_s)->trigger();
        QTRY_COMPARE(prompter.importOffers.size(), 2);
        QVERIFY(store.load().ok());
        QCOMPARE(store.profiles().size(), 2);
        QCOMPARE(prompter.count(u"inform"_s), informs);
        // The second offer knows which names exist.
        for (const ImportCandidate& candidate : prompter.importOffers.last())
            QCOMPARE(candidate.exists, candidate.name != u"Open"_s);
    }

    void theDialogReturnsTheCheckedNames()
    {
        const QList<ImportCandidate> candidates = {
            {u"Gmail"_s, u"smtp.gmail.com"_s, u"ready: its password is in the keychain"_s, false},
            {u"Office"_s, u"smtp.office365.com"_s, u"a password to enter"_s, false},
            {u"Relay"_s, u"relay.example.org"_s, u"ready: no password needed; the name exists"_s,
             true}};
        ImportSelectionDialog dialog(u"msmtprc"_s, candidates);
        auto* list = dialog.findChild<QTreeWidget*>(u"importCandidates"_s);
        auto* import = dialog.findChild<QPushButton*>(u"importSelectedButton"_s);
        QVERIFY(list && import);
        QCOMPARE(list->topLevelItemCount(), 3);
        QCOMPARE(list->topLevelItem(1)->text(2), u"a password to enter"_s);
        QCOMPARE(dialog.chosenNames(), (QStringList{u"Gmail"_s, u"Office"_s, u"Relay"_s}));
        list->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(dialog.chosenNames(), (QStringList{u"Gmail"_s, u"Relay"_s}));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        screenshot(&dialog, u"import-selection-"_s +
                                qEnvironmentVariable("RELAYDECK_UI_TEST_LANGUAGE", u"en"_s));
        list->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
        list->topLevelItem(2)->setCheckState(0, Qt::Unchecked);
        QVERIFY(!import->isEnabled()); // nothing to import
    }
};

QTEST_MAIN(TestImportSelection)
#include "tst_importselection.moc"
