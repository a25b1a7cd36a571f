#pragma once

#include "Command.h"

namespace relaydeck::cli {

// export [NAME...] [--format json|msmtp|dsn] [--output FILE]: never a secret.
class ExportCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("export"); }
    QString synopsis() const override
    {
        return QStringLiteral("[NAME...] [--format json|msmtp|dsn] [--output FILE]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int maximumArguments() const override { return 100000; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
