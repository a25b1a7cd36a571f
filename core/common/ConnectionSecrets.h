#pragma once

#include <QString>

namespace relaydeck {

// Secrets for one test run, read from the SecretStore (or the CLI's stdin/env) by the caller.
// Never written anywhere; the engine redacts them from the transcript.
struct ConnectionSecrets
{
    QString smtpPassword; // for XOAUTH2/OAUTHBEARER: the access token
    QString proxyPassword;
    QString clientKeyPassphrase;
    QString username; // given at run time (AuthSettings::usernameVariable); empty: the profile's
};

} // namespace relaydeck
