#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace relaydeck::test {

// What a real test server should offer (see tests/support/servers/*.py).
struct RealServerOptions
{
    // aiosmtpd only: "starttls", "tls" (implicit) or "none". Dovecot always listens twice:
    // STARTTLS on submissionPort() and implicit TLS on submissionsPort().
    QString security = QStringLiteral("starttls");
    // The one account; empty: aiosmtpd offers no AUTH. The password reaches the server in its
    // environment, never on its command line.
    QString user;
    QString password;
    // aiosmtpd: any of PLAIN, LOGIN, CRAM-MD5. Dovecot offers PLAIN, LOGIN, CRAM-MD5 and
    // SCRAM-SHA-1/-256 whatever this says.
    QStringList mechanisms = {QStringLiteral("PLAIN"), QStringLiteral("LOGIN")};
    bool requireAuth = false;     // aiosmtpd: 530 to MAIL before AUTH
    bool requireStartTls = false; // aiosmtpd: 530 to everything but EHLO/STARTTLS before TLS
    // aiosmtpd: the TLS versions it speaks, "MIN-MAX" (e.g. "1.0-1.0", a legacy server); empty:
    // Python's defaults (1.2 and 1.3).
    QString tlsVersions;
    // Dovecot only: when set, its "oauth2" passdb checks XOAUTH2/OAUTHBEARER bearer tokens at
    // this introspection endpoint (http://client:secret@host/...) instead of the password.
    QString oauth2IntrospectionUrl;
    // Dovecot only: when set, it also offers GSSAPI with the service keys of this keytab in the
    // Kerberos realm krb5Config describes (a KerberosRealm's keytab() and krb5Config()).
    QString gssapiKeytab;
    QString krb5Config;
};

// A real SMTP server from Debian's packages, started by a QtTest on free loopback ports and
// stopped when this object goes: aiosmtpd (python3-aiosmtpd, via servers/smtp_server.py) or
// Dovecot's submission server (dovecot-submissiond, via servers/dovecot.py, relaying to an
// aiosmtpd it starts itself). Both use a server certificate for localhost/127.0.0.1/::1 signed
// by a test CA made once per test process (caFile()). Every message the server accepts is saved
// in maildir() as NNNN.eml with its envelope in NNNN.json.
//
// The launchers log into a file (log()), never a pipe, so a test blocked on another process
// can never stall a server on a full pipe. start*() waits (bounded) for the server to answer.
class RealServer
{
public:
    RealServer();
    ~RealServer();
    RealServer(const RealServer&) = delete;
    RealServer& operator=(const RealServer&) = delete;

    // The test CA's certificate (PEM), to trust with --ca-file; generated on first use.
    // Empty when openssl failed: certificatesError() says why.
    static QString caFile();
    static QString serverCertificateFile();
    static QString certificatesError();
    // SHA-256 of the server certificate's DER, lower-case hex without colons (a --pin value).
    static QString serverCertificateSha256();

    bool startAiosmtpd(const RealServerOptions& options);
    bool startDovecot(const RealServerOptions& options);
    // Postfix (servers/postfix.py, needs root: unavailable() otherwise) with the listeners
    // postfixPort() names: "cyrus" (Cyrus SASL, sasldb), "dovecot" (Dovecot SASL), "notls",
    // "encrypt" (STARTTLS required) and "broken" (a sender restriction with a missing table).
    // Mail for example.test lands in maildir() as a Maildir (new/).
    bool startPostfix(const RealServerOptions& options);
    void stop();

    bool isRunning() const;
    QString errorString() const { return m_error; }
    // The launcher said the server cannot run here (exit 77): a reason to skip, not to fail.
    bool unavailable() const { return m_unavailable; }
    QString host() const { return QStringLiteral("127.0.0.1"); }
    int port() const { return m_port; }                       // aiosmtpd
    int submissionPort() const { return m_submissionPort; }   // Dovecot, STARTTLS
    int submissionsPort() const { return m_submissionsPort; } // Dovecot, implicit TLS
    int postfixPort(const QString& listener) const { return m_ports.value(listener).toInt(); }
    QString maildir() const { return m_maildir; }

    // Saved messages (.eml paths, oldest first) and the envelope saved beside one.
    QStringList messages() const;
    static QJsonObject envelope(const QString& messagePath);
    // The launcher's and server's log so far.
    QString log() const;

private:
    bool start(const QStringList& arguments, const QString& password, int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
    bool m_unavailable = false;
    QJsonObject m_ports; // what Dovecot's or Postfix's launcher announced
    QString m_maildir;
    int m_port = 0;
    int m_submissionPort = 0;
    int m_submissionsPort = 0;
};

// One run of relaydeck-cli (RELAYDECK_CLI_PATH) as a separate process, as users run it.
struct CliRun
{
    int exitCode = -1; // -1: crashed or timed out (see err)
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;

    QJsonObject json() const; // stdout parsed as a JSON object (empty when it is not one)
    QString describe() const; // exit code, stdout and stderr, for failure messages
};
CliRun runCli(const QStringList& arguments, const QProcessEnvironment& environment,
              const QByteArray& input = {}, int timeoutMs = 90000);

} // namespace relaydeck::test
