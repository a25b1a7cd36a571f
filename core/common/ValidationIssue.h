#pragma once

#include <QList>
#include <QString>

namespace relaydeck {

// One problem with one field of a profile. `field` is the field's key as it stands in
// connections.json ("name", "host", "port", "timeout", "sender", "heloName", "charset",
// "auth.mechanism", "auth.username", "tls.caFile", "tls.pinnedSha256", "tls.clientCertificate",
// "tls.clientKey", "proxy.type", "proxy.host", "proxy.port", "options"), so the GUI can show the
// message next to the widget editing that field and the CLI can name it.
struct ValidationIssue
{
    QString field;
    QString message; // translated, says what is wrong and what is expected

    bool operator==(const ValidationIssue&) const = default;
};

using ValidationIssues = QList<ValidationIssue>;

} // namespace relaydeck
