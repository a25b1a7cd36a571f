#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileFormats.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace relaydeck {

// msmtp's configuration file (msmtprc): one `account` block per profile. The export reads its
// password from the keychain through `passwordeval`, so it works as is on the same machine.
class MsmtpProfileFormat
{
public:
    static QByteArray exportProfiles(const QList<ConnectionProfile>& profiles);
    static Result<ImportedProfiles> importProfiles(const QByteArray& data);

    // The shell command that prints the profile's SMTP password from the OS keychain. The one
    // place that knows how QtKeychain's entries are found from a shell (libsecret attributes
    // `server` = service, `user` = key).
    static QString passwordEvalCommand(const QUuid& profileId);
    // The profile id in a passwordeval command that is exactly passwordEvalCommand(id), else
    // nullopt (any other command is someone else's and is never run).
    static std::optional<QUuid> profileIdOfPasswordEval(const QString& command);
    // The passwordeval of a profile: passwordEvalCommand() for the keychain, `printenv VAR` for
    // an environment variable, the command itself for a command source (commandOf).
    static QString passwordEvalFor(const ConnectionProfile& profile);
    // A command source as one shell command line: `sh -c TEXT` gives TEXT back, anything else
    // its words quoted (CommandWords::join).
    static QString commandOf(const SecretSource& source);
    // Someone else's passwordeval (neither ours for the keychain nor the token command): exactly
    // `printenv VAR` is an environment source; anything else a disabled command source, run as
    // program and arguments when it needs no shell (CommandWords::needsShell), else as
    // `sh -c TEXT`, as msmtp would run it.
    static SecretSource sourceOfPasswordEval(const QString& command);
    // For a profile that signs in with OAuth: a fresh access token from relaydeck-cli (msmtp's
    // auth xoauth2/oauthbearer takes it as the password), refreshed when needed.
    static QString tokenEvalCommand(const QString& profileName);
    // True when `command` is exactly tokenEvalCommand(some name).
    static bool isTokenEvalCommand(const QString& command);
    // A name msmtp accepts as an account name (no blanks, ':', ',', '#' or quotes), derived
    // from `name`: its words joined by '-'.
    static QString accountNameFor(const QString& name);
};

} // namespace relaydeck
