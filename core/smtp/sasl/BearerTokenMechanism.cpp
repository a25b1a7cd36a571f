#include "smtp/sasl/BearerTokenMechanism.h"

#include "smtp/sasl/SaslText.h"

namespace relaydeck {

BearerTokenMechanism::BearerTokenMechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QByteArray BearerTokenMechanism::initialResponse()
{
    m_sent = true;
    return message();
}

SaslMechanism::Step BearerTokenMechanism::respond(const QByteArray& challenge)
{
    if (!m_sent && challenge.isEmpty()) {
        // The session did not use the initial response; the server asks for it.
        m_sent = true;
        return {true, message(), {}};
    }
    if (m_errorAnswered || challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    m_errorAnswered = true;
    m_serverError = challenge;
    return {true, errorAcknowledgement(), {}};
}

} // namespace relaydeck
