#include "smtp/PlaintextPolicy.h"

namespace relaydeck {

bool PlaintextPolicy::allowsSensitiveCommands(const ConnectionProfile& profile, bool tlsAccepted,
                                              const QHostAddress& peer)
{
    if (profile.security != Security::None)
        return tlsAccepted;
    return profile.auth.allowPlaintext || (!peer.isNull() && peer.isLoopback());
}

} // namespace relaydeck
