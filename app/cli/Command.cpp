#include "Command.h"

#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

void Command::setupParser(QCommandLineParser& parser)
{
    parser.setApplicationDescription(summary());
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption(
        QCommandLineOption(u"config-dir"_s,
                           tr("Keep connections.json in DIR (default: $RELAYDECK_CONFIG_DIR, else "
                              "the platform's config folder)."),
                           u"DIR"_s));
    addOptions(parser);
}

QString Command::helpText()
{
    QCommandLineParser parser;
    setupParser(parser);
    QString text = parser.helpText();
    // Qt names the program only; name the command too.
    const QString program = u"relaydeck-cli"_s;
    const qsizetype usage = text.indexOf(u"Usage: "_s);
    if (usage >= 0) {
        const qsizetype lineEnd = text.indexOf(u'\n', usage);
        text.replace(usage, lineEnd - usage,
                     tr("Usage: %1 [--config-dir DIR] %2 %3").arg(program, name(), synopsis()));
    }
    return text;
}

void Command::start(const QStringList& arguments, const QString& configDir)
{
    m_configDir = configDir;
    QCommandLineParser parser;
    setupParser(parser);
    if (!parser.parse(QStringList{name()} + arguments)) {
        fail(parser.errorText() + u"\n"_s + tr("Try '%1 --help'.").arg(name()));
        return;
    }
    if (parser.isSet(u"help"_s)) {
        Console::out(helpText());
        finish(ExitOk);
        return;
    }
    if (parser.isSet(u"config-dir"_s))
        m_configDir = parser.value(u"config-dir"_s);
    const qsizetype count = parser.positionalArguments().size();
    if (count < minimumArguments()) {
        fail(tr("missing arguments; usage: %1 %2").arg(name(), synopsis()));
        return;
    }
    if (count > maximumArguments()) {
        fail(tr("unexpected argument '%1'; usage: %2 %3")
                 .arg(parser.positionalArguments().at(maximumArguments()), name(), synopsis()));
        return;
    }
    run(parser);
}

void Command::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(exitCode);
}

void Command::fail(const QString& message, int exitCode)
{
    Console::err(u"relaydeck-cli %1: %2\n"_s.arg(name(), message));
    finish(exitCode);
}

ProfileStore* Command::loadStore()
{
    ProfileLibrary* loaded = library();
    return loaded ? &loaded->store() : nullptr;
}

ProfileLibrary* Command::library()
{
    if (!m_library) {
        // KeychainSecretStore talks to the keychain only when an operation asks it.
        m_library = std::make_unique<ProfileLibrary>(m_configDir, secretStore());
        const Result<void> result = m_library->load();
        if (!result.ok()) {
            m_library.reset();
            fail(result.failure().message);
            return nullptr;
        }
    }
    return m_library.get();
}

std::optional<ConnectionProfile> Command::findProfile(const QString& name)
{
    ProfileStore* store = loadStore();
    if (!store)
        return std::nullopt;
    std::optional<ConnectionProfile> profile = store->findByName(name);
    if (!profile) {
        QStringList names;
        for (const ConnectionProfile& known : store->profiles())
            names << known.name;
        fail(names.isEmpty()
                 ? tr("no connection called '%1' (there are no connections yet; see 'add')")
                       .arg(name)
                 : tr("no connection called '%1'; known: %2").arg(name, names.join(u", "_s)));
    }
    return profile;
}

std::optional<ConnectionProfile> Command::findOAuthProfile(const QString& name)
{
    std::optional<ConnectionProfile> profile = findProfile(name);
    if (profile && !profile->usesOAuthSignIn()) {
        fail(tr("'%1' does not sign in with OAuth (set --oauth-provider and --auth xoauth2 or "
                "oauthbearer)")
                 .arg(profile->name));
        return std::nullopt;
    }
    return profile;
}

SecretStore& Command::secretStore()
{
    if (!m_secretStore)
        m_secretStore = std::make_unique<KeychainSecretStore>();
    return *m_secretStore;
}

} // namespace relaydeck::cli
