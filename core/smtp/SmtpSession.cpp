#include "smtp/SmtpSession.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

QString replyLineText(const SmtpReply& reply, qsizetype index)
{
    const bool last = index == reply.lines.size() - 1;
    return QString::number(reply.code) + (last ? u' ' : u'-') + reply.lines.at(index);
}

} // namespace

SmtpSession::SmtpSession(QObject* parent)
    : QObject(parent)
    , m_socket(new QSslSocket(this))
{
    // Small commands must leave at once: Nagle would hold a pipelined batch's successor back.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QSslSocket::connected, this, [this] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_tunnel && !m_tunnel->established) {
            emit transcript(u'*', u"connected to the HTTP proxy %1 port %2; CONNECT %3:%4"_s
                                      .arg(m_tunnel->proxyHost)
                                      .arg(m_tunnel->proxyPort)
                                      .arg(m_tunnel->host)
                                      .arg(m_tunnel->port));
            const QByteArray request = HttpConnectTunnel::request(
                m_tunnel->host, m_tunnel->port, m_tunnel->username, m_tunnel->password);
            if (request.isEmpty()) {
                // A line break in the host would end the request line: send nothing.
                m_stopped = true;
                m_socket->abort();
                emit proxyFailed(false,
                                 tr("the SMTP server's host name contains characters a host "
                                    "name cannot have (line breaks, blanks or control "
                                    "characters); nothing was sent to the proxy"),
                                 QString());
                return;
            }
            m_socket->write(request);
            return;
        }
        emit transcript(u'*', u"connected to %1 port %2"_s
                                  .arg(m_socket->peerAddress().isNull()
                                           ? m_socket->peerName()
                                           : m_socket->peerAddress().toString())
                                  .arg(m_socket->peerPort()));
        emit connected();
    });
    connect(m_socket, &QSslSocket::encrypted, this, &SmtpSession::encrypted);
    connect(m_socket, &QSslSocket::sslErrors, this, &SmtpSession::sslErrors);
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpSession::readIncoming);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (m_stopped)
            return;
        emit socketError(error, m_socket->errorString());
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_stopped)
            return; // abort() was asked for: whoever asked knows
        emit transcript(u'*', u"connection closed"_s);
        emit closed();
    });
}

SmtpSession::~SmtpSession()
{
    m_stopped = true;
    m_socket->abort();
}

void SmtpSession::setSslConfiguration(const QSslConfiguration& configuration)
{
    m_socket->setSslConfiguration(configuration);
}

void SmtpSession::setProxy(const QNetworkProxy& proxy)
{
    m_proxied = proxy.type() != QNetworkProxy::NoProxy;
    m_socket->setProxy(proxy);
}

void SmtpSession::setHttpTunnel(const QString& proxyHost, quint16 proxyPort,
                                const QString& username, const QString& password)
{
    m_proxied = true;
    m_socket->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    m_tunnel.emplace();
    m_tunnel->proxyHost = proxyHost;
    m_tunnel->proxyPort = proxyPort;
    m_tunnel->username = username;
    m_tunnel->password = password;
}

void SmtpSession::connectToHost(const QString& hostOrAddress, quint16 port, const QString& peerName,
                                bool implicitTls)
{
    m_socket->setPeerVerifyName(peerName);
    if (m_tunnel) {
        m_tunnel->host = hostOrAddress;
        m_tunnel->port = port;
        m_tunnel->implicitTls = implicitTls;
        m_socket->connectToHost(m_tunnel->proxyHost, m_tunnel->proxyPort);
        return;
    }
    if (implicitTls)
        m_socket->connectToHostEncrypted(hostOrAddress, port, peerName);
    else
        m_socket->connectToHost(hostOrAddress, port);
}

void SmtpSession::send(const QList<Line>& lines)
{
    QByteArray batch;
    for (const Line& line : lines) {
        batch += line.bytes + "\r\n";
        emit transcript(u'C',
                        line.shownAs.isEmpty() ? QString::fromUtf8(line.bytes) : line.shownAs);
    }
    m_socket->write(batch);
}

void SmtpSession::sendData(const QByteArray& payload)
{
    QByteArray text = payload;
    if (text.endsWith("\r\n"))
        text.chop(2);
    for (const QByteArray& line : text.split('\n'))
        emit transcript(u'C', QString::fromUtf8(line.endsWith('\r') ? line.chopped(1) : line));
    m_socket->write(payload);
}

