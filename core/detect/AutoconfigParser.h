#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace relaydeck {

// One <outgoingServer type="smtp"> of a Thunderbird autoconfig file (config-v1.1.xml), with
// the placeholders %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% filled in.
struct AutoconfigServer
{
    QString host;
    int port = 0;
    Security security = Security::StartTls; // socketType SSL|STARTTLS|plain
    QString username;
    QStringList authentication; // password-cleartext, password-encrypted, OAuth2, ...
};

class AutoconfigParser
{
public:
    // address: "user@domain" or "domain" (then the placeholders for the user stay empty).
    // Servers with an unknown socketType, no host name or a bad port are skipped. The Failure
    // parse-failed says why nothing could be read (not XML, not a clientConfig).
    static Result<QList<AutoconfigServer>> parse(const QByteArray& xml, const QString& address);
};

} // namespace relaydeck
