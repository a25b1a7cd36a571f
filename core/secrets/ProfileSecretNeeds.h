#pragma once

#include "common/AdviceWording.h"
#include "common/ConnectionSecrets.h"
#include "profile/ConnectionProfile.h"
#include "secrets/SecretStore.h"

#include <QList>
#include <QString>

#include <optional>

namespace relaydeck {

// Which secrets a profile needs, for the CLI and the GUI alike: they ask the keychain only when a
// profile may have something there (profiles without secrets work on machines without a
// keyring), and refuse to start a test that would fail for want of a password.
class ProfileSecretNeeds
{
public:
    // True when the profile may keep something in the keychain: a user name, proxy credentials
    // or a client key.
    static bool mayHaveSecrets(const ConnectionProfile& profile);
    // The slots a connection test of this profile can use (the SMTP password or token when
    // authentication needs one, the proxy password with a proxy user, the client key's
    // passphrase with a client key; not a password supplied at run time); empty: the test needs
    // nothing from the keychain. A test reads only these: every keychain lookup costs a round trip
    // to the Secret Service, and QtKeychain runs them one after the other.
    static QList<SecretSlot> slotsForTest(const ConnectionProfile& profile);
    // True when authentication needs a password or token (ANONYMOUS and EXTERNAL need none).
    static bool needsPassword(const ConnectionProfile& profile);
    // True when the password comes from an environment variable or a command when the test runs
    // (AuthSettings::passwordSource; RuntimeSecretResolver reads it): authentication needs one,
    // the source is not the keychain, and the profile does not sign in with OAuth. Such a
    // password counts as supplied: it is never missing, and the keychain is not asked for it.
    static bool passwordAtRunTime(const ConnectionProfile& profile);
    // True when the "password" is an OAuth 2.0 access token (XOAUTH2, OAUTHBEARER).
    static bool usesAccessToken(const ConnectionProfile& profile);
    // Nothing when the test can run; otherwise what is missing (a front end's AdviceWording says
    // where to give it).
    static std::optional<MissingSecret> missingSecret(const ConnectionProfile& profile,
                                                      const ConnectionSecrets& secrets);
};

} // namespace relaydeck
