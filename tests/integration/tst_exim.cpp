// relaydeck-cli test against a real Exim 4 (Debian's exim4-daemon-heavy, run from its unpacked
// package by servers/exim.py on free loopback ports in a private mount namespace): GnuTLS
// STARTTLS and implicit TLS, the plaintext (PLAIN/LOGIN, only after TLS), cram_md5 and spa
// (NTLMv1 only) authenticators, and a message delivered to Exim's maildir. The CLI runs as a
// separate process, exactly as users run it; the password reaches it through --password-env.
#include "CliTesting.h"
#include "EximServer.h"
#include "RealServers.h"
#include "ServerLaunch.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"alice@example.test"_s;
// Spaces, punctuation and a non-ASCII letter: the SASL encodings must carry them unchanged.
const QString password = u"Corr3ct horse:b\u00e4ttery-%1"_s.arg(QCoreApplication::applicationPid());

} // namespace

class TestExim : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QProcessEnvironment environment;
    EximServer exim;

    CliRun test(int port, const QString& security, const QStringList& extra,
                const QString& passwordVariable = u"RELAYDECK_TEST_PASSWORD"_s)
    {
        // "localhost": the test certificate's name (it holds 127.0.0.1 too).
        return runCli(adHocTestArguments(u"localhost"_s, port, security,
                                         extra + QStringList{u"--ca-file"_s, RealServer::caFile(),
                                                             u"--json"_s, u"--transcript"_s},
                                         passwordVariable),
                      environment);
    }

    static QStringList login(const QString& mechanism)
    {
        return {u"--auth"_s, mechanism, u"--user"_s, user};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid());
        QVERIFY2(!RealServer::caFile().isEmpty(), qPrintable(RealServer::certificatesError()));
        environment = cliEnvironmentWithoutKeychain(configDir.path());
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        environment.insert(u"RELAYDECK_WRONG_PASSWORD"_s, password + u"x"_s);
        const bool started = exim.start(user, password);
        // Exim needs a private mount namespace (root); CI runs as root, where this never skips.
        if (!started && exim.unavailable() && geteuid() != 0)
            QSKIP("Exim needs root for its private mount namespace");
        QVERIFY2(started, qPrintable(exim.errorString()));
    }

    void login_data()
    {
        QTest::addColumn<QString>("mechanism");
        QTest::addColumn<QString>("security");
        QTest::newRow("plain/starttls") << u"plain"_s << u"starttls"_s;
        QTest::newRow("login/starttls") << u"login"_s << u"starttls"_s;
        QTest::newRow("cram-md5/starttls") << u"cram-md5"_s << u"starttls"_s;
        QTest::newRow("plain/tls") << u"plain"_s << u"tls"_s;
    }

    void login()
    {
        QFETCH(QString, mechanism);
        QFETCH(QString, security);
        const int port = security == u"tls"_s ? exim.submissionsPort() : exim.submissionPort();
        CliRun run = test(port, security, login(mechanism));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + exim.log().right(3000)));
        QJsonObject report = run.json();
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"mechanism"_s).toString(),
                 mechanism.toUpper());
        QCOMPARE(report.value(u"tls"_s).toObject().value(u"verified"_s).toBool(), true);
        QVERIFY(report.value(u"server"_s)
                    .toObject()
                    .value(u"greeting"_s)
                    .toString()
                    .contains(u"Exim 4"_s));

        // The same with a wrong password: the server's 535, as auth-failed.
        run = test(port, security, login(mechanism), u"RELAYDECK_WRONG_PASSWORD"_s);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        report = run.json();
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"auth-failed"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"auth"_s);
        QVERIFY2(error.value(u"serverReply"_s).toString().startsWith(u"535"_s),
                 qPrintable(run.describe()));
        QVERIFY(!error.value(u"hint"_s).toString().isEmpty());
    }

    // Exim's spa authenticator does NTLMv1 only, which Relaydeck declines: the verdict is
    // about the mechanism, the same for a right and a wrong password (the server saw neither).
    void ntlmV1OnlyIsMechanismUnavailable_data()
    {
        QTest::addColumn<QString>("passwordVariable");
        QTest::newRow("right password") << u"RELAYDECK_TEST_PASSWORD"_s;
        QTest::newRow("wrong password") << u"RELAYDECK_WRONG_PASSWORD"_s;
    }

    void ntlmV1OnlyIsMechanismUnavailable()
    {
        QFETCH(QString, passwordVariable);
        const CliRun run =
            test(exim.submissionPort(), u"starttls"_s, login(u"ntlm"_s), passwordVariable);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject report = run.json();
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"auth-mechanism-unavailable"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"auth"_s);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"NTLMv1"_s),
                 qPrintable(run.describe()));
        // Exim's 334 challenge is no verdict on anything.
        QCOMPARE(error.value(u"serverReply"_s).toString(), QString());
        const QString hint = error.value(u"hint"_s).toString();
        QVERIFY2(hint.contains(u"CRAM-MD5"_s) && hint.contains(u"--auth"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"password"_s), qPrintable(hint));
        // The exchange was cancelled ("*"): no NTLM authenticate message went out.
        const QStringList lines = clientLines(report);
        QCOMPARE(lines.filter(u"AUTH NTLM"_s).size(), 1);
        QVERIFY2(lines.contains(u"*"_s), qPrintable(lines.join(u'\n')));
        QVERIFY2(!lines.contains(u"<redacted>"_s), qPrintable(lines.join(u'\n')));
    }

    // Like Debian's default configuration, Exim offers PLAIN only after TLS: without TLS the
    // profile's PLAIN is not offered, and no credential goes out in the clear.
    void plainWithheldBeforeTls()
    {
        const CliRun run = test(exim.submissionPort(), u"none"_s, login(u"plain"_s));
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject report = run.json();
        const QJsonObject server = report.value(u"server"_s).toObject();
        const QVariantList mechanisms = server.value(u"authMechanisms"_s).toArray().toVariantList();
        QVERIFY(!mechanisms.contains(u"PLAIN"_s));
        QVERIFY(mechanisms.contains(u"CRAM-MD5"_s));
        QVERIFY(server.value(u"capabilities"_s).toArray().toVariantList().contains(u"STARTTLS"_s));
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"auth-mechanism-unavailable"_s);
        // The advice is the STARTTLS the server advertises, not another mechanism (one cause,
        // one hint).
        const QString hint = error.value(u"hint"_s).toString();
        QVERIFY2(hint.contains(u"--security starttls"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"cram-md5"_s, Qt::CaseInsensitive), qPrintable(hint));
        QVERIFY(clientLines(report).filter(u"AUTH"_s).isEmpty());
    }

    // STARTTLS against Exim's implicit-TLS port: Exim waits for a ClientHello and says nothing.
    // Relaydeck recognises that after a few seconds (a TLS handshake on a second connection
    // works), not after the whole 15 s timeout, and says to switch to implicit TLS.
    void startTlsAgainstTheImplicitTlsPort()
    {
        const CliRun run = test(exim.submissionsPort(), u"starttls"_s, {});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QVERIFY2(run.ms < 10000, qPrintable(run.describe()));
        const QJsonObject error = run.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"greeting-timeout"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"greeting"_s);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"implicit TLS"_s),
                 qPrintable(run.describe()));
        QVERIFY2(error.value(u"hint"_s).toString().contains(u"--security tls"_s),
                 qPrintable(run.describe()));
        QVERIFY(clientLines(run.json()).isEmpty()); // nothing said in plain text
    }

    void deliversTheTestMessage()
    {
        const int before = exim.messages().size();
        const QString subject = u"Relaydeck Exim test %1"_s.arg(QCoreApplication::applicationPid());
        const CliRun run =
            test(exim.submissionPort(), u"starttls"_s,
                 login(u"cram-md5"_s) << u"--from"_s << u"sender@example.test"_s << u"--send-to"_s
                                      << u"rcpt@example.test"_s << u"--subject"_s << subject);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + exim.log().right(3000)));
        // Exim delivers right after it accepted the message, in another process.
        QTRY_COMPARE_WITH_TIMEOUT(exim.messages().size(), before + 1, 10000);
        const QByteArray message = readWholeFile(exim.messages().last());
        QVERIFY2(message.contains(QByteArray(QByteArray("Subject: ") + subject.toUtf8())),
                 message.constData());
        QVERIFY2(message.contains("Envelope-to: rcpt@example.test"), message.constData());
        QVERIFY2(message.contains("Return-path: <sender@example.test>"), message.constData());
        QVERIFY2(message.contains("\nMessage-ID: <") || message.contains("\nMessage-Id: <"),
                 message.constData());
        QVERIFY(exim.log().contains(u"A=cram:%1"_s.arg(user)));
    }

    void cleanupTestCase()
    {
        exim.stop();
        QVERIFY(!exim.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestExim)

#include "tst_exim.moc"
