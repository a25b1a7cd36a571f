#include "smtp/sasl/XOAuth2Mechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

XOAuth2Mechanism::XOAuth2Mechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QString XOAuth2Mechanism::name() const
{
    return u"XOAUTH2"_s;
}

QByteArray XOAuth2Mechanism::message() const
{
    return "user=" + m_credentials.username.toUtf8() + "\x01" + "auth=Bearer " +
           m_credentials.password.toUtf8() + "\x01\x01";
}

QByteArray XOAuth2Mechanism::initialResponse()
{
    m_sent = true;
    return message();
}

SaslMechanism::Step XOAuth2Mechanism::respond(const QByteArray& challenge)
{
    if (!m_sent && challenge.isEmpty()) {
        // The session did not use the initial response; the server asks for it.
        m_sent = true;
        return {true, message(), {}};
    }
    if (m_errorAnswered || challenge.isEmpty())
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    // The JSON error ({"status":"401",...}): an empty response lets the server finish with
    // its failure reply, which carries the reason the user needs to see.
    m_errorAnswered = true;
    m_serverError = challenge;
    return {true, {}, {}};
}

} // namespace relaydeck
