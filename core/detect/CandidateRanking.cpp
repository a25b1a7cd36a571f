#include "detect/CandidateRanking.h"

#include <algorithm>
#include <tuple>

namespace relaydeck {

namespace {

int securityRank(Security security)
{
    switch (security) {
    case Security::ImplicitTls:
        return 0;
    case Security::StartTls:
        return 1;
    case Security::Auto: // detection names what a port speaks; never auto
    case Security::None:
        break;
    }
    return 2;
}

// 465 and 587 are submission ports; 25 is for relaying between servers.
int portRank(int port)
{
    return port == 465 ? 0 : port == 587 ? 1 : port == 25 ? 3 : 2;
}

auto rankKey(const DetectedCandidate& c)
{
    // Lower is better in every field.
    return std::make_tuple(
        !c.usable(), !c.tlsVerified(), !c.reachedEhloAfterTls(), securityRank(c.security),
        !c.certificateMatches(), !c.hasUsableMechanism(), c.otherDomain,
        static_cast<int>(c.primarySource()), portRank(c.port), c.port, c.host.toLower());
}

} // namespace

bool CandidateRanking::before(const DetectedCandidate& a, const DetectedCandidate& b)
{
    return rankKey(a) < rankKey(b);
}

QList<DetectedCandidate> CandidateRanking::sorted(QList<DetectedCandidate> candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(), &CandidateRanking::before);
    return candidates;
}

} // namespace relaydeck
