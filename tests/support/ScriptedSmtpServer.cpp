#include "ScriptedSmtpServer.h"

#include <QSslCipher>
#include <QSslSocket>
#include <QTcpServer>

#include <functional>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

// QTcpServer would hand out plain QTcpSockets; we want QSslSockets built on the descriptor so
// the same connection can switch to TLS (STARTTLS) or start with it (implicit TLS).
class DescriptorServer : public QTcpServer
{
public:
    std::function<void(qintptr)> onIncoming;

protected:
    void incomingConnection(qintptr descriptor) override { onIncoming(descriptor); }
};

constexpr qsizetype MaxRecordedPartialLine = 1024 * 1024;
constexpr qsizetype JunkChunk = 64 * 1024;
constexpr qint64 JunkHighWater = 256 * 1024; // keep the server's own write buffer small

QString printable(const QByteArray& bytes)
{
    QString text = QString::fromLatin1(bytes.left(200));
    text.replace(u'\r', u"\\r"_s).replace(u'\n', u"\\n"_s);
    if (bytes.size() > 200)
        text += u"... (%1 bytes)"_s.arg(bytes.size());
    return text;
}

} // namespace

ScriptedSmtpServer::ScriptedSmtpServer(const SmtpScript& script, QObject* parent)
    : QObject(parent)
    , m_script(script)
{
    auto* server = new DescriptorServer;
    server->setParent(this);
    server->onIncoming = [this](qintptr descriptor) {
        ++m_connections;
        if (m_connections > 1) {
            takeExtraConnection(descriptor);
            return;
        }
        auto* socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            fail(u"cannot adopt the client socket: "_s + socket->errorString());
            delete socket;
            return;
        }
        m_socket = socket;
        onNewConnection();
    };
    m_server = server;
    if (!m_script.parseError().isEmpty())
        m_failures.append(u"script: "_s + m_script.parseError());
}

ScriptedSmtpServer::ScriptedSmtpServer(const QString& scriptText, QObject* parent)
    : ScriptedSmtpServer(SmtpScript::parse(scriptText), parent)
{}

ScriptedSmtpServer::~ScriptedSmtpServer()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ScriptedSmtpServer::setCertificate(const QSslCertificate& leaf, const QSslKey& key,
                                        const QList<QSslCertificate>& chain)
{
    m_certificate = leaf;
    m_key = key;
    m_chain = chain;
}

bool ScriptedSmtpServer::listen()
{
    return listen(QHostAddress(QHostAddress::LocalHost));
}

bool ScriptedSmtpServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        fail(u"cannot listen on %1: "_s.arg(address.toString()) + m_server->errorString());
        return false;
    }
    return true;
}

quint16 ScriptedSmtpServer::port() const
{
    return m_server->serverPort();
}

bool ScriptedSmtpServer::isClientConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QList<QByteArray> ScriptedSmtpServer::plaintextLines() const
{
    QList<QByteArray> lines;
    for (const ClientLine& line : m_lines) {
        if (!line.tls)
            lines.append(line.line);
    }
    return lines;
}

QList<QByteArray> ScriptedSmtpServer::tlsLines() const
{
    QList<QByteArray> lines;
    for (const ClientLine& line : m_lines) {
        if (line.tls)
            lines.append(line.line);
    }
    return lines;
}

QByteArray ScriptedSmtpServer::receivedPlaintext() const
{
    QByteArray bytes;
    for (const Read& read : m_reads) {
        if (!read.tls)
            bytes += read.bytes;
    }
    return bytes;
}

QByteArray ScriptedSmtpServer::firstLineStartingWith(const QList<QByteArray>& verbs,
                                                     bool plaintextOnly) const
{
    for (const ClientLine& line : m_lines) {
        if (plaintextOnly && line.tls)
            continue;
        const QByteArray upper = line.line.toUpper();
        for (const QByteArray& verb : verbs) {
            if (upper.startsWith(verb.toUpper()))
                return line.line;
        }
    }
    return {};
}

