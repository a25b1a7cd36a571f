#pragma once

#include "Command.h"

namespace relaydeck::cli {

// copy NAME NEW: a new connection with a new id; the keychain entries are copied too.
class CopyCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("copy"); }
    QString synopsis() const override { return QStringLiteral("NAME NEW [--without-secrets]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 2; }
    int maximumArguments() const override { return 2; }
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
