#pragma once

#include "Command.h"

namespace relaydeck::cli {

// show NAME [--json]: one connection, readable or as its profile object exactly as in the file.
class ShowCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("show"); }
    QString synopsis() const override { return QStringLiteral("NAME [--json]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
