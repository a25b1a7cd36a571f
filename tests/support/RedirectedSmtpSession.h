#pragma once

#include "smtp/SmtpSession.h"
#include "smtp/SmtpSessionFactory.h"

#include <QHostAddress>
#include <QList>

namespace relaydeck::test {

// A real SmtpSession (QSslSocket, TLS included) that stands for a server elsewhere: it connects
// to 127.0.0.1:`port` (a ScriptedSmtpServer) whatever address and port the engine asks for, and
// reports `shownPeer` as the server's address (null: the real one, 127.0.0.1). So the engine's
// rules that depend on the port (465, 25) or on the peer being loopback (PlaintextPolicy) can be
// tested against a scripted server without a byte leaving the machine. Keep the profile's
// timeout at most 3 s: ImplicitTlsProbe would otherwise probe the shown address.
class RedirectedSmtpSession : public SmtpSession
{
public:
    RedirectedSmtpSession(quint16 port, const QHostAddress& shownPeer, QList<quint16>* requested,
                          QObject* parent);

    void connectToHost(const QString& hostOrAddress, quint16 port, const QString& peerName,
                       bool implicitTls) override;
    QHostAddress peerAddress() const override;

private:
    quint16 m_port;
    QHostAddress m_shownPeer;
    QList<quint16>* m_requested;
};

// Creates RedirectedSmtpSessions and records the ports the engine asked for.
class RedirectingSessionFactory : public SmtpSessionFactory
{
public:
    RedirectingSessionFactory(quint16 port, const QHostAddress& shownPeer = {});

    SmtpSession* create(QObject* parent) const override;

    mutable QList<quint16> requestedPorts;

private:
    quint16 m_port;
    QHostAddress m_shownPeer;
};

} // namespace relaydeck::test
