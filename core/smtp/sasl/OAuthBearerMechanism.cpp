#include "smtp/sasl/OAuthBearerMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

OAuthBearerMechanism::OAuthBearerMechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QString OAuthBearerMechanism::name() const
{
    return u"OAUTHBEARER"_s;
}

QByteArray OAuthBearerMechanism::message() const
{
    // The authorisation identity is optional; the escaping keeps a ',' or '=' in the user name
    // from ending the GS2 header early (RFC 5801 section 4).
    QByteArray message = "n,";
    if (!m_credentials.username.isEmpty())
        message += "a=" + sasl::escapeSaslName(m_credentials.username.toUtf8());
    message += ',';
    // host and port are optional key/value pairs; sent when known so that the server can check
    // the token was meant for it.
    if (!m_credentials.host.isEmpty())
        message += "\x01"
                   "host=" +
                   m_credentials.host.toUtf8();
    if (m_credentials.port > 0)
        message += "\x01"
                   "port=" +
                   QByteArray::number(m_credentials.port);
    message += "\x01"
               "auth=Bearer " +
               m_credentials.password.toUtf8() + "\x01\x01";
    return message;
}

QByteArray OAuthBearerMechanism::initialResponse()
{
    m_sent = true;
    return message();
}

SaslMechanism::Step OAuthBearerMechanism::respond(const QByteArray& challenge)
{
    if (!m_sent && challenge.isEmpty()) {
        m_sent = true;
        return {true, message(), {}};
    }
    if (m_errorAnswered || challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    // RFC 7628 section 3.2.3: the error challenge is answered with a dummy "\x01"; the server
    // then fails the exchange with its own reply.
    m_errorAnswered = true;
    m_serverError = challenge;
    return {true, QByteArray("\x01"), {}};
}

} // namespace relaydeck
