#include "profile/Presets.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "Presets" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Presets)
};

// The display names and notes of resources/presets.json, listed here so that lupdate finds
// them; at run time the English text from the file is looked up in context "Presets".
// tst_presets checks that every text of the file is listed.
[[maybe_unused]] const char* const translatableTexts[] = {
    QT_TRANSLATE_NOOP("Presets", "Microsoft Exchange (your server)"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Enter your Exchange server's name. The client submission connector listens on 587 with "
        "STARTTLS; the mailbox must be allowed to send as the sender address. Port 25 connectors "
        "usually relay without authentication for allowed IP addresses only."),
    QT_TRANSLATE_NOOP("Presets", "Microsoft 365 / Office 365"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Sign in with OAuth2 (XOAUTH2): Microsoft turns basic authentication for SMTP off. "
        "Register an app once: 1. Entra admin center > App registrations > New registration; "
        "under Authentication add the platform \"Mobile and desktop applications\" with the "
        "redirect URI http://localhost and allow public client flows. 2. API permissions > "
        "Add > Microsoft Graph > Delegated: SMTP.Send and offline_access; grant admin "
        "consent. 3. Enter the Application (client) ID and your Directory (tenant) ID here "
        "and sign in. SMTP AUTH must be enabled for the mailbox (Microsoft 365 "
        "admin center, "
        "or Set-CASMailbox -SmtpClientAuthenticationDisabled $false); otherwise the server "
        "answers 5.7.139. TLS 1.2 or later is required."),
    QT_TRANSLATE_NOOP("Presets", "Gmail / Google Workspace"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Sign in with OAuth2 (XOAUTH2): Google no longer accepts the account password. "
        "Register an app once: 1. Google Cloud console > Google Auth Platform: configure the "
        "consent "
        "screen and add the scope https://mail.google.com/ (and yourself as a test user while "
        "the app is in testing). 2. Clients > Create client > Desktop app. 3. Enter its "
        "client ID and its client secret here and sign in. Without OAuth: turn on 2-Step "
        "Verification, "
        "create an app password and choose PLAIN. Port 587 with STARTTLS works as well."),
    QT_TRANSLATE_NOOP("Presets", "Amazon SES"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Use SES SMTP credentials (created under SMTP settings in the SES console), not IAM access "
        "keys; they are specific to the region. The sender address or its domain must be verified "
        "in SES, and while the account is in the sandbox the recipients must be verified too."),
    QT_TRANSLATE_NOOP("Presets", "Outlook.com / Hotmail"),
    QT_TRANSLATE_NOOP(
        "Presets", "Accounts with two-step verification need an app password; Microsoft is phasing "
                   "out basic authentication for Outlook.com in favour of OAuth2 (XOAUTH2)."),
    QT_TRANSLATE_NOOP("Presets", "Yahoo Mail"),
    QT_TRANSLATE_NOOP("Presets", "Yahoo requires an app password (Account security > Generate app "
                                 "password); the account password is refused."),
    QT_TRANSLATE_NOOP("Presets", "iCloud Mail"),
    QT_TRANSLATE_NOOP("Presets", "Use an app-specific password from appleid.apple.com; the user "
                                 "name is your full iCloud address."),
    QT_TRANSLATE_NOOP("Presets", "Fastmail"),
    QT_TRANSLATE_NOOP("Presets",
                      "Create an app password with SMTP access (Settings > Privacy & Security > "
                      "App passwords); the user name is your full Fastmail address."),
    QT_TRANSLATE_NOOP("Presets", "Zoho Mail"),
    QT_TRANSLATE_NOOP("Presets",
                      "Accounts in other data centres use their own host (smtp.zoho.eu, "
                      "smtp.zoho.in, ...). With two-factor authentication, use an "
                      "application-specific password. The sender must be your Zoho address."),
    QT_TRANSLATE_NOOP("Presets", "SendGrid"),
    QT_TRANSLATE_NOOP("Presets", "The user name is literally \"apikey\"; the password is a "
                                 "SendGrid API key with the Mail Send permission. The sender must "
                                 "be a verified sender identity or an authenticated domain."),
    QT_TRANSLATE_NOOP("Presets", "Mailgun"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Use the SMTP credentials of your sending domain (Domain settings > SMTP credentials), "
        "e.g. postmaster@mg.example.com. Domains in the EU region use smtp.eu.mailgun.org."),
    QT_TRANSLATE_NOOP("Presets", "Postmark"),
    QT_TRANSLATE_NOOP("Presets",
                      "Both the user name and the password are your Postmark Server API token. The "
                      "sender signature or domain must be confirmed in Postmark."),
    QT_TRANSLATE_NOOP("Presets", "Brevo (Sendinblue)"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "The user name is the SMTP login shown under SMTP & API (not your account e-mail), the "
        "password an SMTP key created there. The sender must be a verified sender or domain."),
    QT_TRANSLATE_NOOP("Presets", "Local relay (localhost)"),
    QT_TRANSLATE_NOOP("Presets",
                      "A mail server on this machine (Postfix, Exim, ...) relaying without "
                      "authentication. Nothing leaves the machine unencrypted on the way to it."),
};

