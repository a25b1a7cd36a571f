#include "RemoveCommand.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString RemoveCommand::summary() const
{
    return tr("Remove a connection and its keychain secrets.");
}

void RemoveCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection to remove."));
    parser.addOption({u"keep-secrets"_s,
                      tr("Leave its keychain entries alone (e.g. when no keyring is reachable).")});
}

void RemoveCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> profile =
        findProfile(parser.positionalArguments().first());
    if (!profile)
        return;
    const Result<RemovedProfile> removed = library()->remove(
        profile->id, parser.isSet(u"keep-secrets"_s), this,
        [this, profile](const Result<RemovedProfile>& gone) {
            if (!gone.ok()) {
                fail(gone.failure().message + u'\n' +
                     tr("'%1' was not removed (--keep-secrets removes it and leaves the keychain "
                        "alone).")
                         .arg(profile->name));
                return;
            }
            if (!gone->keychainWarning.isEmpty())
                Console::err(tr("Warning: %1").arg(gone->keychainWarning) + u'\n');
            Console::out(tr("Removed '%1'.").arg(profile->name) + u'\n');
            finish(ExitOk);
        });
    if (!removed.ok())
        fail(removed.failure().message);
}

} // namespace relaydeck::cli
