#include "ProxyServers.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

const QString passwordVariable = u"RELAYDECK_PROXY_SERVER_PASSWORD"_s;
// The launchers' "cannot run here" exit code (proxy_sandbox.EXIT_UNAVAILABLE).
constexpr int exitUnavailable = 77;

QString serversDir()
{
    return QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/tests/support/servers"_s;
}

// Debian's python3, as in RealServers.cpp: a pyenv or virtualenv first on PATH lacks aiosmtpd.
QString python()
{
    return QFileInfo::exists(u"/usr/bin/python3"_s) ? u"/usr/bin/python3"_s : u"python3"_s;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Proxies drop to "nobody" as root: they must be able to pass through our temporary folder.
void makeSearchable(const QString& path)
{
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                    QFileDevice::ExeOther);
}

struct LaunchResult
{
    int port = 0;
    bool unavailable = false;
    QString error;
};

// Starts one of our Python launchers with --ready-file and --exit-with-parent, its output in
// dir/launcher.out and dir/server.log, and waits (bounded) for the port it announces.
LaunchResult launch(QProcess& process, const QTemporaryDir& dir, QStringList arguments,
                    const QString& password, int timeoutMs)
{
    LaunchResult result;
    const QString readyFile = dir.filePath(u"ready"_s);
    arguments << u"--ready-file"_s << readyFile << u"--exit-with-parent"_s;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(passwordVariable, password);
    environment.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);
    environment.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(dir.filePath(u"launcher.out"_s));
    process.setStandardErrorFile(dir.filePath(u"server.log"_s));
    process.start(python(), arguments);
    if (!process.waitForStarted(10000)) {
        result.error = u"cannot start %1: %2"_s.arg(python(), process.errorString());
        return result;
    }
    // The launcher writes the ready file atomically once the server answers.
    const bool ready = QTest::qWaitFor(
        [&] { return QFileInfo::exists(readyFile) || process.state() == QProcess::NotRunning; },
        timeoutMs);
    const QByteArray announced = readFile(readyFile).trimmed();
    if (ready && !announced.isEmpty()) {
        result.port = announced.toInt();
        if (result.port <= 0)
            result.error = u"the server announced no port: "_s + QString::fromUtf8(announced);
        return result;
    }
    if (process.state() == QProcess::NotRunning && process.exitStatus() == QProcess::NormalExit &&
        process.exitCode() == exitUnavailable)
        result.unavailable = true;
    result.error = (ready ? u"the server exited before it was ready"_s
                          : u"the server was not ready within %1 s"_s.arg(timeoutMs / 1000)) +
                   u"; its log:\n"_s + QString::fromUtf8(readFile(dir.filePath(u"server.log"_s)));
    return result;
}

void stopProcess(std::unique_ptr<QProcess>& process)
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

} // namespace

// --- ProxyServer ------------------------------------------------------------------------------

ProxyServer::ProxyServer() = default;

ProxyServer::~ProxyServer()
{
    stop();
}

bool ProxyServer::start(Kind kind, const ProxyServerOptions& options)
{
    stop();
    m_kind = kind;
    m_error.clear();
    m_unavailable = false;
    m_port = 0;
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = u"cannot create a temporary folder: "_s + m_dir->errorString();
        return false;
    }
    makeSearchable(m_dir->path());

    const QString launcher = kind == Kind::Socks5 ? u"/socks_proxy.py"_s : u"/http_proxy.py"_s;
    QStringList arguments = {serversDir() + launcher, u"--dir"_s, m_dir->filePath(u"proxy"_s),
                             u"--host"_s, host()};
    if (!options.user.isEmpty())
        arguments << u"--user"_s << options.user << u"--password-env"_s << passwordVariable;
    for (int allowed : options.allowedPorts)
        arguments << u"--allow-port"_s << QString::number(allowed);
    for (const auto& [name, address] : options.hosts)
        arguments << u"--hosts-entry"_s << name + u'=' + address;
    // Also when this process dies before the launcher runs far enough to see who started it.
    arguments << u"--parent-pid"_s << QString::number(QCoreApplication::applicationPid());

    m_process = std::make_unique<QProcess>();
    const LaunchResult result = launch(*m_process, *m_dir, arguments, options.password, 60000);
    m_port = result.port;
    m_error = result.error;
    m_unavailable = result.unavailable;
    if (m_port <= 0 || !m_error.isEmpty()) {
        stop();
        return false;
    }
    return true;
}

void ProxyServer::stop()
{
    stopProcess(m_process);
}

bool ProxyServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString ProxyServer::url(const QString& user) const
{
    const QString scheme = m_kind == Kind::Socks5 ? u"socks5"_s : u"http"_s;
    const QString userPart = user.isEmpty() ? QString() : user + u'@';
    return u"%1://%2%3:%4"_s.arg(scheme, userPart, host()).arg(m_port);
}

int ProxyServer::tunnelsOpened() const
{
    const QByteArray marker =
        m_kind == Kind::Socks5 ? "tcp/connect [" : "Established connection to host";
    return static_cast<int>(log().toUtf8().count(marker));
}

QString ProxyServer::log() const
{
    return m_dir ? QString::fromUtf8(readFile(m_dir->filePath(u"server.log"_s))) : QString();
}

// --- NamedSmtpServer --------------------------------------------------------------------------

NamedSmtpServer::NamedSmtpServer() = default;

NamedSmtpServer::~NamedSmtpServer()
{
    stop();
}

bool NamedSmtpServer::start(const QStringList& names, const RealServerOptions& options)
{
    stop();
    m_error.clear();
    m_port = 0;
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = u"cannot create a temporary folder: "_s + m_dir->errorString();
        return false;
    }
    const QString certificates = m_dir->filePath(u"certs"_s);
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"sh"_s, QStringList{serversDir() + u"/make_certs.sh"_s, certificates} + names);
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        m_error = u"make_certs.sh failed (is openssl installed?): "_s +
                  QString::fromLocal8Bit(openssl.readAll()) + openssl.errorString();
        return false;
    }

    QStringList arguments = {serversDir() + u"/smtp_server.py"_s,
                             u"--security"_s,
                             options.security,
                             u"--host"_s,
                             u"127.0.0.1"_s,
                             u"--port"_s,
                             u"0"_s,
                             u"--server-name"_s,
                             names.value(0, u"localhost"_s),
                             u"--cert"_s,
                             certificates + u"/server.pem"_s,
                             u"--key"_s,
                             certificates + u"/server.key"_s,
                             u"--maildir"_s,
                             m_dir->filePath(u"mail"_s)};
    if (!options.user.isEmpty()) {
        arguments << u"--user"_s << options.user << u"--password-env"_s << passwordVariable
                  << u"--mechanisms"_s << options.mechanisms.join(u',');
    }
    m_process = std::make_unique<QProcess>();
    const LaunchResult result = launch(*m_process, *m_dir, arguments, options.password, 30000);
    m_port = result.port;
    m_error = result.error;
    if (m_port <= 0 || !m_error.isEmpty()) {
        stop();
        return false;
    }
    return true;
}

void NamedSmtpServer::stop()
{
    stopProcess(m_process);
}

QString NamedSmtpServer::caFile() const
{
    return m_dir ? m_dir->filePath(u"certs/ca.pem"_s) : QString();
}

QString NamedSmtpServer::log() const
{
    return m_dir ? QString::fromUtf8(readFile(m_dir->filePath(u"server.log"_s))) : QString();
}

} // namespace relaydeck::test
