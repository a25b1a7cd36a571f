#include "secrets/ProfileSecretNeeds.h"

namespace relaydeck {

bool ProfileSecretNeeds::mayHaveSecrets(const ConnectionProfile& profile)
{
    return profile.usesAuthentication() || !profile.proxy.username.isEmpty() ||
           !profile.tls.clientKeyFile.isEmpty();
}

QList<SecretSlot> ProfileSecretNeeds::slotsForTest(const ConnectionProfile& profile)
{
    QList<SecretSlot> secretSlots;
    if (needsPassword(profile))
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
           mechanism != AuthMechanism::External;
}

bool ProfileSecretNeeds::usesAccessToken(const ConnectionProfile& profile)
{
    return profile.auth.mechanism == AuthMechanism::XOAuth2 ||
           profile.auth.mechanism == AuthMechanism::OAuthBearer;
}

QString ProfileSecretNeeds::missingSecret(const ConnectionProfile& profile,
                                          const ConnectionSecrets& secrets, HintStyle style)
{
    if (!needsPassword(profile) || !secrets.smtpPassword.isEmpty())
        return QString();
    if (style == HintStyle::Desktop) {
        return usesAccessToken(profile)
                   ? tr("No access token is stored for this connection: enter it on the "
                        "Authentication tab.")
                   : tr("No password is stored for this connection: enter it on the "
                        "Authentication tab, or clear the user name to test without "
                        "authentication.");
    }
    // relaydeck-cli reads a token the same way as a password.
    if (profile.name.isEmpty())
        return tr("--user needs a password: give it with --password-stdin or --password-env VAR");
    return tr("no password is stored for '%1'. Store one with 'set NAME --password-stdin', or "
              "give it for this run with --password-stdin or --password-env VAR.")
        .arg(profile.name);
}

} // namespace relaydeck
