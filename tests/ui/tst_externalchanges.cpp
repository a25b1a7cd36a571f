// The window follows changes relaydeck-cli makes to connections.json while it runs (issue 14
// item 13): the list reloads, an unsaved edit of another connection survives, and an edit of the
// changed connection asks (through the Prompter) whether to load the file's version. The file is
// written the way the CLI writes it (ProfileStore: a new file renamed over the old one), several
// times, so the watch must survive atomic replacement.
#include "MainWindowFixture.h"
#include "UiTestSupport.h"

#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "ConnectionsFileWatcher.h"
#include "MainWindow.h"

#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAction>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile relay(const QString& name)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = name.toLower() + u".example.org"_s;
    profile.port = 587;
    profile.security = Security::StartTls;
    profile.auth.mechanism = AuthMechanism::None;
    return profile;
}

} // namespace

class TestExternalChanges : public QObject, private MainWindowFixture
{
    Q_OBJECT

private:
    ConnectionProfile listed(const QString& name) const
    {
        for (const ConnectionProfile& profile : window->connectionModel()->profiles())
            if (profile.name == name)
                return profile;
        return {};
    }
    int listRows() const { return window->connectionList()->model()->rowCount(); }
    // What `relaydeck-cli set NAME --host HOST` does to the file.
    void cliSetHost(const QString& name, const QString& host)
    {
        ProfileStore cli(dir->path());
        QVERIFY(cli.load().ok());
        ConnectionProfile profile = *cli.findByName(name);
        profile.host = host;
        QVERIFY(cli.update(profile).ok());
    }

private slots:
    void initTestCase() { installTestTranslations(); }
    void init()
    {
        setUpWindowFixture();
        QVERIFY(!store(relay(u"Alpha"_s)).id.isNull());
        QVERIFY(!store(relay(u"Beta"_s)).id.isNull());
        openWindow(QSize());
    }
    void cleanup() { tearDownWindowFixture(); }

    void theListFollowsTheCli()
    {
        QCOMPARE(listRows(), 2);
        ProfileStore cli(dir->path());
        QVERIFY(cli.load().ok());
        QVERIFY(cli.add(relay(u"Gamma"_s)).ok());
        QTRY_COMPARE(listRows(), 3);
        QVERIFY(cli.remove(cli.findByName(u"Alpha"_s)->id).ok());
        QTRY_COMPARE(listRows(), 2);
        // Still watched after two replacements of the file.
        QVERIFY(cli.add(relay(u"Delta"_s)).ok());
        QTRY_COMPARE(listRows(), 3);
        QCOMPARE(prompter->count(u"confirm"_s), 0);
    }

    void anUnsavedEditSurvivesAndAConflictAsks()
    {
        const QUuid alpha = listed(u"Alpha"_s).id;
        QVERIFY(window->selectConnection(alpha));
        auto* host = window->findChild<QLineEdit*>(u"hostEdit"_s);
        host->setText(u"typed.example.org"_s);
        QVERIFY(window->editor()->isDirty());

        // Another connection changes: the list reloads, the edit stays, nobody is asked.
        cliSetHost(u"Beta"_s, u"beta2.example.org"_s);
        QTRY_COMPARE(listed(u"Beta"_s).host, u"beta2.example.org"_s);
        QVERIFY(window->editor()->isDirty());
        QCOMPARE(host->text(), u"typed.example.org"_s);
        QCOMPARE(prompter->count(u"confirm"_s), 0);

        // The edited connection changes: asked; "keep my edits".
        prompter->confirmAnswers << false;
        cliSetHost(u"Alpha"_s, u"cli.example.org"_s);
        QTRY_COMPARE(prompter->count(u"confirm"_s), 1);
        QVERIFY(prompter->last(u"confirm"_s)->text.contains(u"Alpha"_s));
        QCOMPARE(host->text(), u"typed.example.org"_s);
        QVERIFY(window->editor()->isDirty());

        // Again; now "load its version".
        prompter->confirmAnswers << true;
        cliSetHost(u"Alpha"_s, u"cli2.example.org"_s);
        QTRY_COMPARE(prompter->count(u"confirm"_s), 2);
        QTRY_COMPARE(host->text(), u"cli2.example.org"_s);
        QVERIFY(!window->editor()->isDirty());

        // The window's own Save is no external change: no question.
        host->setText(u"mine.example.org"_s);
        window->findChild<QAction*>(u"saveAction"_s)->trigger();
        QTest::qWait(400);
        QCOMPARE(prompter->count(u"confirm"_s), 2);
        QCOMPARE(host->text(), u"mine.example.org"_s);
    }

    void theWatcherSurvivesAtomicReplacement()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(u"connections.json"_s);
        ConnectionsFileWatcher watcher(path, nullptr, 20);
        QSignalSpy changed(&watcher, &ConnectionsFileWatcher::changed);
        for (int round = 1; round <= 3; ++round) {
            QFile next(path + u".tmp"_s);
            QVERIFY(next.open(QIODevice::WriteOnly));
            next.write(QByteArray::number(round));
            next.close();
            QFile::remove(path);
            QVERIFY(QFile::rename(path + u".tmp"_s, path));
            QTRY_COMPARE(changed.size(), round);
        }
    }
};

QTEST_MAIN(TestExternalChanges)
#include "tst_externalchanges.moc"
