#pragma once

#include "oauth/OAuthError.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace relaydeck {

// A token endpoint's successful answer (RFC 6749 section 5.1). Secrets: never logged or written.
struct TokenResponse
{
    QString accessToken;
    QString refreshToken; // empty: the provider kept the old one (no rotation)
    QString tokenType;
    QString scope;
    QString idToken;
    QDateTime expiresAt; // UTC; invalid when the provider did not say

    // Who signed in, from the ID token's claims (preferred_username, email, upn, sub), when
    // there is one; the token is only read, not verified: this is for display.
    QString account() const;

    // Parses the body of a token endpoint's answer; `receivedAt` anchors expires_in. An error
    // answer (RFC 6749 5.2) or a malformed body fails with the OAuthError (OAuthError::of).
    static Result<TokenResponse> parse(const QByteArray& body, int httpStatus,
                                       const QDateTime& receivedAt);
};

} // namespace relaydeck
