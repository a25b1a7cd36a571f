#include "CopyCommand.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString CopyCommand::summary() const
{
    return tr("Copy a connection and its keychain secrets under a new name.");
}

void CopyCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection to copy."));
    parser.addPositionalArgument(u"NEW"_s, tr("The copy's name."));
    parser.addOption({u"without-secrets"_s,
                      tr("Do not copy the keychain secrets (the copy starts without passwords).")});
}

void CopyCommand::run(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    const std::optional<ConnectionProfile> source = findProfile(names.at(0));
    if (!source)
        return;
    const Result<ConnectionProfile> created = library()->copy(
        source->id, names.at(1), !parser.isSet(u"without-secrets"_s), this,
        [this, source](const Result<ConnectionProfile>& copied) {
            if (copied.ok()) {
                Console::out(tr("Copied '%1' to '%2'.").arg(source->name, copied->name) + u'\n');
                finish(ExitOk);
                return;
            }
            fail(copied.failure().message + u'\n' +
                 tr("Nothing was copied (--without-secrets copies the settings only)."));
        });
    if (!created.ok())
        fail(created.failure().message);
}

} // namespace relaydeck::cli
