#pragma once

#include "Command.h"

namespace relaydeck::cli {

// list [--json]: the stored connections, as a table or as an array of profile objects.
class ListCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("list"); }
    QString synopsis() const override { return QStringLiteral("[--json]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
