#pragma once

#include "profile/ConnectionProfile.h"

#include <QHostAddress>

namespace relaydeck {

// Engine rule 4 (docs/ARCHITECTURE.md): credentials, sender and recipient travel only inside an
// accepted TLS session, unless the profile chose no encryption and either the peer is this machine
// (loopback) or the profile explicitly allows plaintext authentication.
class PlaintextPolicy
{
public:
    // `tlsAccepted`: a TLS session is up and its certificate was accepted (TlsPeerCheck).
    // `peer`: the address actually connected to (null when a proxy resolved the name).
    static bool allowsSensitiveCommands(const ConnectionProfile& profile, bool tlsAccepted,
                                        const QHostAddress& peer);
};

} // namespace relaydeck
