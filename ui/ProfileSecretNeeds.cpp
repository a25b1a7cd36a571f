#include "ProfileSecretNeeds.h"

namespace relaydeck::ui {

bool ProfileSecretNeeds::mayHaveSecrets(const ConnectionProfile& profile)
{
    return profile.usesAuthentication() || !profile.proxy.username.isEmpty() ||
           !profile.tls.clientKeyFile.isEmpty();
}

bool ProfileSecretNeeds::needsPassword(const ConnectionProfile& profile)
{
    const AuthMechanism mechanism = profile.auth.mechanism;
    return profile.usesAuthentication() && mechanism != AuthMechanism::Anonymous &&
           mechanism != AuthMechanism::External;
}

QString ProfileSecretNeeds::missingSecret(const ConnectionProfile& profile,
                                          const ConnectionSecrets& secrets)
{
    if (needsPassword(profile) && secrets.smtpPassword.isEmpty()) {
        const bool token = profile.auth.mechanism == AuthMechanism::XOAuth2 ||
                           profile.auth.mechanism == AuthMechanism::OAuthBearer;
        return token ? tr("No access token is stored for this connection: enter it on the "
                          "Authentication tab.")
                     : tr("No password is stored for this connection: enter it on the "
                          "Authentication tab, or clear the user name to test without "
                          "authentication.");
    }
    return QString();
}

} // namespace relaydeck::ui
