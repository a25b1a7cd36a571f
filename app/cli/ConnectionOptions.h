#pragma once

#include "profile/ConnectionProfile.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QMap>
#include <QString>

namespace relaydeck::cli {

// The CONN options of README.md (--host, --port, --security, --auth, --user, --password-stdin,
// --password-env, --ca-file, --pin, --no-verify, --tls-min, --helo, --timeout, --from, --proxy,
// --proxy-password-env, --allow-plaintext-auth) plus a few for the remaining profile fields.
// Secrets come only from stdin or the environment, never from the command line.
class ConnectionOptions
{
public:
    static void addTo(QCommandLineParser& parser);

    // Applies the options that were given to `profile` (others leave it as it is). false and
    // *error for a bad value.
    static bool applyTo(const QCommandLineParser& parser, ConnectionProfile& profile,
                        QString* error);

    // Secrets given for this run: --password-stdin / --password-env (SMTP password),
    // --proxy-password-env, --client-key-passphrase-env. false and *error when e.g. the
    // variable is not set.
    static bool readSecrets(const QCommandLineParser& parser, QMap<SecretSlot, QString>* secrets,
                            QString* error);
};

} // namespace relaydeck::cli
