#pragma once

#include "RealServers.h"

#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace relaydeck::test {

// What a real test proxy should do (see tests/support/servers/{socks,http}_proxy.py).
struct ProxyServerOptions
{
    // The one proxy account; empty: the proxy asks for no credentials. The password reaches
    // the launcher in its environment, never on its command line.
    QString user;
    QString password;
    // Loopback destination ports the proxy tunnels to; every other destination is refused.
    QList<int> allowedPorts;
    // (name, address) pairs only the proxy resolves: its private /etc/hosts.
    QList<QPair<QString, QString>> hosts;
};

// A real proxy from Debian's packages, started by a QtTest on a free loopback port and stopped
// when this object goes: dante's danted (SOCKS5, username/password checked against a private
// passwd/shadow) or tinyproxy (HTTP CONNECT, Basic authentication). Both run in a private mount
// namespace with their own /etc/hosts, so they resolve names nothing else on this machine can.
//
// Like RealServer, the launchers log into a file (log()), never a pipe, and start() waits
// (bounded) until the proxy answers its protocol.
class ProxyServer
{
public:
    enum class Kind
    {
        Socks5,
        Http
    };

    ProxyServer();
    ~ProxyServer();
    ProxyServer(const ProxyServer&) = delete;
    ProxyServer& operator=(const ProxyServer&) = delete;

    bool start(Kind kind, const ProxyServerOptions& options);
    void stop();

    // start() failed because the proxy cannot run on this machine at all (not installed, no
    // private mount namespace): a reason to skip, not a failure. errorString() says why.
    bool isUnavailable() const { return m_unavailable; }
    bool isRunning() const;
    QString errorString() const { return m_error; }
    Kind kind() const { return m_kind; }
    QString host() const { return QStringLiteral("127.0.0.1"); }
    int port() const { return m_port; }
    // The CLI's --proxy value and the report's target.proxy: "socks5://alice@127.0.0.1:PORT"
    // (without the user when user is empty).
    QString url(const QString& user) const;

    // Tunnels the proxy opened to a destination so far, counted in its log: danted's
    // "tcp/connect [" lines, tinyproxy's "Established connection" lines. Proves a test really
    // went through the proxy, exactly once.
    int tunnelsOpened() const;
    QString log() const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    Kind m_kind = Kind::Socks5;
    QString m_error;
    bool m_unavailable = false;
    int m_port = 0;
};

// aiosmtpd (servers/smtp_server.py) whose certificate, from its own throw-away test CA, is valid
// for extra host names besides localhost/127.0.0.1/::1 (RealServer's certificate carries only
// those): a name only a proxy resolves still has to pass the host name check.
class NamedSmtpServer
{
public:
    NamedSmtpServer();
    ~NamedSmtpServer();
    NamedSmtpServer(const NamedSmtpServer&) = delete;
    NamedSmtpServer& operator=(const NamedSmtpServer&) = delete;

    // options as for RealServer::startAiosmtpd (security "starttls" or "tls").
    bool start(const QStringList& names, const RealServerOptions& options);
    void stop();

    QString errorString() const { return m_error; }
    int port() const { return m_port; }
    QString caFile() const; // the CA to trust with --ca-file
    QString log() const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
    int m_port = 0;
};

} // namespace relaydeck::test
