#include "FakeTokenEndpoint.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

FakeTokenEndpoint::FakeTokenEndpoint(QByteArray answer)
    : m_answer(std::move(answer))
{
    m_server.listen(QHostAddress::LocalHost);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        QTcpSocket* socket = m_server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadyRead(socket); });
    });
}

QString FakeTokenEndpoint::url() const
{
    return u"http://127.0.0.1:%1/token"_s.arg(m_server.serverPort());
}

void FakeTokenEndpoint::onReadyRead(QTcpSocket* socket)
{
    m_buffer[socket] += socket->readAll();
    const QByteArray& data = m_buffer[socket];
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QByteArray head = data.left(headerEnd).toLower();
    const qsizetype at = head.indexOf("content-length:");
    const int length =
        at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toInt();
    if (data.size() < headerEnd + 4 + length)
        return;
    bodies << data.mid(headerEnd + 4, length);
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\nContent-Length: " +
                  QByteArray::number(m_answer.size()) + "\r\n\r\n" + m_answer);
    socket->disconnectFromHost();
}

} // namespace relaydeck::test
