#pragma once

#include "Command.h"

namespace relaydeck::cli {

// logout NAME: deletes the stored OAuth refresh token.
class LogoutCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("logout"); }
    QString synopsis() const override { return QStringLiteral("NAME"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
