#include "EximServer.h"

#include "RealServers.h"
#include "ServerLaunch.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

EximServer::EximServer() = default;

EximServer::~EximServer()
{
    stop();
}

bool EximServer::start(const QString& user, const QString& password)
{
    stop();
    m_error.clear();
    m_unavailable = false;
    m_submissionPort = m_submissionsPort = 0;
    if (RealServer::caFile().isEmpty()) {
        m_error = RealServer::certificatesError();
        return false;
    }
    m_dir = makeServerDir(m_error);
    if (!m_dir)
        return false;
    const QString certificates = QFileInfo(RealServer::caFile()).path();
    const QString passwordVariable = u"RELAYDECK_EXIM_PASSWORD"_s;
    const QStringList arguments = {serversDir() + u"/exim.py"_s,
                                   u"--dir"_s,
                                   m_dir->filePath(u"exim"_s),
                                   u"--cert"_s,
                                   certificates + u"/server-chain.pem"_s,
                                   u"--key"_s,
                                   certificates + u"/server.key"_s,
                                   u"--user"_s,
                                   user,
                                   u"--password-env"_s,
                                   passwordVariable};
    m_process = std::make_unique<QProcess>();
    // The first start may download and unpack the package (scripts/test does that beforehand).
    LaunchResult result =
        launchServer(*m_process, *m_dir, arguments, passwordVariable, password, 120000);
    m_unavailable = result.unavailable;
    if (result.error.isEmpty()) {
        const QJsonObject ready = QJsonDocument::fromJson(result.announced).object();
        m_submissionPort = ready.value(u"submission"_s).toInt();
        m_submissionsPort = ready.value(u"submissions"_s).toInt();
        m_maildir = ready.value(u"maildir"_s).toString();
        if (m_submissionPort <= 0 || m_submissionsPort <= 0 || m_maildir.isEmpty())
            result.error = u"exim.py announced no ports: "_s + QString::fromUtf8(result.announced);
    }
    m_error = result.error;
    if (!m_error.isEmpty()) {
        m_error += u"\n"_s + serverLog(m_dir.get());
        stop();
        return false;
    }
    return true;
}

void EximServer::stop()
{
    stopServer(m_process);
}

bool EximServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QStringList EximServer::messages() const
{
    const QDir dir(m_maildir + u"/new"_s);
    QFileInfoList files = dir.entryInfoList(QDir::Files);
    std::sort(files.begin(), files.end(), [](const QFileInfo& a, const QFileInfo& b) {
        return a.lastModified() < b.lastModified();
    });
    QStringList paths;
    for (const QFileInfo& file : files)
        paths << file.filePath();
    return paths;
}

QString EximServer::log() const
{
    if (!m_dir)
        return {};
    return QString::fromUtf8(readWholeFile(m_dir->filePath(u"exim/log/mainlog"_s))) +
           serverLog(m_dir.get());
}

} // namespace relaydeck::test
