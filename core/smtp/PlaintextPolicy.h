#pragma once

#include "profile/ConnectionProfile.h"

#include <QHostAddress>

namespace relaydeck {

// Engine rule 4 (docs/ARCHITECTURE.md): credentials, sender and recipient travel only inside an
// accepted TLS session, unless the profile chose no encryption and either the peer is this machine
// (loopback) or the profile explicitly allows plaintext authentication. Security `auto` that went
// on unencrypted (rule 13) sends them only to a loopback peer: allowing plaintext authentication
// takes security `none`.
class PlaintextPolicy
{
public:
    // `tlsAccepted`: a TLS session is up and its certificate was accepted (TlsPeerCheck).
    // `peer`: the address actually connected to (null when a proxy resolved the name).
    static bool allowsSensitiveCommands(const ConnectionProfile& profile, bool tlsAccepted,
                                        const QHostAddress& peer);

    // Engine rule 13: security `auto` on a STARTTLS port whose server does not offer STARTTLS
    // may go on unencrypted (with a warning) when the peer is loopback or the port is 25.
    static bool allowsOpportunisticPlaintext(const ConnectionProfile& profile,
                                             const QHostAddress& peer);

    static bool isLoopback(const QHostAddress& peer) { return !peer.isNull() && peer.isLoopback(); }
};

} // namespace relaydeck
