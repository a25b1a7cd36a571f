#include "CommandLine.h"

#include "AddCommand.h"
#include "CopyCommand.h"
#include "DetectCommand.h"
#include "ExportCommand.h"
#include "ImportCommand.h"
#include "ListCommand.h"
#include "LoginCommand.h"
#include "LogoutCommand.h"
#include "PresetsCommand.h"
#include "RemoveCommand.h"
#include "RenameCommand.h"
#include "SetCommand.h"
#include "ShowCommand.h"
#include "TestCommand.h"
#include "TokenCommand.h"

#include <QCoreApplication>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

CommandLine::CommandLine(QStringList arguments, QObject* parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
{
    m_commands.push_back(std::make_unique<ListCommand>());
    m_commands.push_back(std::make_unique<ShowCommand>());
    m_commands.push_back(std::make_unique<PresetsCommand>());
    m_commands.push_back(std::make_unique<AddCommand>());
    m_commands.push_back(std::make_unique<SetCommand>());
    m_commands.push_back(std::make_unique<RenameCommand>());
    m_commands.push_back(std::make_unique<CopyCommand>());
    m_commands.push_back(std::make_unique<RemoveCommand>());
    m_commands.push_back(std::make_unique<TestCommand>());
    m_commands.push_back(std::make_unique<ExportCommand>());
    m_commands.push_back(std::make_unique<ImportCommand>());
    m_commands.push_back(std::make_unique<DetectCommand>());
    m_commands.push_back(std::make_unique<LoginCommand>());
    m_commands.push_back(std::make_unique<LogoutCommand>());
    m_commands.push_back(std::make_unique<TokenCommand>());
}

CommandLine::~CommandLine() = default;

QString CommandLine::usage() const
{
    QString text = tr("Usage: relaydeck-cli [--config-dir DIR] COMMAND [ARGS]") + u"\n\n"_s +
                   tr("Relaydeck keeps named SMTP connections, their secrets in the OS keychain, "
                      "and tests them.") +
                   u"\n\n"_s + tr("Commands:") + u'\n';
    for (const auto& command : m_commands)
        text +=
            u"  %1 %2\n      %3\n"_s.arg(command->name(), command->synopsis(), command->summary());
    text += u'\n' +
            tr("CONN options: --host H --port N --security none|starttls|tls|auto --auth MECH "
               "--user U "
               "--password-stdin | --password-env VAR --ca-file PEM --pin SHA256 --no-verify "
               "--tls-min 1.0|1.1|1.2|1.3 --tls-max 1.0|1.1|1.2|1.3|any --helo NAME --timeout "
               "SECONDS --from ADDR "
               "--proxy "
               "none|system|socks5://[user@]host:port|http://[user@]host:port "
               "--proxy-password-env VAR --allow-plaintext-auth") +
            u"\n\n"_s +
            tr("A secret never goes on the command line. Exit codes: 0 success, 1 the test ran "
               "and failed, 2 bad usage, bad input, or a storage/keychain error (nothing "
               "changed).") +
            u"\n"_s + tr("'relaydeck-cli COMMAND --help' describes each command.") + u'\n';
    return text;
}

void CommandLine::start()
{
    // Global options come before the command; the command's own parser takes the rest.
    QString configDir;
    qsizetype index = 1;
    while (index < m_arguments.size()) {
        const QString& argument = m_arguments.at(index);
        if (argument == u"--config-dir"_s || argument == u"-config-dir"_s) {
            if (index + 1 >= m_arguments.size()) {
                Console::err(u"relaydeck-cli: "_s + tr("--config-dir needs a folder") + u'\n');
                emit finished(ExitError);
                return;
            }
            configDir = m_arguments.at(index + 1);
            index += 2;
        } else if (argument.startsWith(u"--config-dir="_s)) {
            configDir = argument.mid(argument.indexOf(u'=') + 1);
            ++index;
        } else if (argument == u"--help"_s || argument == u"-h"_s || argument == u"help"_s) {
            // "help COMMAND" shows that command's help.
            if (argument == u"help"_s && index + 1 < m_arguments.size()) {
                for (const auto& command : m_commands) {
                    if (command->name() == m_arguments.at(index + 1)) {
                        Console::out(command->helpText());
                        emit finished(ExitOk);
                        return;
                    }
                }
            }
            Console::out(usage());
            emit finished(ExitOk);
            return;
        } else if (argument == u"--version"_s || argument == u"-v"_s) {
            Console::out(u"relaydeck-cli " RELAYDECK_VERSION "\n"_s);
            emit finished(ExitOk);
            return;
        } else {
            break;
        }
    }
    if (index >= m_arguments.size()) {
        Console::err(usage());
        emit finished(ExitError);
        return;
    }
    const QString name = m_arguments.at(index);
    for (const auto& command : m_commands) {
        if (command->name() == name) {
            connect(command.get(), &Command::finished, this, &CommandLine::finished);
            command->start(m_arguments.mid(index + 1), configDir);
            return;
        }
    }
    Console::err(u"relaydeck-cli: "_s +
                 tr("unknown command '%1'; 'relaydeck-cli --help' lists the commands").arg(name) +
                 u'\n');
    emit finished(ExitError);
}

} // namespace relaydeck::cli
