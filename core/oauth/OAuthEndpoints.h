#pragma once

#include "profile/ConnectionProfile.h"

#include <QString>
#include <QUrl>

namespace relaydeck {

// The endpoints and scope a profile's OAuth sign-in uses: the profile's own values where it
// gives them, else its provider's (Microsoft's for the profile's tenant, Google's).
struct OAuthEndpoints
{
    QUrl authorizationUrl;
    QUrl tokenUrl;
    QUrl deviceAuthorizationUrl; // empty: the provider has no device flow (or none is known)
    QString scope;

    static OAuthEndpoints forSettings(const OAuthSettings& settings);
    // The tenant Microsoft's endpoints use when the profile names none (work or school accounts).
    static QString defaultMicrosoftTenant();
    static QString defaultScope(OAuthProvider provider);
    // Tokens travel only over https, except to this machine (a local test provider): http is
    // accepted for localhost and loopback addresses only. The same rule as plaintext SMTP auth.
    static bool isAllowedEndpoint(const QUrl& url);
};

} // namespace relaydeck
