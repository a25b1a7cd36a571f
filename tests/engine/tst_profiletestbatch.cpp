#include "EngineRun.h"
#include "EngineScripts.h"
#include "FakeSmtpSession.h"
#include "ScriptedSmtpServer.h"
#include "batch/ProfileTestBatch.h"
#include "library/ProfileLibrary.h"
#include "secrets/MemorySecretStore.h"

#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// A keychain that answers reads only when the test says so, to see which reads are in flight.
class HeldSecretStore : public SecretStore
{
public:
    struct PendingRead
    {
        QString key;
        QPointer<QObject> context;
        Callback done;
    };

    void read(const QString& key, QObject* context, Callback done) override
    {
        ++reads;
        pending.append({key, context, std::move(done)});
    }
    void write(const QString& key, const QString& value, QObject*, Callback done) override
    {
        values.insert(key, value);
        done({});
    }
    void remove(const QString& key, QObject*, Callback done) override
    {
        values.remove(key);
        done({});
    }

    // The profiles whose reads are in flight.
    QSet<QString> pendingProfiles() const
    {
        QSet<QString> ids;
        for (const PendingRead& read : pending)
            ids.insert(read.key.section(u':', 0, 0));
        return ids;
    }
    // Answers the reads in flight (which may start new ones).
    void answerPending()
    {
        const QList<PendingRead> now = std::exchange(pending, {});
        for (const PendingRead& read : now) {
            if (!read.context)
                continue;
            SecretResult result;
            if (values.contains(read.key))
                result.value = values.value(read.key);
            else
                result.status = SecretResult::Status::NotFound;
            read.done(result);
        }
    }

    QList<PendingRead> pending;
    QMap<QString, QString> values;
    int reads = 0;
};

// A relay that accepts AUTH PLAIN, or one that needs no authentication.
std::unique_ptr<ScriptedSmtpServer> relay(bool withAuth)
{
    SmtpScript script = greetingAndEhlo({withAuth ? "AUTH PLAIN" : "8BITMIME"});
    if (withAuth)
        script.expectPrefix("AUTH PLAIN ").send("235 2.7.0 Authentication successful");
    auto server = std::make_unique<ScriptedSmtpServer>(script);
    if (!server->listen())
        return nullptr;
    return server;
}

ConnectionProfile relayProfile(const ScriptedSmtpServer& server, const QString& name,
                               const QString& username = {})
{
    ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
    profile.id = QUuid::createUuid();
    profile.name = name;
    profile.auth.username = username;
    profile.auth.mechanism = username.isEmpty() ? AuthMechanism::None : AuthMechanism::Plain;
    return profile;
}

// Scripted relays, each with a profile pointing at it (in the same order).
struct Fleet
{
    std::vector<std::unique_ptr<ScriptedSmtpServer>> servers;
    QList<ConnectionProfile> profiles;

    bool add(bool withAuth, const QString& name, const QString& username = {})
    {
        auto server = relay(withAuth);
        if (!server)
            return false;
        profiles << relayProfile(*server, name, username);
        servers.push_back(std::move(server));
        return true;
    }
};

// The caller's words (relaydeck-cli's and the desktop's are tested with their tables).
class CallersWording : public AdviceWording
{
public:
    QString where(const SettingChanges& changes) const override
    {
        QStringList ids;
        for (const SettingChange& change : changes)
            ids << settingId(change.setting);
        return u"<where %1>"_s.arg(ids.join(u','));
    }
    QString missingSecret(const MissingSecret& missing) const override
    {
        return u"<missing for %1>"_s.arg(missing.profileName);
    }
};

// Empty when every report the spy caught passed; else the first failure's message.
QString firstFailure(const QSignalSpy& reports)
{
    for (const QList<QVariant>& report : reports) {
        const TestReport passed = report.at(1).value<TestReport>();
        if (!passed.ok)
            return passed.error.message.isEmpty() ? u"failed"_s : passed.error.message;
    }
    return {};
}

} // namespace

