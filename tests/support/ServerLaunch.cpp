#include "ServerLaunch.h"

#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTest>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

// The launchers' "cannot run here" exit code (proxy_sandbox.EXIT_UNAVAILABLE).
constexpr int exitUnavailable = 77;

} // namespace

QString serversDir()
{
    return QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/tests/support/servers"_s;
}

QString python()
{
    return QFileInfo::exists(u"/usr/bin/python3"_s) ? u"/usr/bin/python3"_s : u"python3"_s;
}

QByteArray readWholeFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void makeSearchable(const QString& path)
{
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                    QFileDevice::ExeOther);
}

std::unique_ptr<QTemporaryDir> makeServerDir(QString& error)
{
    auto dir = std::make_unique<QTemporaryDir>();
    if (!dir->isValid()) {
        error = u"cannot create a temporary folder: "_s + dir->errorString();
        return nullptr;
    }
    makeSearchable(dir->path());
    return dir;
}

QString makeCertificates(const QString& folder, const QStringList& names)
{
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"sh"_s, QStringList{serversDir() + u"/make_certs.sh"_s, folder} + names);
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        return u"make_certs.sh failed (is openssl installed?): "_s +
               QString::fromLocal8Bit(openssl.readAll()) + openssl.errorString();
    }
    return {};
}

LaunchResult launchServer(QProcess& process, const QTemporaryDir& dir, QStringList arguments,
                          const QString& passwordVariable, const QString& password, int timeoutMs)
{
    LaunchResult result;
    const QString readyFile = dir.filePath(u"ready"_s);
    arguments << u"--ready-file"_s << readyFile << u"--exit-with-parent"_s;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(passwordVariable, password);
    environment.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);
    // The launchers import a module beside them: no __pycache__ in the source tree.
    environment.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    // Append mode: Dovecot's log process reopens /dev/stderr; with O_APPEND its writes and the
    // launcher's land one after the other instead of overwriting each other.
    process.setStandardOutputFile(dir.filePath(u"launcher.out"_s), QIODevice::Append);
    process.setStandardErrorFile(dir.filePath(u"server.log"_s), QIODevice::Append);
    process.start(python(), arguments);
    if (!process.waitForStarted(10000)) {
        result.error = u"cannot start %1: %2"_s.arg(python(), process.errorString());
        return result;
    }
    // The launcher writes the ready file atomically once the server answers.
    const bool ready = QTest::qWaitFor(
        [&] { return QFileInfo::exists(readyFile) || process.state() == QProcess::NotRunning; },
        timeoutMs);
    result.announced = readWholeFile(readyFile).trimmed();
    if (ready && !result.announced.isEmpty())
        return result;
    if (process.state() == QProcess::NotRunning && process.exitStatus() == QProcess::NormalExit &&
        process.exitCode() == exitUnavailable)
        result.unavailable = true;
    result.error = (ready ? u"the server exited before it was ready"_s
                          : u"the server was not ready within %1 s"_s.arg(timeoutMs / 1000)) +
                   u"; its log:\n"_s + serverLog(&dir);
    return result;
}

int announcedPort(LaunchResult& result)
{
    if (!result.error.isEmpty())
        return 0;
    const int port = result.announced.toInt();
    if (port <= 0)
        result.error = u"the server announced no port: "_s + QString::fromUtf8(result.announced);
    return port > 0 ? port : 0;
}

QString serverLog(const QTemporaryDir* dir)
{
    return dir ? QString::fromUtf8(readWholeFile(dir->filePath(u"server.log"_s))) : QString();
}

void stopServer(std::unique_ptr<QProcess>& process)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate(); // the launchers stop their servers cleanly on SIGTERM
        if (!process->waitForFinished(20000)) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
    process.reset();
}

} // namespace relaydeck::test
