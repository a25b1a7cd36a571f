#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QJsonObject>
#include <QString>

namespace relaydeck {

// The JSON form of one profile, exactly as it stands in connections.json and in a JSON export
// (enumerations use the CLI's words). Never contains a secret.
class ProfileJson
{
public:
    static QJsonObject toJson(const ConnectionProfile& profile);
    // A malformed object is the Failure parse-failed, message "<field>: <what is wrong>".
    // Unknown keys are ignored; missing keys take the defaults of ConnectionProfile.
    static Result<ConnectionProfile> fromJson(const QJsonObject& object);
};

} // namespace relaydeck
