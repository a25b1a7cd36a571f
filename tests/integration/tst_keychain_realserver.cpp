// Stored profiles with their password in the real OS keychain, against a real SMTP server:
// `relaydeck-cli test NAME` takes the password from gnome-keyring (Secret Service) and logs in
// to aiosmtpd; the msmtp export, run by the real msmtp with its passwordeval/secret-tool line,
// sends a message through the same server. Like tst_keychain, the test starts its own D-Bus
// session with an unlocked gnome-keyring and a temporary HOME and re-runs itself inside it.
#include "PrivateKeyringSession.h"
#include "RealServers.h"
#include "ServerLaunch.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"carol@example.test"_s;
const QString password = u"Kr-s3cret \u00f8-%1"_s.arg(QCoreApplication::applicationPid());
const QString senderAddress = u"carol@example.test"_s;
const QString recipient = u"dave@example.test"_s;

} // namespace

class TestKeychainRealServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QString configDir;
    QProcessEnvironment environment; // no password variable: it must come from the keychain
    RealServer server;

    CliRun cli(const QStringList& arguments, const QProcessEnvironment& env)
    {
        return runCli(arguments, env);
    }

    QString profileId(const QString& name)
    {
        return cli({u"show"_s, name, u"--json"_s}, environment).json().value(u"id"_s).toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        configDir = dir.filePath(u"config"_s);
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir);
        environment.remove(u"RELAYDECK_TEST_PASSWORD"_s);

        RealServerOptions options;
        options.user = user;
        options.password = password;
        options.requireAuth = true; // msmtp must really log in to get its message accepted
        QVERIFY2(server.startAiosmtpd(options), qPrintable(server.errorString()));

        // The password goes into the keychain once, through the CLI.
        QProcessEnvironment adding = environment;
        adding.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        const CliRun add = cli({u"add"_s,
                                u"mailbox"_s,
                                u"--host"_s,
                                u"127.0.0.1"_s,
                                u"--port"_s,
                                QString::number(server.port()),
                                u"--security"_s,
                                u"starttls"_s,
                                u"--auth"_s,
                                u"plain"_s,
                                u"--user"_s,
                                user,
                                u"--password-env"_s,
                                u"RELAYDECK_TEST_PASSWORD"_s,
                                u"--ca-file"_s,
                                RealServer::caFile(),
                                u"--helo"_s,
                                u"client.test"_s,
                                u"--from"_s,
                                senderAddress,
                                u"--timeout"_s,
                                u"15"_s},
                               adding);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(secretToolLookup(profileId(u"mailbox"_s) + u":smtp-password"_s), password);
    }

    void testNameUsesTheKeychainPassword()
    {
        const CliRun run = cli({u"test"_s, u"mailbox"_s, u"--json"_s}, environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + server.log().right(3000)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"profile"_s).toString(), u"mailbox"_s);
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"mechanism"_s).toString(), u"PLAIN"_s);
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);
        QVERIFY(server.log().contains(u"AUTH PLAIN for '%1': accepted"_s.arg(user)));
    }

    void testNameSendsWithTheKeychainPassword()
    {
        const int before = server.messages().size();
        const CliRun run =
            cli({u"test"_s, u"mailbox"_s, u"--send-to"_s, recipient, u"--json"_s}, environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + server.log().right(3000)));
        const QStringList messages = server.messages();
        QCOMPARE(messages.size(), before + 1);
        const QJsonObject envelope = RealServer::envelope(messages.last());
        QCOMPARE(envelope.value(u"mail_from"_s).toString(), senderAddress);
        QCOMPARE(envelope.value(u"authenticated_as"_s).toString(), user);
    }

    // Test all in one process: each stored connection is tested with its own keychain
    // password, the keychain reads running in parallel after the first; a wrong stored
    // password fails that connection only, and one with no password stored is not tested.
    void testAllUsesEachConnectionsKeychainPassword()
    {
        QProcessEnvironment fleet = environment;
        fleet.insert(u"RELAYDECK_CONFIG_DIR"_s, dir.filePath(u"fleet"_s));
        const auto add = [&](const QString& name, const QString& secret) {
            QProcessEnvironment adding = fleet;
            QStringList arguments{u"add"_s,        name,
                                  u"--host"_s,     u"127.0.0.1"_s,
                                  u"--port"_s,     QString::number(server.port()),
                                  u"--security"_s, u"starttls"_s,
                                  u"--auth"_s,     u"plain"_s,
                                  u"--user"_s,     user,
                                  u"--ca-file"_s,  RealServer::caFile(),
                                  u"--timeout"_s,  u"15"_s};
            if (!secret.isEmpty()) {
                adding.insert(u"RELAYDECK_TEST_PASSWORD"_s, secret);
                arguments << u"--password-env"_s << u"RELAYDECK_TEST_PASSWORD"_s;
            }
            return cli(arguments, adding);
        };
        for (const QString& name : {u"relay-1"_s, u"relay-2"_s, u"relay-3"_s}) {
            const CliRun run = add(name, password);
            QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        }
        CliRun run = add(u"stale"_s, password + u"-old"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = add(u"unsaved"_s, QString());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

        const int logins = int(server.log().count(u"AUTH PLAIN for '%1': accepted"_s.arg(user)));
        run = cli({u"test"_s, u"--all"_s, u"--json"_s}, fleet);
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe())); // one could not be tested
        QVERIFY(!run.out.contains(password.toUtf8()) && !run.err.contains(password.toUtf8()));
        const QJsonObject summary = run.json();
        QCOMPARE(summary.value(u"total"_s).toInt(), 5);
        QCOMPARE(summary.value(u"passed"_s).toInt(), 3);
        QCOMPARE(summary.value(u"failed"_s).toInt(), 1);
        QCOMPARE(summary.value(u"notTested"_s).toInt(), 1);
        const QJsonArray results = summary.value(u"results"_s).toArray();
        QCOMPARE(results.size(), 5);
        QStringList names;
        for (const QJsonValue& result : results)
            names << result.toObject().value(u"profile"_s).toString();
        QCOMPARE(names,
                 (QStringList{u"relay-1"_s, u"relay-2"_s, u"relay-3"_s, u"stale"_s, u"unsaved"_s}));
        for (int i = 0; i < 3; ++i) {
            const QJsonObject report = results.at(i).toObject();
            QVERIFY(report.value(u"ok"_s).toBool());
            QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);
        }
        QCOMPARE(results.at(3).toObject().value(u"error"_s).toObject().value(u"id"_s).toString(),
                 u"auth-failed"_s);
        QVERIFY(results.at(4).toObject().value(u"notTested"_s).toString().contains(u"password"_s));
        QCOMPARE(server.log().count(u"AUTH PLAIN for '%1': accepted"_s.arg(user)), logins + 3);

        // Without the connection that cannot be tested, the wrong password decides (exit 1);
        // without both, everything passes, one connection at a time if asked.
        QCOMPARE(cli({u"remove"_s, u"unsaved"_s}, fleet).exitCode, 0);
        run = cli({u"test"_s, u"--all"_s}, fleet);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QVERIFY(run.out.contains("stale") && run.out.contains("auth-failed"));
        QCOMPARE(cli({u"remove"_s, u"stale"_s}, fleet).exitCode, 0);
        run = cli({u"test"_s, u"--all"_s, u"--parallel"_s, u"1"_s}, fleet);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains("3 passed, 0 failed, 0 not tested"), run.out.constData());
    }

    // What the keychain holds decides: a wrong stored password fails with auth-failed, and a
    // password given for one run overrides the stored one without replacing it.
    void theStoredPasswordIsWhatIsUsed()
    {
        QProcessEnvironment wrong = environment;
        wrong.insert(u"RELAYDECK_WRONG_PASSWORD"_s, password + u"-old"_s);
        CliRun run = cli(
            {u"set"_s, u"mailbox"_s, u"--password-env"_s, u"RELAYDECK_WRONG_PASSWORD"_s}, wrong);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = cli({u"test"_s, u"mailbox"_s, u"--json"_s}, environment);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"id"_s).toString(),
                 u"auth-failed"_s);

        QProcessEnvironment right = environment;
        right.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        run = cli({u"test"_s, u"mailbox"_s, u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s,
                   u"--json"_s},
                  right);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString id = profileId(u"mailbox"_s);
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password + u"-old"_s);

        run =
            cli({u"set"_s, u"mailbox"_s, u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s}, right);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password);
    }

    // The msmtp export works as-is: real msmtp reads it, fetches the password with the
    // secret-tool command it names, and sends through the real server.
    void msmtpExportSendsAMessage()
    {
        const QString exported = dir.filePath(u"msmtprc"_s);
        const CliRun run =
            cli({u"export"_s, u"mailbox"_s, u"--format"_s, u"msmtp"_s, u"--output"_s, exported},
                environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QByteArray config = readWholeFile(exported);
        QVERIFY(!config.contains(password.toUtf8()));
        QVERIFY(config.contains("passwordeval"));
        // msmtp refuses a configuration file others can read.
        QVERIFY(QFile::setPermissions(exported, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const QRegularExpressionMatch account =
            QRegularExpression(u"^account\\s+([^\\s:]+)\\s*$"_s,
                               QRegularExpression::MultilineOption)
                .match(QString::fromUtf8(config));
        QVERIFY2(account.hasMatch(), config.constData());

        const int before = server.messages().size();
        const QByteArray message = "From: <" + senderAddress.toUtf8() + ">\r\nTo: <" +
                                   recipient.toUtf8() +
                                   ">\r\nSubject: msmtp export test\r\n\r\nSent by msmtp.\r\n";
        QProcess msmtp;
        msmtp.setProcessEnvironment(environment);
        msmtp.start(u"msmtp"_s, {u"-C"_s, exported, u"-a"_s, account.captured(1), recipient});
        QVERIFY2(msmtp.waitForStarted(10000), "msmtp is missing (Debian package msmtp)");
        msmtp.write(message);
        msmtp.closeWriteChannel();
        QVERIFY(msmtp.waitForFinished(60000));
        QVERIFY2(msmtp.exitCode() == 0,
                 qPrintable(QString::fromUtf8(msmtp.readAllStandardError() + config) +
                            server.log().right(3000)));

        const QStringList messages = server.messages();
        QCOMPARE(messages.size(), before + 1);
        const QJsonObject envelope = RealServer::envelope(messages.last());
        QCOMPARE(envelope.value(u"authenticated_as"_s).toString(), user);
        QCOMPARE(envelope.value(u"mail_from"_s).toString(), senderAddress);
        QCOMPARE(envelope.value(u"rcpt_tos"_s).toArray().toVariantList(), QVariantList{recipient});
        QVERIFY(readWholeFile(messages.last()).contains("Subject: msmtp export test"));
    }

    void cleanupTestCase() { QCOMPARE(cli({u"remove"_s, u"mailbox"_s}, environment).exitCode, 0); }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::Required))
        return *code;
    QCoreApplication app(argc, argv);
    TestKeychainRealServer test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychain_realserver.moc"
