#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileFormats.h"

#include <QByteArray>
#include <QList>

namespace relaydeck {

// Our own format: {"format": "relaydeck-profiles", "version": 1, "profiles": [...]}, the same
// document as connections.json. Carries every field; never a secret.
class JsonProfileFormat
{
public:
    static constexpr int currentVersion = 1;
    static QByteArray exportProfiles(const QList<ConnectionProfile>& profiles);
    static Result<ImportedProfiles> importProfiles(const QByteArray& data);
};

} // namespace relaydeck
