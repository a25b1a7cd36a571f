#pragma once

#include "detect/DetectedCandidate.h"

#include <QList>

namespace relaydeck {

// Orders detected candidates best first: usable (verified TLS up to the second EHLO) before
// anything else; implicit TLS before STARTTLS (RFC 8314) before plaintext; a certificate that
// names the host; a mechanism AUTH "auto" can use; the address's own domain before another
// one; then where the candidate came from (autoconfig, SRV, preset, MX, probe); then the port.
class CandidateRanking
{
public:
    // True when `a` ranks before `b`.
    static bool before(const DetectedCandidate& a, const DetectedCandidate& b);
    static QList<DetectedCandidate> sorted(QList<DetectedCandidate> candidates);
};

} // namespace relaydeck
