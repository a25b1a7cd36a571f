#include "smtp/sasl/SaslMechanismFactory.h"

#include "smtp/sasl/AnonymousMechanism.h"
#include "smtp/sasl/CramMd5Mechanism.h"
#include "smtp/sasl/ExternalMechanism.h"
#include "smtp/sasl/GssapiMechanism.h"
#include "smtp/sasl/LoginMechanism.h"
#include "smtp/sasl/NtlmMechanism.h"
#include "smtp/sasl/OAuthBearerMechanism.h"
#include "smtp/sasl/PlainMechanism.h"
#include "smtp/sasl/ScramMechanism.h"
#include "smtp/sasl/XOAuth2Mechanism.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace relaydeck {

std::unique_ptr<SaslMechanism> SaslMechanismFactory::create(AuthMechanism mechanism,
                                                            const SaslCredentials& credentials)
{
    switch (mechanism) {
    case AuthMechanism::Plain:
        return std::make_unique<PlainMechanism>(credentials);
    case AuthMechanism::Login:
        return std::make_unique<LoginMechanism>(credentials);
    case AuthMechanism::CramMd5:
        return std::make_unique<CramMd5Mechanism>(credentials);
    case AuthMechanism::ScramSha1:
        return std::make_unique<ScramMechanism>(ScramMechanism::Hash::Sha1, credentials);
    case AuthMechanism::ScramSha256:
        return std::make_unique<ScramMechanism>(ScramMechanism::Hash::Sha256, credentials);
    case AuthMechanism::XOAuth2:
        return std::make_unique<XOAuth2Mechanism>(credentials);
    case AuthMechanism::OAuthBearer:
        return std::make_unique<OAuthBearerMechanism>(credentials);
    case AuthMechanism::Ntlm:
        return std::make_unique<NtlmMechanism>(credentials);
    case AuthMechanism::Anonymous:
        return std::make_unique<AnonymousMechanism>(credentials);
    case AuthMechanism::External:
        return std::make_unique<ExternalMechanism>(credentials);
    case AuthMechanism::Gssapi:
        return std::make_unique<GssapiMechanism>(credentials);
    case AuthMechanism::Auto:
    case AuthMechanism::None:
        break;
    }
    return nullptr;
}

QString SaslMechanismFactory::saslName(AuthMechanism mechanism)
{
    switch (mechanism) {
    case AuthMechanism::Auto:
    case AuthMechanism::None:
        return {};
    case AuthMechanism::Plain:
        return u"PLAIN"_s;
    case AuthMechanism::Login:
        return u"LOGIN"_s;
    case AuthMechanism::CramMd5:
        return u"CRAM-MD5"_s;
    case AuthMechanism::ScramSha1:
        return u"SCRAM-SHA-1"_s;
    case AuthMechanism::ScramSha256:
        return u"SCRAM-SHA-256"_s;
    case AuthMechanism::XOAuth2:
        return u"XOAUTH2"_s;
    case AuthMechanism::OAuthBearer:
        return u"OAUTHBEARER"_s;
    case AuthMechanism::Ntlm:
        return u"NTLM"_s;
    case AuthMechanism::Anonymous:
        return u"ANONYMOUS"_s;
    case AuthMechanism::External:
        return u"EXTERNAL"_s;
    case AuthMechanism::Gssapi:
        return u"GSSAPI"_s;
    }
    return {};
}

QList<AuthMechanism> SaslMechanismFactory::automaticRanking()
{
    // Challenge-response mechanisms first (the password never crosses the wire), SCRAM above
    // all as it also proves the server knows the password. PLAIN before LOGIN: same secrecy,
    // one round trip less. Token and identity-less mechanisms are never guessed: they need a
    // deliberate choice in the profile.
    return {AuthMechanism::ScramSha256, AuthMechanism::ScramSha1, AuthMechanism::CramMd5,
            AuthMechanism::Ntlm,        AuthMechanism::Plain,     AuthMechanism::Login};
}

AuthMechanism SaslMechanismFactory::chooseAutomatic(const QStringList& offered)
{
    QSet<QString> offeredUpper;
    for (const QString& word : offered)
        offeredUpper.insert(word.trimmed().toUpper());
    for (const AuthMechanism mechanism : automaticRanking()) {
        if (offeredUpper.contains(saslName(mechanism)))
            return mechanism;
    }
    return AuthMechanism::None;
}

} // namespace relaydeck
