#pragma once

#include "Command.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace relaydeck::cli {

// relaydeck-cli [--config-dir DIR] COMMAND [ARGS]: picks the command and runs it. finished()
// carries the process exit code.
class CommandLine : public QObject
{
    Q_OBJECT

public:
    explicit CommandLine(QStringList arguments, QObject* parent = nullptr);
    ~CommandLine() override;

    // Starts the command; finished() follows, possibly from the event loop.
    void start();

signals:
    void finished(int exitCode);

private:
    QString usage() const;

    QStringList m_arguments;
    std::vector<std::unique_ptr<Command>> m_commands;
};

} // namespace relaydeck::cli
