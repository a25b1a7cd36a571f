#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileFormats.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace relaydeck {

// Symfony Mailer style DSNs, one per line: smtp://user@host:port?option=value&...
// (smtps:// for implicit TLS). Never carries a password.
class DsnProfileFormat
{
public:
    static QString toDsn(const ConnectionProfile& profile);
    static QByteArray exportProfiles(const QList<ConnectionProfile>& profiles);
    static Result<ImportedProfiles> importProfiles(const QByteArray& data);
    // `MAILER_DSN="smtp://..."` (a line of a .env file) -> `smtp://...`; other lines unchanged.
    static QString withoutEnvAssignment(const QString& line);
};

} // namespace relaydeck
