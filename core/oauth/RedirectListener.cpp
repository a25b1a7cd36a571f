#include "oauth/RedirectListener.h"

#include "oauth/Pkce.h"

#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(RedirectListener)
};

constexpr qsizetype maxRequestBytes = 16 * 1024;

} // namespace

RedirectListener::RedirectListener(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish({}); });
    connect(m_server, &QTcpServer::newConnection, this, &RedirectListener::onNewConnection);
}

RedirectListener::~RedirectListener() = default;

bool RedirectListener::listen(const QByteArray& expectedState, int timeoutMs)
{
    m_expectedState = expectedState;
    // Loopback only: nothing on the network can reach the listener or race the browser to it.
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        m_errorString = m_server->errorString();
        return false;
    }
    m_deadline.start(timeoutMs);
    return true;
}

QHostAddress RedirectListener::address() const
{
    return m_server->serverAddress();
}

quint16 RedirectListener::port() const
{
    return m_server->serverPort();
}

void RedirectListener::close()
{
    m_deadline.stop();
    m_server->close();
}

void RedirectListener::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void RedirectListener::onReadyRead(QTcpSocket* socket)
{
    QByteArray buffer = socket->property("request").toByteArray() + socket->readAll();
    if (buffer.size() > maxRequestBytes) {
        socket->abort();
        return;
    }
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        socket->setProperty("request", buffer);
        return;
    }
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || requestLine.at(0) != "GET") {
        respond(socket, 405, Text::tr("Not allowed"), Text::tr("Only the sign-in comes here."));
        return;
    }
    const QUrl target(QString::fromLatin1(requestLine.at(1)));
    if (target.path() != u"/"_s || m_done) {
        respond(socket, 404, Text::tr("Not found"), Text::tr("Nothing here."));
        return;
    }
    const QUrlQuery query(target);
    RedirectResult result;
    const QByteArray state = query.queryItemValue(u"state"_s, QUrl::FullyDecoded).toLatin1();
    if (!Pkce::equal(state, m_expectedState)) {
        // Not the answer to our request (a forged or stale redirect): never exchanged.
        result.outcome = RedirectResult::Outcome::StateMismatch;
        respond(socket, 400, Text::tr("Sign-in rejected"),
                Text::tr("This answer does not belong to the sign-in Relaydeck started (the "
                         "state does not match). Nothing was signed in."));
    } else if (query.hasQueryItem(u"error"_s)) {
        result.outcome = RedirectResult::Outcome::ProviderError;
        result.error = query.queryItemValue(u"error"_s, QUrl::FullyDecoded);
        result.errorDescription = query.queryItemValue(u"error_description"_s, QUrl::FullyDecoded);
        respond(
            socket, 200, Text::tr("Sign-in failed"),
            Text::tr("The provider said: %1. You can close this tab.")
                .arg(result.errorDescription.isEmpty() ? result.error : result.errorDescription));
    } else if (query.queryItemValue(u"code"_s).isEmpty()) {
        result.outcome = RedirectResult::Outcome::ProviderError;
        result.error = u"invalid_request"_s;
        respond(socket, 400, Text::tr("Sign-in failed"),
                Text::tr("The answer carries no authorization code."));
    } else {
        result.outcome = RedirectResult::Outcome::Code;
        result.code = query.queryItemValue(u"code"_s, QUrl::FullyDecoded);
        respond(socket, 200, Text::tr("Signed in"),
                Text::tr("Relaydeck received the sign-in. You can close this tab."));
    }
    finish(result);
}

void RedirectListener::respond(QTcpSocket* socket, int status, const QString& title,
                               const QString& text)
{
    const QString page =
        u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title></head>"
        "<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>"_s
            .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    const QByteArray body = page.toUtf8();
    const QByteArray reason = status == 200   ? "OK"
                              : status == 400 ? "Bad Request"
                              : status == 404 ? "Not Found"
                                              : "Method Not Allowed";
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                          "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                          QByteArray::number(body.size()) +
                          "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
}

void RedirectListener::finish(const RedirectResult& result)
{
    if (m_done)
        return;
    m_done = true;
    close();
    emit finished(result);
}

} // namespace relaydeck
