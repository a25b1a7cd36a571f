// HttpConnectTunnel: the CONNECT request Relaydeck writes and how it reads the proxy's answer.
#include "smtp/HttpConnectTunnel.h"

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
