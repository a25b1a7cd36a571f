// HttpConnectTunnel: the CONNECT request Relaydeck writes and how it reads the proxy's answer.
#include "smtp/HttpConnectTunnel.h"
#include "smtp/SmtpSession.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

using State = HttpConnectTunnel::State;

class HttpConnectTunnelTest : public QObject
{
    Q_OBJECT

private slots:
    void requestWithAndWithoutCredentials()
    {
        QCOMPARE(HttpConnectTunnel::request(u"smtp.example.com"_s, 587, {}, {}),
                 QByteArray("CONNECT smtp.example.com:587 HTTP/1.1\r\n"
                            "Host: smtp.example.com:587\r\n\r\n"));
        // RFC 7617's example: Aladdin / open sesame.
        QCOMPARE(HttpConnectTunnel::request(u"2001:db8::25"_s, 25, u"Aladdin"_s, u"open sesame"_s),
                 QByteArray("CONNECT [2001:db8::25]:25 HTTP/1.1\r\nHost: [2001:db8::25]:25\r\n"
                            "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"));
    }

    // A host from a hand-edited connections.json with CR/LF would end the request line and
    // inject headers (or a whole second request) into what the proxy reads.
    void hostsThatWouldChangeTheRequestAreRefused_data()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("CRLF") << u"smtp.example.com\r\nX-Injected: 1"_s;
        QTest::newRow("LF") << u"smtp.example.com\nHost: evil.example"_s;
        QTest::newRow("CR") << u"smtp.example.com\r"_s;
        QTest::newRow("NUL") << QString(u"smtp.example.com"_s + QChar(0));
        QTest::newRow("blank") << u"smtp.example.com HTTP/1.0"_s;
        QTest::newRow("tab") << u"smtp\texample.com"_s;
        QTest::newRow("path") << u"smtp.example.com/x"_s;
        QTest::newRow("userinfo") << u"user@smtp.example.com"_s;
        QTest::newRow("port inside") << u"smtp.example.com:25"_s;
        QTest::newRow("bracket") << u"[2001:db8::25"_s;
        QTest::newRow("brackets inside") << u"[[2001:db8::25]]"_s;
        QTest::newRow("bracketed name") << u"[smtp.example.com]"_s;
        QTest::newRow("next line (U+0085)") << QString(u"a"_s + QChar(0x85) + u"b"_s);
        QTest::newRow("line separator") << QString(u"a"_s + QChar(0x2028) + u"b"_s);
        QTest::newRow("empty") << QString();
    }

    void hostsThatWouldChangeTheRequestAreRefused()
    {
        QFETCH(QString, host);
        QVERIFY(!HttpConnectTunnel::isValidTargetHost(host));
        QCOMPARE(HttpConnectTunnel::request(host, 25, u"user"_s, u"secret"_s), QByteArray());
    }

    void validTargetHosts()
    {
        for (const QString& host : {u"smtp.example.com"_s, u"192.0.2.25"_s, u"2001:db8::25"_s,
                                    u"b\u00fccher.example"_s, u"localhost"_s})
            QVERIFY2(HttpConnectTunnel::isValidTargetHost(host), qPrintable(host));
        // An IPv6 literal the profile wrote in brackets is bracketed once.
        QCOMPARE(HttpConnectTunnel::request(u"[2001:db8::25]"_s, 25, {}, {}),
                 HttpConnectTunnel::request(u"2001:db8::25"_s, 25, {}, {}));
    }

    // SmtpSession through a loopback "proxy": the refused host fails the session before a
    // single byte reaches the proxy.
    void sessionSendsNothingForARefusedHost()
    {
        QTcpServer proxy;
        QVERIFY(proxy.listen(QHostAddress::LocalHost));
        QByteArray received;
        QTcpSocket* accepted = nullptr;
        connect(&proxy, &QTcpServer::newConnection, this, [&] {
            accepted = proxy.nextPendingConnection();
            connect(accepted, &QTcpSocket::readyRead, this,
                    [&] { received += accepted->readAll(); });
        });
        relaydeck::SmtpSession session;
        QSignalSpy failed(&session, &relaydeck::SmtpSession::proxyFailed);
        QSignalSpy connected(&session, &relaydeck::SmtpSession::connected);
        session.setHttpTunnel(u"127.0.0.1"_s, proxy.serverPort(), u"user"_s, u"secret"_s);
        session.connectToHost(u"smtp.example.com\r\nX-Injected: 1"_s, 25, u"smtp.example.com"_s,
                              false);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(0).toBool(), false); // not a credentials problem
        QVERIFY(failed.first().at(1).toString().contains(u"nothing was sent"_s));
        QTest::qWait(100); // anything written would have arrived by now
        if (accepted)
            received += accepted->readAll();
        QCOMPARE(received, QByteArray());
        QCOMPARE(connected.size(), 0);
    }

    void verdicts_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("status");
        QTest::newRow("200") << QByteArray("HTTP/1.1 200 Connection established\r\n\r\n")
                             << int(State::Established) << 200;
        QTest::newRow("200 with headers, 1.0")
            << QByteArray("HTTP/1.0 200 OK\r\nProxy-agent: tinyproxy/1.11.1\r\n\r\n")
            << int(State::Established) << 200;
        QTest::newRow("407") << QByteArray("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                           "Proxy-Authenticate: Basic realm=\"x\"\r\n\r\n")
                             << int(State::AuthRefused) << 407;
        QTest::newRow("401 (tinyproxy 1.11)")
            << QByteArray("HTTP/1.1 401 Unauthorized\r\n\r\n<html>") << int(State::AuthRefused)
            << 401;
        QTest::newRow("403") << QByteArray("HTTP/1.1 403 Access violation\r\n\r\n")
                             << int(State::Refused) << 403;
        QTest::newRow("502") << QByteArray("HTTP/1.1 502 Bad Gateway\r\n\r\n")
                             << int(State::Refused) << 502;
        QTest::newRow("not http") << QByteArray("220 smtp.example.com ESMTP\r\n\r\n")
                                  << int(State::Malformed) << 0;
        // Found by fuzzing: a status code must start with 1 to 5 (RFC 9110 15).
        QTest::newRow("status 077") << QByteArray("HTTP/1.1 077 Connection established\r\n\r\n")
                                    << int(State::Malformed) << 0;
        QTest::newRow("bad status")
            << QByteArray("HTTP/1.1 20 Short\r\n\r\n") << int(State::Malformed) << 0;
    }

    void verdicts()
    {
        QFETCH(QByteArray, response);
        QFETCH(int, state);
        QFETCH(int, status);
        HttpConnectTunnel tunnel;
        QCOMPARE(int(tunnel.feed(response)), state);
        QCOMPARE(tunnel.statusCode(), status);
    }

    void responseSplitAcrossReadsAndSmtpBytesAfterIt()
    {
        const QByteArray wire =
            "HTTP/1.1 200 Connection established\r\n\r\n220 smtp.example.com ESMTP\r\n";
        HttpConnectTunnel tunnel;
        const qsizetype headerEnd = wire.indexOf("\r\n\r\n") + 4;
        for (qsizetype i = 0; i < headerEnd - 1; ++i)
            QCOMPARE(tunnel.feed(wire.mid(i, 1)), State::Waiting);
        QCOMPARE(tunnel.feed(wire.mid(headerEnd - 1)), State::Established);
        QCOMPARE(tunnel.leftover(), QByteArray("220 smtp.example.com ESMTP\r\n"));
        QCOMPARE(tunnel.statusLine(), u"HTTP/1.1 200 Connection established"_s);
        // Once decided, further bytes are not the tunnel's business.
        QCOMPARE(tunnel.feed("HTTP/1.1 407 x\r\n\r\n"), State::Established);
    }

    void endlessResponseIsRefusedWithBoundedMemory()
    {
        HttpConnectTunnel tunnel;
        const QByteArray chunk(4096, 'x');
        State state = State::Waiting;
        int fed = 0;
        while (state == State::Waiting && fed < 1000) {
            state = tunnel.feed(chunk);
            ++fed;
        }
        QCOMPARE(state, State::Malformed);
        QVERIFY(fed * chunk.size() <= HttpConnectTunnel::MaxResponseLength + chunk.size());
    }
};

QTEST_GUILESS_MAIN(HttpConnectTunnelTest)
#include "tst_httpconnecttunnel.moc"
