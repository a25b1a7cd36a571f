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

ImportResult JsonProfileFormat::importProfiles(const QByteArray& data)
{
    ImportResult result;
    result.detectedFormat = ProfileFormat::Json;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report the line as people count it, from the byte offset Qt gives.
        const int offset = qBound(0, parseError.offset, int(data.size()));
        const int line = int(data.left(offset).count('\n')) + 1;
        result.error =
            Text::tr("line %1: not valid JSON (%2)").arg(line).arg(parseError.errorString());
        return result;
    }
    if (!document.isObject()) {
        result.error =
            Text::tr("the document must be a JSON object with \"format\", \"version\" and "
                     "\"profiles\"");
        return result;
    }
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != formatName) {
        result.error = Text::tr("format: expected \"%1\", found \"%2\"")
                           .arg(formatName, root.value(u"format"_s).toVariant().toString());
        return result;
    }
    const QJsonValue version = root.value(u"version"_s);
    if (!version.isDouble() || version.toDouble() != double(version.toInt()) ||
        version.toInt() < 1) {
        result.error = Text::tr("version: must be a whole number of at least 1");
        return result;
    }
    if (version.toInt() > currentVersion) {
        result.error =
            Text::tr("version: the file is version %1, this Relaydeck reads version %2 or "
                     "older; update Relaydeck to import it")
                .arg(version.toInt())
                .arg(currentVersion);
        return result;
    }
    const QJsonValue profiles = root.value(u"profiles"_s);
    if (!profiles.isArray()) {
        result.error = Text::tr("profiles: must be an array");
        return result;
    }
    const QJsonArray array = profiles.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            result.error = Text::tr("profiles[%1]: must be an object").arg(i);
            result.profiles.clear();
            return result;
        }
        QString error;
        auto profile = ProfileJson::fromJson(array.at(i).toObject(), &error);
        if (!profile) {
            result.error = u"profiles[%1].%2"_s.arg(i).arg(error);
            result.profiles.clear();
            return result;
        }
        profile->id = QUuid::createUuid(); // imported profiles are new profiles
        result.profiles << *profile;
    }
    result.ok = true;
    return result;
}

} // namespace relaydeck