class TestProfileTestBatch : public QObject
{
    Q_OBJECT

private slots:
    void testsAllAtOnceByDefault()
    {
        // Twenty relays: with the default bound every test runs at the same time, so the batch
        // costs about one test's wall time.
        QCOMPARE_GE(ProfileTestBatch::defaultMaxParallel, 50);
        MemorySecretStore keychain;
        Fleet fleet;
        for (int i = 0; i < 20; ++i)
            QVERIFY(fleet.add(false, u"Relay %1"_s.arg(i)));
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        batch.start(fleet.profiles);
        QVERIFY(batch.isRunning());
        QCOMPARE(batch.total(), 20);
        QVERIFY(finished.wait(30000));
        QCOMPARE(batch.peakParallel(), 20);
        QCOMPARE(reports.count(), 20);
        QVERIFY2(firstFailure(reports).isEmpty(), qPrintable(firstFailure(reports)));
        QCOMPARE(keychain.operationCount(), 0); // nothing to read for these profiles
        QVERIFY(!batch.isRunning());
    }

    void respectsTheBound()
    {
        MemorySecretStore keychain;
        Fleet fleet;
        for (int i = 0; i < 7; ++i)
            QVERIFY(fleet.add(false, u"Relay %1"_s.arg(i)));
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        batch.setMaxParallel(3);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        QSignalSpy progress(&batch, &ProfileTestBatch::progress);
        batch.start(fleet.profiles);
        QVERIFY(finished.wait(30000));
        QCOMPARE(batch.peakParallel(), 3);
        QCOMPARE(progress.last().at(0).toInt(), 7);
        QCOMPARE(progress.last().at(1).toInt(), 7);
    }

    void respectsTheBoundWithoutServers()
    {
        // The bound is the batch's bookkeeping: a hundred profiles, no server needed.
        MemorySecretStore keychain;
        FakeSmtpSessionFactory sessions;
        QList<ConnectionProfile> profiles;
        for (int i = 0; i < 100; ++i) {
            ConnectionProfile profile;
            profile.id = QUuid::createUuid();
            profile.name = u"Fake %1"_s.arg(i);
            profile.host = u"127.0.0.1"_s;
            profile.port = 2525;
            profile.security = Security::None;
            profile.timeoutSeconds = 5;
            profiles << profile;
        }
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        batch.setSessionFactory(sessions);
        batch.setMaxParallel(7);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        batch.start(profiles);
        QVERIFY(finished.wait(30000));
        QCOMPARE(batch.peakParallel(), 7);
        QCOMPARE(reports.count(), 100);
        QVERIFY2(firstFailure(reports).isEmpty(), qPrintable(firstFailure(reports)));
        QCOMPARE(sessions.created, 100);
    }

    void firstKeychainReadGoesAlone()
    {
        // A locked keyring asks to be unlocked on the first read: one prompt, not one per
        // profile. The other profiles' reads wait for its answer, then run in parallel; a
        // profile without secrets does not wait at all.
        HeldSecretStore keychain;
        Fleet fleet;
        for (int i = 0; i < 4; ++i) {
            QVERIFY(fleet.add(true, u"Auth %1"_s.arg(i), u"ops"_s));
            keychain.values.insert(secretKey(fleet.profiles.last().id, SecretSlot::SmtpPassword),
                                   u"pw%1"_s.arg(i));
        }
        QVERIFY(fleet.add(false, u"Open relay"_s));
        const QList<ConnectionProfile>& profiles = fleet.profiles;
        const QUuid openRelay = profiles.last().id;

        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        QSignalSpy started(&batch, &ProfileTestBatch::profileStarted);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start(profiles);
        QCOMPARE(keychain.pendingProfiles(),
                 QSet<QString>{profiles.first().id.toString(QUuid::WithoutBraces)});
        QCOMPARE(started.count(), 2); // the first with secrets, and the open relay
        QCOMPARE(started.last().at(0).toUuid(), openRelay);

        // The first profile's slots are read one after the other; nobody else reads meanwhile.
        while (
            keychain.pendingProfiles().size() == 1 &&
            keychain.pendingProfiles().contains(profiles.first().id.toString(QUuid::WithoutBraces)))
            keychain.answerPending();
        // Then the other three read at the same time.
        QCOMPARE(keychain.pendingProfiles().size(), 3);
        QCOMPARE(started.count(), 5);
        while (!keychain.pending.isEmpty())
            keychain.answerPending();
        QVERIFY(finished.wait(30000));
        QCOMPARE(keychain.reads, 4); // only the SMTP password: nothing else can be used
        QCOMPARE(reports.count(), 5);
        QVERIFY2(firstFailure(reports).isEmpty(), qPrintable(firstFailure(reports)));
        for (const auto& server : fleet.servers)
            QVERIFY2(server->failures().isEmpty(), qPrintable(server->log()));
    }

