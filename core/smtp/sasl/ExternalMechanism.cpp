#include "smtp/sasl/ExternalMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

ExternalMechanism::ExternalMechanism(const SaslCredentials& credentials)
    : m_authzid(credentials.username.toUtf8())
{}

QString ExternalMechanism::name() const
{
    return u"EXTERNAL"_s;
}

QByteArray ExternalMechanism::initialResponse()
{
    m_sent = true;
    return m_authzid;
}

SaslMechanism::Step ExternalMechanism::respond(const QByteArray& challenge)
{
    if (m_sent || !challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    m_sent = true;
    return {true, m_authzid, {}};
}

} // namespace relaydeck
