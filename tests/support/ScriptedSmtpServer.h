#pragma once

#include "SmtpScript.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStringList>

class QSslSocket;
class QTcpServer;

namespace relaydeck::test {

// A tiny in-process SMTP server on 127.0.0.1, port 0, that plays one SmtpScript for the first
// client that connects (later connections are refused and recorded as failures, except an
// implicit-TLS probe's: see probeConnections()).
//
// It records every byte the client sends, marked as before or after TLS, with the boundaries of
// each read, so tests can assert what did or did not cross the wire in plaintext. A client line
// the script does not expect is a script failure (failures()); from then on the server answers
// "500" to everything but QUIT. When the script is exhausted, QUIT gets "221 Bye" and the
// connection is closed; any other line is a failure. After SILENT nothing is answered and nothing
// counts as a failure.
//
// Entirely asynchronous: drive it with QTest::qWaitFor or QSignalSpy on its signals.
class ScriptedSmtpServer : public QObject
{
    Q_OBJECT

public:
    // One line the client sent: without its line end; `crlf` false for a bare LF (or, for the
    // last line of a connection, no line end at all).
    struct ClientLine
    {
        QByteArray line;
        bool tls = false; // received inside the TLS session
        int read = -1;    // index into reads(): the read that completed this line
        bool crlf = true;
    };

    // One read from the socket, as delivered (decrypted when inside TLS).
    struct Read
    {
        QByteArray bytes;
        bool tls = false;
    };

    explicit ScriptedSmtpServer(const SmtpScript& script, QObject* parent = nullptr);
    explicit ScriptedSmtpServer(const QString& scriptText, QObject* parent = nullptr);
    ~ScriptedSmtpServer() override;

    // The certificate (and chain) presented by TLS and implicit TLS. Default: none (a script
    // with TLS then fails the handshake).
    void setCertificate(const QSslCertificate& leaf, const QSslKey& key,
                        const QList<QSslCertificate>& chain = {});
    // TLS from the first byte (port 465 style): the script starts once the handshake is done.
    void setImplicitTls(bool implicitTls) { m_implicitTls = implicitTls; }
    // Restricts the server's TLS versions, e.g. QSsl::TlsV1_2 for "TLS 1.2 only".
    void setTlsProtocol(QSsl::SslProtocol protocol) { m_protocol = protocol; }
    // Asks the client for a certificate in the TLS handshake and requires one issued by one of
    // `authorities` (SASL EXTERNAL): without one, or with another, the handshake fails. Default:
    // no certificate is asked for.
    void requireClientCertificate(const QList<QSslCertificate>& authorities)
    {
        m_clientAuthorities = authorities;
    }

    // Starts listening on 127.0.0.1 (or `address`) with a free port (or `port`). False (and a
    // failure) when that fails.
    bool listen();
    bool listen(const QHostAddress& address, quint16 port = 0);
    quint16 port() const;

    // --- what happened -----------------------------------------------------------------------
    QList<ClientLine> clientLines() const { return m_lines; }
    QList<QByteArray> plaintextLines() const; // lines received before TLS
    QList<QByteArray> tlsLines() const;       // lines received inside TLS
    QList<Read> reads() const { return m_reads; }
    QByteArray receivedPlaintext() const; // every byte received outside TLS
    // The first line whose upper-cased text starts with one of `verbs` ("AUTH", "MAIL", ...),
    // among all lines or the plaintext ones only; empty when there is none.
    QByteArray firstLineStartingWith(const QList<QByteArray>& verbs, bool plaintextOnly) const;
    // The DATA payload received by DATA steps, exactly as on the wire (dot-stuffed, CRLF, the
    // terminating "." line excluded).
    QByteArray dataPayload() const { return m_dataPayload; }

    QStringList failures() const { return m_failures; }
    // A readable log of the whole conversation and events ("S> ...", "C> ...", "* ..."), for
    // failure messages.
    QString log() const { return m_log.join(u'\n'); }

    int connectionCount() const { return m_connections; }
    // Later connections that opened with a TLS handshake (ImplicitTlsProbe's): not answered,
    // and not a failure.
    int probeConnections() const { return m_probeConnections; }
    bool isClientConnected() const;
    bool clientDisconnected() const { return m_disconnected; }
    bool tlsEstablished() const { return m_tlsEstablished; }
    QString tlsError() const { return m_tlsError; }
    // The certificate the client presented in the last TLS handshake (null when none).
    QSslCertificate clientCertificate() const { return m_clientCertificate; }
    bool quitReceived() const { return m_quitReceived; }
    bool scriptFinished() const { return m_stepIndex >= m_script.steps().size(); }
    qint64 junkBytesWritten() const { return m_junkWritten; }
    int repliesSent() const { return m_repliesSent; }

signals:
    void clientConnected();
    void lineReceived(const QByteArray& line, bool tls);
    void encrypted();
    void tlsFailed(const QString& error);
    void scriptFailed(const QString& failure);
    void scriptCompleted();
    void clientDisconnectedSignal();

private:
    void onNewConnection();
    void takeExtraConnection(qintptr descriptor);
    void onReadyRead();
    void onDisconnected();
    void onEncrypted();
    void advance();
    void handleLine(const ClientLine& line);
    void handleUnscriptedLine(const QByteArray& line);
    void write(const QByteArray& bytes);
    void pumpJunk();
    void fail(const QString& failure);
    void logEvent(const QString& event);

    SmtpScript m_script;
    QTcpServer* m_server = nullptr;
    QPointer<QSslSocket> m_socket;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QList<QSslCertificate> m_chain;
    bool m_implicitTls = false;
    QSsl::SslProtocol m_protocol = QSsl::SecureProtocols;
    QList<QSslCertificate> m_clientAuthorities;
    QSslCertificate m_clientCertificate;

    qsizetype m_stepIndex = 0;
    bool m_inTls = false;          // bytes now arrive decrypted
    bool m_waitingForTls = false;  // handshake started, not finished
    bool m_tlsEstablished = false; // a handshake completed at some point
    bool m_silent = false;
    bool m_broken = false; // a mismatch happened: answer 500, stop playing
    bool m_closing = false;
    bool m_inData = false;
    bool m_disconnected = false;
    bool m_quitReceived = false;
    bool m_junkActive = false;
    qint64 m_junkRemaining = 0;
    qint64 m_junkWritten = 0;
    int m_connections = 0;
    int m_probeConnections = 0;
    int m_repliesSent = 0;
    QString m_tlsError;

    QByteArray m_lastMatched;    // the last client line an Expect* step matched
    QByteArray m_partial;        // bytes of an unfinished client line
    QList<ClientLine> m_pending; // received, not yet consumed by the script
    QList<ClientLine> m_lines;   // everything received
    QList<Read> m_reads;
    QByteArray m_dataPayload;
    QStringList m_failures;
    QStringList m_log;
};

} // namespace relaydeck::test
