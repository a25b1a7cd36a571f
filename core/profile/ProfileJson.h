#pragma once

#include "profile/ConnectionProfile.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace relaydeck {

// The JSON form of one profile, exactly as it stands in connections.json and in a JSON export
// (enumerations use the CLI's words). Never contains a secret.
class ProfileJson
{
public:
    static QJsonObject toJson(const ConnectionProfile& profile);
    // nullopt and *error = "<field>: <what is wrong>" for a malformed object. Unknown keys are
    // ignored; missing keys take the defaults of ConnectionProfile.
    static std::optional<ConnectionProfile> fromJson(const QJsonObject& object, QString* error);
};

} // namespace relaydeck
