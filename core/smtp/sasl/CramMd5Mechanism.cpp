#include "smtp/sasl/CramMd5Mechanism.h"

#include "smtp/sasl/SaslText.h"

#include <QCoreApplication>
#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

namespace relaydeck {

CramMd5Mechanism::CramMd5Mechanism(const SaslCredentials& credentials)
    : m_credentials(credentials)
{}

QString CramMd5Mechanism::name() const
{
    return u"CRAM-MD5"_s;
}

SaslMechanism::Step CramMd5Mechanism::respond(const QByteArray& challenge)
{
    if (m_answered)
        return {false, {}, sasl::unexpectedChallengeMessage(name())};
    if (challenge.isEmpty())
        return {false,
                {},
                QCoreApplication::translate("SaslMechanism",
                                            "The server sent an empty CRAM-MD5 challenge.")};
    m_answered = true;
    const QByteArray digest = QMessageAuthenticationCode::hash(
        challenge, m_credentials.password.toUtf8(), QCryptographicHash::Md5);
    return {true, m_credentials.username.toUtf8() + ' ' + digest.toHex(), {}};
}

} // namespace relaydeck
