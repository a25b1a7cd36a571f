#pragma once

#include "Command.h"

namespace relaydeck::cli {

// add NAME [--preset ID] [--region R] [CONN]: a new connection; passwords given with
// --password-stdin/--password-env/--proxy-password-env go to the keychain.
class AddCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("add"); }
    QString synopsis() const override
    {
        return QStringLiteral("NAME [--preset ID] [--region R] [CONN]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
