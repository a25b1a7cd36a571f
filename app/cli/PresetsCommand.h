#pragma once

#include "Command.h"

namespace relaydeck::cli {

// presets [--json]: the built-in provider presets with their notes.
class PresetsCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("presets"); }
    QString synopsis() const override { return QStringLiteral("[--json]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace relaydeck::cli
