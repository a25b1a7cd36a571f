// Engine against scripted servers: connection, greeting, EHLO/HELO, a server that closes, and the
// security mode not matching the port (implicit TLS vs STARTTLS).

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "smtp/ErrorIds.h"
#include "smtp/SecuritySuggestion.h"

#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// A port that speaks implicit TLS and nothing else: every connection gets the server side of a
// TLS handshake and never a greeting (what a 465 listener does to a plaintext client).
class TlsOnlyPort : public QTcpServer
{
public:
    int connections = 0;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        ++connections;
        auto* socket = new QSslSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setLocalCertificate(
            TestCertificates::instance().certificate(TestCertificates::Leaf::Localhost));
        socket->setPrivateKey(TestCertificates::instance().key(TestCertificates::Leaf::Localhost));
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        socket->startServerEncryption();
    }
};

} // namespace

class TestEngineGreeting : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }

    void plainDialogueSucceedsAndQuits()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "SIZE 35882577", "8BITMIME"})
                                      .expect("QUIT")
                                      .send("221 2.0.0 Bye")
                                      .close());
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY(run.report.error.isNull());
        QCOMPARE(run.verdictCount, 1);
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(run.verdictMs <= run.finishedMs);
        QCOMPARE(run.stageIds(),
                 (QStringList{u"resolve"_s, u"connect"_s, u"greeting"_s, u"ehlo"_s, u"quit"_s}));
        QCOMPARE(run.stagesStarted, run.stageIds());
        for (const TestStage& stage : run.report.stages)
            QVERIFY2(stage.ok, qPrintable(stage.id));
        QCOMPARE(run.report.target.address, u"127.0.0.1"_s);
        QCOMPARE(run.report.target.port, int(server.port()));
        QCOMPARE(run.report.target.security, u"none"_s);
        QVERIFY(run.report.server.greeting.contains(u"test.example ESMTP ready"_s));
        QCOMPARE(run.report.server.capabilities,
                 (QStringList{u"PIPELINING"_s, u"SIZE 35882577"_s, u"8BITMIME"_s}));
        QCOMPARE(run.report.server.maxSize, 35882577);
        QVERIFY(!run.report.tls.used);
        QVERIFY(!run.report.auth.attempted);

        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.scriptFinished());
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "QUIT"}));
        // The transcript has the dialogue with directions.
        QVERIFY(run.transcriptText().contains(u"C: EHLO client.test"_s));
        QVERIFY(run.transcriptText().contains(u"S: 220 test.example ESMTP ready"_s));
        QCOMPARE(run.report.transcript.size(), run.transcript.size());
    }

    void greetingNeverComes()
    {
        ScriptedSmtpServer server(SmtpScript().silent());
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::None);
        request.profile.timeoutSeconds = 1;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::GreetingTimeout);
        QCOMPARE(run.report.error.stage, StageId::Greeting);
        QVERIFY(!run.report.ok);
        QVERIFY(!run.report.error.message.isEmpty());
        QVERIFY(!run.report.error.hint.isEmpty());
        // The timeout is the profile's (1 s), not something much longer or shorter.
        QVERIFY2(run.verdictMs >= 900 && run.verdictMs < 1900, qPrintable(explain(run, server)));
        // A client waiting for a greeting has nothing to say.
        QVERIFY2(server.clientLines().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 3000));
    }

    void greetingRejected_data()
    {
        QTest::addColumn<QByteArray>("greeting");
        QTest::newRow("554") << QByteArray("554 5.3.2 No SMTP service here");
        QTest::newRow("421") << QByteArray("421 4.3.2 Too busy, try later");
        QTest::newRow("multi-line 554") << QByteArray("554-Go away\r\n554 5.7.1 Really");
        QTest::newRow("250") << QByteArray("250 not a greeting");
    }

    void greetingRejected()
    {
        QFETCH(QByteArray, greeting);
        ScriptedSmtpServer server(SmtpScript().send(greeting));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::GreetingRejected);
        QCOMPARE(run.report.error.stage, StageId::Greeting);
        QVERIFY2(run.report.error.serverReply.startsWith(QString::fromLatin1(greeting.left(3))),
                 qPrintable(explain(run, server)));
        // No EHLO after a refused greeting; at most a polite QUIT.
        for (const QByteArray& line : server.plaintextLines())
            QVERIFY2(line == "QUIT", qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
    }

    void serverClosesMidDialogue_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("stage");
        QTest::newRow("close after EHLO")
            << u"S: 220 x ESMTP\nC: EHLO client.test\nCLOSE\n"_s << StageId::Ehlo;
        QTest::newRow("reset after EHLO")
            << u"S: 220 x ESMTP\nC: EHLO client.test\nABORT\n"_s << StageId::Ehlo;
        QTest::newRow("close inside a multi-line reply")
            << u"S: 220 x ESMTP\nC: EHLO client.test\nRAW: 250-x\\r\\n250-PIPE\nCLOSE\n"_s
            << StageId::Ehlo;
        QTest::newRow("close before the greeting") << u"CLOSE\n"_s << StageId::Greeting;
        QTest::newRow("close inside the greeting")
            << u"RAW: 220-x\\r\\n22\nCLOSE\n"_s << StageId::Greeting;
    }

    void serverClosesMidDialogue()
    {
        QFETCH(QString, script);
        QFETCH(QString, stage);
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ServerClosed);
        QCOMPARE(run.report.error.stage, stage);
        QVERIFY(!run.report.error.hint.isEmpty());
        // Closing is not slow: no timeout was needed to notice.
        QVERIFY2(run.verdictMs < 1500, qPrintable(explain(run, server)));
    }

    void ehloLineWithoutAKeywordDoesNotCrash()
    {
        // Regression (found by fuzzing): "250 =" has no keyword; the engine crashed on it.
        ScriptedSmtpServer server(SmtpScript()
                                      .send("220 mail.example ESMTP")
                                      .expect("EHLO client.test")
                                      .sendRaw("250-mail.example\r\n250 =\r\n")
                                      .expect("QUIT")
                                      .send("221 2.0.0 Bye")
                                      .close());
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY(run.report.server.capabilities.isEmpty());
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
    }

    void ehloRejectedFallsBackToHeloWithoutSecurity_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::newRow("500") << QByteArray("500 5.5.1 Command unrecognized");
        QTest::newRow("502") << QByteArray("502 5.5.1 Not implemented");
    }

    void ehloRejectedFallsBackToHeloWithoutSecurity()
    {
        QFETCH(QByteArray, reply);
        ScriptedSmtpServer server(SmtpScript()
                                      .send("220 old.example SMTP")
                                      .expect("EHLO client.test")
                                      .send(reply)
                                      .expect("HELO client.test")
                                      .send("250 old.example"));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines(),
                 (QList<QByteArray>{"EHLO client.test", "HELO client.test", "QUIT"}));
        QVERIFY(run.report.server.capabilities.isEmpty());
    }

    void ehloRejectedWithTlsRequiredIsAProtocolError_data()
    {
        QTest::addColumn<bool>("implicitTls");
        QTest::addColumn<QByteArray>("reply");
        QTest::newRow("starttls 502") << false << QByteArray("502 5.5.1 Not implemented");
        QTest::newRow("starttls 500") << false << QByteArray("500 5.5.1 What?");
        QTest::newRow("implicit tls 502") << true << QByteArray("502 5.5.1 Not implemented");
    }

    void ehloRejectedWithTlsRequiredIsAProtocolError()
    {
        QFETCH(bool, implicitTls);
        QFETCH(QByteArray, reply);
        ScriptedSmtpServer server(
            SmtpScript().send("220 old.example SMTP").expect("EHLO client.test").send(reply));
        if (implicitTls) {
            server.setImplicitTls(true);
            presentLeaf(server, TestCertificates::Leaf::Localhost);
        }
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(
            scriptedRequest(server, implicitTls ? Security::ImplicitTls : Security::StartTls));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        QCOMPARE(run.report.error.stage, StageId::Ehlo);
        QVERIFY(run.report.error.serverReply.startsWith(QString::fromLatin1(reply.left(3))));
        // Never HELO (it cannot negotiate STARTTLS) and never STARTTLS after a failed EHLO.
        QVERIFY2(
            server.firstLineStartingWith({"HELO", "STARTTLS", "AUTH", "MAIL"}, false).isEmpty(),
            qPrintable(explain(run, server)));
    }

    void implicitTlsAgainstAPlaintextPort()
    {
        // A STARTTLS/plain server greets at once; the client's ClientHello gets "220 ..." back.
        ScriptedSmtpServer server(SmtpScript().send("220 test.example ESMTP ready").silent());
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::ImplicitTls);
        request.profile.auth.username = u"user@client.test"_s;
        request.secrets.smtpPassword = u"never-sent"_s;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::TlsHandshakeFailed);
        QCOMPARE(run.report.error.stage, StageId::Tls);
        QVERIFY2(run.report.error.hint.contains(u"STARTTLS"_s, Qt::CaseInsensitive),
                 qPrintable(explain(run, server)));
        QVERIFY2(run.verdictMs < 1900, qPrintable(explain(run, server))); // noticed, not timed out
        QVERIFY(firstSensitiveLine(server).isEmpty());
        QVERIFY(!server.receivedPlaintext().contains("never-sent"));
    }

    // A silent port that completes a TLS handshake on a second connection is recognised after
    // ImplicitTlsProbe's 3 s, not the profile's whole timeout; the report says what happened
    // and the front ends offer the switch to implicit TLS on that very port.
    void silentPortAnsweringTlsIsRecognisedEarly_data()
    {
        QTest::addColumn<int>("security");
        QTest::newRow("starttls") << int(Security::StartTls);
        QTest::newRow("none") << int(Security::None);
    }

    void silentPortAnsweringTlsIsRecognisedEarly()
    {
        QFETCH(int, security);
        TlsOnlyPort port;
        QVERIFY(port.listen(QHostAddress::LocalHost));
        ConnectionProfile profile = scriptedProfile(port.serverPort(), Security(security));
        profile.timeoutSeconds = 20;
        TestRequest request;
        request.profile = profile;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(run.describe()));
        QCOMPARE(run.report.error.id, ErrorId::GreetingTimeout);
        QCOMPARE(run.report.error.stage, StageId::Greeting);
        QVERIFY(run.report.server.answersImplicitTls);
        // After the probe's 3 s, well before the 20 s timeout (a loaded CI machine is slow).
        QVERIFY2(run.verdictMs >= 2900 && run.verdictMs < 15000,
                 qPrintable(u"%1 ms\n"_s.arg(run.verdictMs) + run.describe()));
        QVERIFY2(run.report.error.message.contains(u"implicit TLS"_s), qPrintable(run.describe()));
        QVERIFY2(run.report.error.hint.contains(u"speaks implicit TLS"_s),
                 qPrintable(run.report.error.hint));
        QCOMPARE(port.connections, 2); // the test's own, and the probe's
        QVERIFY(!run.transcriptText().contains(u"C: "_s));
        const auto suggestion = SecuritySuggestion::forReport(run.report, profile);
        QVERIFY(suggestion.has_value());
        QCOMPARE(int(suggestion->security), int(Security::ImplicitTls));
        QCOMPARE(suggestion->port, int(port.serverPort()));
    }

    // A silent port that does not speak TLS either is waited for the whole timeout and not
    // called implicit TLS.
    void silentPortWithoutTlsWaitsTheTimeout()
    {
        QTcpServer silent; // accepts (the kernel does) and never says a word
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        TestRequest request;
        request.profile = scriptedProfile(silent.serverPort(), Security::StartTls);
        request.profile.timeoutSeconds = 4;
        const EngineRun run = runConnectionTest(request);
        QVERIFY2(run.finished, qPrintable(run.describe()));
        QCOMPARE(run.report.error.id, ErrorId::GreetingTimeout);
        QVERIFY(!run.report.server.answersImplicitTls);
        QVERIFY2(run.verdictMs >= 3900, qPrintable(run.describe()));
        QVERIFY(!SecuritySuggestion::forReport(run.report, request.profile).has_value());
    }

    // A scripted server that never greets sees the probe's TLS handshake as what it is, not as
    // an unexpected connection; the probe's unanswered handshake changes nothing.
    void silentScriptedServerRecordsTheProbe()
    {
        ScriptedSmtpServer server(SmtpScript().silent());
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::StartTls);
        request.profile.timeoutSeconds = 4;
        const EngineRun run = runConnectionTest(request);
        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::GreetingTimeout);
        QVERIFY(!run.report.server.answersImplicitTls);
        QCOMPARE(server.probeConnections(), 1);
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
    }

    void plaintextOrStartTlsAgainstAnImplicitTlsPort_data()
    {
        QTest::addColumn<int>("security");
        QTest::newRow("starttls") << int(Security::StartTls);
        QTest::newRow("none") << int(Security::None);
    }

    void plaintextOrStartTlsAgainstAnImplicitTlsPort()
    {
        QFETCH(int, security);
        // An implicit-TLS server waits for the ClientHello; the client waits for a greeting.
        ScriptedSmtpServer server(SmtpScript().send("220 test.example ESMTP ready"));
        server.setImplicitTls(true);
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security(security));
        request.profile.timeoutSeconds = 1;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::GreetingTimeout);
        QCOMPARE(run.report.error.stage, StageId::Greeting);
        static const QRegularExpression implicitTls(u"implicit TLS|465|--security tls"_s,
                                                    QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(run.report.error.hint.contains(implicitTls), qPrintable(explain(run, server)));
        QVERIFY(!server.tlsEstablished());
        QVERIFY(server.clientLines().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngineGreeting)
#include "tst_engine_greeting.moc"
