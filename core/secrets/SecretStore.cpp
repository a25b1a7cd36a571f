#include "secrets/SecretStore.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString toString(SecretSlot slot)
{
    switch (slot) {
    case SecretSlot::SmtpPassword:
        return u"smtp-password"_s;
    case SecretSlot::ProxyPassword:
        return u"proxy-password"_s;
    case SecretSlot::ClientKeyPassphrase:
        return u"client-key-passphrase"_s;
    case SecretSlot::OAuthRefreshToken:
        return u"oauth-refresh-token"_s;
    case SecretSlot::OAuthClientSecret:
        return u"oauth-client-secret"_s;
    }
    return {};
}

QString secretKey(const QUuid& profileId, SecretSlot slot)
{
    return profileId.toString(QUuid::WithoutBraces) + u':' + toString(slot);
}

} // namespace relaydeck
