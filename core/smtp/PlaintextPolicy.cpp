#include "smtp/PlaintextPolicy.h"

#include "profile/AutoSecurity.h"

namespace relaydeck {

bool PlaintextPolicy::allowsSensitiveCommands(const ConnectionProfile& profile, bool tlsAccepted,
                                              const QHostAddress& peer)
{
    switch (profile.security) {
    case Security::None:
        return profile.auth.allowPlaintext || isLoopback(peer);
    case Security::Auto:
        // Unencrypted only when it went on opportunistically: then to this machine alone.
        return tlsAccepted || isLoopback(peer);
    case Security::StartTls:
    case Security::ImplicitTls:
        break;
    }
    return tlsAccepted;
}

bool PlaintextPolicy::allowsOpportunisticPlaintext(const ConnectionProfile& profile,
                                                   const QHostAddress& peer)
{
    if (profile.security != Security::Auto || AutoSecurity::planned(profile) != Security::StartTls)
        return false;
    return AutoSecurity::opportunisticPort(profile) || isLoopback(peer);
}

} // namespace relaydeck
