#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace relaydeck::test {

// Real Exim 4 (Debian's exim4-daemon-heavy, unpacked, never installed: it conflicts with
// Postfix) started by servers/exim.py on free loopback ports in a private mount namespace, with
// the test CA's server certificate (RealServer::caFile()). STARTTLS on submissionPort(),
// implicit TLS on submissionsPort(); PLAIN and LOGIN only after TLS, CRAM-MD5 and NTLM (Exim's
// NTLMv1-only `spa`) always. Mail from an authenticated user is delivered to maildir() (new/).
// Stopped when this object goes.
class EximServer
{
public:
    EximServer();
    ~EximServer();
    EximServer(const EximServer&) = delete;
    EximServer& operator=(const EximServer&) = delete;

    // false with errorString(); unavailable(): Exim cannot run here (not root, no package).
    bool start(const QString& user, const QString& password);
    void stop();

    bool isRunning() const;
    bool unavailable() const { return m_unavailable; }
    QString errorString() const { return m_error; }
    int submissionPort() const { return m_submissionPort; }
    int submissionsPort() const { return m_submissionsPort; }
    // Delivered messages (paths in maildir/new, oldest first) and Exim's main log.
    QStringList messages() const;
    QString log() const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
    QString m_maildir;
    bool m_unavailable = false;
    int m_submissionPort = 0;
    int m_submissionsPort = 0;
};

} // namespace relaydeck::test
