#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace relaydeck {

// What came back to the redirect URI.
struct RedirectResult
{
    enum class Outcome
    {
        Code,          // code holds the authorization code; state matched
        ProviderError, // the provider redirected with error (e.g. access_denied)
        StateMismatch, // a request with a wrong or missing state: rejected, nothing exchanged
        TimedOut       // nothing came within the bounded wait
    };
    Outcome outcome = Outcome::TimedOut;
    QString code;
    QString error;
    QString errorDescription;
};

// The one-shot HTTP listener an authorization code comes back to (RFC 8252 loopback redirect):
// bound to 127.0.0.1 only, on a port the OS picks, it answers the first request to its path
// with a small page ("signed in, you can close this tab" or what went wrong), reports it and
// closes. Requests to other paths (a browser's favicon) get 404 and do not count. It waits at
// most `timeoutMs`.
class RedirectListener : public QObject
{
    Q_OBJECT

public:
    explicit RedirectListener(QObject* parent = nullptr);
    ~RedirectListener() override;

    // Starts listening on 127.0.0.1:<random port>. false when the socket could not be opened.
    bool listen(const QByteArray& expectedState, int timeoutMs);
    QHostAddress address() const;
    quint16 port() const;
    QString errorString() const { return m_errorString; }
    void close();

signals:
    void finished(const relaydeck::RedirectResult& result);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void respond(QTcpSocket* socket, int status, const QString& title, const QString& text);
    void finish(const RedirectResult& result);

    QTcpServer* m_server;
    QTimer m_deadline;
    QByteArray m_expectedState;
    QString m_errorString;
    bool m_done = false;
};

} // namespace relaydeck