    void passwordsAreReadWhileConnecting()
    {
        // After the keychain's first answer, the other profiles connect while their passwords
        // are read (QtKeychain reads one after the other): each test waits at AUTH, sends its
        // password once it has it, and one whose password is missing ends as not tested
        // without sending any credential.
        HeldSecretStore keychain;
        Fleet fleet;
        for (int i = 0; i < 4; ++i) {
            QVERIFY(fleet.add(true, u"Auth %1"_s.arg(i), u"ops"_s));
            if (i < 3)
                keychain.values.insert(
                    secretKey(fleet.profiles.last().id, SecretSlot::SmtpPassword),
                    u"pw%1"_s.arg(i));
        }
        const auto& servers = fleet.servers;
        const QUuid noPassword = fleet.profiles.last().id;
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start(fleet.profiles);
        keychain.answerPending(); // the first profile's read, alone
        QCOMPARE(keychain.pendingProfiles().size(), 3);
        // The other three reach AUTH while their reads are still out, and wait there.
        for (int i = 1; i < 4; ++i)
            QTRY_COMPARE(servers.at(i)->plaintextLines().size(), 1); // EHLO
        QTest::qWait(100);
        for (int i = 1; i < 4; ++i)
            QCOMPARE(servers.at(i)->plaintextLines().size(), 1);
        QCOMPARE(keychain.pendingProfiles().size(), 3);
        keychain.answerPending();
        QVERIFY(finished.wait(30000));
        QCOMPARE(reports.count(), 3);
        for (const QList<QVariant>& report : std::as_const(reports))
            QVERIFY(report.at(0).toUuid() != noPassword);
        QVERIFY2(firstFailure(reports).isEmpty(), qPrintable(firstFailure(reports)));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(servers.at(i)->failures().isEmpty(), qPrintable(servers.at(i)->log()));
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toUuid(), noPassword);
        QVERIFY2(skipped.first().at(1).toString().contains(u"No password is stored"_s),
                 qPrintable(skipped.first().at(1).toString()));
        for (const QByteArray& line : servers.back()->plaintextLines())
            QVERIFY2(!line.startsWith("AUTH"), line.constData());
    }

    void noPasswordIsNotTestedWhateverTheHost()
    {
        // A profile whose password is missing is "not tested", also when its test, started
        // while the password was read, ends sooner at the server (here: a closed port).
        HeldSecretStore keychain;
        Fleet fleet;
        QVERIFY(fleet.add(true, u"First"_s, u"ops"_s));
        keychain.values.insert(secretKey(fleet.profiles.first().id, SecretSlot::SmtpPassword),
                               u"pw"_s);
        quint16 closedPort = 0;
        {
            auto gone = relay(true);
            QVERIFY(gone);
            closedPort = gone->port();
        }
        ConnectionProfile unreachable = scriptedProfile(closedPort, Security::None);
        unreachable.id = QUuid::createUuid();
        unreachable.name = u"Unreachable"_s;
        unreachable.auth.username = u"ops"_s;
        unreachable.auth.mechanism = AuthMechanism::Plain;
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start({fleet.profiles.first(), unreachable});
        keychain.answerPending();      // the first read; the second profile connects while it reads
        QTest::qWait(300);             // long enough for the closed port to refuse
        QCOMPARE(finished.count(), 0); // held until the keychain answers
        keychain.answerPending();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(reports.count(), 1);
        QCOMPARE(reports.first().at(0).toUuid(), fleet.profiles.first().id);
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toUuid(), unreachable.id);
        QVERIFY2(skipped.first().at(1).toString().contains(u"No password is stored"_s),
                 qPrintable(skipped.first().at(1).toString()));
    }

    void missingSecretsAreSkippedInTheCallersWords()
    {
        CallersWording wording;
        const QString advice = u"<missing for No password>"_s;
        MemorySecretStore keychain;
        auto server = relay(false);
        QVERIFY(server);
        const ConnectionProfile profile = relayProfile(*server, u"No password"_s, u"ops"_s);
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        batch.setWording(wording);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start({profile});
        QVERIFY(finished.wait(10000));
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toUuid(), profile.id);
        QVERIFY2(skipped.first().at(1).toString().contains(advice),
                 qPrintable(skipped.first().at(1).toString()));
        QCOMPARE(server->connectionCount(), 0); // never connects without the password
    }

    void keychainFailureSkipsWhatNeedsIt()
    {
        MemorySecretStore keychain;
        keychain.setFailure(u"The keyring is locked."_s);
        auto authRelay = relay(true);
        auto openRelay = relay(false);
        QVERIFY(authRelay && openRelay);
        const ConnectionProfile withSecrets = relayProfile(*authRelay, u"Auth"_s, u"ops"_s);
        const ConnectionProfile without = relayProfile(*openRelay, u"Open"_s);
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start({withSecrets, without});
        QVERIFY(finished.wait(10000));
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toUuid(), withSecrets.id);
        QVERIFY2(skipped.first().at(1).toString().contains(u"locked"_s),
                 qPrintable(skipped.first().at(1).toString()));
        QCOMPARE(reports.count(), 1);
        QCOMPARE(reports.first().at(0).toUuid(), without.id);
        QVERIFY(reports.first().at(1).value<TestReport>().ok);
        QCOMPARE(authRelay->connectionCount(), 0);
    }

    // An OAuth profile that is not signed in is not tested; the reason says how to sign in, in
    // the caller's words (the desktop: Authentication tab → Sign In…).
    void oauthSignInMissingIsSkippedInTheCallersWords()
    {
        CallersWording wording;
        MemorySecretStore keychain;
        auto server = relay(true);
        QVERIFY(server);
        ConnectionProfile profile = relayProfile(*server, u"Mail"_s, u"me@example.com"_s);
        profile.auth.mechanism = AuthMechanism::XOAuth2;
        profile.oauth.provider = OAuthProvider::Custom;
        profile.oauth.clientId = u"relaydeck-test"_s;
        profile.oauth.authorizationUrl = u"http://127.0.0.1:1/auth"_s;
        profile.oauth.tokenUrl = u"http://127.0.0.1:1/token"_s;
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        batch.setWording(wording);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start({profile});
        QVERIFY(finished.wait(10000));
        QCOMPARE(skipped.count(), 1);
        const QString reason = skipped.first().at(1).toString();
        QVERIFY2(reason.contains(u"not signed in"_s), qPrintable(reason));
        QVERIFY2(reason.contains(u"<where oauth-sign-in>"_s), qPrintable(reason));
        QCOMPARE(server->connectionCount(), 0);
    }

    void cancelStopsEverything()
    {
        MemorySecretStore keychain;
        std::vector<std::unique_ptr<ScriptedSmtpServer>> servers;
        QList<ConnectionProfile> profiles;
        for (int i = 0; i < 4; ++i) {
            servers.push_back(std::make_unique<ScriptedSmtpServer>(SmtpScript().silent()));
            QVERIFY(servers.back()->listen());
            ConnectionProfile profile = relayProfile(*servers.back(), u"Silent %1"_s.arg(i));
            profile.timeoutSeconds = 60;
            profiles << profile;
        }
        ProfileLibrary library(QString(), keychain);
        ProfileTestBatch batch(library);
        batch.setMaxParallel(2);
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        QSignalSpy skipped(&batch, &ProfileTestBatch::profileSkipped);
        QSignalSpy reports(&batch, &ProfileTestBatch::profileFinished);
        batch.start(profiles);
        QTRY_VERIFY(servers.at(0)->isClientConnected() && servers.at(1)->isClientConnected());
        batch.cancel();
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QCOMPARE(skipped.count(), 2); // the queued two never started
        QCOMPARE(reports.count(), 2); // the running two ended as cancelled
        QCOMPARE(reports.at(0).at(1).value<TestReport>().error.id, u"cancelled"_s);
        QVERIFY(!batch.isRunning());
        QCOMPARE(servers.at(2)->connectionCount(), 0);
    }
};

QTEST_MAIN(TestProfileTestBatch)
#include "tst_profiletestbatch.moc"
