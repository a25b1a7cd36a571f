#include "ProxyServers.h"

#include "ServerLaunch.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

const QString passwordVariable = u"RELAYDECK_PROXY_SERVER_PASSWORD"_s;

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
    m_dir = makeServerDir(m_error);
    if (!m_dir)
        return false;

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
    LaunchResult result =
        launchServer(*m_process, *m_dir, arguments, passwordVariable, options.password, 60000);
    m_port = announcedPort(result);
    m_error = result.error;
    m_unavailable = result.unavailable;
    if (!m_error.isEmpty()) {
        stop();
        return false;
    }
    return true;
}

void ProxyServer::stop()
{
    stopServer(m_process);
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
    return serverLog(m_dir.get());
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
    m_dir = makeServerDir(m_error);
    if (!m_dir)
        return false;
    const QString certificates = m_dir->filePath(u"certs"_s);
    m_error = makeCertificates(certificates, names);
    if (!m_error.isEmpty())
        return false;

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
    LaunchResult result =
        launchServer(*m_process, *m_dir, arguments, passwordVariable, options.password, 30000);
    m_port = announcedPort(result);
    m_error = result.error;
    if (!m_error.isEmpty()) {
        stop();
        return false;
    }
    return true;
}

void NamedSmtpServer::stop()
{
    stopServer(m_process);
}

QString NamedSmtpServer::caFile() const
{
    return m_dir ? m_dir->filePath(u"certs/ca.pem"_s) : QString();
}

QString NamedSmtpServer::log() const
{
    return serverLog(m_dir.get());
}

} // namespace relaydeck::test
