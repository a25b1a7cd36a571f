#pragma once

#include "common/AdviceWording.h"
#include "detect/DetectedCandidate.h"
#include "profile/ConnectionProfile.h"

#include <QCoreApplication>
#include <QString>

namespace relaydeck::cli {

// relaydeck-cli's words for core's advice: every setting is named by the flag that changes it
// ("--security tls"), in one table (CliWording.cpp).
class CliWording : public AdviceWording
{
    Q_DECLARE_TR_FUNCTIONS(CliWording)

public:
    QString where(const SettingChanges& changes) const override;
    using AdviceWording::where;
    QString missingSecret(const MissingSecret& missing) const override;

    // The flag (without "--") that changes `setting`; empty for one a command does.
    static QString flag(Setting setting);
    // The command that does `setting` ("relaydeck-cli login" signs in); empty for a flag.
    static QString command(Setting setting);
    // Where the password of `profile` comes from, for show and list ("keychain", "environment
    // variable VAR", "command CMD", and for a disabled command how to enable it).
    static QString passwordSourceWords(const ConnectionProfile& profile);
    // Why a detected candidate is (not) usable, for `detect` (text and JSON "reason").
    static QString verdictWords(const DetectedCandidate& candidate);

    static const CliWording& instance();
};

} // namespace relaydeck::cli
