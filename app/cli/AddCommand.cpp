#include "AddCommand.h"

#include "ConnectionOptions.h"
#include "profile/Presets.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString AddCommand::summary() const
{
    return tr("Add a connection, optionally from a provider preset.");
}

void AddCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The new connection's name (unique, any case)."));
    parser.addOptions({
        {u"preset"_s, tr("Start from this preset (see 'presets')."), u"ID"_s},
        {u"region"_s, tr("Region for presets that have regions (Amazon SES)."), u"R"_s},
    });
    ConnectionOptions::addTo(parser);
}

void AddCommand::run(const QCommandLineParser& parser)
{
    ProfileStore* store = loadStore();
    if (!store)
        return;

    ConnectionProfile profile;
    QString note;
    if (parser.isSet(u"preset"_s)) {
        const Result<ConnectionProfile> fromPreset =
            Presets::apply(parser.value(u"preset"_s), parser.value(u"region"_s));
        if (!fromPreset.ok()) {
            fail(fromPreset.failure().message);
            return;
        }
        profile = fromPreset.value();
        note = Presets::find(profile.preset)->note;
    } else if (parser.isSet(u"region"_s)) {
        fail(tr("--region needs --preset (e.g. --preset ses --region eu-west-1)"));
        return;
    }
    profile.name = parser.positionalArguments().first();

    const Result<QMap<SecretSlot, QString>> options =
        ConnectionOptions::applyAndReadSecrets(parser, profile);
    if (!options) {
        fail(options.failure().message);
        return;
    }
    const QMap<SecretSlot, QString>& secrets = options.value();
    if (secrets.contains(SecretSlot::SmtpPassword) && !profile.usesAuthentication()) {
        fail(tr("a password was given but no user name: add --user"));
        return;
    }
    if (const Result<void> stored = ConnectionOptions::checkStoredPassword(profile, secrets);
        !stored) {
        fail(stored.failure().message);
        return;
    }
    const ValidationIssues issues = store->validate(profile);
    if (!issues.isEmpty()) {
        fail(tr("the connection was not added:\n%1").arg(formatIssues(issues)));
        return;
    }
    const Result<ConnectionProfile> added = library()->save(
        profile, secrets, this,
        [this, note, name = profile.name.trimmed()](const Result<ConnectionProfile>& saved) {
            if (!saved.ok()) {
                fail(saved.failure().message + u'\n' +
                     tr("The connection '%1' was not added.").arg(name));
                return;
            }
            Console::out(tr("Added '%1' (%2:%3, %4).")
                             .arg(saved->name, saved->host)
                             .arg(saved->effectivePort())
                             .arg(toString(saved->security)) +
                         u'\n');
            if (!note.isEmpty())
                Console::out(tr("Note: %1").arg(note) + u'\n');
            finish(ExitOk);
        });
    if (!added.ok())
        fail(added.failure().message);
}

} // namespace relaydeck::cli
