#pragma once

#include "Command.h"

namespace relaydeck::cli {

// import FILE [--format auto|json|msmtp|dsn] [--on-conflict fail|skip|rename|replace]
class ImportCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("import"); }
    QString synopsis() const override
    {
        return QStringLiteral(
            "FILE [--format auto|json|msmtp|dsn] [--on-conflict fail|skip|rename|replace]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
