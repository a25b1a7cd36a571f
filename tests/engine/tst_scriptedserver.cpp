// Self-test of the test support: the scripted SMTP server and the generated certificates,
// driven by a raw QSslSocket client. The engine tests rely on both behaving exactly as
// documented, so this suite pins that down independently of the engine.

#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// A minimal asynchronous client: collects what the server sends, one readyRead at a time.
class RawClient
{
public:
    RawClient()
    {
        QObject::connect(&socket, &QSslSocket::readyRead, [this] {
            const QByteArray data = socket.readAll();
            received += data;
            reads.append(data);
        });
        QObject::connect(&socket, &QSslSocket::sslErrors,
                         [this](const QList<QSslError>& errors) { sslErrors += errors; });
    }

    bool connectTo(quint16 port)
    {
        socket.connectToHost(u"127.0.0.1"_s, port);
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; },
                               5000);
    }

    // Waits until `text` has been received (anywhere in the stream so far).
    bool waitFor(const QByteArray& text, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return received.contains(text); }, timeoutMs);
    }

    void send(const QByteArray& bytes) { socket.write(bytes); }

    QSslSocket socket;
    QByteArray received;
    QList<QByteArray> reads;
    QList<QSslError> sslErrors;
};

bool hasErrorType(const QList<QSslError>& errors, QSslError::SslError type)
{
    for (const QSslError& error : errors) {
        if (error.error() == type)
            return true;
    }
    return false;
}

} // namespace

class TestScriptedServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const TestCertificates& certs = TestCertificates::instance();
        QVERIFY2(certs.isValid(), qPrintable(certs.errorString()));
    }

    void parsesTheTextForm()
    {
        const SmtpScript script = SmtpScript::parse(uR"(
            # a comment, then a blank line

            S: 220 ready
            S: 250-a\r\n250 b
            RAW: x\x41\ty
            C: EHLO client.test
            C:
            C^ AUTH PLAIN
            C~ ^MAIL FROM:<[^>]*>$
            TLS
            JUNK 42
            DATA
            SILENT
            CLOSE
            ABORT
        )"_s);
        QVERIFY2(script.parseError().isEmpty(), qPrintable(script.parseError()));
        const QList<SmtpScriptStep>& steps = script.steps();
        QCOMPARE(steps.size(), 13);
        QCOMPARE(steps.at(0).bytes, "220 ready\r\n");
        QCOMPARE(steps.at(1).bytes, "250-a\r\n250 b\r\n");
        QCOMPARE(steps.at(2).bytes, "xA\ty");
        QCOMPARE(steps.at(3).kind, SmtpScriptStep::Kind::Expect);
        QCOMPARE(steps.at(3).bytes, "EHLO client.test");
        QCOMPARE(steps.at(4).kind, SmtpScriptStep::Kind::Expect);
        QCOMPARE(steps.at(4).bytes, QByteArray());
        QCOMPARE(steps.at(5).kind, SmtpScriptStep::Kind::ExpectPrefix);
        QCOMPARE(steps.at(5).bytes, "AUTH PLAIN");
        QCOMPARE(steps.at(6).kind, SmtpScriptStep::Kind::ExpectMatch);
        QVERIFY(steps.at(6).pattern.match(u"MAIL FROM:<a@b>"_s).hasMatch());
        QCOMPARE(steps.at(7).kind, SmtpScriptStep::Kind::StartTls);
        QCOMPARE(steps.at(8).kind, SmtpScriptStep::Kind::Junk);
        QCOMPARE(steps.at(8).count, 42);
        QCOMPARE(steps.at(9).kind, SmtpScriptStep::Kind::ReceiveData);
        QCOMPARE(steps.at(10).kind, SmtpScriptStep::Kind::Silent);
        QCOMPARE(steps.at(11).kind, SmtpScriptStep::Kind::Close);
        QCOMPARE(steps.at(12).kind, SmtpScriptStep::Kind::Abort);

        QVERIFY(!SmtpScript::parse(u"S: ok\nBOGUS\n"_s).parseError().isEmpty());
        QVERIFY(!SmtpScript::parse(u"JUNK lots\n"_s).parseError().isEmpty());
        QVERIFY(!SmtpScript::parse(u"C~ (unclosed\n"_s).parseError().isEmpty());

        // A parse error is a failure of the server that plays the script.
        ScriptedSmtpServer server(u"S: 220 x\nNOPE\n"_s);
        QCOMPARE(server.failures().size(), 1);
    }

    void playsAPlaintextDialogueAndAnswersQuit()
    {
        ScriptedSmtpServer server(uR"(
            S: 220 test ESMTP
            C: EHLO client.test
            S: 250-test\r\n250 SIZE 1000
        )"_s);
        QVERIFY(server.listen());
        QVERIFY(server.port() != 0);
        QSignalSpy completed(&server, &ScriptedSmtpServer::scriptCompleted);

        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220 test ESMTP\r\n"));
        client.send("EHLO client.test\r\n");
        QVERIFY(client.waitFor("250 SIZE 1000\r\n"));
        QVERIFY(completed.count() == 1 || completed.wait(2000));
        QVERIFY(server.scriptFinished());

        client.send("QUIT\r\n");
        QVERIFY(client.waitFor("221 2.0.0 Bye\r\n"));
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 5000));
        QVERIFY(server.quitReceived());
        QVERIFY2(server.failures().isEmpty(), qPrintable(server.log()));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "QUIT"}));
        QVERIFY(server.tlsLines().isEmpty());
        QCOMPARE(server.receivedPlaintext(), "EHLO client.test\r\nQUIT\r\n");
        QCOMPARE(server.connectionCount(), 1);
    }

    void recordsMismatchesAndLinesAfterTheScript()
    {
        ScriptedSmtpServer server(uR"(
            S: 220 test ESMTP
            C: EHLO client.test
            S: 250 test
        )"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220"));
        client.send("HELO client.test\r\n");
        QVERIFY(client.waitFor("500 "));
        QCOMPARE(server.failures().size(), 1);
        QVERIFY(server.failures().first().contains(u"EHLO client.test"_s));
        QVERIFY(!client.received.contains("250 test"));

        client.send("NOOP\r\n");
        QVERIFY(QTest::qWaitFor([&] { return server.failures().size() == 2; }, 5000));

        ScriptedSmtpServer exhausted(u"S: 220 x\n"_s);
        QVERIFY(exhausted.listen());
        RawClient second;
        QVERIFY(second.connectTo(exhausted.port()));
        QVERIFY(second.waitFor("220 x\r\n"));
        second.send("RSET\r\n");
        QVERIFY(second.waitFor("500 "));
        QCOMPARE(exhausted.failures().size(), 1);
    }

    // A second connection is a failure, unless it opens with a TLS handshake: that is
    // ImplicitTlsProbe after 3 s of greeting silence, recorded and left unanswered.
    void secondConnectionFailsUnlessItIsAnImplicitTlsProbe()
    {
        ScriptedSmtpServer server(u"SILENT\n"_s);
        QVERIFY(server.listen());
        RawClient first;
        QVERIFY(first.connectTo(server.port()));
        QSslSocket probe;
        probe.setPeerVerifyMode(QSslSocket::VerifyNone);
        probe.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
        QVERIFY(QTest::qWaitFor([&] { return server.probeConnections() == 1; }, 5000));
        QVERIFY2(server.failures().isEmpty(), qPrintable(server.log()));
        QVERIFY(!probe.isEncrypted());
        QVERIFY(server.log().contains(u"implicit-TLS probe"_s));

        RawClient third;
        QVERIFY(third.connectTo(server.port()));
        third.send("EHLO client.test\r\n");
        QVERIFY(QTest::qWaitFor([&] { return server.failures().size() == 1; }, 5000));
        QVERIFY(server.failures().first().contains(u"unexpected connection #3"_s));
        QCOMPARE(server.probeConnections(), 1);
        QCOMPARE(server.connectionCount(), 3);
    }

    void flagsBareLineFeedsFromTheClient()
    {
        ScriptedSmtpServer server(u"S: 220 x\nC: EHLO a\nS: 250 a\n"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220 x"));
        client.send("EHLO a\n");
        QVERIFY(client.waitFor("250 a"));
        QCOMPARE(server.failures().size(), 1);
        QVERIFY(!server.clientLines().first().crlf);
    }

    void sendsAMultiLineChunkInOneWrite()
    {
        // The injection case: the 220 to STARTTLS and more lines in one segment.
        ScriptedSmtpServer server(uR"(
            S: 220 test ESMTP
            C: STARTTLS
            S: 220 Ready\r\n250-x\r\n250 AUTH PLAIN
        )"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220 test ESMTP\r\n"));
        const qsizetype readsBefore = client.reads.size();
        client.send("STARTTLS\r\n");
        QVERIFY(client.waitFor("250 AUTH PLAIN\r\n"));
        QCOMPARE(client.reads.size(), readsBefore + 1);
        QCOMPARE(client.reads.last(), "220 Ready\r\n250-x\r\n250 AUTH PLAIN\r\n");
    }

    void recordsReadBoundaries()
    {
        ScriptedSmtpServer server(uR"(
            S: 220 test ESMTP
            C^ MAIL FROM:
            S: 250 ok
            C^ RCPT TO:
            S: 250 ok
            C: DATA
            S: 354 go
            DATA
            S: 250 queued
        )"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220"));
        client.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n");
        QVERIFY(client.waitFor("354 go\r\n"));
        client.send("Subject: x\r\n\r\n..leading dot\r\n.\r\n");
        QVERIFY(client.waitFor("250 queued\r\n"));
        QVERIFY2(server.failures().isEmpty(), qPrintable(server.log()));

        const QList<ScriptedSmtpServer::ClientLine> lines = server.clientLines();
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines.at(0).read, lines.at(1).read);
        QCOMPARE(lines.at(1).read, lines.at(2).read);
        QVERIFY(lines.at(3).read > lines.at(2).read);
        QCOMPARE(server.dataPayload(), "Subject: x\r\n\r\n..leading dot\r\n");
    }

    void startTlsWithTheCaTrusted()
    {
        const TestCertificates& certs = TestCertificates::instance();
        ScriptedSmtpServer server(uR"(
            S: 220 test ESMTP
            C: EHLO client.test
            S: 250-test\r\n250 STARTTLS
            C: STARTTLS
            S: 220 Ready
            TLS
            C: EHLO client.test
            S: 250-test\r\n250 AUTH PLAIN
        )"_s);
        server.setCertificate(certs.certificate(TestCertificates::Leaf::Localhost),
                              certs.key(TestCertificates::Leaf::Localhost));
        QVERIFY(server.listen());

        RawClient client;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(certs.caCertificate());
        client.socket.setSslConfiguration(config);
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220 test ESMTP\r\n"));
        client.send("EHLO client.test\r\n");
        QVERIFY(client.waitFor("250 STARTTLS\r\n"));
        client.send("STARTTLS\r\n");
        QVERIFY(client.waitFor("220 Ready\r\n"));
        client.socket.startClientEncryption(); // peer name: the host connected to, 127.0.0.1
        QVERIFY(QTest::qWaitFor([&] { return client.socket.isEncrypted(); }, 5000));
        QVERIFY2(client.sslErrors.isEmpty(),
                 qPrintable(client.sslErrors.isEmpty() ? QString()
                                                       : client.sslErrors.first().errorString()));
        QCOMPARE(QString::fromLatin1(
                     client.socket.peerCertificate().digest(QCryptographicHash::Sha256).toHex()),
                 certs.sha256(TestCertificates::Leaf::Localhost));

        client.send("EHLO client.test\r\n");
        QVERIFY(client.waitFor("250 AUTH PLAIN\r\n"));
        QVERIFY(server.tlsEstablished());
        QVERIFY2(server.failures().isEmpty(), qPrintable(server.log()));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        QCOMPARE(server.tlsLines(), (QList<QByteArray>{"EHLO client.test"}));
        QVERIFY(server.firstLineStartingWith({"AUTH", "MAIL"}, false).isEmpty());
        QCOMPARE(server.firstLineStartingWith({"starttls"}, true), "STARTTLS");
    }

    void implicitTlsPresentsEachLeaf_data()
    {
        QTest::addColumn<int>("leaf");
        QTest::addColumn<int>("expectedError"); // -1: none
        QTest::newRow("localhost") << int(TestCertificates::Leaf::Localhost) << -1;
        QTest::newRow("expired") << int(TestCertificates::Leaf::Expired)
                                 << int(QSslError::CertificateExpired);
        QTest::newRow("wrong host")
            << int(TestCertificates::Leaf::WrongHost) << int(QSslError::HostNameMismatch);
        QTest::newRow("self-signed")
            << int(TestCertificates::Leaf::SelfSigned) << int(QSslError::SelfSignedCertificate);
    }

    void implicitTlsPresentsEachLeaf()
    {
        QFETCH(int, leaf);
        QFETCH(int, expectedError);
        const TestCertificates& certs = TestCertificates::instance();
        const auto which = TestCertificates::Leaf(leaf);

        ScriptedSmtpServer server(u"S: 220 tls ESMTP\n"_s);
        server.setImplicitTls(true);
        server.setCertificate(certs.certificate(which), certs.key(which));
        QVERIFY(server.listen());

        RawClient client;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(certs.caCertificate());
        client.socket.setSslConfiguration(config);
        // Collect the errors, then go on anyway so the greeting proves the script waited for TLS.
        QObject::connect(&client.socket, &QSslSocket::sslErrors, &client.socket,
                         [&client] { client.socket.ignoreSslErrors(); });
        client.socket.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
        QVERIFY(client.waitFor("220 tls ESMTP\r\n"));
        QVERIFY(server.tlsEstablished());
        QVERIFY(server.receivedPlaintext().isEmpty());
        if (expectedError < 0) {
            QVERIFY(client.sslErrors.isEmpty());
        } else {
            QVERIFY(hasErrorType(client.sslErrors, QSslError::SslError(expectedError)));
        }
        QCOMPARE(certs.sha256(which).size(), 64);
        QCOMPARE(certs.sha256(which), certs.sha256(which).toLower());
        QCOMPARE(certs.sha256WithColons(which).remove(u':').toLower(), certs.sha256(which));
        QCOMPARE(QString::fromLatin1(
                     client.socket.peerCertificate().digest(QCryptographicHash::Sha256).toHex()),
                 certs.sha256(which));
    }

    void theLeavesDiffer()
    {
        const TestCertificates& certs = TestCertificates::instance();
        QStringList digests;
        for (auto leaf : {TestCertificates::Leaf::Localhost, TestCertificates::Leaf::Expired,
                          TestCertificates::Leaf::WrongHost, TestCertificates::Leaf::SelfSigned})
            digests.append(certs.sha256(leaf));
        digests.removeDuplicates();
        QCOMPARE(digests.size(), 4);
        QVERIFY(certs.certificate(TestCertificates::Leaf::Expired).expiryDate() <
                QDateTime::currentDateTimeUtc());
        QCOMPARE(certs.certificate(TestCertificates::Leaf::Localhost).issuerDisplayName(),
                 u"Relaydeck Test CA"_s);
    }

    void tls12OnlyServerRefusesATls13Client()
    {
        const TestCertificates& certs = TestCertificates::instance();
        ScriptedSmtpServer server(u"S: 220 tls ESMTP\n"_s);
        server.setImplicitTls(true);
        server.setTlsProtocol(QSsl::TlsV1_2);
        server.setCertificate(certs.certificate(TestCertificates::Leaf::Localhost),
                              certs.key(TestCertificates::Leaf::Localhost));
        QVERIFY(server.listen());
        QSignalSpy tlsFailed(&server, &ScriptedSmtpServer::tlsFailed);

        RawClient client;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(certs.caCertificate());
        config.setProtocol(QSsl::TlsV1_3OrLater);
        client.socket.setSslConfiguration(config);
        client.socket.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
        QVERIFY(tlsFailed.count() > 0 || tlsFailed.wait(5000));
        QVERIFY(!server.tlsEstablished());
        QVERIFY(!client.socket.isEncrypted());
        QVERIFY(!client.received.contains("220"));

        // The same server accepts TLS 1.2.
        ScriptedSmtpServer second(u"S: 220 tls ESMTP\n"_s);
        second.setImplicitTls(true);
        second.setTlsProtocol(QSsl::TlsV1_2);
        second.setCertificate(certs.certificate(TestCertificates::Leaf::Localhost),
                              certs.key(TestCertificates::Leaf::Localhost));
        QVERIFY(second.listen());
        RawClient ok;
        config.setProtocol(QSsl::SecureProtocols);
        ok.socket.setSslConfiguration(config);
        ok.socket.connectToHostEncrypted(u"127.0.0.1"_s, second.port());
        QVERIFY(ok.waitFor("220 tls ESMTP\r\n"));
        QCOMPARE(ok.socket.sessionProtocol(), QSsl::TlsV1_2);
    }

    void silentServerSendsNothing()
    {
        ScriptedSmtpServer server(u"SILENT\n"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        client.send("EHLO client.test\r\nQUIT\r\n");
        QVERIFY(QTest::qWaitFor([&] { return server.clientLines().size() == 2; }, 5000));
        // Asserting an absence needs a bounded wait: nothing may arrive in it.
        QTest::qWait(200);
        QVERIFY(client.received.isEmpty());
        QVERIFY(server.failures().isEmpty());
        QVERIFY(server.quitReceived());
    }

    void closesMidDialogue()
    {
        ScriptedSmtpServer server(u"S: 220 x\nC: EHLO a\nCLOSE\n"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        QVERIFY(client.waitFor("220 x"));
        client.send("EHLO a\r\n");
        QVERIFY(QTest::qWaitFor(
            [&] { return client.socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QVERIFY(server.failures().isEmpty());
    }

    void sendsJunkWithoutLineEndsInBoundedChunks()
    {
        constexpr qint64 junk = 10 * 1024 * 1024;
        ScriptedSmtpServer server(u"S: 220 x\nJUNK 10485760\nS: 250 after\n"_s);
        QVERIFY(server.listen());
        RawClient client;
        QVERIFY(client.connectTo(server.port()));
        const bool all =
            QTest::qWaitFor([&] { return client.received.size() >= 7 + junk + 11; }, 30000);
        QVERIFY2(all, qPrintable(u"received %1, junk written %2\n"_s.arg(client.received.size())
                                     .arg(server.junkBytesWritten()) +
                                 server.log()));
        QCOMPARE(server.junkBytesWritten(), junk);
        QCOMPARE(client.received.count('\n'), 2);
        QVERIFY(client.received.endsWith("x250 after\r\n"));
        QVERIFY(server.scriptFinished());
    }

    void refusesASecondConnection()
    {
        ScriptedSmtpServer server(u"S: 220 x\n"_s);
        QVERIFY(server.listen());
        RawClient first;
        QVERIFY(first.connectTo(server.port()));
        QVERIFY(first.waitFor("220 x"));
        RawClient second;
        second.socket.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 2; }, 5000));
        // Judged by its first byte (an implicit-TLS probe's handshake is no failure): leaving
        // without a word is one.
        second.socket.disconnectFromHost();
        QVERIFY(QTest::qWaitFor([&] { return server.failures().size() == 1; }, 5000));
        QCOMPARE(server.probeConnections(), 0);
    }
};

QTEST_GUILESS_MAIN(TestScriptedServer)
#include "tst_scriptedserver.moc"
