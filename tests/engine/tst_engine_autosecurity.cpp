// Engine against scripted servers: security auto (docs/ARCHITECTURE.md engine rule 13). Port 465
// is implicit TLS; any other port requires STARTTLS, except towards a loopback peer or on port
// 25, where the session goes on unencrypted with a warning when STARTTLS is not offered. A
// STARTTLS that is offered and then fails is a failure, never a downgrade; credentials, sender
// and recipients never go unencrypted to another host.
//
// The ports (465, 25) and the non-loopback peer come from RedirectingSessionFactory: a real
// session that connects to the scripted server on 127.0.0.1 whatever port is asked for, and shows
// the engine a documentation address (192.0.2.25) as the peer where a row says "remote".

#include "EngineRun.h"
#include "EngineScripts.h"
#include "RedirectedSmtpSession.h"
#include "ScriptedSmtpServer.h"
#include "StaticHostResolver.h"
#include "TestCertificates.h"
#include "smtp/ErrorIds.h"
#include "smtp/ImplicitTlsProbe.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QHostAddress remotePeer(u"192.0.2.25"_s);
const QString remoteHost = u"mx.example.test"_s;
constexpr char password[] = "Sup3r-Secret";

// Security auto on `port`; towards a remote host (by name, its certificate pinned, since the
// scripted server's is for localhost) or towards 127.0.0.1.
TestRequest autoRequest(int port, bool remote)
{
    TestRequest request;
    request.profile = scriptedProfile(static_cast<quint16>(port), Security::Auto);
    if (remote) {
        request.profile.host = remoteHost;
        request.profile.tls.pinnedSha256 = {
            TestCertificates::instance().sha256(TestCertificates::Leaf::Localhost)};
    }
    return request;
}

// Adds user, password and a recipient: any slip would put AUTH, MAIL or RCPT on the wire.
TestRequest hungry(TestRequest request)
{
    request.profile.auth.username = u"user@client.test"_s;
    request.secrets.smtpPassword = QString::fromLatin1(password);
    request.sendTo = u"rcpt@example.test"_s;
    return request;
}

struct AutoRun
{
    EngineRun run;
    QList<quint16> requestedPorts;
};

AutoRun runAuto(const TestRequest& request, const ScriptedSmtpServer& server, bool remote)
{
    // A timeout over ImplicitTlsProbe's delay would let the probe connect to the shown address.
    Q_ASSERT(request.profile.timeoutSeconds * 1000 <= ImplicitTlsProbe::DefaultDelayMs);
    StaticHostResolver resolver;
    resolver.add(remoteHost, {QHostAddress::LocalHost});
    const RedirectingSessionFactory sessions(server.port(), remote ? remotePeer : QHostAddress());
    AutoRun result;
    result.run = runConnectionTest(request, 20000, &resolver, &sessions);
    result.requestedPorts = sessions.requestedPorts;
    return result;
}

bool warnsOpportunistic(const TestReport& report)
{
    return report.warnings.size() == 1 &&
           report.warnings.first().startsWith(u"encryption: none (opportunistic): "_s);
}

// Only EHLO (or HELO), STARTTLS and QUIT crossed the wire in plain text.
bool nothingSensitive(const ScriptedSmtpServer& server)
{
    return firstSensitiveLine(server).isEmpty() && !server.receivedPlaintext().contains(password) &&
           !server.receivedPlaintext().contains(QByteArray(password).toBase64());
}

} // namespace

class TestEngineAutoSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }

    void port465IsImplicitTls_data()
    {
        QTest::addColumn<bool>("remote");
        QTest::newRow("remote") << true;
        QTest::newRow("loopback") << false;
    }

    void port465IsImplicitTls()
    {
        QFETCH(bool, remote);
        ScriptedSmtpServer server(
            greetingAndEhlo({"AUTH PLAIN"})
                .expect("AUTH PLAIN " +
                        QByteArray("\0user@client.test\0Sup3r-Secret", 30).toBase64())
                .send("235 2.7.0 Authentication successful"));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.setImplicitTls(true);
        QVERIFY(server.listen());
        TestRequest request = hungry(autoRequest(465, remote));
        request.sendTo.clear();
        const AutoRun result = runAuto(request, server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QCOMPARE(result.requestedPorts, QList<quint16>{465});
        QVERIFY(run.report.tls.used);
        QVERIFY(server.plaintextLines().isEmpty()); // TLS from the first byte
        QCOMPARE(run.report.target.security, u"auto"_s);
        QCOMPARE(run.report.target.resolvedSecurity, u"tls"_s);
        QCOMPARE(run.report.target.securityText(), u"auto -> implicit TLS"_s);
        QVERIFY(run.report.warnings.isEmpty());
        QVERIFY2(run.transcriptText().contains(u"security auto -> tls: port 465"_s),
                 qPrintable(run.transcriptText()));
        QVERIFY(!run.stageIds().contains(StageId::StartTls));
    }

    // STARTTLS offered: auto uses it, whatever the port and peer.
    void startTlsWhenOffered_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("remote");
        QTest::newRow("587 remote") << 587 << true;
        QTest::newRow("587 loopback") << 587 << false;
        QTest::newRow("25 remote") << 25 << true;
        QTest::newRow("25 loopback") << 25 << false;
        QTest::newRow("2525 remote") << 2525 << true;
    }

    void startTlsWhenOffered()
    {
        QFETCH(int, port);
        QFETCH(bool, remote);
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH PLAIN"})
                .expect("AUTH PLAIN " +
                        QByteArray("\0user@client.test\0Sup3r-Secret", 30).toBase64())
                .send("235 2.7.0 Authentication successful"));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = hungry(autoRequest(port, remote));
        request.sendTo.clear();
        const AutoRun result = runAuto(request, server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(result.requestedPorts, QList<quint16>{quint16(port)});
        QCOMPARE(run.report.target.resolvedSecurity, u"starttls"_s);
        QCOMPARE(run.report.target.securityText(), u"auto -> STARTTLS"_s);
        QVERIFY(run.report.warnings.isEmpty());
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        QVERIFY(run.report.tls.used);
        QVERIFY(run.report.auth.ok);
        QCOMPARE(run.report.target.address,
                 remote ? remotePeer.toString() : QHostAddress(QHostAddress::LocalHost).toString());
        // The resolution is noted once.
        QCOMPARE(run.transcriptText().count(u"security auto -> starttls"_s), 1);
    }

    // STARTTLS not offered: on, unencrypted and with a warning, only towards loopback or on
    // port 25; otherwise starttls-not-offered, and nothing but EHLO and QUIT was sent.
    void withoutStartTls_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("remote");
        QTest::addColumn<bool>("goesOn");
        QTest::newRow("587 loopback") << 587 << false << true;
        QTest::newRow("2525 loopback") << 2525 << false << true;
        QTest::newRow("25 loopback") << 25 << false << true;
        QTest::newRow("25 remote") << 25 << true << true;
        QTest::newRow("587 remote") << 587 << true << false;
        QTest::newRow("2525 remote") << 2525 << true << false;
    }

    void withoutStartTls()
    {
        QFETCH(int, port);
        QFETCH(bool, remote);
        QFETCH(bool, goesOn);
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "SIZE 1000"}));
        QVERIFY(server.listen());
        const AutoRun result = runAuto(autoRequest(port, remote), server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "QUIT"}));
        QVERIFY(!run.report.tls.used);
        if (goesOn) {
            QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
            QCOMPARE(run.report.target.resolvedSecurity, u"none"_s);
            QCOMPARE(run.report.target.securityText(), u"auto -> none (opportunistic)"_s);
            QVERIFY2(warnsOpportunistic(run.report), qPrintable(run.report.warnings.join(u'\n')));
            QVERIFY(
                run.report.warnings.first().contains(port == 25 ? u"port 25"_s : u"loopback"_s));
            QVERIFY(!run.stageIds().contains(StageId::StartTls));
            // Never silently: the JSON report says it too.
            const QJsonObject json = run.report.toJson(false);
            QCOMPARE(json[u"target"_s][u"security"_s].toString(), u"auto"_s);
            QCOMPARE(json[u"target"_s][u"resolvedSecurity"_s].toString(), u"none"_s);
            QCOMPARE(json[u"warnings"_s].toArray().size(), 1);
        } else {
            QVERIFY(!run.report.ok);
            QCOMPARE(run.report.error.id, ErrorId::StartTlsNotOffered);
            QCOMPARE(run.report.error.stage, StageId::StartTls);
            QCOMPARE(run.report.target.resolvedSecurity, u"starttls"_s);
            QVERIFY2(run.report.error.message.contains(u"security auto requires it"_s),
                     qPrintable(run.report.error.message));
            QVERIFY2(run.report.error.hint.contains(u"Security auto"_s),
                     qPrintable(run.report.error.hint));
            QVERIFY(run.report.warnings.isEmpty());
        }
    }

    // An old server without EHLO: HELO is acceptable only where auto may go on unencrypted.
    void heloOnly_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("remote");
        QTest::addColumn<bool>("goesOn");
        QTest::newRow("25 remote") << 25 << true << true;
        QTest::newRow("587 remote") << 587 << true << false;
    }

    void heloOnly()
    {
        QFETCH(int, port);
        QFETCH(bool, remote);
        QFETCH(bool, goesOn);
        SmtpScript script = SmtpScript()
                                .send("220 old.example SMTP")
                                .expect("EHLO client.test")
                                .send("502 5.5.2 Command not recognized");
        if (goesOn)
            script.expect("HELO client.test").send("250 old.example");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        const AutoRun result = runAuto(autoRequest(port, remote), server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(run.report.ok, goesOn);
        if (goesOn) {
            QCOMPARE(run.report.target.resolvedSecurity, u"none"_s);
            QVERIFY(warnsOpportunistic(run.report));
        } else {
            QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        }
    }

    // Auto that went on unencrypted towards another host: no AUTH, MAIL or RCPT, even with
    // plaintext authentication allowed (that takes security none).
    void noCredentialsInPlaintextToARemoteHost_data()
    {
        QTest::addColumn<bool>("allowPlaintext");
        QTest::addColumn<bool>("authenticate");
        QTest::newRow("auth") << false << true;
        QTest::newRow("auth, plaintext allowed") << true << true;
        QTest::newRow("message only") << false << false;
        QTest::newRow("message only, plaintext allowed") << true << false;
    }

    void noCredentialsInPlaintextToARemoteHost()
    {
        QFETCH(bool, allowPlaintext);
        QFETCH(bool, authenticate);
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "AUTH PLAIN LOGIN"}));
        QVERIFY(server.listen());
        TestRequest request = hungry(autoRequest(25, true));
        request.profile.auth.allowPlaintext = allowPlaintext;
        if (!authenticate)
            request.profile.auth.username.clear();
        const AutoRun result = runAuto(request, server, true);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::PlaintextAuthRefused);
        QCOMPARE(run.report.error.stage, authenticate ? StageId::Auth : StageId::Send);
        QCOMPARE(run.report.target.resolvedSecurity, u"none"_s);
        QVERIFY(warnsOpportunistic(run.report));
        QVERIFY2(nothingSensitive(server), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "QUIT"}));
        QVERIFY(!run.report.auth.attempted);
        // The verdict says why, and what to change.
        QVERIFY2(run.report.error.hint.contains(u"security auto went on unencrypted"_s),
                 qPrintable(run.report.error.hint));
        QVERIFY2(run.report.error.hint.contains(u"(security none, allow-plaintext-auth)"_s),
                 qPrintable(run.report.error.hint));
    }

    // The same towards loopback: credentials may go, as with security none.
    void credentialsToLoopbackWithoutStartTls()
    {
        ScriptedSmtpServer server(
            greetingAndEhlo({"AUTH PLAIN"})
                .expect("AUTH PLAIN " +
                        QByteArray("\0user@client.test\0Sup3r-Secret", 30).toBase64())
                .send("235 2.7.0 Authentication successful"));
        QVERIFY(server.listen());
        TestRequest request = hungry(autoRequest(587, false));
        request.sendTo.clear();
        const AutoRun result = runAuto(request, server, false);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY(run.report.auth.ok);
        QVERIFY(warnsOpportunistic(run.report));
    }

    // Offered, then refused: a failure, never a downgrade, also where auto could have gone on
    // unencrypted had it not been offered.
    void startTlsRefusedIsAFailure_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("remote");
        QTest::newRow("25 remote") << 25 << true;
        QTest::newRow("587 loopback") << 587 << false;
        QTest::newRow("587 remote") << 587 << true;
    }

    void startTlsRefusedIsAFailure()
    {
        QFETCH(int, port);
        QFETCH(bool, remote);
        ScriptedSmtpServer server(greetingAndEhlo({"STARTTLS", "AUTH PLAIN"})
                                      .expect("STARTTLS")
                                      .send("454 4.7.0 TLS not available due to temporary reason"));
        QVERIFY(server.listen());
        const AutoRun result = runAuto(hungry(autoRequest(port, remote)), server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::StartTlsRejected);
        QCOMPARE(run.report.error.stage, StageId::StartTls);
        QCOMPARE(run.report.target.resolvedSecurity, u"starttls"_s);
        QVERIFY(run.report.warnings.isEmpty());
        QVERIFY2(unexpectedPlaintext(server).isEmpty(), qPrintable(explain(run, server)));
        QVERIFY2(nothingSensitive(server), qPrintable(explain(run, server)));
    }

    void handshakeFailureIsAFailure_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("remote");
        QTest::newRow("25 remote") << 25 << true;
        QTest::newRow("587 loopback") << 587 << false;
    }

    void handshakeFailureIsAFailure()
    {
        QFETCH(int, port);
        QFETCH(bool, remote);
        // No certificate: the server side of the handshake fails.
        ScriptedSmtpServer server(greetingAndEhlo({"STARTTLS", "AUTH PLAIN"})
                                      .expect("STARTTLS")
                                      .send("220 2.0.0 Ready to start TLS")
                                      .startTls());
        QVERIFY(server.listen());
        const AutoRun result = runAuto(hungry(autoRequest(port, remote)), server, remote);
        const EngineRun& run = result.run;

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(!run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(run.report.error.id == ErrorId::TlsHandshakeFailed ||
                     run.report.error.id == ErrorId::ServerClosed,
                 qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.stage, StageId::Tls);
        QCOMPARE(run.report.target.resolvedSecurity, u"starttls"_s);
        QVERIFY(run.report.warnings.isEmpty());
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        QVERIFY2(nothingSensitive(server), qPrintable(explain(run, server)));
    }

    // Before the peer is known (no connection), auto on 587 is not resolved, and says so.
    void notResolvedWithoutAConnection()
    {
        TestRequest request;
        request.profile = scriptedProfile(1, Security::Auto);
        request.profile.host = u"unknown.invalid"_s;
        StaticHostResolver resolver; // knows no name
        const EngineRun run = runConnectionTest(request, 20000, &resolver);
        QVERIFY(run.finished);
        QCOMPARE(run.report.error.id, ErrorId::DnsFailed);
        QVERIFY(run.report.target.resolvedSecurity.isEmpty());
        QCOMPARE(run.report.target.securityText(), u"auto (not resolved)"_s);
        QVERIFY(run.report.toJson(false)[u"target"_s][u"resolvedSecurity"_s].isNull());
    }
};

QTEST_GUILESS_MAIN(TestEngineAutoSecurity)
#include "tst_engine_autosecurity.moc"
