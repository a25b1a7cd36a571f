#pragma once

#include "Command.h"

namespace relaydeck::cli {

// token NAME: a valid OAuth access token on stdout and nothing else (for scripts and msmtp's
// passwordeval), refreshed when needed.
class TokenCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("token"); }
    QString synopsis() const override { return QStringLiteral("NAME"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
