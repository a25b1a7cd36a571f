#pragma once

#include <QByteArray>

namespace relaydeck {

// PKCE (RFC 7636) with S256, and the random values of an authorization request. Every random
// byte comes from the operating system's CSPRNG (QRandomGenerator::system()).
class Pkce
{
public:
    // 32 random bytes, base64url without padding (43 characters of [A-Za-z0-9-_]).
    static QByteArray newVerifier();
    // BASE64URL(SHA256(verifier)) without padding.
    static QByteArray challengeFor(const QByteArray& verifier);
    // A fresh `state` for one authorization request (same form as a verifier).
    static QByteArray newState();
    // Constant-time comparison of two secrets of the same kind (state values).
    static bool equal(const QByteArray& a, const QByteArray& b);
};

} // namespace relaydeck
