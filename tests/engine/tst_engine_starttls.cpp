// Engine against scripted servers: strict STARTTLS (docs/ARCHITECTURE.md engine rule 3) — not
// offered, refused, injection after the 220, capabilities forgotten after TLS, the minimum TLS
// version.

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "smtp/ErrorIds.h"

#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// A STARTTLS profile that wants to authenticate and send, so any slip would put AUTH, MAIL or
// RCPT on the wire.
TestRequest hungryRequest(const ScriptedSmtpServer& server)
{
    TestRequest request = scriptedRequest(server, Security::StartTls);
    request.profile.auth.username = u"user@client.test"_s;
    request.secrets.smtpPassword = u"Sup3r-Secret"_s;
    request.sendTo = u"rcpt@example.test"_s;
    return request;
}

} // namespace

class TestEngineStartTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }

    void notOffered()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "AUTH PLAIN LOGIN", "SIZE 1000"}));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(hungryRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::StartTlsNotOffered);
        QCOMPARE(run.report.error.stage, StageId::StartTls);
        QVERIFY(!run.report.error.hint.isEmpty());
        // After EHLO the client says nothing but QUIT: no STARTTLS, no fallback to plaintext.
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines().first(), "EHLO client.test");
        for (const QByteArray& line : server.plaintextLines().mid(1))
            QVERIFY2(line == "QUIT", qPrintable(explain(run, server)));
        QVERIFY(server.quitReceived());
        QVERIFY(!run.report.tls.used);
        QVERIFY(!run.report.auth.attempted);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::newRow("454") << QByteArray("454 4.7.0 TLS not available due to temporary reason");
        QTest::newRow("502") << QByteArray("502 5.5.1 Not implemented");
        QTest::newRow("354") << QByteArray("354 Start mail input");
        QTest::newRow("multi-line 454") << QByteArray("454-TLS\r\n454 4.7.0 not now");
    }

    void rejected()
    {
        QFETCH(QByteArray, reply);
        ScriptedSmtpServer server(
            greetingAndEhlo({"STARTTLS", "AUTH PLAIN"}).expect("STARTTLS").send(reply));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(hungryRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::StartTlsRejected);
        QCOMPARE(run.report.error.stage, StageId::StartTls);
        QVERIFY(run.report.error.serverReply.startsWith(QString::fromLatin1(reply.left(3))));
        QVERIFY(!server.tlsEstablished());
        QVERIFY2(unexpectedPlaintext(server).isEmpty(), qPrintable(explain(run, server)));
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(!server.receivedPlaintext().contains("Sup3r-Secret"));
    }

    void injectionAfterThe220_data()
    {
        QTest::addColumn<QByteArray>("chunk");
        QTest::newRow("EHLO reply injected")
            << QByteArray("220 Ready\r\n250-x\r\n250 AUTH PLAIN\r\n");
        QTest::newRow("one stray byte") << QByteArray("220 2.0.0 Ready\r\nX");
        QTest::newRow("bare line end") << QByteArray("220 2.0.0 Ready\r\n\r\n");
    }

    void injectionAfterThe220()
    {
        QFETCH(QByteArray, chunk);
        // The chunk goes out in ONE write: the 220 and the injected bytes arrive together.
        ScriptedSmtpServer server(
            greetingAndEhlo({"STARTTLS"}).expect("STARTTLS").sendRaw(chunk).startTls());
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(hungryRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.error.id == ErrorId::StartTlsInjection,
                 qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.stage, StageId::StartTls);
        // The client aborts: no handshake, no QUIT, nothing after STARTTLS.
        QVERIFY(!server.tlsEstablished());
        QVERIFY2(!server.quitReceived(), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        QVERIFY(server.tlsLines().isEmpty());
        QVERIFY(!run.report.auth.attempted);
        // The injected capabilities were not taken as the server's.
        QVERIFY(!run.report.server.authMechanisms.contains(u"PLAIN"_s));
    }

    void capabilitiesBeforeTlsAreForgotten()
    {
        // Before TLS: PLAIN and LOGIN, SIZE 100. After TLS: only CRAM-MD5, SIZE 50000.
        ScriptedSmtpServer server(
            startTlsPrefix({"AUTH PLAIN LOGIN", "SIZE 100"}, {"AUTH CRAM-MD5", "SIZE 50000"})
                .expect("AUTH CRAM-MD5")
                .send("334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4=")
                .expectMatch(u"^[A-Za-z0-9+/=]+$"_s)
                .send("235 2.7.0 Authentication successful"));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = hungryRequest(server);
        request.sendTo.clear();
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(run.report.auth.mechanism, u"CRAM-MD5"_s);
        QCOMPARE(run.report.server.authMechanisms, QStringList{u"CRAM-MD5"_s});
        QCOMPARE(run.report.server.capabilities,
                 (QStringList{u"AUTH CRAM-MD5"_s, u"SIZE 50000"_s}));
        QCOMPARE(run.report.server.maxSize, 50000);
        QCOMPARE(run.stageIds(),
                 (QStringList{u"resolve"_s, u"connect"_s, u"greeting"_s, u"ehlo"_s, u"starttls"_s,
                              u"tls"_s, u"ehlo"_s, u"auth"_s, u"quit"_s}));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        QCOMPARE(server.tlsLines().first(), "EHLO client.test");
    }

    void successfulStartTlsReportsTheSession()
    {
        const TestCertificates& certs = TestCertificates::instance();
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"PIPELINING", "AUTH PLAIN"})
                .expect("AUTH PLAIN " +
                        QByteArray("\0user@client.test\0Sup3r-Secret", 30).toBase64())
                .send("235 2.7.0 Authentication successful")
                .expect("QUIT")
                .send("221 2.0.0 Bye")
                .close());
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = hungryRequest(server);
        request.sendTo.clear();
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.scriptFinished());
        QVERIFY(run.report.tls.used);
        QVERIFY(run.report.tls.verified);
        QVERIFY(run.report.tls.errors.isEmpty());
        QCOMPARE(run.report.tls.protocol, u"TLSv1.3"_s);
        QVERIFY(!run.report.tls.cipher.isEmpty());
        QVERIFY(!run.report.tls.chain.isEmpty());
        QCOMPARE(run.report.tls.chain.first().sha256,
                 certs.sha256WithColons(TestCertificates::Leaf::Localhost));
        QVERIFY(run.report.tls.chain.first().subjectAltNames.contains(u"DNS:localhost"_s));
        QCOMPARE(run.report.auth.mechanism, u"PLAIN"_s);
        QVERIFY(run.report.auth.ok);
        // QUIT after the verdict, answered, inside TLS.
        QVERIFY(server.quitReceived());
        QCOMPARE(server.tlsLines().last(), "QUIT");
        QVERIFY(run.verdictMs <= run.finishedMs);
        QCOMPARE(run.stagesFinished.last().id, StageId::Quit);
        QVERIFY(run.stagesFinished.last().ok);
        QVERIFY(!run.transcriptText().contains(u"Sup3r-Secret"_s));
    }

    void minimumTls13AgainstATls12OnlyServer()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH PLAIN"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.setTlsProtocol(QSsl::TlsV1_2);
        QVERIFY(server.listen());
        TestRequest request = hungryRequest(server);
        request.profile.tls.minimumVersion = TlsMinimumVersion::Tls13;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::TlsHandshakeFailed);
        QCOMPARE(run.report.error.stage, StageId::Tls);
        QVERIFY(!server.tlsEstablished());
        QVERIFY2(unexpectedPlaintext(server).isEmpty(), qPrintable(explain(run, server)));
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(explain(run, server)));
    }

    void minimumTls12AcceptsATls12OnlyServer()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"SIZE 1000"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.setTlsProtocol(QSsl::TlsV1_2);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::StartTls));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QCOMPARE(run.report.tls.protocol, u"TLSv1.2"_s);
    }

    // A server whose TLS 1.3 is broken: maximum 1.2 makes the handshake use TLS 1.2 although
    // the server offers 1.3 (without the maximum it negotiates 1.3, see above).
    void maximumTls12AgainstATls13Server()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"SIZE 1000"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.setTlsProtocol(QSsl::TlsV1_2OrLater);
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::StartTls);
        request.profile.tls.maximumVersion = TlsMinimumVersion::Tls12;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QCOMPARE(run.report.tls.protocol, u"TLSv1.2"_s);
    }

    void maximumTls13IsTheNewest()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"SIZE 1000"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.setTlsProtocol(QSsl::TlsV1_2OrLater);
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::StartTls);
        request.profile.tls.maximumVersion = TlsMinimumVersion::Tls13;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QCOMPARE(run.report.tls.protocol, u"TLSv1.3"_s);
    }
};

QTEST_GUILESS_MAIN(TestEngineStartTls)
#include "tst_engine_starttls.moc"
