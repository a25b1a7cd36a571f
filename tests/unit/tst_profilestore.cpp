#include "profile/ProfileJson.h"
#include "profile/ProfileStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile makeProfile(const QString& name, const QString& host = u"smtp.example.com"_s)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = host;
    return profile;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QString folder;

private slots:
    void init()
    {
        static int counter = 0;
        folder = dir.filePath(u"config%1"_s.arg(++counter));
    }

    void missingFileIsAnEmptyStore()
    {
        ProfileStore store(folder);
        QVERIFY(store.load().ok());
        QVERIFY(store.profiles().isEmpty());
        QVERIFY(!QFile::exists(store.filePath())); // reading creates nothing
    }

    void configDirFromEnvironment()
    {
        qputenv("RELAYDECK_CONFIG_DIR", folder.toUtf8());
        QCOMPARE(ProfileStore::defaultConfigDir(), folder);
        QCOMPARE(ProfileStore().filePath(), QDir(folder).filePath(u"connections.json"_s));
        qunsetenv("RELAYDECK_CONFIG_DIR");
        QVERIFY(ProfileStore::defaultConfigDir().endsWith(u"relaydeck"_s));
    }

    void roundTrip()
    {
        ProfileStore store(folder);
        ConnectionProfile profile = makeProfile(u"Full"_s);
        profile.description = u"every field"_s;
        profile.port = 2525;
        profile.security = Security::ImplicitTls;
        profile.timeoutSeconds = 45;
        profile.sender = u"alerts@example.com"_s;
        profile.heloName = u"client.example.com"_s;
        profile.charset = u"ISO-8859-1"_s;
        profile.auth.mechanism = AuthMechanism::ScramSha256;
        profile.auth.username = u"alice"_s;
        profile.auth.allowPlaintext = true;
        profile.tls.verifyPeer = false;
        profile.tls.minimumVersion = TlsMinimumVersion::Tls13;
        profile.tls.caFile = u"/etc/ssl/certs/ca.pem"_s;
        profile.tls.pinnedSha256 = {u"ab"_s.repeated(32)};
        profile.proxy = {ProxyType::Socks5, u"proxy.example.com"_s, 1080, u"bob"_s, u"CORP"_s};
        profile.options = {{u"restart_threshold"_s, u"100"_s}};
        profile.preset = u"gmail"_s;
        const Result<ConnectionProfile> result = store.add(profile);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        const ConnectionProfile stored = result.value();
        QVERIFY(!stored.id.isNull());
        profile.id = stored.id;
        QCOMPARE(stored, profile);

        ProfileStore again(folder);
        QVERIFY(again.load().ok());
        QCOMPARE(again.profiles().size(), 1);
        QCOMPARE(again.profiles().first(), profile);

        const QJsonObject root = QJsonDocument::fromJson(readAll(again.filePath())).object();
        QCOMPARE(root.value(u"format"_s).toString(), u"relaydeck-profiles"_s);
        QCOMPARE(root.value(u"version"_s).toInt(), 1);
        QCOMPARE(root.value(u"profiles"_s).toArray().first().toObject(),
                 ProfileJson::toJson(profile));
    }

    void findByNameIgnoresCase()
    {
        ProfileStore store(folder);
        const Result<ConnectionProfile> stored = store.add(makeProfile(u"Office Relay"_s));
        QVERIFY(stored.ok());
        QCOMPARE(store.findByName(u"office relay"_s)->id, stored->id);
        QCOMPARE(store.findByName(u"OFFICE RELAY"_s)->id, stored->id);
        QCOMPARE(store.findById(stored->id)->name, u"Office Relay"_s);
        QVERIFY(!store.findByName(u"other"_s));
    }

    void namesAreUniqueIgnoringCase()
    {
        ProfileStore store(folder);
        QVERIFY(store.add(makeProfile(u"Relay"_s)).ok());
        const Result<ConnectionProfile> result = store.add(makeProfile(u"rELAY"_s));
        QCOMPARE(result.failure().id, FailureId::NameConflict);
        QCOMPARE(result.failure().issues.size(), 1);
        QCOMPARE(result.failure().issues.first().field, u"name"_s);
        QCOMPARE(store.profiles().size(), 1);
        QCOMPARE(store.uniqueName(u"relay"_s), u"relay (2)"_s);
        // validate() shows the clash next to the name field before saving.
        QCOMPARE(store.validate(makeProfile(u"RELAY"_s)).size(), 1);
    }

    void invalidProfileIsRefused()
    {
        ProfileStore store(folder);
        ConnectionProfile profile = makeProfile(u"Bad"_s, u"not a host"_s);
        profile.timeoutSeconds = 0;
        const Result<ConnectionProfile> result = store.add(profile);
        QCOMPARE(result.failure().id, FailureId::Invalid);
        QCOMPARE(result.failure().issues.size(), 2);
        QVERIFY(result.failure().message.contains(u"host"_s));
        QVERIFY(!QFile::exists(store.filePath()));
    }

    void updateRenameCopyRemove()
    {
        ProfileStore store(folder);
        ConnectionProfile first = store.add(makeProfile(u"First"_s)).value();
        QVERIFY(store.add(makeProfile(u"Second"_s)).ok());

        first.host = u"mail.example.org"_s;
        QVERIFY(store.update(first).ok());
        QCOMPARE(store.findById(first.id)->host, u"mail.example.org"_s);

        QVERIFY(store.rename(first.id, u"Renamed"_s).ok());
        QCOMPARE(store.findByName(u"renamed"_s)->id, first.id); // id survives the rename
        QCOMPARE(store.rename(first.id, u"second"_s).failure().id, FailureId::NameConflict);
        QVERIFY(store.rename(first.id, u"RENAMED"_s).ok()); // its own name in another case

        const Result<ConnectionProfile> copied = store.copy(first.id, u"Copy"_s);
        QVERIFY(copied.ok());
        const ConnectionProfile copy = copied.value();
        QVERIFY(copy.id != first.id);
        QCOMPARE(copy.host, u"mail.example.org"_s);
        QCOMPARE(store.copy(first.id, u"copy"_s).failure().id, FailureId::NameConflict);

        QVERIFY(store.remove(first.id).ok());
        QCOMPARE(store.remove(first.id).failure().id, FailureId::NotFound);
        QCOMPARE(store.update(first).failure().id, FailureId::NotFound);

        ProfileStore again(folder);
        QVERIFY(again.load().ok());
        QStringList names;
        for (const auto& p : again.profiles())
            names << p.name;
        QCOMPARE(names, (QStringList{u"Second"_s, u"Copy"_s}));
    }

    void changesApplyToTheFileNotAStaleCopy()
    {
        ProfileStore one(folder);
        ProfileStore two(folder);
        QVERIFY(one.load().ok());
        QVERIFY(two.load().ok());
        QVERIFY(one.add(makeProfile(u"A"_s)).ok());
        QVERIFY(two.add(makeProfile(u"B"_s)).ok()); // two has not reloaded; A must survive
        ProfileStore check(folder);
        QVERIFY(check.load().ok());
        QCOMPARE(check.profiles().size(), 2);
    }

    void writesAreAtomicWithBackup()
    {
        ProfileStore store(folder);
        QVERIFY(store.add(makeProfile(u"A"_s)).ok());
        QVERIFY(!QFile::exists(store.backupPath())); // nothing to back up the first time
        const QByteArray firstVersion = readAll(store.filePath());
        QVERIFY(store.add(makeProfile(u"B"_s)).ok());
        QCOMPARE(readAll(store.backupPath()), firstVersion);
        const QByteArray secondVersion = readAll(store.filePath());
        QVERIFY(store.add(makeProfile(u"C"_s)).ok());
        QCOMPARE(readAll(store.backupPath()), secondVersion);
        // No temporary files are left behind and the lock is released.
        QStringList entries = QDir(folder).entryList(QDir::Files | QDir::Hidden);
        entries.sort();
        QCOMPARE(entries, (QStringList{u"connections.json"_s, u"connections.json.bak"_s}));
    }

    void corruptFileIsRefusedAndLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::newRow("syntax") << QByteArray(
                                       "{\"format\": \"relaydeck-profiles\",\n\"version\": 1,\n"
                                       "\"profiles\": [ {\"name\": \"x\",, } ]}\n")
                                << u"line 3"_s;
        QTest::newRow("not json") << QByteArray("hello\n") << u"line 1"_s;
        QTest::newRow("wrong format")
            << QByteArray(R"({"format": "other", "version": 1})") << u"format"_s;
        QTest::newRow("bad field")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"a","port":"x"}]})")
            << u"profiles[0].port"_s;
        QTest::newRow("duplicate name")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"a"},{"name":"A"}]})")
            << u"profiles[1].name"_s;
        // Hosts are checked as an import checks them: a CR/LF would reach the wire.
        QTest::newRow("host with CRLF")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"a","host":"smtp.example.com\r\nX-Injected: 1"}]})")
            << u"profiles[0].host: 'smtp.example.com\\r\\nX-Injected: 1' is not a valid host"_s;
        QTest::newRow("proxy host with LF")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"a","host":"smtp.example.com"},)"
                   R"({"name":"b","host":"smtp.example.com","proxy":{"type":"http","host":"proxy\nHost: x","port":3128}}]})")
            << u"profiles[1].proxy.host: 'proxy\\nHost: x' is not a valid host"_s;
        QTest::newRow("host empty")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"a","host":""}]})")
            << u"profiles[0].host"_s;
        QTest::newRow("truncated")
            << QByteArray("{\"format\":\"relaydeck-profiles\",\"vers") << u"line 1"_s;
    }

    void corruptFileIsRefusedAndLeftAlone()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QVERIFY(QDir().mkpath(folder));
        ProfileStore store(folder);
        writeAll(store.filePath(), content);

        const Result<void> result = store.load();
        QCOMPARE(result.failure().id, FailureId::Corrupt);
        QVERIFY2(result.failure().message.contains(store.filePath()),
                 qPrintable(result.failure().message));
        QVERIFY2(result.failure().message.contains(where), qPrintable(result.failure().message));
        QVERIFY(store.profiles().isEmpty());

        QCOMPARE(store.add(makeProfile(u"New"_s)).failure().id, FailureId::Corrupt);
        QCOMPARE(readAll(store.filePath()), content); // byte-identical
        QVERIFY(!QFile::exists(store.backupPath()));
        QCOMPARE(store.importProfiles({makeProfile(u"I"_s)}, ConflictPolicy::Replace).failure().id,
                 FailureId::Corrupt);
        QCOMPARE(readAll(store.filePath()), content);
    }

    void newerVersionIsRefused()
    {
        QVERIFY(QDir().mkpath(folder));
        ProfileStore store(folder);
        const QByteArray content =
            R"({"format":"relaydeck-profiles","version":2,"profiles":[{"name":"x","future":1}]})";
        writeAll(store.filePath(), content);
        const Result<void> result = store.load();
        QCOMPARE(result.failure().id, FailureId::NewerVersion);
        QVERIFY(result.failure().message.contains(u"newer"_s));
        QVERIFY(result.failure().message.contains(u"version 2"_s));
        QCOMPARE(store.add(makeProfile(u"y"_s)).failure().id, FailureId::NewerVersion);
        QCOMPARE(readAll(store.filePath()), content);
    }

    void profileWithoutIdGetsOne()
    {
        QVERIFY(QDir().mkpath(folder));
        ProfileStore store(folder);
        writeAll(
            store.filePath(),
            R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"hand","host":"h"}]})");
        QVERIFY(store.load().ok());
        QVERIFY(!store.profiles().first().id.isNull());
    }

    // Found by fuzzing: the id a load gives a profile without one must still be its id when a
    // change re-reads the file, or update() of that very profile is NotFound.
    void profileWithoutIdKeepsItsIdUntilSaved()
    {
        QVERIFY(QDir().mkpath(folder));
        ProfileStore store(folder);
        writeAll(
            store.filePath(),
            R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"hand","host":"h"}]})");
        QVERIFY(store.load().ok());
        ConnectionProfile edited = store.profiles().first();
        edited.host = u"smtp.example.com"_s;
        const Result<ConnectionProfile> result = store.update(edited);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        ProfileStore again(folder);
        QVERIFY(again.load().ok());
        QCOMPARE(again.profiles().first().id, edited.id);
        QCOMPARE(again.profiles().first().host, u"smtp.example.com"_s);
    }

    void lockHeldByAnotherProcess()
    {
        QVERIFY(QDir().mkpath(folder));
        ProfileStore store(folder);
        QVERIFY(store.add(makeProfile(u"A"_s)).ok());
        const QByteArray before = readAll(store.filePath());

        QLockFile other(store.lockPath());
        QVERIFY(other.tryLock(0));
        QElapsedTimer timer;
        timer.start();
        const Result<ConnectionProfile> result = store.add(makeProfile(u"B"_s));
        QCOMPARE(result.failure().id, FailureId::Locked);
        QVERIFY2(result.failure().message.contains(u"Another Relaydeck is changing the profiles"_s),
                 qPrintable(result.failure().message));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(readAll(store.filePath()), before);
        QVERIFY(store.load().ok()); // reading does not need the lock

        other.unlock();
        QVERIFY(store.add(makeProfile(u"B"_s)).ok());
    }

    void importFailChangesNothing()
    {
        ProfileStore store(folder);
        QVERIFY(store.add(makeProfile(u"Existing"_s)).ok());
        const QByteArray before = readAll(store.filePath());
        const Result<ImportOutcome> outcome = store.importProfiles(
            {makeProfile(u"New"_s), makeProfile(u"existing"_s)}, ConflictPolicy::Fail);
        QCOMPARE(outcome.failure().id, FailureId::NameConflict);
        QVERIFY(outcome.failure().message.contains(u"existing"_s));
        QCOMPARE(readAll(store.filePath()), before);
        QCOMPARE(store.profiles().size(), 1);
    }

    void importInvalidChangesNothing()
    {
        ProfileStore store(folder);
        QVERIFY(store.add(makeProfile(u"Existing"_s)).ok());
        const QByteArray before = readAll(store.filePath());
        const Result<ImportOutcome> outcome = store.importProfiles(
            {makeProfile(u"Good"_s), makeProfile(u"Bad"_s, QString())}, ConflictPolicy::Skip);
        QCOMPARE(outcome.failure().id, FailureId::Invalid);
        QVERIFY(outcome.failure().message.contains(u"Bad"_s));
        QCOMPARE(readAll(store.filePath()), before);
    }

    void importPolicies()
    {
        ProfileStore store(folder);
        const ConnectionProfile existing =
            store.add(makeProfile(u"Relay"_s, u"old.example.com"_s)).value();
        const QList<ConnectionProfile> incoming = {makeProfile(u"relay"_s, u"new.example.com"_s),
                                                   makeProfile(u"Other"_s)};

        Result<ImportOutcome> outcome = store.importProfiles(incoming, ConflictPolicy::Skip);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->skipped, QStringList{u"relay"_s});
        QCOMPARE(outcome->added.size(), 1);
        QCOMPARE(store.findByName(u"Relay"_s)->host, u"old.example.com"_s);
        QVERIFY(store.remove(store.findByName(u"Other"_s)->id).ok());

        outcome = store.importProfiles(incoming, ConflictPolicy::Rename);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->renamed.size(), 1);
        QCOMPARE(outcome->renamed.first().second, u"relay (2)"_s);
        QCOMPARE(store.findByName(u"relay (2)"_s)->host, u"new.example.com"_s);
        QVERIFY(store.findByName(u"relay (2)"_s)->id != existing.id);

        outcome = store.importProfiles({makeProfile(u"RELAY"_s, u"newest.example.com"_s)},
                                       ConflictPolicy::Replace);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->replaced.size(), 1);
        const ConnectionProfile replaced = *store.findByName(u"relay"_s);
        QCOMPARE(replaced.id, existing.id); // the id (and so its secrets) stays
        QCOMPARE(replaced.host, u"newest.example.com"_s);
        QCOMPARE(store.profiles().size(), 3);
    }

    // A re-import of our own export on another config (same keychain) keeps the ids, and with
    // them the link to the keychain entries; an id a stored profile has is never shared.
    void importKeepsAFreeId()
    {
        ProfileStore store(folder);
        ConnectionProfile exported = makeProfile(u"Exported"_s);
        exported.id = QUuid(u"44444444-5555-4666-8777-888888888888"_s);
        ConnectionProfile twice = makeProfile(u"Twice"_s);
        twice.id = exported.id; // the same id twice in one file: only the first keeps it
        const Result<ImportOutcome> outcome =
            store.importProfiles({exported, twice}, ConflictPolicy::Fail);
        QVERIFY2(outcome.ok(), qPrintable(outcome.failureMessage()));
        QCOMPARE(store.findByName(u"Exported"_s)->id, exported.id);
        QVERIFY(store.findByName(u"Twice"_s)->id != exported.id);
        QVERIFY(!store.findByName(u"Twice"_s)->id.isNull());
    }

    void importGivesFreshIds()
    {
        ProfileStore store(folder);
        const ConnectionProfile a = store.add(makeProfile(u"A"_s)).value();
        ConnectionProfile clash = makeProfile(u"B"_s);
        clash.id = a.id; // an export of this very store, re-imported under another name
        const Result<ImportOutcome> outcome = store.importProfiles({clash}, ConflictPolicy::Fail);
        QVERIFY2(outcome.ok(), qPrintable(outcome.failureMessage()));
        QVERIFY(outcome->added.first().id != a.id);
    }

    void conflictPolicyWords()
    {
        for (const QString& word : {u"fail"_s, u"skip"_s, u"rename"_s, u"replace"_s})
            QCOMPARE(toString(*conflictPolicyFromString(word)), word);
        QVERIFY(!conflictPolicyFromString(u"merge"_s));
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
