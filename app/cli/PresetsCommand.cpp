#include "PresetsCommand.h"

#include "profile/Presets.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

// Wraps `text` at `width` columns, each line indented by `indent`.
QString wrapped(const QString& text, int indent, int width = 78)
{
    QString result;
    QString line;
    const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
    for (const QString& word : words) {
        if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
            result += QString(indent, u' ') + line + u'\n';
            line.clear();
        }
        line += (line.isEmpty() ? QString() : u" "_s) + word;
    }
    if (!line.isEmpty())
        result += QString(indent, u' ') + line + u'\n';
    return result;
}

} // namespace

QString PresetsCommand::summary() const
{
    return tr("List the provider presets for 'add --preset ID'.");
}

void PresetsCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({u"json"_s, tr("Print the presets as a JSON array.")});
}

void PresetsCommand::run(const QCommandLineParser& parser)
{
    if (!Presets::loadError().isEmpty()) {
        fail(Presets::loadError());
        return;
    }
    if (parser.isSet(u"json"_s)) {
        QJsonArray array;
        for (const Preset& preset : Presets::all()) {
            QJsonArray alternatives;
            for (const PresetAlternative& alternative : preset.alternatives)
                alternatives.append(QJsonObject{{u"port"_s, alternative.port},
                                                {u"security"_s, toString(alternative.security)}});
            QJsonObject object{
                {u"id"_s, preset.id},
                {u"name"_s, preset.displayName},
                {u"host"_s, preset.host},
                {u"port"_s, preset.port},
                {u"security"_s, toString(preset.security)},
                {u"tlsMinVersion"_s, toString(preset.tlsMinimumVersion)},
                {u"mechanism"_s, toString(preset.mechanism)},
                {u"username"_s, preset.username},
                {u"alternatives"_s, alternatives},
                {u"note"_s, preset.note},
            };
            if (preset.needsRegion()) {
                object.insert(u"regions"_s, QJsonArray::fromStringList(preset.regions));
                object.insert(u"defaultRegion"_s, preset.defaultRegion);
            }
            array.append(object);
        }
        Console::out(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
        finish(ExitOk);
        return;
    }
    QString text;
    for (const Preset& preset : Presets::all()) {
        QString server = preset.host.isEmpty() ? tr("(your server)") : preset.host;
        server += u":%1 %2"_s.arg(preset.port).arg(toString(preset.security));
        for (const PresetAlternative& alternative : preset.alternatives)
            server += tr(", or %1 %2").arg(alternative.port).arg(toString(alternative.security));
        text += u"%1  %2\n"_s.arg(preset.id.leftJustified(10), preset.displayName);
        text += u"            %1\n"_s.arg(server);
        if (!preset.username.isEmpty())
            text += u"            "_s + tr("user: %1").arg(preset.username) + u'\n';
        if (preset.needsRegion())
            text += wrapped(tr("--region (default %1): %2")
                                .arg(preset.defaultRegion, preset.regions.join(u", "_s)),
                            12);
        text += wrapped(preset.note, 12) + u'\n';
    }
    Console::out(text);
    finish(ExitOk);
}

} // namespace relaydeck::cli
