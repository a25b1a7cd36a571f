#pragma once

#include "smtp/SmtpReply.h"
#include "smtp/SmtpReplyParser.h"

#include <QAbstractSocket>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslConfiguration>
#include <QSslError>

class QSslSocket;

namespace relaydeck {

// One SMTP connection's transport: a QSslSocket, its own reply parser and the transcript of
// what crossed the wire. It knows framing and TLS, not the dialogue: ConnectionTest decides what
// to send and what a reply means. Fully asynchronous (engine rule 1).
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

    void setSslConfiguration(const QSslConfiguration& configuration);
    void setProxy(const QNetworkProxy& proxy);
    // Connects in plaintext, or with implicit TLS (the handshake starts once TCP is up).
    // `peerName` is the name the certificate must carry (the profile's host).
    void connectToHost(const QString& hostOrAddress, quint16 port, const QString& peerName,
                       bool implicitTls);

    // Writes the lines in ONE write (pipelining when more than one), each ending in CRLF.
    void send(const QList<Line>& lines);
    // Writes a DATA payload as it is (already CRLF and dot-stuffed); the transcript shows its
    // lines.
    void sendData(const QByteArray& payload);

    // STARTTLS after its 220: false when anything the server sent is still unread (bytes after
    // the 220 that a man in the middle could have injected). Otherwise forgets everything
    // buffered and starts the handshake.
    bool startTls();

    // Inside sslErrors(): accept these errors for this handshake (TlsPeerCheck decided).
    void ignoreSslErrors(const QList<QSslError>& errors);

    void disconnectGracefully();
    void abort();

    QHostAddress peerAddress() const;
    QSslSocket* socket() const { return m_socket; }

signals:
    void connected();
    void encrypted();
    void replyReceived(const relaydeck::SmtpReply& reply);
    void sslErrors(const QList<QSslError>& errors);
    void socketError(QAbstractSocket::SocketError error, const QString& message);
    void protocolError(const QString& message);
    void closed();
    // dir: 'C' client, 'S' server, '*' event.
    void transcript(QChar dir, const QString& line);

private:
    void readIncoming();
    void dispatchReplies();

    QSslSocket* m_socket;
    SmtpReplyParser m_parser;
    QList<SmtpReply> m_queued;
    bool m_dispatching = false;
    bool m_stopped = false;
};

} // namespace relaydeck
