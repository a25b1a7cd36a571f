#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaydeck {

// Export/import formats: our JSON, msmtp's msmtprc, and Symfony-style DSNs (one per line).
enum class ProfileFormat
{
    Json,
    Msmtp,
    Dsn
};

QString toString(ProfileFormat format); // json|msmtp|dsn
std::optional<ProfileFormat> profileFormatFromString(const QString& word);

// What an import file holds (Result<ImportedProfiles>; a malformed file is a "parse-failed"
// Failure whose message says what is wrong and where, by line or field).
struct ImportedProfiles
{
    // Names as found in the file. Ids: the one the file names (our JSON's id, our msmtp
    // export's passwordeval line), which keys the keychain entries already there, else fresh.
    QList<ConnectionProfile> profiles;
    QStringList unmapped; // what could not be mapped ("line 7: tls_crl_file ...")
    ProfileFormat detectedFormat = ProfileFormat::Json;
};

class ProfileFormats
{
public:
    // Never writes a secret. msmtp output uses passwordeval with secret-tool so it works as is.
    static QByteArray exportProfiles(const QList<ConnectionProfile>& profiles,
                                     ProfileFormat format);
    // format nullopt: detect from the content.
    static Result<ImportedProfiles> importProfiles(const QByteArray& data,
                                                   std::optional<ProfileFormat> format);
    static std::optional<ProfileFormat> detect(const QByteArray& data);
    // Keeps only the profiles named in `names` (compared ignoring case; empty: keep all). A
    // name the file does not have is a "not-found" Failure naming it and the names there are.
    static Result<void> keepOnly(ImportedProfiles& imported, const QStringList& names);
};

} // namespace relaydeck
