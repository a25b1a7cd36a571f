#include "SetCommand.h"

#include "ConnectionOptions.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString SetCommand::summary() const
{
    return tr("Change a stored connection (only the options given).");
}

void SetCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection's name (any case)."));
    ConnectionOptions::addTo(parser);
}

void SetCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> original =
        findProfile(parser.positionalArguments().first());
    if (!original)
        return;
    ProfileStore* store = loadStore();

    ConnectionProfile updated = *original;
    const Result<QMap<SecretSlot, QString>> options =
        ConnectionOptions::applyAndReadSecrets(parser, updated);
    if (!options) {
        fail(options.failure().message);
        return;
    }
    const QMap<SecretSlot, QString>& secrets = options.value();
    if (secrets.contains(SecretSlot::SmtpPassword) && !updated.usesAuthentication()) {
        fail(tr("a password was given but the connection has no user name: add --user"));
        return;
    }
    if (const Result<void> stored = ConnectionOptions::checkStoredPassword(updated, secrets);
        !stored) {
        fail(stored.failure().message);
        return;
    }
    const ValidationIssues issues = store->validate(updated);
    if (!issues.isEmpty()) {
        fail(tr("'%1' was not changed:\n%2").arg(original->name, formatIssues(issues)));
        return;
    }
    if (updated == *original && secrets.isEmpty()) {
        Console::out(tr("Nothing to change in '%1'.").arg(original->name) + u'\n');
        finish(ExitOk);
        return;
    }
    const bool withSecrets = !secrets.isEmpty();
    const Result<ConnectionProfile> result = library()->save(
        updated, secrets, this,
        [this, original, withSecrets](const Result<ConnectionProfile>& saved) {
            if (!saved.ok()) {
                fail(saved.failure().message + u'\n' +
                     tr("'%1' was not changed.").arg(original->name));
                return;
            }
            Console::out(tr("Updated '%1'.").arg(saved->name) +
                         (withSecrets ? u' ' + tr("The keychain holds its secrets.") : QString()) +
                         u'\n');
            finish(ExitOk);
        });
    if (!result.ok())
        fail(result.failure().message);
}

} // namespace relaydeck::cli
