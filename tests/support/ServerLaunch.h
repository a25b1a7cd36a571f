#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// What RealServer, ProxyServer and NamedSmtpServer share: starting one of the Python launchers
// in tests/support/servers/ and waiting until the server it runs answers.
namespace relaydeck::test {

// tests/support/servers in the source tree.
QString serversDir();

// Debian's python3: the launchers need its packages (python3-aiosmtpd), which a pyenv or
// virtualenv first on PATH would not have.
QString python();

// The whole file; empty when it cannot be read.
QByteArray readWholeFile(const QString& path);

// Servers may run as unprivileged users (Dovecot drops to dovecot/dovenull, the proxies to
// nobody as root): they must be able to pass through our temporary folders.
void makeSearchable(const QString& path);

// A fresh temporary folder for one server, searchable by others (see makeSearchable);
// nullptr, with `error` saying why, when it cannot be created.
std::unique_ptr<QTemporaryDir> makeServerDir(QString& error);

// A throw-away test CA and a server certificate signed by it, for localhost, 127.0.0.1, ::1 and
// `names`, made by servers/make_certs.sh in `folder` (ca.pem, server.pem, server-chain.pem,
// server.key). Empty when it worked, else why not.
QString makeCertificates(const QString& folder, const QStringList& names = {});

struct LaunchResult
{
    QByteArray announced; // what the launcher wrote to its ready file (a port, or JSON)
    // The launcher exited with 77: the server cannot run on this machine at all (not
    // installed, no private mount namespace), a reason to skip rather than to fail.
    bool unavailable = false;
    QString error; // empty when the server is ready
};

// Starts launcher `arguments` (the script first) with --ready-file and --exit-with-parent, the
// password in the environment variable `passwordVariable`, the launcher's stdout in
// dir/launcher.out and its stderr (the server's log) in dir/server.log, never a pipe, so a
// test blocked on another process cannot stall a server on a full pipe. Waits (bounded) until
// the ready file appears or the launcher exits.
LaunchResult launchServer(QProcess& process, const QTemporaryDir& dir, QStringList arguments,
                          const QString& passwordVariable, const QString& password, int timeoutMs);

// The one port a launcher announced; 0, with result.error saying why, when there is none.
int announcedPort(LaunchResult& result);

// The launcher's stderr so far (what launchServer wrote to dir/server.log).
QString serverLog(const QTemporaryDir* dir);

// SIGTERM (the launchers stop their servers cleanly), SIGKILL when that takes too long.
void stopServer(std::unique_ptr<QProcess>& process);

} // namespace relaydeck::test