void ScriptedSmtpServer::takeExtraConnection(qintptr descriptor)
{
    // One conversation per server: a second connection is a client bug worth seeing, unless it
    // is ImplicitTlsProbe's (a TLS ClientHello, after 3 s without a greeting), which gets no
    // answer and is recorded.
    const int number = m_connections;
    auto* extra = new QTcpSocket(this);
    if (!extra->setSocketDescriptor(descriptor)) {
        fail(u"unexpected connection #%1 that could not be adopted"_s.arg(number));
        delete extra;
        return;
    }
    auto judge = [this, extra, number] {
        const QByteArray first = extra->read(1);
        extra->disconnect(this);
        if (first == QByteArray(1, '\x16')) { // a TLS handshake record
            ++m_probeConnections;
            logEvent(u"connection #%1: a TLS handshake (implicit-TLS probe), not answered"_s.arg(
                number));
            return;
        }
        fail(u"unexpected connection #%1 (the script serves only the first)"_s.arg(number));
        extra->abort();
    };
    connect(extra, &QTcpSocket::readyRead, this, judge);
    connect(extra, &QTcpSocket::disconnected, this, judge);
}

void ScriptedSmtpServer::onNewConnection()
{
    // Replies leave at once: a real server's latency is not what these tests measure, and Nagle
    // against the client's delayed ACK would add ~40 ms per exchange.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(m_protocol);
    if (!m_certificate.isNull()) {
        config.setLocalCertificateChain(QList<QSslCertificate>{m_certificate} + m_chain);
        config.setPrivateKey(m_key);
    }
    if (!m_clientAuthorities.isEmpty()) {
        // Server side: VerifyPeer sends a CertificateRequest and fails the handshake when the
        // client presents no certificate or one these authorities did not issue.
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setCaCertificates(m_clientAuthorities);
    }
    m_socket->setSslConfiguration(config);

    connect(m_socket, &QSslSocket::readyRead, this, &ScriptedSmtpServer::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &ScriptedSmtpServer::onDisconnected);
    connect(m_socket, &QSslSocket::encrypted, this, &ScriptedSmtpServer::onEncrypted);
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        if (m_junkRemaining > 0) {
            pumpJunk();
            if (m_junkRemaining == 0)
                advance();
        }
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        const QString error = m_socket->errorString();
        logEvent(u"socket error: "_s + error);
        if (m_waitingForTls && m_tlsError.isEmpty()) {
            m_tlsError = error;
            emit tlsFailed(error);
        }
    });
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
        for (const QSslError& error : errors)
            logEvent(u"ssl error: "_s + error.errorString());
    });

    logEvent(u"client connected from port %1"_s.arg(m_socket->peerPort()));
    emit clientConnected();
    if (m_implicitTls) {
        m_waitingForTls = true;
        logEvent(u"implicit TLS: waiting for the handshake"_s);
        m_socket->startServerEncryption();
        return;
    }
    advance();
}

void ScriptedSmtpServer::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    const int readIndex = int(m_reads.size());
    m_reads.append(Read{data, m_inTls});
    m_partial += data;

    qsizetype newline;
    while ((newline = m_partial.indexOf('\n')) >= 0) {
        ClientLine line;
        line.line = m_partial.left(newline);
        line.crlf = line.line.endsWith('\r');
        if (line.crlf)
            line.line.chop(1);
        line.tls = m_inTls;
        line.read = readIndex;
        m_partial.remove(0, newline + 1);

        m_lines.append(line);
        m_log.append((line.tls ? u"C(tls)> "_s : u"C> "_s) + printable(line.line));
        if (line.line.trimmed().toUpper() == "QUIT")
            m_quitReceived = true;
        if (!line.crlf && !m_silent)
            fail(u"client line ends with a bare LF: "_s + printable(line.line));
        m_pending.append(line);
        emit lineReceived(line.line, line.tls);
    }
    if (m_partial.size() > MaxRecordedPartialLine) {
        if (!m_silent)
            fail(u"client sent over 1 MiB without a line end"_s);
        m_partial.clear();
    }
    advance();
}

