#pragma once

#include "common/ConnectionSecrets.h"
#include "profile/ConnectionProfile.h"

#include <QString>

namespace relaydeck {

// Everything a ConnectionTest needs. sendTo empty: stop after AUTH (no message is sent).
struct TestRequest
{
    ConnectionProfile profile;
    ConnectionSecrets secrets;
    QString sendTo;
    QString subject; // optional; a default naming Relaydeck and the profile is used when empty
};

} // namespace relaydeck
