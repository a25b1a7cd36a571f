#include "profile/ProfileFormats.h"

#include "profile/DsnProfileFormat.h"
#include "profile/JsonProfileFormat.h"
#include "profile/MsmtpProfileFormat.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace relaydeck {

QString toString(ProfileFormat format)
{
    switch (format) {
    case ProfileFormat::Json:
        return u"json"_s;
    case ProfileFormat::Msmtp:
        return u"msmtp"_s;
    case ProfileFormat::Dsn:
        return u"dsn"_s;
    }
    return {};
}

std::optional<ProfileFormat> profileFormatFromString(const QString& word)
{
    const QString normalised = word.trimmed().toLower();
    for (const ProfileFormat format :
         {ProfileFormat::Json, ProfileFormat::Msmtp, ProfileFormat::Dsn}) {
        if (toString(format) == normalised)
            return format;
    }
    return std::nullopt;
}

QByteArray ProfileFormats::exportProfiles(const QList<ConnectionProfile>& profiles,
                                          ProfileFormat format)
{
    switch (format) {
    case ProfileFormat::Json:
        return JsonProfileFormat::exportProfiles(profiles);
    case ProfileFormat::Msmtp:
        return MsmtpProfileFormat::exportProfiles(profiles);
    case ProfileFormat::Dsn:
        return DsnProfileFormat::exportProfiles(profiles);
    }
    return {};
}

Result<ImportedProfiles> ProfileFormats::importProfiles(const QByteArray& data,
                                                        std::optional<ProfileFormat> format)
{
    if (!format)
        format = detect(data);
    if (!format) {
        return Failure{FailureId::ParseFailed,
                       QCoreApplication::translate(
                           "ProfileFormats", "The file is neither a Relaydeck JSON export, an "
                                             "msmtp configuration nor a list of smtp:// DSNs.")};
    }
    // A malformed file yields a Failure and no profiles, never half of them.
    Result<ImportedProfiles> imported = Failure{FailureId::ParseFailed, QString()};
    switch (*format) {
    case ProfileFormat::Json:
        imported = JsonProfileFormat::importProfiles(data);
        break;
    case ProfileFormat::Msmtp:
        imported = MsmtpProfileFormat::importProfiles(data);
        break;
    case ProfileFormat::Dsn:
        imported = DsnProfileFormat::importProfiles(data);
        break;
    }
    // Running a command from a file someone sent is dangerous: an imported password command
    // stays off until the admin has looked at it and enables it.
    if (imported) {
        for (ConnectionProfile& profile : imported->profiles) {
            if (profile.auth.passwordSource.kind == SecretSourceKind::Command)
                profile.auth.passwordSource.enabled = false;
        }
    }
    return imported;
}

Result<void> ProfileFormats::keepOnly(ImportedProfiles& imported, const QStringList& names)
{
    if (names.isEmpty())
        return {};
    QStringList present;
    for (const ConnectionProfile& profile : std::as_const(imported.profiles))
        present << profile.name.trimmed();
    QStringList missing;
    for (const QString& name : names) {
        if (!present.contains(name.trimmed(), Qt::CaseInsensitive))
            missing << name;
    }
    if (!missing.isEmpty())
        return Failure{
            FailureId::NotFound,
            QCoreApplication::translate("ProfileFormats", "Not in the file: %1. The file has: %2.")
                .arg(missing.join(u", "_s), present.join(u", "_s))};
    imported.profiles.removeIf([&names](const ConnectionProfile& profile) {
        return !names.contains(profile.name.trimmed(), Qt::CaseInsensitive);
    });
    return {};
}

std::optional<ProfileFormat> ProfileFormats::detect(const QByteArray& data)
{
    const QString text = QString::fromUtf8(data);
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'{'))
        return ProfileFormat::Json;

    // The first line that is neither blank nor a comment decides.
    static const QRegularExpression dsnStart(u"^[a-z0-9+.-]+://"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression msmtpCommand(u"^[a-z_]+(\\s|$)"_s);
    const QStringList lines = text.split(u'\n');
    for (const QString& raw : lines) {
        const QString line = DsnProfileFormat::withoutEnvAssignment(raw.trimmed());
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (dsnStart.match(line).hasMatch())
            return ProfileFormat::Dsn;
        if (msmtpCommand.match(line).hasMatch())
            return ProfileFormat::Msmtp;
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace relaydeck
