#pragma once

#include "profile/ConnectionProfile.h"

#include <QString>

namespace relaydeck {

// Secrets for one test run, read from the SecretStore (or the CLI's stdin/env) by the caller.
// Never written anywhere; the engine redacts them from the transcript.
struct ConnectionSecrets
{
    QString smtpPassword; // for XOAUTH2/OAUTHBEARER: the access token
    QString proxyPassword;
    QString clientKeyPassphrase;
};

// Everything a ConnectionTest needs. sendTo empty: stop after AUTH (no message is sent).
struct TestRequest
{
    ConnectionProfile profile;
    ConnectionSecrets secrets;
    QString sendTo;
    QString subject; // optional; a default naming Relaydeck and the profile is used when empty
};

} // namespace relaydeck
