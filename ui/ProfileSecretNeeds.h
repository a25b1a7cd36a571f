#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestRequest.h"

#include <QCoreApplication>
#include <QString>

namespace relaydeck::ui {

// Which secrets a profile needs, so the GUI asks the keychain only when a profile may have
// something there (profiles without secrets work on machines without a keyring), and says so
// before a test that would fail for want of a password. Mirrors relaydeck-cli's rules
// (Command::mayHaveSecrets, TestCommand::startTest); a shared core helper would be welcome.
class ProfileSecretNeeds
{
    Q_DECLARE_TR_FUNCTIONS(ProfileSecretNeeds)

public:
    static bool mayHaveSecrets(const ConnectionProfile& profile);
    static bool needsPassword(const ConnectionProfile& profile);
    // Empty when the test can run; otherwise what is missing, in words.
    static QString missingSecret(const ConnectionProfile& profile,
                                 const ConnectionSecrets& secrets);
};

} // namespace relaydeck::ui