const QString regionPlaceholder = u"{region}"_s;

struct LoadedPresets
{
    QList<Preset> presets;
    QString error;
};

const LoadedPresets& loaded()
{
    static const LoadedPresets instance = [] {
        LoadedPresets result;
        QFile file(u":/relaydeck/presets.json"_s);
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = Text::tr("The built-in presets are missing (%1).").arg(file.fileName());
            return result;
        }
        if (const Result<QList<Preset>> presets = Presets::parse(file.readAll()); presets.ok())
            result.presets = presets.value();
        else
            result.error =
                Text::tr("The built-in presets are damaged: %1").arg(presets.failure().message);
        return result;
    }();
    return instance;
}

} // namespace

QString Preset::connectionName() const
{
    const qsizetype open = displayName.lastIndexOf(u" ("_s);
    return open > 0 && displayName.endsWith(u')') ? displayName.left(open) : displayName;
}

QString Preset::hostFor(const QString& region) const
{
    if (!host.contains(regionPlaceholder))
        return host;
    QString copy = host;
    return copy.replace(regionPlaceholder, region.isEmpty() ? defaultRegion : region);
}

const QList<Preset>& Presets::all()
{
    return loaded().presets;
}

QString Presets::loadError()
{
    return loaded().error;
}

std::optional<Preset> Presets::find(const QString& id)
{
    const QString wanted = id.trimmed();
    for (const Preset& preset : all()) {
        if (preset.id.compare(wanted, Qt::CaseInsensitive) == 0)
            return preset;
    }
    return std::nullopt;
}

QString Presets::idForHost(const QString& host)
{
    const QString wanted = host.trimmed();
    QStringList matches;
    for (const Preset& preset : all()) {
        QStringList hosts{preset.host};
        if (preset.needsRegion()) {
            hosts.clear();
            for (const QString& region : preset.regions)
                hosts << preset.hostFor(region);
        }
        const bool matching = std::any_of(hosts.cbegin(), hosts.cend(), [&](const QString& h) {
            return !h.isEmpty() && h.compare(wanted, Qt::CaseInsensitive) == 0;
        });
        if (matching)
            matches << preset.id;
    }
    return matches.size() == 1 ? matches.first() : QString();
}

Result<ConnectionProfile> Presets::apply(const QString& id, const QString& region)
{
    const auto fail = [](const QString& message) -> Result<ConnectionProfile> {
        return Failure(FailureId::NotFound, message);
    };
    const std::optional<Preset> preset = find(id);
    if (!preset) {
        QStringList ids;
        for (const Preset& known : all())
            ids << known.id;
        return fail(Text::tr("Unknown preset '%1'. Known presets: %2.").arg(id, ids.join(u", "_s)));
    }
    const QString wantedRegion = region.trimmed().toLower();
    if (!wantedRegion.isEmpty()) {
        if (!preset->needsRegion())
            return fail(Text::tr("The preset '%1' has no regions.").arg(preset->id));
        if (!preset->regions.contains(wantedRegion))
            return fail(Text::tr("Unknown region '%1' for the preset '%2'. Regions: %3.")
                            .arg(region, preset->id, preset->regions.join(u", "_s)));
    }

    ConnectionProfile profile;
    profile.host = preset->hostFor(wantedRegion);
    profile.security = preset->security;
    // The standard port of the security mode is stored as 0, so it keeps following the mode if
    // the user switches it (Gmail 465 -> STARTTLS gives 587).
    profile.port =
        preset->port == ConnectionProfile::defaultPort(preset->security) ? 0 : preset->port;
    profile.tls.minimumVersion = preset->tlsMinimumVersion;
    profile.auth.mechanism = preset->mechanism;
    profile.auth.username = preset->username;
    profile.oauth = preset->oauth;
    profile.preset = preset->id;
    return profile;
}

