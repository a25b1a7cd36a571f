#include "smtp/sasl/AnonymousMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

AnonymousMechanism::AnonymousMechanism(const SaslCredentials& credentials)
    // RFC 4505 allows up to 255 characters of trace; longer input is cut rather than refused.
    : m_trace(credentials.username.left(255).toUtf8())
{}

QString AnonymousMechanism::name() const
{
    return u"ANONYMOUS"_s;
}

QByteArray AnonymousMechanism::initialResponse()
{
    m_sent = true;
    return m_trace;
}

SaslMechanism::Step AnonymousMechanism::respond(const QByteArray& challenge)
{
    if (m_sent || !challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    m_sent = true;
    return {true, m_trace, {}};
}

} // namespace relaydeck
