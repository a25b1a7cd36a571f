#pragma once

#include "profile/ConnectionProfile.h"

namespace relaydeck {

// Security `auto` before the server is asked (docs/ARCHITECTURE.md engine rule 13): port 465 is
// implicit TLS; every other port starts in plain text and upgrades with STARTTLS. Whether the
// session may go on unencrypted when STARTTLS is not offered depends on the peer as well
// (PlaintextPolicy::allowsOpportunisticPlaintext).
class AutoSecurity
{
public:
    static constexpr int ImplicitTlsPort = 465;
    // Relaying between servers: STARTTLS is opportunistic there (RFC 3207 section 4).
    static constexpr int OpportunisticPort = 25;

    // What a test starts with: auto on port 465 is ImplicitTls, auto on any other port
    // StartTls; every other security is itself.
    static Security planned(const ConnectionProfile& profile);
    // Auto on this port may go on without STARTTLS whoever the peer is (port 25).
    static bool opportunisticPort(const ConnectionProfile& profile);
};

} // namespace relaydeck
