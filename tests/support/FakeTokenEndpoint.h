#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

namespace relaydeck::test {

// An OAuth token endpoint on loopback (plain HTTP) that answers every request with `answer`
// (a JSON body, status 200) and keeps the request bodies.
class FakeTokenEndpoint : public QObject
{
public:
    explicit FakeTokenEndpoint(QByteArray answer);

    QString url() const;

    QList<QByteArray> bodies;

private:
    void onReadyRead(QTcpSocket* socket);

    QTcpServer m_server;
    QByteArray m_answer;
    QHash<QTcpSocket*, QByteArray> m_buffer;
};

} // namespace relaydeck::test
