#pragma once

#include "Command.h"

namespace relaydeck::cli {

// remove NAME: the connection and its keychain secrets.
class RemoveCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("remove"); }
    QString synopsis() const override { return QStringLiteral("NAME [--keep-secrets]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
