#include "profile/JsonProfileFormat.h"

#include "profile/ProfileJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "JsonProfileFormat" (lupdate files
// Text::tr() there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(JsonProfileFormat)
};

const QString formatName = u"relaydeck-profiles"_s;

} // namespace

QByteArray JsonProfileFormat::exportProfiles(const QList<ConnectionProfile>& profiles)
{
    QJsonArray array;
    for (const ConnectionProfile& profile : profiles)
        array.append(ProfileJson::toJson(profile));
    const QJsonObject document{
        {u"format"_s, formatName},
        {u"version"_s, currentVersion},
        {u"profiles"_s, array},
    };
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

Result<ImportedProfiles> JsonProfileFormat::importProfiles(const QByteArray& data)
{
    ImportedProfiles result;
    result.detectedFormat = ProfileFormat::Json;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report the line as people count it, from the byte offset Qt gives.
        const int offset = qBound(0, parseError.offset, int(data.size()));
        const int line = int(data.left(offset).count('\n')) + 1;
        return Failure{
            FailureId::ParseFailed,
            Text::tr("line %1: not valid JSON (%2)").arg(line).arg(parseError.errorString())};
    }
    if (!document.isObject()) {
        return Failure{
            FailureId::ParseFailed,
            Text::tr("the document must be a JSON object with \"format\", \"version\" and "
                     "\"profiles\"")};
    }
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != formatName) {
        return Failure{FailureId::ParseFailed,
                       Text::tr("format: expected \"%1\", found \"%2\"")
                           .arg(formatName, root.value(u"format"_s).toVariant().toString())};
    }
    const QJsonValue version = root.value(u"version"_s);
    if (!version.isDouble() || version.toDouble() != double(version.toInt()) ||
        version.toInt() < 1) {
        return Failure{FailureId::ParseFailed,
                       Text::tr("version: must be a whole number of at least 1")};
    }
    if (version.toInt() > currentVersion) {
        return Failure{
            FailureId::ParseFailed,
            Text::tr("version: the file is version %1, this Relaydeck reads version %2 or "
                     "older; update Relaydeck to import it")
                .arg(version.toInt())
                .arg(currentVersion)};
    }
    const QJsonValue profiles = root.value(u"profiles"_s);
    if (!profiles.isArray()) {
        return Failure{FailureId::ParseFailed, Text::tr("profiles: must be an array")};
    }
    const QJsonArray array = profiles.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            return Failure{FailureId::ParseFailed,
                           Text::tr("profiles[%1]: must be an object").arg(i)};
        }
        Result<ConnectionProfile> profile = ProfileJson::fromJson(array.at(i).toObject());
        if (!profile) {
            return Failure{FailureId::ParseFailed,
                           u"profiles[%1].%2"_s.arg(i).arg(profile.failure().message)};
        }
        // The id keys the profile's keychain entries: kept so a re-import finds them again
        // (ProfileStore gives a new id when one in the store has it already).
        if (profile->id.isNull())
            profile->id = QUuid::createUuid();
        result.profiles << *profile;
    }
    return result;
}

} // namespace relaydeck
