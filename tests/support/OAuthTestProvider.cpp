#include "OAuthTestProvider.h"

#include "RealServers.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

OAuthTestProvider::~OAuthTestProvider()
{
    stop();
}

QString OAuthTestProvider::directory()
{
    return QStringLiteral(RELAYDECK_SOURCE_DIR "/tests/support/oauth");
}

QString OAuthTestProvider::base() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

QString OAuthTestProvider::dovecotIntrospectionUrl() const
{
    return u"http://dovecot:dovecot-introspection-secret@127.0.0.1:%1/token/introspection"_s.arg(
        m_port);
}

bool OAuthTestProvider::start(const QString& workDir, int accessTtl, int longAccessTtl)
{
    if (!QFile::exists(directory() + u"/node_modules/oidc-provider/package.json"_s)) {
        m_error = u"run 'npm ci' in tests/support/oauth (scripts/test does)"_s;
        return false;
    }
    const QString ready = QDir(workDir).filePath(u"provider.ready"_s);
    m_grantLog = QDir(workDir).filePath(u"token-requests.log"_s);
    QFile::remove(ready);
    QFile::remove(m_grantLog);
    // The issuer names its port, so the port is chosen before the provider starts.
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_error = probe.errorString();
            return false;
        }
        m_port = probe.serverPort();
    }
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setWorkingDirectory(directory());
    m_process.start(u"node"_s,
                    {u"provider.mjs"_s, u"--port"_s, QString::number(m_port), u"--ready-file"_s,
                     ready, u"--access-ttl"_s, QString::number(accessTtl), u"--long-access-ttl"_s,
                     QString::number(longAccessTtl), u"--grant-log"_s, m_grantLog});
    if (!m_process.waitForStarted(10000)) {
        m_error = u"node did not start: "_s + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        QFile file(ready);
        if (file.open(QIODevice::ReadOnly) && file.readAll().trimmed().toInt() == m_port)
            return true;
        if (m_process.state() != QProcess::Running)
            break;
        QThread::msleep(100);
    }
    m_error = u"the OAuth provider did not announce port %1"_s.arg(m_port);
    return false;
}

void OAuthTestProvider::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
    m_process.waitForFinished(2000);
}

bool OAuthTestProvider::startDovecot(RealServer& dovecot) const
{
    RealServerOptions options;
    options.user = u"tester@example.com"_s;
    options.oauth2IntrospectionUrl = dovecotIntrospectionUrl();
    return dovecot.startDovecot(options);
}

QStringList OAuthTestProvider::cliOptions(const QString& clientId) const
{
    return {u"--oauth-provider"_s,      u"custom"_s,
            u"--oauth-client-id"_s,     clientId,
            u"--oauth-authorize-url"_s, base() + u"/auth"_s,
            u"--oauth-token-url"_s,     base() + u"/token"_s,
            u"--oauth-device-url"_s,    base() + u"/device/auth"_s,
            u"--oauth-scope"_s,         u"openid offline_access smtp"_s};
}

QJsonObject OAuthTestProvider::post(const QString& path, const QStringList& form,
                                    bool asDovecot) const
{
    QStringList arguments{u"-s"_s, u"--max-time"_s, u"10"_s};
    if (asDovecot)
        arguments << u"-u"_s << u"dovecot:dovecot-introspection-secret"_s;
    for (const QString& field : form)
        arguments << u"--data-urlencode"_s << field;
    arguments << base() + path;
    QProcess curl;
    curl.start(u"curl"_s, arguments);
    curl.waitForFinished(15000);
    return QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
}

QJsonObject OAuthTestProvider::introspect(const QString& token) const
{
    return post(u"/token/introspection"_s, {u"token="_s + token}, true);
}

QStringList OAuthTestProvider::tokenRequests() const
{
    QFile file(m_grantLog);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace relaydeck::test
