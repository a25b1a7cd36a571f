#include "secrets/ProfileSecretNeeds.h"

namespace relaydeck {

bool ProfileSecretNeeds::mayHaveSecrets(const ConnectionProfile& profile)
{
    // A Kerberos login keeps nothing there, but a user name may still have a password from an
    // earlier mechanism.
    const bool password = profile.usesAuthentication() && !profile.usesKerberosTicket();
    return password || !profile.auth.username.isEmpty() || !profile.proxy.username.isEmpty() ||
           !profile.tls.clientKeyFile.isEmpty();
}

QList<SecretSlot> ProfileSecretNeeds::slotsForTest(const ConnectionProfile& profile)
{
    QList<SecretSlot> secretSlots;
    if (needsPassword(profile) && !passwordAtRunTime(profile))
        secretSlots << SecretSlot::SmtpPassword;
    if (!profile.proxy.username.isEmpty())
        secretSlots << SecretSlot::ProxyPassword;
    if (!profile.tls.clientKeyFile.isEmpty())
        secretSlots << SecretSlot::ClientKeyPassphrase;
    return secretSlots;
}

bool ProfileSecretNeeds::needsPassword(const ConnectionProfile& profile)
{
    const AuthMechanism mechanism = profile.auth.mechanism;
    return profile.usesAuthentication() && mechanism != AuthMechanism::Anonymous &&
           mechanism != AuthMechanism::External && !profile.usesKerberosTicket();
}

bool ProfileSecretNeeds::passwordAtRunTime(const ConnectionProfile& profile)
{
    return profile.auth.passwordSource.kind != SecretSourceKind::Keychain &&
           needsPassword(profile) && !profile.usesOAuthSignIn();
}

bool ProfileSecretNeeds::usesAccessToken(const ConnectionProfile& profile)
{
    return profile.auth.mechanism == AuthMechanism::XOAuth2 ||
           profile.auth.mechanism == AuthMechanism::OAuthBearer;
}

std::optional<MissingSecret> ProfileSecretNeeds::missingSecret(const ConnectionProfile& profile,
                                                               const ConnectionSecrets& secrets)
{
    if (!needsPassword(profile) || passwordAtRunTime(profile) || !secrets.smtpPassword.isEmpty())
        return std::nullopt;
    return MissingSecret{usesAccessToken(profile), profile.name};
}

} // namespace relaydeck
