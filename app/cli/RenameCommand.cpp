#include "RenameCommand.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString RenameCommand::summary() const
{
    return tr("Rename a connection (its secrets stay with it).");
}

void RenameCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"OLD"_s, tr("The connection's current name."));
    parser.addPositionalArgument(u"NEW"_s, tr("The new name."));
}

void RenameCommand::run(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    const std::optional<ConnectionProfile> profile = findProfile(names.at(0));
    if (!profile)
        return;
    const Result<ConnectionProfile> result = library()->rename(profile->id, names.at(1));
    if (!result.ok()) {
        fail(result.failure().message);
        return;
    }
    Console::out(tr("Renamed '%1' to '%2'.").arg(profile->name, names.at(1).trimmed()) + u'\n');
    finish(ExitOk);
}

} // namespace relaydeck::cli