Result<QList<Preset>> Presets::parse(const QByteArray& json)
{
    const auto fail = [](const QString& message) -> Result<QList<Preset>> {
        return Failure(FailureId::ParseFailed, message);
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(Text::tr("offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != u"relaydeck-presets"_s)
        return fail(Text::tr("format: expected \"relaydeck-presets\""));
    if (root.value(u"version"_s).toInt() != 1)
        return fail(Text::tr("version: expected 1"));

    QList<Preset> presets;
    const QJsonArray array = root.value(u"presets"_s).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject object = array.at(i).toObject();
        const QString where = u"presets[%1]"_s.arg(i);
        Preset preset;
        preset.id = object.value(u"id"_s).toString();
        if (preset.id.isEmpty())
            return fail(Text::tr("%1.id: missing").arg(where));
        // English in the file; translated through the table above.
        preset.displayName = Text::tr(object.value(u"name"_s).toString().toUtf8().constData());
        preset.note = Text::tr(object.value(u"note"_s).toString().toUtf8().constData());
        preset.host = object.value(u"host"_s).toString();
        preset.port = object.value(u"port"_s).toInt();
        if (preset.port < 1 || preset.port > 65535)
            return fail(Text::tr("%1.port: must be 1 to 65535").arg(where));

        const auto security = securityFromString(object.value(u"security"_s).toString());
        if (!security)
            return fail(Text::tr("%1.security: expected none, starttls or tls").arg(where));
        preset.security = *security;
        if (object.contains(u"tlsMinVersion"_s)) {
            const auto version =
                tlsMinimumVersionFromString(object.value(u"tlsMinVersion"_s).toString());
            if (!version)
                return fail(Text::tr("%1.tlsMinVersion: expected 1.2 or 1.3").arg(where));
            preset.tlsMinimumVersion = *version;
        }
        if (object.contains(u"mechanism"_s)) {
            const auto mechanism = authMechanismFromString(object.value(u"mechanism"_s).toString());
            if (!mechanism)
                return fail(Text::tr("%1.mechanism: unknown mechanism").arg(where));
            preset.mechanism = *mechanism;
        }
        preset.username = object.value(u"username"_s).toString();
        if (object.contains(u"oauth"_s)) {
            const QJsonObject oauth = object.value(u"oauth"_s).toObject();
            const auto provider = oauthProviderFromString(oauth.value(u"provider"_s).toString());
            if (!provider)
                return fail(
                    Text::tr("%1.oauth.provider: expected microsoft, google or custom").arg(where));
            // Endpoints and scope follow the provider (OAuthEndpoints) unless the file names them.
            preset.oauth.provider = *provider;
            preset.oauth.tenant = oauth.value(u"tenant"_s).toString();
            preset.oauth.authorizationUrl = oauth.value(u"authorizationUrl"_s).toString();
            preset.oauth.tokenUrl = oauth.value(u"tokenUrl"_s).toString();
            preset.oauth.deviceAuthorizationUrl =
                oauth.value(u"deviceAuthorizationUrl"_s).toString();
            preset.oauth.scope = oauth.value(u"scope"_s).toString();
        }

        const QJsonArray alternatives = object.value(u"alternatives"_s).toArray();
        for (const QJsonValue& value : alternatives) {
            const QJsonObject alternative = value.toObject();
            const auto altSecurity =
                securityFromString(alternative.value(u"security"_s).toString());
            const int altPort = alternative.value(u"port"_s).toInt();
            if (!altSecurity || altPort < 1 || altPort > 65535)
                return fail(
                    Text::tr("%1.alternatives: each needs a port and a security").arg(where));
            preset.alternatives << PresetAlternative{altPort, *altSecurity};
        }
        for (const QJsonValue& region : object.value(u"regions"_s).toArray())
            preset.regions << region.toString();
        preset.defaultRegion = object.value(u"defaultRegion"_s).toString();
        const bool hasPlaceholder = preset.host.contains(regionPlaceholder);
        if (hasPlaceholder != preset.needsRegion() ||
            (hasPlaceholder && !preset.regions.contains(preset.defaultRegion)))
            return fail(
                Text::tr("%1: a host with {region} needs regions and a default region among "
                         "them")
                    .arg(where));
        presets << preset;
    }
    return presets;
}

} // namespace relaydeck