bool SmtpSession::startTls()
{
    if (!m_queued.isEmpty() || m_parser.hasPendingData() || m_parser.hasError() ||
        m_socket->bytesAvailable() > 0)
        return false;
    // Plaintext is never carried over into the encrypted session (docs/ARCHITECTURE.md engine rule
    // 3).
    m_parser.reset();
    m_socket->startClientEncryption();
    return true;
}

void SmtpSession::ignoreSslErrors(const QList<QSslError>& errors)
{
    m_socket->ignoreSslErrors(errors);
}

void SmtpSession::disconnectGracefully()
{
    m_socket->disconnectFromHost();
}

void SmtpSession::abort()
{
    m_stopped = true;
    m_queued.clear();
    m_socket->abort();
}

QHostAddress SmtpSession::peerAddress() const
{
    return m_proxied ? QHostAddress() : m_socket->peerAddress();
}

void SmtpSession::readIncoming()
{
    if (m_stopped)
        return;
    if (m_tunnel && !m_tunnel->established) {
        readTunnelResponse();
        return;
    }
    // Read everything: two replies in one segment are two replies (never collapsed), and a
    // line without end is bounded by the parser.
    takeSmtpBytes(m_socket->readAll());
}

void SmtpSession::readTunnelResponse()
{
    HttpConnectTunnel& tunnel = m_tunnel->tunnel;
    switch (tunnel.feed(m_socket->readAll())) {
    case HttpConnectTunnel::State::Waiting:
        return;
    case HttpConnectTunnel::State::Established: {
        m_tunnel->established = true;
        emit transcript(u'*', u"proxy tunnel established: %1"_s.arg(tunnel.statusLine()));
        const QByteArray early = tunnel.leftover();
        if (m_tunnel->implicitTls && !early.isEmpty()) {
            // A TLS server speaks only after our ClientHello: these bytes are not its.
            m_stopped = true;
            emit protocolError(tr("the proxy sent data after establishing the tunnel, before "
                                  "the TLS handshake"));
            return;
        }
        emit connected();
        if (m_stopped)
            return;
        if (m_tunnel->implicitTls)
            m_socket->startClientEncryption();
        else if (!early.isEmpty())
            takeSmtpBytes(early);
        return;
    }
    case HttpConnectTunnel::State::AuthRefused:
    case HttpConnectTunnel::State::Refused:
    case HttpConnectTunnel::State::Malformed: {
        const bool credentials = tunnel.state() == HttpConnectTunnel::State::AuthRefused;
        const QString statusLine = tunnel.statusLine();
        m_stopped = true;
        m_socket->abort();
        emit transcript(u'*', statusLine.isEmpty() ? u"the proxy's answer is not HTTP"_s
                                                   : u"proxy: %1"_s.arg(statusLine));
        emit proxyFailed(credentials,
                         tunnel.state() == HttpConnectTunnel::State::Malformed
                             ? tr("the proxy's answer to CONNECT is not a valid HTTP response")
                         : credentials
                             ? tr("the proxy refused the credentials (%1)").arg(statusLine)
                             : tr("the proxy refused to connect to %1 port %2 (%3)")
                                   .arg(m_tunnel->host)
                                   .arg(m_tunnel->port)
                                   .arg(statusLine),
                         statusLine);
        return;
    }
    }
}

void SmtpSession::takeSmtpBytes(const QByteArray& bytes)
{
    const QList<SmtpReply> replies = m_parser.feed(bytes);
    for (const SmtpReply& reply : replies)
        for (qsizetype i = 0; i < reply.lines.size(); ++i)
            emit transcript(u'S', replyLineText(reply, i));
    m_queued += replies;
    if (m_parser.hasError()) {
        // Replies completed before the error are still delivered; then the error.
        dispatchReplies();
        if (!m_stopped) {
            m_stopped = true;
            emit protocolError(m_parser.errorString());
        }
        return;
    }
    dispatchReplies();
}

void SmtpSession::dispatchReplies()
{
    // Not re-entrant: a handler that sends a command and gets an immediate reply still sees the
    // replies in order.
    if (m_dispatching)
        return;
    m_dispatching = true;
    while (!m_queued.isEmpty() && !m_stopped) {
        const SmtpReply reply = m_queued.takeFirst();
        emit replyReceived(reply);
    }
    m_dispatching = false;
}

} // namespace relaydeck
