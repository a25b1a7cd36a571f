#pragma once

#include <QByteArray>
#include <QString>

namespace relaydeck {

// The client side of an HTTP CONNECT tunnel (RFC 9110 9.3.6) with Basic proxy credentials sent
// up front. Relaydeck speaks it itself instead of leaving it to QNetworkProxy because Qt hides
// the proxy's status: a 401/407 (wrong credentials) and a 502 (target refused) both become
// ProxyProtocolError. Speaking first with credentials also saves the 407 round trip.
// Pure bytes in, verdict out: SmtpSession does the I/O.
class HttpConnectTunnel
{
public:
    enum class State
    {
        Waiting,     // the proxy's response is not complete yet
        Established, // 2xx: the tunnel carries the SMTP session from now on
        Refused,     // the proxy refused the tunnel (statusLine says why)
        AuthRefused, // 401/407: the proxy wants other credentials
        Malformed    // not an HTTP response, or larger than MaxResponseLength
    };

    static constexpr qsizetype MaxResponseLength = 16 * 1024;

    // `username` empty: no Proxy-Authorization header. Empty when `host` cannot stand in the
    // request line (see isValidTargetHost): nothing is to be sent then.
    static QByteArray request(const QString& host, int port, const QString& username,
                              const QString& password);
    // Whether `host` can go into "CONNECT host:port": no control character, blank or character
    // that ends or changes the authority ("/?#@[]\"), and ':' only as in an IPv6 address (the
    // request brackets it; one written in brackets is bracketed once). A CR/LF in a
    // hand-edited host would otherwise inject headers.
    static bool isValidTargetHost(const QString& host);

    // Feeds bytes from the proxy. Bytes after the response's blank line are kept in
    // leftover(): the SMTP server's first bytes may arrive in the same segment.
    State feed(const QByteArray& bytes);

    State state() const { return m_state; }
    int statusCode() const { return m_statusCode; }
    QString statusLine() const { return m_statusLine; }
    QByteArray leftover() const { return m_leftover; }

private:
    QByteArray m_buffer;
    QByteArray m_leftover;
    State m_state = State::Waiting;
    int m_statusCode = 0;
    QString m_statusLine;
};

} // namespace relaydeck
