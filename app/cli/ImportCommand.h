#pragma once

#include "Command.h"

namespace relaydeck::cli {

// import FILE [--format auto|json|msmtp|dsn] [--on-conflict fail|skip|rename|replace]
//             [--only NAME[,NAME...]]
class ImportCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("import"); }
    QString synopsis() const override
    {
        return QStringLiteral(
            "FILE [--format auto|json|msmtp|dsn] [--on-conflict fail|skip|rename|replace] "
            "[--only NAME[,NAME...]]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;

private:
    // Names the imported profiles whose password is not in the keychain yet (those that keep
    // the keychain entry of our own export need none), then finishes.
    void adviseMissingPasswords(const QList<ConnectionProfile>& profiles);
};

} // namespace relaydeck::cli
