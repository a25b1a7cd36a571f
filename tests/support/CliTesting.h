#pragma once

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace relaydeck::test {

// Helpers of the integration tests that run relaydeck-cli against real servers.

// The system environment with RELAYDECK_CONFIG_DIR=configDir and no reachable D-Bus session:
// ad-hoc tests need no keychain, so none is reached by accident.
QProcessEnvironment cliEnvironmentWithoutKeychain(const QString& configDir);

// `relaydeck-cli test` of an ad-hoc connection to host:port with `security`, HELO client.test
// and a 15 s timeout, then `extra`; with --password-env passwordVariable when `extra` names a
// user (--user).
QStringList adHocTestArguments(const QString& host, int port, const QString& security,
                               const QStringList& extra, const QString& passwordVariable);
// `extra` with --auth none unless it chooses a mechanism itself.
QStringList withoutAuthUnlessChosen(QStringList extra);

// From a `test --json` report: the stage ids in order, a member of "error", and the lines the
// client sent (transcript direction C).
QStringList stageIds(const QJsonObject& report);
QString errorField(const QJsonObject& report, const QString& key);
QStringList clientLines(const QJsonObject& report);

} // namespace relaydeck::test
