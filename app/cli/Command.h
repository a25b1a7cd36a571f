#pragma once

#include "Console.h"

#include "library/ProfileLibrary.h"
#include "profile/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace relaydeck::cli {

// One relaydeck-cli command ("list", "add", "test", ...). start() parses the command's own
// arguments with a QCommandLineParser and runs it; finished() is emitted exactly once, possibly
// later from the event loop (keychain, connection test).
class Command : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString name() const = 0;
    virtual QString synopsis() const = 0; // arguments after the name, e.g. "NAME [--json]"
    virtual QString summary() const = 0;  // one line for the command list

    // arguments: the command's own arguments (without the program and command names).
    void start(const QStringList& arguments, const QString& configDir);

    // The command's full help text.
    QString helpText();

signals:
    void finished(int exitCode);

protected:
    // Adds the command's options and positional arguments to the parser.
    virtual void addOptions(QCommandLineParser& parser) = 0;
    // How many positional arguments the command takes.
    virtual int minimumArguments() const { return 0; }
    virtual int maximumArguments() const { return 0; }
    // Runs the command; calls finish() or fail() exactly once, now or later.
    virtual void run(const QCommandLineParser& parser) = 0;

    void finish(int exitCode);
    // Prints "relaydeck-cli <command>: <message>" on stderr and finishes with `exitCode`.
    void fail(const QString& message, int exitCode = ExitError);

    // The store of --config-dir (or the default), loaded; on failure fail() has been called and
    // nullptr is returned.
    ProfileStore* loadStore();
    // The loaded store's profile called `name`; on failure fail() has been called.
    std::optional<ConnectionProfile> findProfile(const QString& name);
    // The same, for a profile that signs in with OAuth (login, token); else fail() was called.
    std::optional<ConnectionProfile> findOAuthProfile(const QString& name);

    // The OS keychain (created on first use).
    SecretStore& secretStore();
    // The profile library of --config-dir over the OS keychain, loaded; on failure fail() has
    // been called and nullptr is returned.
    ProfileLibrary* library();

    QString m_configDir;

private:
    void setupParser(QCommandLineParser& parser);

    std::unique_ptr<SecretStore> m_secretStore;
    std::unique_ptr<ProfileLibrary> m_library;
    bool m_finished = false;
};

} // namespace relaydeck::cli
