// Secrets supplied at run time (issue 16), as users run relaydeck-cli: stored connections whose
// password comes from an environment variable or a command, and whose user name comes from a
// variable, tested against a real aiosmtpd (STARTTLS, AUTH PLAIN) with NO keychain reachable
// (the D-Bus session points nowhere). An msmtprc's foreign passwordeval imports as a disabled
// command that `test` refuses until `set --enable-password-command`.
#include "CliTesting.h"
#include "RealServers.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"carol@example.test"_s;
const QString password = u"Run-Time %1 pw"_s.arg(QCoreApplication::applicationPid());

} // namespace

class TestCliRuntimeSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QTemporaryDir files;
    QProcessEnvironment environment;
    RealServer server;
    QString passwordFile;

    CliRun cli(const QStringList& arguments, int timeoutMs = 60000)
    {
        return runCli(arguments, environment, {}, timeoutMs);
    }

    // add NAME for the server, PLAIN over STARTTLS, then `extra`.
    void addConnection(const QString& name, const QStringList& extra)
    {
        const CliRun run = cli(QStringList{u"add"_s, name, u"--host"_s, server.host(), u"--port"_s,
                                           QString::number(server.port()), u"--security"_s,
                                           u"starttls"_s, u"--ca-file"_s, RealServer::caFile(),
                                           u"--auth"_s, u"plain"_s, u"--helo"_s, u"client.test"_s} +
                               extra);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    }

    // `test NAME --json`: the report, and the exit code checked against `exitCode`.
    QJsonObject testJson(const QString& name, int exitCode)
    {
        const CliRun run = cli({u"test"_s, name, u"--json"_s});
        [&] { QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe())); }();
        return run.json();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid() && files.isValid());
        environment = cliEnvironmentWithoutKeychain(configDir.path());
        environment.insert(u"RELAYDECK_TEST_SMTP_PW"_s, password);
        environment.insert(u"RELAYDECK_TEST_WRONG_PW"_s, password + u"-typo"_s);
        environment.insert(u"RELAYDECK_TEST_SMTP_USER"_s, user);
        environment.remove(u"RELAYDECK_TEST_UNSET"_s);
        passwordFile = files.filePath(u"password.txt"_s);
        QFile file(passwordFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(password.toUtf8() + "\nsecond line, not the password\n");
        file.close();

        RealServerOptions options;
        options.user = user;
        options.password = password;
        options.mechanisms = {u"PLAIN"_s};
        QVERIFY2(server.startAiosmtpd(options), qPrintable(server.errorString()));
    }

    void passwordFromEnvironment()
    {
        addConnection(u"env"_s,
                      {u"--user"_s, user, u"--password-from-env"_s, u"RELAYDECK_TEST_SMTP_PW"_s});
        const QJsonObject report = testJson(u"env"_s, 0);
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);

        // The variable's value is what is sent: a wrong one fails at AUTH.
        CliRun run =
            cli({u"set"_s, u"env"_s, u"--password-from-env"_s, u"RELAYDECK_TEST_WRONG_PW"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(errorField(testJson(u"env"_s, 1), u"id"_s), u"auth-failed"_s);

        // Not set: the test ends before connecting, saying which variable.
        run = cli({u"set"_s, u"env"_s, u"--password-from-env"_s, u"RELAYDECK_TEST_UNSET"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject unset = testJson(u"env"_s, 1);
        QCOMPARE(errorField(unset, u"id"_s), u"password-source-failed"_s);
        QVERIFY2(errorField(unset, u"message"_s).contains(u"RELAYDECK_TEST_UNSET"_s),
                 qPrintable(errorField(unset, u"message"_s)));
        QCOMPARE(stageIds(unset), QStringList{u"auth"_s});

        run = cli({u"show"_s, u"env"_s});
        QVERIFY2(run.out.contains("environment variable RELAYDECK_TEST_UNSET"),
                 qPrintable(run.describe()));
    }

    void passwordAndUserFromCommandAndEnvironment()
    {
        addConnection(u"cmd"_s, {u"--user-from-env"_s, u"RELAYDECK_TEST_SMTP_USER"_s,
                                 u"--password-command"_s, u"cat '%1'"_s.arg(passwordFile)});
        QJsonObject report = testJson(u"cmd"_s, 0);
        QCOMPARE(report.value(u"ok"_s).toBool(), true);

        // The listing says where the password and the user name come from.
        CliRun run = cli({u"list"_s});
        QVERIFY2(run.out.contains("$RELAYDECK_TEST_SMTP_USER") && run.out.contains("command cat"),
                 qPrintable(run.describe()));
        // The password is in no output, the command line is.
        run = cli({u"test"_s, u"cmd"_s, u"--transcript"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(!run.out.contains(password.toUtf8()) && !run.err.contains(password.toUtf8()));
    }

    void commandFailureAndTimeout()
    {
        addConnection(u"failing"_s, {u"--user"_s, user, u"--password-command"_s,
                                     u"sh -c 'echo \"vault is locked\" >&2; exit 4'"_s});
        QJsonObject report = testJson(u"failing"_s, 1);
        QCOMPARE(errorField(report, u"id"_s), u"password-source-failed"_s);
        QVERIFY2(errorField(report, u"message"_s).contains(u"exit status 4"_s) &&
                     errorField(report, u"message"_s).contains(u"vault is locked"_s),
                 qPrintable(errorField(report, u"message"_s)));

        CliRun run = cli({u"set"_s, u"failing"_s, u"--password-command"_s, u"sleep 30"_s,
                          u"--timeout"_s, u"2"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = cli({u"test"_s, u"failing"_s, u"--json"_s}, 20000);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QVERIFY2(run.ms < 10000, qPrintable(QString::number(run.ms)));
        QVERIFY2(errorField(run.json(), u"message"_s).contains(u"did not finish within 2"_s),
                 qPrintable(run.describe()));
    }

    void importedCommandStaysDisabledUntilEnabled()
    {
        const QString rc = files.filePath(u"msmtprc"_s);
        QFile file(rc);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(u"account sent\nhost %1\nport %2\ntls on\ntls_starttls on\ntls_trust_file %3\n"
                   "auth plain\nuser %4\ndomain client.test\npasswordeval \"cat '%5'\"\n"_s
                       .arg(server.host())
                       .arg(server.port())
                       .arg(RealServer::caFile(), user, passwordFile)
                       .toUtf8());
        file.close();
        CliRun run = cli({u"import"_s, rc});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains("relaydeck-cli set sent --enable-password-command"),
                 qPrintable(run.describe()));
        run = cli({u"list"_s});
        QVERIFY2(run.out.contains("DISABLED"), qPrintable(run.describe()));

        QJsonObject report = testJson(u"sent"_s, 1);
        QCOMPARE(errorField(report, u"id"_s), u"password-command-disabled"_s);
        QVERIFY2(errorField(report, u"hint"_s)
                     .contains(u"relaydeck-cli set sent --enable-password-command"_s),
                 qPrintable(errorField(report, u"hint"_s)));

        run = cli({u"set"_s, u"sent"_s, u"--enable-password-command"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        report = testJson(u"sent"_s, 0);
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        run = cli({u"show"_s, u"sent"_s, u"--json"_s});
        QCOMPARE(run.json()
                     .value(u"auth"_s)
                     .toObject()
                     .value(u"passwordSource"_s)
                     .toObject()
                     .value(u"enabled"_s)
                     .toBool(false),
                 true);
    }

    // Test all takes run-time passwords as given: no keychain, and no "not tested".
    void testAllUsesRunTimeSources()
    {
        CliRun run =
            cli({u"set"_s, u"env"_s, u"--password-from-env"_s, u"RELAYDECK_TEST_SMTP_PW"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = cli({u"set"_s, u"failing"_s, u"--password-from-env"_s, u"RELAYDECK_TEST_SMTP_PW"_s,
                   u"--timeout"_s, u"15"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = cli({u"test"_s, u"--all"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonArray results = run.json().value(u"results"_s).toArray();
        QVERIFY2(results.size() == 4, qPrintable(run.describe()));
        QCOMPARE(run.json().value(u"passed"_s).toInt(), 4);
        QCOMPARE(run.json().value(u"notTested"_s).toInt(), 0);
    }

    void cleanupTestCase() { server.stop(); }
};

QTEST_GUILESS_MAIN(TestCliRuntimeSecrets)
#include "tst_cli_runtimesecrets.moc"
