#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QMap>
#include <QString>

namespace relaydeck::cli {

// The CONN options of README.md (--host, --port, --security, --auth, --user, --password-stdin,
// --password-env, --ca-file, --pin, --no-verify, --tls-min, --helo, --timeout, --from, --proxy,
// --proxy-password-env, --allow-plaintext-auth) plus a few for the remaining profile fields,
// among them where the password comes from at run time (--password-from-env,
// --password-command, --password-from-keychain, --enable-/--disable-password-command,
// --user-from-env). Secrets come only from stdin or the environment, never from the command
// line.
class ConnectionOptions
{
public:
    static void addTo(QCommandLineParser& parser);

    // Applies the options that were given to `profile` (others leave it as it is). The Failure
    // invalid (message naming the option) for a bad value.
    static Result<void> applyTo(const QCommandLineParser& parser, ConnectionProfile& profile);

    // Secrets given for this run: --password-stdin / --password-env (SMTP password),
    // --proxy-password-env, --client-key-passphrase-env. The Failure invalid when e.g. the
    // variable is not set.
    static Result<QMap<SecretSlot, QString>> readSecrets(const QCommandLineParser& parser);

    // applyTo(), then (only when that worked) readSecrets(): what every command taking CONN
    // options does first.
    static Result<QMap<SecretSlot, QString>> applyAndReadSecrets(const QCommandLineParser& parser,
                                                                 ConnectionProfile& profile);

    // For add and set: a password to store in the keychain for a profile that reads its password
    // at run time would never be used (the Failure invalid says so).
    static Result<void> checkStoredPassword(const ConnectionProfile& profile,
                                            const QMap<SecretSlot, QString>& secrets);
};

} // namespace relaydeck::cli
