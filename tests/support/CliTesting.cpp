#include "CliTesting.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

QProcessEnvironment cliEnvironmentWithoutKeychain(const QString& configDir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir);
    environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
    return environment;
}

QStringList adHocTestArguments(const QString& host, int port, const QString& security,
                               const QStringList& extra, const QString& passwordVariable)
{
    QStringList arguments = {
        u"test"_s,       u"--host"_s, host,        u"--port"_s,      QString::number(port),
        u"--security"_s, security,    u"--helo"_s, u"client.test"_s, u"--timeout"_s,
        u"15"_s};
    if (extra.contains(u"--user"_s))
        arguments << u"--password-env"_s << passwordVariable;
    return arguments + extra;
}

QStringList withoutAuthUnlessChosen(QStringList extra)
{
    if (!extra.contains(u"--auth"_s))
        extra << u"--auth"_s << u"none"_s;
    return extra;
}

QStringList stageIds(const QJsonObject& report)
{
    QStringList ids;
    const QJsonArray stages = report.value(u"stages"_s).toArray();
    for (const QJsonValue& stage : stages)
        ids << stage.toObject().value(u"id"_s).toString();
    return ids;
}

QString errorField(const QJsonObject& report, const QString& key)
{
    return report.value(u"error"_s).toObject().value(key).toString();
}

QStringList clientLines(const QJsonObject& report)
{
    QStringList lines;
    const QJsonArray transcript = report.value(u"transcript"_s).toArray();
    for (const QJsonValue& value : transcript) {
        if (value.toObject().value(u"dir"_s).toString() == u"C"_s)
            lines << value.toObject().value(u"line"_s).toString();
    }
    return lines;
}

} // namespace relaydeck::test
