#include "RealServers.h"

#include "ServerLaunch.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

const QString passwordVariable = u"RELAYDECK_REAL_SERVER_PASSWORD"_s;

struct Certificates
{
    QTemporaryDir dir;
    QString path;
    QString error;

    Certificates()
    {
        if (!dir.isValid()) {
            error = u"cannot create a temporary folder: "_s + dir.errorString();
            return;
        }
        makeSearchable(dir.path());
        path = dir.filePath(u"certs"_s);
        error = makeCertificates(path);
    }
};

const Certificates& certificates()
{
    static Certificates instance; // lives (and keeps its folder) until the process ends
    return instance;
}

} // namespace

RealServer::RealServer() = default;

RealServer::~RealServer()
{
    stop();
}

QString RealServer::caFile()
{
    const Certificates& made = certificates();
    return made.error.isEmpty() ? made.path + u"/ca.pem"_s : QString();
}

QString RealServer::serverCertificateFile()
{
    const Certificates& made = certificates();
    return made.error.isEmpty() ? made.path + u"/server.pem"_s : QString();
}

QString RealServer::certificatesError()
{
    return certificates().error;
}

QString RealServer::serverCertificateSha256()
{
    const QList<QSslCertificate> chain =
        QSslCertificate::fromPath(serverCertificateFile(), QSsl::Pem);
    if (chain.isEmpty())
        return {};
    return QString::fromLatin1(chain.first().digest(QCryptographicHash::Sha256).toHex());
}

bool RealServer::startAiosmtpd(const RealServerOptions& options)
{
    QStringList arguments = {serversDir() + u"/smtp_server.py"_s,
                             u"--security"_s,
                             options.security,
                             u"--host"_s,
                             host(),
                             u"--port"_s,
                             u"0"_s,
                             u"--server-name"_s,
                             u"localhost"_s};
    if (options.security != u"none"_s) {
        if (caFile().isEmpty()) {
            m_error = certificatesError();
            return false;
        }
        const QString dir = QFileInfo(caFile()).path();
        arguments << u"--cert"_s << dir + u"/server.pem"_s << u"--key"_s << dir + u"/server.key"_s;
    }
    if (!options.user.isEmpty()) {
        arguments << u"--user"_s << options.user << u"--password-env"_s << passwordVariable
                  << u"--mechanisms"_s << options.mechanisms.join(u',');
    }
    if (options.requireAuth)
        arguments << u"--require-auth"_s;
    if (options.requireStartTls)
        arguments << u"--require-starttls"_s;
    if (!options.tlsVersions.isEmpty())
        arguments << u"--tls-versions"_s << options.tlsVersions;
    return start(arguments, options.password, 30000);
}

bool RealServer::startDovecot(const RealServerOptions& options)
{
    if (caFile().isEmpty()) {
        m_error = certificatesError();
        return false;
    }
    if (options.user.isEmpty()) {
        m_error = u"Dovecot needs a user"_s;
        return false;
    }
    const QString dir = QFileInfo(caFile()).path();
    // --dir is filled in by start(): a folder inside this server's temporary folder.
    QStringList arguments = {serversDir() + u"/dovecot.py"_s,
                             u"--host"_s,
                             host(),
                             u"--cert"_s,
                             dir + u"/server-chain.pem"_s,
                             u"--key"_s,
                             dir + u"/server.key"_s,
                             u"--user"_s,
                             options.user,
                             u"--password-env"_s,
                             passwordVariable};
    if (!options.oauth2IntrospectionUrl.isEmpty())
        arguments << u"--oauth2-introspection-url"_s << options.oauth2IntrospectionUrl;
    if (!options.gssapiKeytab.isEmpty())
        arguments << u"--gssapi-keytab"_s << options.gssapiKeytab << u"--krb5-config"_s
                  << options.krb5Config;
    return start(arguments, options.password, 90000);
}

