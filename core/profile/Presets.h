#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaydeck {

// Another port/security pair a provider offers (e.g. Gmail's 587 STARTTLS next to 465).
struct PresetAlternative
{
    int port = 0;
    Security security = Security::StartTls;
};

// A provider's SMTP settings, from resources/presets.json (":/relaydeck/presets.json").
struct Preset
{
    QString id;          // short and stable: exchange, office365, gmail, ses, ...
    QString displayName; // translated
    QString note;        // translated: what an admin needs to know (app passwords, OAuth2, ...)
    QString host;        // may contain "{region}" (SES); empty: the user's own server (Exchange)
    int port = 0;
    Security security = Security::StartTls;
    TlsMinimumVersion tlsMinimumVersion = TlsMinimumVersion::Tls12;
    AuthMechanism mechanism = AuthMechanism::Auto;
    QString username;    // fixed user name (SendGrid: "apikey"), else empty
    OAuthSettings oauth; // the OAuth provider whose sign-in the preset prepares (no client id)
    QList<PresetAlternative> alternatives;
    QStringList regions; // non-empty when host contains "{region}"
    QString defaultRegion;

    bool needsRegion() const { return !regions.isEmpty(); }
    // host with the region filled in (defaultRegion when `region` is empty).
    QString hostFor(const QString& region = QString()) const;
    // The name a new connection from this preset gets: the display name without a remark in
    // parentheses ("Microsoft Exchange (your server)" -> "Microsoft Exchange").
    QString connectionName() const;
};

// The built-in presets. Loaded once, on first use, from the embedded resource; names and notes
// are translated then (install the translators before the first call).
class Presets
{
public:
    static const QList<Preset>& all();
    static std::optional<Preset> find(const QString& id); // case-insensitive
    // The id of the preset whose server is `host` (case-insensitive; a region preset matches
    // its host with any of its regions), for imports from formats that cannot name a preset.
    // Empty when no preset, or more than one, has that host.
    static QString idForHost(const QString& host);
    // A new profile (null id, empty name) filled from the preset. `region` only for presets
    // that need one (empty: their default region). An unknown id or region is a "not-found"
    // Failure whose message lists what is known.
    static Result<ConnectionProfile> apply(const QString& id, const QString& region = QString());
    // Why all() is empty, if the embedded file could not be read (a build error, really).
    static QString loadError();
    // Parses a presets document (exposed for tests); malformed: a "parse-failed" Failure.
    static Result<QList<Preset>> parse(const QByteArray& json);
};

} // namespace relaydeck
