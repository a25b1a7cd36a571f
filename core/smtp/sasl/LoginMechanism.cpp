#include "smtp/sasl/LoginMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

LoginMechanism::LoginMechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QString LoginMechanism::name() const
{
    return u"LOGIN"_s;
}

QByteArray LoginMechanism::initialResponse()
{
    m_usernameSent = true;
    return m_credentials.username.toUtf8();
}

SaslMechanism::Step LoginMechanism::respond(const QByteArray& challenge)
{
    if (m_passwordSent)
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    // The prompts are informational (servers send "Username:"/"Password:", some "User Name\0");
    // read them when they say something, otherwise follow the order of the exchange.
    const QByteArray prompt = challenge.toLower();
    const bool asksUser = prompt.contains("user");
    const bool asksPassword = prompt.contains("pass");
    if (asksUser && !asksPassword) {
        m_usernameSent = true;
        return {true, m_credentials.username.toUtf8(), {}};
    }
    if (!asksPassword && !m_usernameSent) {
        m_usernameSent = true;
        return {true, m_credentials.username.toUtf8(), {}};
    }
    m_passwordSent = true;
    return {true, m_credentials.password.toUtf8(), {}};
}

} // namespace relaydeck
