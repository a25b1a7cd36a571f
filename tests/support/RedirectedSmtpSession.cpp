#include "RedirectedSmtpSession.h"

using namespace Qt::StringLiterals;

namespace relaydeck::test {

RedirectedSmtpSession::RedirectedSmtpSession(quint16 port, const QHostAddress& shownPeer,
                                             QList<quint16>* requested, QObject* parent)
    : SmtpSession(parent)
    , m_port(port)
    , m_shownPeer(shownPeer)
    , m_requested(requested)
{}

void RedirectedSmtpSession::connectToHost(const QString&, quint16 port, const QString& peerName,
                                          bool implicitTls)
{
    m_requested->append(port);
    SmtpSession::connectToHost(u"127.0.0.1"_s, m_port, peerName, implicitTls);
}

QHostAddress RedirectedSmtpSession::peerAddress() const
{
    return m_shownPeer.isNull() ? SmtpSession::peerAddress() : m_shownPeer;
}

RedirectingSessionFactory::RedirectingSessionFactory(quint16 port, const QHostAddress& shownPeer)
    : m_port(port)
    , m_shownPeer(shownPeer)
{}

SmtpSession* RedirectingSessionFactory::create(QObject* parent) const
{
    return new RedirectedSmtpSession(m_port, m_shownPeer, &requestedPorts, parent);
}

} // namespace relaydeck::test