void ScriptedSmtpServer::onDisconnected()
{
    if (!m_partial.isEmpty()) {
        ClientLine line;
        line.line = m_partial;
        line.crlf = false;
        line.tls = m_inTls;
        line.read = int(m_reads.size()) - 1;
        m_lines.append(line);
        m_log.append(u"C> (unterminated) "_s + printable(line.line));
        m_partial.clear();
    }
    if (m_waitingForTls && m_tlsError.isEmpty()) {
        m_tlsError = u"connection closed during the TLS handshake"_s;
        emit tlsFailed(m_tlsError);
    }
    m_junkRemaining = 0;
    m_disconnected = true;
    logEvent(u"connection closed"_s);
    emit clientDisconnectedSignal();
}

void ScriptedSmtpServer::onEncrypted()
{
    m_waitingForTls = false;
    m_inTls = true;
    m_tlsEstablished = true;
    m_clientCertificate = m_socket->peerCertificate();
    logEvent(u"TLS established: %1 %2"_s.arg(
        m_socket->sessionProtocol() == QSsl::TlsV1_3   ? u"TLSv1.3"_s
        : m_socket->sessionProtocol() == QSsl::TlsV1_2 ? u"TLSv1.2"_s
                                                       : u"other"_s,
        m_socket->sessionCipher().name()));
    emit encrypted();
    advance();
}

void ScriptedSmtpServer::advance()
{
    const QList<SmtpScriptStep>& steps = m_script.steps();
    auto stepDone = [this, &steps] {
        ++m_stepIndex;
        if (m_stepIndex == steps.size()) {
            logEvent(u"script completed"_s);
            emit scriptCompleted();
        }
    };

    while (m_socket && !m_closing && !m_waitingForTls && !m_silent) {
        if (m_broken || m_stepIndex >= steps.size()) {
            if (m_pending.isEmpty())
                return;
            handleUnscriptedLine(m_pending.takeFirst().line);
            continue;
        }
        if (m_inData) {
            if (m_pending.isEmpty())
                return;
            const ClientLine line = m_pending.takeFirst();
            if (line.line == ".") {
                m_inData = false;
                logEvent(u"message received (%1 bytes)"_s.arg(m_dataPayload.size()));
                stepDone();
            } else {
                m_dataPayload += line.line + "\r\n";
            }
            continue;
        }

        const SmtpScriptStep& step = steps.at(m_stepIndex);
        switch (step.kind) {
        case SmtpScriptStep::Kind::Send:
            write(step.bytes);
            ++m_repliesSent;
            stepDone();
            break;
        case SmtpScriptStep::Kind::Expect:
        case SmtpScriptStep::Kind::ExpectPrefix:
        case SmtpScriptStep::Kind::ExpectMatch: {
            if (m_pending.isEmpty())
                return;
            const QByteArray line = m_pending.takeFirst().line;
            bool matches = false;
            if (step.kind == SmtpScriptStep::Kind::Expect)
                matches = line == step.bytes;
            else if (step.kind == SmtpScriptStep::Kind::ExpectPrefix)
                matches = line.startsWith(step.bytes);
            else
                matches = step.pattern.match(QString::fromLatin1(line)).hasMatch();
            if (matches)
                m_lastMatched = line;
            if (!matches) {
                fail(u"step %1: expected \"%2\", got \"%3\""_s.arg(m_stepIndex + 1)
                         .arg(step.describe(), printable(line)));
                m_broken = true;
                if (line.trimmed().toUpper() == "QUIT") {
                    handleUnscriptedLine(line);
                } else {
                    write("500 5.5.1 Not what the script expected\r\n");
                }
                continue;
            }
            stepDone();
            break;
        }
        case SmtpScriptStep::Kind::StartTls:
            if (!m_pending.isEmpty() || !m_partial.isEmpty()) {
                // Bytes the client sent after STARTTLS without waiting for the handshake: a
                // client that pipelines STARTTLS is broken; never treat them as TLS data.
                fail(u"client sent data after STARTTLS before the TLS handshake"_s);
                m_pending.clear();
                m_partial.clear();
            }
            stepDone();
            m_waitingForTls = true;
            logEvent(u"starting TLS"_s);
            m_socket->startServerEncryption();
            return;
        case SmtpScriptStep::Kind::Close:
            stepDone();
            m_closing = true;
            logEvent(u"server closes the connection"_s);
            m_socket->disconnectFromHost();
            return;
        case SmtpScriptStep::Kind::Abort:
            stepDone();
            m_closing = true;
            logEvent(u"server resets the connection"_s);
            m_socket->abort();
            return;
        case SmtpScriptStep::Kind::Silent:
            stepDone();
            m_silent = true;
            logEvent(u"server goes silent"_s);
            return;
        case SmtpScriptStep::Kind::Junk:
            if (!m_junkActive) {
                m_junkActive = true;
                m_junkRemaining = step.count;
                logEvent(u"sending %1 bytes of junk without CRLF"_s.arg(step.count));
            }
            pumpJunk();
            if (m_junkRemaining > 0)
                return; // bytesWritten continues the pump, then advance()
            m_junkActive = false;
            stepDone();
            break;
        case SmtpScriptStep::Kind::ReceiveData:
            m_inData = true;
            break;
        case SmtpScriptStep::Kind::SendComputed: {
            QByteArray reply = step.compute ? step.compute(m_lastMatched) : QByteArray();
            if (reply.isEmpty()) {
                fail(u"step %1: the computed reply is empty (the script cannot go on)"_s.arg(
                    m_stepIndex + 1));
                m_broken = true;
                write("451 4.3.0 Script error\r\n");
                continue;
            }
            if (!reply.endsWith('\n'))
                reply += "\r\n";
            write(reply);
            ++m_repliesSent;
            stepDone();
            break;
        }
        }
    }
}

