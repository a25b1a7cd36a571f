#include "profile/AutoSecurity.h"

namespace relaydeck {

Security AutoSecurity::planned(const ConnectionProfile& profile)
{
    if (profile.security != Security::Auto)
        return profile.security;
    return profile.effectivePort() == ImplicitTlsPort ? Security::ImplicitTls : Security::StartTls;
}

bool AutoSecurity::opportunisticPort(const ConnectionProfile& profile)
{
    return profile.security == Security::Auto && profile.effectivePort() == OpportunisticPort;
}

} // namespace relaydeck
