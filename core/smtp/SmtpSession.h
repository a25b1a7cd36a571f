#pragma once

#include "smtp/HttpConnectTunnel.h"
#include "smtp/SmtpReply.h"
#include "smtp/SmtpReplyParser.h"

#include <QAbstractSocket>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslConfiguration>
#include <QSslError>

#include <optional>

class QSslSocket;

namespace relaydeck {

// Where an SmtpSession's HTTP CONNECT tunnel goes and how far it got. At namespace scope, not
// nested in SmtpSession: clang 14 cannot default-construct a nested class with default member
// initializers inside std::optional of its enclosing class (`emplace()` finds no constructor).
struct HttpTunnelTarget
{
    QString proxyHost;
    quint16 proxyPort = 0;
    QString username;
    QString password;
    QString host;
    quint16 port = 0;
    bool implicitTls = false;
    HttpConnectTunnel tunnel;
    bool established = false;
};

// One SMTP connection's transport: a QSslSocket, its own reply parser and the transcript of
// what crossed the wire. It knows framing and TLS, not the dialogue: ConnectionTest decides what
// to send and what a reply means. Its operations are virtual so a test can stand in a session
// without a socket (SmtpSessionFactory). Fully asynchronous (docs/ARCHITECTURE.md engine rule 1).
class SmtpSession : public QObject
{
    Q_OBJECT

public:
    // A line of a command batch and how the transcript shows it (e.g. "AUTH PLAIN <redacted>").
    struct Line
    {
        QByteArray bytes; // without CRLF
        QString shownAs;  // empty: the bytes themselves
    };

    explicit SmtpSession(QObject* parent = nullptr);
    ~SmtpSession() override;

    virtual void setSslConfiguration(const QSslConfiguration& configuration);
    // A proxy Qt speaks to (SOCKS5, or HTTP with NTLM and system proxies).
    virtual void setProxy(const QNetworkProxy& proxy);
    // An HTTP CONNECT proxy this session speaks to itself (see HttpConnectTunnel): connected()
    // comes once the tunnel stands; a refusal is proxyFailed().
    virtual void setHttpTunnel(const QString& proxyHost, quint16 proxyPort, const QString& username,
                               const QString& password);
    // Connects in plaintext, or with implicit TLS (the handshake starts once TCP is up).
    // `peerName` is the name the certificate must carry (the profile's host).
    virtual void connectToHost(const QString& hostOrAddress, quint16 port, const QString& peerName,
                               bool implicitTls);

    // Writes the lines in ONE write (pipelining when more than one), each ending in CRLF.
    virtual void send(const QList<Line>& lines);
    // Writes a DATA payload as it is (already CRLF and dot-stuffed); the transcript shows its
    // lines.
    virtual void sendData(const QByteArray& payload);

    // STARTTLS after its 220: false when anything the server sent is still unread (bytes after
    // the 220 that a man in the middle could have injected). Otherwise forgets everything
    // buffered and starts the handshake.
    virtual bool startTls();

    // Inside sslErrors(): accept these errors for this handshake (TlsPeerCheck decided).
    virtual void ignoreSslErrors(const QList<QSslError>& errors);

    virtual void disconnectGracefully();
    virtual void abort();

    // The SMTP server's address; null when a proxy stands between (its address says nothing
    // about where the server is).
    virtual QHostAddress peerAddress() const;
    QSslSocket* socket() const { return m_socket; }

signals:
    void connected();
    void encrypted();
    void replyReceived(const relaydeck::SmtpReply& reply);
    void sslErrors(const QList<QSslError>& errors);
    void socketError(QAbstractSocket::SocketError error, const QString& message);
    void protocolError(const QString& message);
    // The HTTP proxy refused the tunnel; `credentialsRefused` for 401/407.
    void proxyFailed(bool credentialsRefused, const QString& message, const QString& statusLine);
    void closed();
    // dir: 'C' client, 'S' server, '*' event.
    void transcript(QChar dir, const QString& line);

private:
    void readIncoming();
    void readTunnelResponse();
    void takeSmtpBytes(const QByteArray& bytes);
    void dispatchReplies();

    QSslSocket* m_socket;
    SmtpReplyParser m_parser;
    QList<SmtpReply> m_queued;
    bool m_dispatching = false;
    bool m_stopped = false;
    bool m_proxied = false;
    std::optional<HttpTunnelTarget> m_tunnel;
};

} // namespace relaydeck