void ScriptedSmtpServer::handleUnscriptedLine(const QByteArray& line)
{
    if (line.trimmed().toUpper() == "QUIT") {
        write("221 2.0.0 Bye\r\n");
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    fail(u"unexpected client line%1: \"%2\""_s.arg(
        m_broken ? u" (after a mismatch)"_s : u" after the script ended"_s, printable(line)));
    write("500 5.5.1 Unexpected command\r\n");
}

void ScriptedSmtpServer::write(const QByteArray& bytes)
{
    if (!m_socket)
        return;
    m_socket->write(bytes);
    const QString prefix = m_inTls ? u"S(tls)> "_s : u"S> "_s;
    for (const QByteArray& line : bytes.split('\n')) {
        if (!line.isEmpty())
            m_log.append(prefix + printable(line.endsWith('\r') ? line.chopped(1) : line));
    }
}

void ScriptedSmtpServer::pumpJunk()
{
    static const QByteArray chunk(JunkChunk, 'x');
    while (m_socket && m_junkRemaining > 0 &&
           m_socket->state() == QAbstractSocket::ConnectedState &&
           m_socket->bytesToWrite() < JunkHighWater) {
        const qint64 size = qMin<qint64>(m_junkRemaining, chunk.size());
        const qint64 written = m_socket->write(chunk.constData(), size);
        if (written <= 0)
            break;
        m_junkRemaining -= written;
        m_junkWritten += written;
    }
    if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState)
        m_junkRemaining = 0;
}

void ScriptedSmtpServer::fail(const QString& failure)
{
    m_failures.append(failure);
    logEvent(u"FAILURE: "_s + failure);
    emit scriptFailed(failure);
}

void ScriptedSmtpServer::logEvent(const QString& event)
{
    m_log.append(u"* "_s + event);
}

} // namespace relaydeck::test
