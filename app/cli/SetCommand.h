#pragma once

#include "Command.h"

namespace relaydeck::cli {

// set NAME [CONN]: change a stored connection; passwords given go to the keychain.
class SetCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("set"); }
    QString synopsis() const override { return QStringLiteral("NAME [CONN]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
