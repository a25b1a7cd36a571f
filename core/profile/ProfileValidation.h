#pragma once

#include "profile/ConnectionProfile.h"

#include <QList>
#include <QString>

#include <optional>

namespace relaydeck {

// One problem with one field of a profile. `field` is the field's key as it stands in
// connections.json ("name", "host", "port", "timeout", "sender", "heloName", "charset",
// "auth.mechanism", "auth.username", "tls.caFile", "tls.pinnedSha256", "tls.clientCertificate",
// "tls.clientKey", "proxy.type", "proxy.host", "proxy.port", "oauth.clientId", "oauth.tenant",
// "oauth.authorizationUrl", "oauth.tokenUrl", "oauth.deviceAuthorizationUrl", "oauth.scope",
// "options"), so the GUI can show the
// message next to the widget editing that field and the CLI can name it.
struct ValidationIssue
{
    QString field;
    QString message; // translated, says what is wrong and what is expected

    bool operator==(const ValidationIssue&) const = default;
};

using ValidationIssues = QList<ValidationIssue>;

// Checks a profile field by field with messages a user understands (context
// "ProfileValidation"). Used by the CLI, the GUI editor and ProfileStore alike. Name uniqueness
// needs the other profiles: ProfileStore::validate adds that check.
class ProfileValidation
{
public:
    enum class Check
    {
        // Everything, including that CA/client certificate/key files exist and are readable PEM.
        All,
        // Only what the profile itself says; no file system access. ProfileStore uses this for
        // writes and imports (a profile imported from another machine may name files that do
        // not exist here yet).
        WithoutFiles
    };

    static ValidationIssues validate(const ConnectionProfile& profile, Check check = Check::All);
    // The issues of one field only (the GUI re-checks a field as the user types).
    static ValidationIssues validateField(const ConnectionProfile& profile, const QString& field,
                                          Check check = Check::All);
    // Every field key validate() may report, in the order of the editor's tabs.
    static QStringList fieldKeys();

    // A host name (RFC 1123 labels), an IPv4 address or an IPv6 address (with or without [ ]).
    static bool isValidHost(const QString& host);
    // 64 hex digits, colons allowed anywhere ("AB:CD:..."): the normalised lower-case hex
    // without colons (the form stored in profiles), or nullopt.
    static std::optional<QString> normalisePin(const QString& pin);

    static constexpr int minimumTimeoutSeconds = 1;
    static constexpr int maximumTimeoutSeconds = 600;
};

// "field: message" lines, one per issue, for the CLI and logs.
QString formatIssues(const ValidationIssues& issues);

} // namespace relaydeck
