#include "CopyCommand.h"

#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"

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
    ProfileStore* store = loadStore();
    const Result<ConnectionProfile> copied = store->copy(source->id, names.at(1));
    if (!copied.ok()) {
        fail(copied.failure().message);
        return;
    }
    const ConnectionProfile created = copied.value();
    const auto done = [this, source, created] {
        Console::out(tr("Copied '%1' to '%2'.").arg(source->name, created.name) + u'\n');
        finish(ExitOk);
    };
    if (parser.isSet(u"without-secrets"_s) || !ProfileSecretNeeds::mayHaveSecrets(*source)) {
        done();
        return;
    }
    ProfileSecrets::copy(secretStore(), source->id, created.id, this,
                         [this, store, created, done](const Result<ProfileSecretValues>& copied) {
                             if (copied.ok()) {
                                 done();
                                 return;
                             }
                             store->remove(created.id); // nothing changed
                             fail(copied.failure().message + u'\n' +
                                  tr("Nothing was copied (--without-secrets copies the settings "
                                     "only)."));
                         });
}

} // namespace relaydeck::cli