bool RealServer::startPostfix(const RealServerOptions& options)
{
    if (caFile().isEmpty()) {
        m_error = certificatesError();
        return false;
    }
    const QString dir = QFileInfo(caFile()).path();
    const QStringList arguments = {serversDir() + u"/postfix.py"_s,
                                   u"--host"_s,
                                   host(),
                                   u"--cert"_s,
                                   dir + u"/server-chain.pem"_s,
                                   u"--key"_s,
                                   dir + u"/server.key"_s,
                                   u"--user"_s,
                                   options.user,
                                   u"--password-env"_s,
                                   passwordVariable};
    return start(arguments, options.password, 90000);
}

bool RealServer::start(const QStringList& launcherArguments, const QString& password, int timeoutMs)
{
    stop();
    m_error.clear();
    m_port = m_submissionPort = m_submissionsPort = 0;
    m_unavailable = false;
    m_ports = {};
    m_dir = makeServerDir(m_error);
    if (!m_dir)
        return false;
    // Dovecot's and Postfix's launchers keep everything in --dir and announce JSON; aiosmtpd's
    // saves into --maildir and announces its port.
    const QString launcher = QFileInfo(launcherArguments.first()).baseName();
    const bool announcesJson = launcher != u"smtp_server"_s;
    m_maildir = m_dir->filePath(announcesJson ? launcher + u"/mail"_s : u"mail"_s);

    QStringList arguments = launcherArguments;
    if (announcesJson)
        arguments << u"--dir"_s << m_dir->filePath(launcher);
    else
        arguments << u"--maildir"_s << m_maildir;

    m_process = std::make_unique<QProcess>();
    LaunchResult result =
        launchServer(*m_process, *m_dir, arguments, passwordVariable, password, timeoutMs);
    m_unavailable = result.unavailable;
    if (announcesJson && result.error.isEmpty()) {
        m_ports = QJsonDocument::fromJson(result.announced).object();
        m_submissionPort = m_ports.value(u"submission"_s).toInt();
        m_submissionsPort = m_ports.value(u"submissions"_s).toInt();
        m_maildir = m_ports.value(u"maildir"_s).toString(m_maildir);
        const bool dovecot = launcher == u"dovecot"_s;
        if (dovecot ? m_submissionPort <= 0 || m_submissionsPort <= 0
                    : m_ports.value(u"cyrus"_s).toInt() <= 0)
            result.error =
                u"the server announced no port: "_s + QString::fromUtf8(result.announced);
    } else if (!announcesJson) {
        m_port = announcedPort(result);
    }
    m_error = result.error;
    if (!m_error.isEmpty()) {
        stop();
        return false;
    }
    return true;
}

void RealServer::stop()
{
    stopServer(m_process);
}

bool RealServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QStringList RealServer::messages() const
{
    const QDir dir(m_maildir);
    QStringList paths;
    const QStringList names = dir.entryList({u"*.eml"_s}, QDir::Files, QDir::Name);
    for (const QString& name : names)
        paths << dir.filePath(name);
    return paths;
}

QJsonObject RealServer::envelope(const QString& messagePath)
{
    QString jsonPath = messagePath;
    jsonPath.replace(jsonPath.size() - 4, 4, u".json"_s);
    return QJsonDocument::fromJson(readWholeFile(jsonPath)).object();
}

QString RealServer::log() const
{
    return serverLog(m_dir.get());
}

QJsonObject CliRun::json() const
{
    return QJsonDocument::fromJson(out).object();
}

QString CliRun::describe() const
{
    return u"exit %1\n--- stdout:\n%2\n--- stderr:\n%3"_s.arg(exitCode).arg(QString::fromUtf8(out),
                                                                            QString::fromUtf8(err));
}

CliRun runCli(const QStringList& arguments, const QProcessEnvironment& environment,
              const QByteArray& input, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(RELAYDECK_CLI_PATH), arguments);
    CliRun run;
    if (!process.waitForStarted(10000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError() + "\n(timed out)";
        return run;
    }
    run.ms = timer.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace relaydeck::test
