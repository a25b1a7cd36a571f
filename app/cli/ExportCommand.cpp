#include "ExportCommand.h"

#include "profile/ProfileFormats.h"

#include <QCoreApplication>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString ExportCommand::summary() const
{
    return tr("Export connections (all, or the ones named) without any secret.");
}

void ExportCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("Connections to export (default: all)."),
                                 u"[NAME...]"_s);
    parser.addOptions({
        {u"format"_s, tr("json (default), msmtp (an msmtprc) or dsn (one Symfony DSN per line)."),
         u"FORMAT"_s, u"json"_s},
        {{u"output"_s, u"o"_s}, tr("Write to FILE instead of standard output."), u"FILE"_s},
    });
}

void ExportCommand::run(const QCommandLineParser& parser)
{
    const auto format = profileFormatFromString(parser.value(u"format"_s));
    if (!format) {
        fail(tr("--format: expected json, msmtp or dsn, not '%1'").arg(parser.value(u"format"_s)));
        return;
    }
    ProfileStore* store = loadStore();
    if (!store)
        return;
    QList<ConnectionProfile> profiles;
    if (parser.positionalArguments().isEmpty()) {
        profiles = store->profiles();
    } else {
        for (const QString& name : parser.positionalArguments()) {
            const std::optional<ConnectionProfile> profile = findProfile(name);
            if (!profile)
                return;
            if (!profiles.contains(*profile))
                profiles << *profile;
        }
    }
    const QByteArray data = ProfileFormats::exportProfiles(profiles, *format);

    if (!parser.isSet(u"output"_s) || parser.value(u"output"_s) == u"-"_s) {
        Console::out(QString::fromUtf8(data));
        finish(ExitOk);
        return;
    }
    const QString path = parser.value(u"output"_s);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        fail(tr("cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    Console::err(tr("Exported %n connection(s) to %1.", nullptr, int(profiles.size())).arg(path) +
                 u'\n');
    finish(ExitOk);
}

} // namespace relaydeck::cli
