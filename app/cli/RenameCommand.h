#pragma once

#include "Command.h"

namespace relaydeck::cli {

// rename OLD NEW: the id stays, so the keychain entries stay with it.
class RenameCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("rename"); }
    QString synopsis() const override { return QStringLiteral("OLD NEW"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 2; }
    int maximumArguments() const override { return 2; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
