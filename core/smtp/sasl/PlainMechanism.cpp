#include "smtp/sasl/PlainMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

PlainMechanism::PlainMechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QString PlainMechanism::name() const
{
    return u"PLAIN"_s;
}

QByteArray PlainMechanism::message() const
{
    QByteArray message;
    message += '\0';
    message += m_credentials.username.toUtf8();
    message += '\0';
    message += m_credentials.password.toUtf8();
    return message;
}

QByteArray PlainMechanism::initialResponse()
{
    m_sent = true;
    return message();
}

SaslMechanism::Step PlainMechanism::respond(const QByteArray& challenge)
{
    // Only when the session did not use the initial response: the server then sends an empty
    // challenge ("334 ") and gets the message. Anything else has no meaning in PLAIN.
    if (m_sent || !challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    m_sent = true;
    return {true, message(), {}};
}

} // namespace relaydeck
