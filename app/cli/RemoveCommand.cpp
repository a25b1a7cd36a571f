#include "RemoveCommand.h"

#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"

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
    ProfileStore* store = loadStore();
    const Result<void> result = store->remove(profile->id);
    if (!result.ok()) {
        fail(result.failure().message);
        return;
    }
    const auto done = [this, profile] {
        Console::out(tr("Removed '%1'.").arg(profile->name) + u'\n');
        finish(ExitOk);
    };
    if (parser.isSet(u"keep-secrets"_s)) {
        done();
        return;
    }
    const bool needsKeychain = ProfileSecretNeeds::mayHaveSecrets(*profile);
    ProfileSecrets::remove(
        secretStore(), profile->id, this,
        [this, store, profile, done, needsKeychain](const Result<ProfileSecretValues>& removed) {
            if (removed.ok()) {
                done();
                return;
            }
            if (!needsKeychain) {
                // Nothing of this profile can be in the keychain; do not block on a keyring
                // that is not there.
                Console::err(tr("Warning: %1").arg(removed.failure().message) + u'\n');
                done();
                return;
            }
            store->add(*profile); // nothing changed: the same profile, same id, back in place
            fail(removed.failure().message + u'\n' +
                 tr("'%1' was not removed (--keep-secrets removes it and leaves the keychain "
                    "alone).")
                     .arg(profile->name));
        });
}

} // namespace relaydeck::cli
