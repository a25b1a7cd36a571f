#pragma once

#include "common/ValidationIssue.h"
#include "profile/ConnectionProfile.h"

#include <QList>
#include <QString>

#include <optional>

namespace relaydeck {

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
