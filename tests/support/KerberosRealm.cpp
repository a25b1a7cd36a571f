#include "KerberosRealm.h"

#include "ServerLaunch.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

const QStringList programs = {u"krb5kdc"_s, u"kdb5_util"_s, u"kadmin.local"_s, u"kinit"_s};

QString findProgram(const QString& name)
{
    const QString found = QStandardPaths::findExecutable(name);
    if (!found.isEmpty())
        return found;
    return QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/sbin"_s});
}

int freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writeFile(const QString& path, const QString& text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    // Dovecot's auth process (another user) reads krb5.conf.
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                               QFileDevice::ReadGroup | QFileDevice::ReadOther);
}

} // namespace

KerberosRealm::KerberosRealm() = default;

KerberosRealm::~KerberosRealm()
{
    stop();
}

QStringList KerberosRealm::missingPrograms()
{
    QStringList missing;
    for (const QString& program : programs) {
        if (findProgram(program).isEmpty())
            missing << program;
    }
    return missing;
}

QString KerberosRealm::krb5Config() const
{
    return m_dir ? m_dir->filePath(u"krb5.conf"_s) : QString();
}

QString KerberosRealm::keytab() const
{
    return m_dir ? m_dir->filePath(u"smtp.keytab"_s) : QString();
}

QString KerberosRealm::log() const
{
    return m_dir ? QString::fromUtf8(readWholeFile(m_dir->filePath(u"kdc.log"_s))) : QString();
}

QProcessEnvironment KerberosRealm::environment(const QString& cache, QProcessEnvironment base) const
{
    base.insert(u"KRB5_CONFIG"_s, krb5Config());
    base.insert(u"KRB5_KDC_PROFILE"_s, m_dir ? m_dir->filePath(u"kdc.conf"_s) : QString());
    base.insert(u"KRB5CCNAME"_s, cache);
    base.remove(u"KRB5_KTNAME"_s);
    return base;
}

bool KerberosRealm::run(const QString& program, const QStringList& arguments,
                        const QByteArray& input)
{
    QProcess process;
    process.setProcessEnvironment(environment(emptyCache()));
    process.start(findProgram(program), arguments);
    if (!process.waitForStarted(10000)) {
        m_error = program + u": "_s + process.errorString();
        return false;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        process.kill();
        m_error = u"%1 %2 failed: %3 %4"_s.arg(program, arguments.join(u' '),
                                               QString::fromUtf8(process.readAllStandardOutput()),
                                               QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool KerberosRealm::start(const QString& user, const QString& password, const QStringList& services)
{
    stop();
    if (const QStringList missing = missingPrograms(); !missing.isEmpty()) {
        m_error = u"not installed: "_s + missing.join(u", "_s);
        return false;
    }
    m_dir = makeServerDir(m_error);
    if (!m_dir)
        return false;
    m_user = user;
    m_password = password;
    m_port = freeLoopbackPort();
    const QString dir = m_dir->path();
    // The client uses TCP (udp_preference_limit = 1). No DNS: the service principal
    // is smtp/ + the host name as given.
    const bool configured = writeFile(krb5Config(), uR"([libdefaults]
    default_realm = %1
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    udp_preference_limit = 1
[realms]
    %1 = {
        kdc = 127.0.0.1:%2
    }
)"_s.arg(realm())
                                                        .arg(m_port)) &&
                            writeFile(m_dir->filePath(u"kdc.conf"_s), uR"([kdcdefaults]
    kdc_listen = 127.0.0.1:%2
    kdc_tcp_listen = 127.0.0.1:%2
[realms]
    %1 = {
        database_name = %3/principal
        key_stash_file = %3/stash
        acl_file = %3/kadm5.acl
        max_life = 10h
        max_renewable_life = 0
    }
[logging]
    kdc = FILE:%3/kdc.log
)"_s.arg(realm())
                                                                          .arg(m_port)
                                                                          .arg(dir));
    if (!configured) {
        m_error = u"cannot write krb5.conf/kdc.conf in "_s + dir;
        return false;
    }
    const QString masterPassword = QString::number(QDateTime::currentMSecsSinceEpoch(), 36);
    if (!run(u"kdb5_util"_s, {u"create"_s, u"-s"_s, u"-r"_s, realm(), u"-P"_s, masterPassword}))
        return false;
    // The password goes through kadmin.local's query, which is not on its command line but in
    // the arguments of this private process; it protects nothing but this test realm.
    if (!run(u"kadmin.local"_s,
             {u"-r"_s, realm(), u"-q"_s, u"addprinc -pw %1 %2"_s.arg(password, user)}))
        return false;
    for (const QString& service : services) {
        if (!run(u"kadmin.local"_s,
                 {u"-r"_s, realm(), u"-q"_s, u"addprinc -randkey "_s + service}) ||
            !run(u"kadmin.local"_s,
                 {u"-r"_s, realm(), u"-q"_s, u"ktadd -k %1 %2"_s.arg(keytab(), service)}))
            return false;
    }

    m_kdc = std::make_unique<QProcess>();
    m_kdc->setProcessEnvironment(environment(emptyCache()));
    m_kdc->setStandardOutputFile(m_dir->filePath(u"kdc.out"_s));
    m_kdc->setStandardErrorFile(m_dir->filePath(u"kdc.out"_s), QIODevice::Append);
    m_kdc->start(findProgram(u"krb5kdc"_s),
                 {u"-n"_s, u"-r"_s, realm(), u"-P"_s, m_dir->filePath(u"kdc.pid"_s)});
    if (!m_kdc->waitForStarted(10000)) {
        m_error = u"krb5kdc: "_s + m_kdc->errorString();
        return false;
    }
    if (!waitForKdc(15000)) {
        m_error = u"krb5kdc did not answer on port %1: %2 %3"_s.arg(m_port).arg(
            QString::fromUtf8(readWholeFile(m_dir->filePath(u"kdc.out"_s))), log());
        return false;
    }
    return true;
}

bool KerberosRealm::waitForKdc(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_kdc->state() != QProcess::Running)
            return false;
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(m_port));
        if (probe.waitForConnected(500))
            return true;
        QThread::msleep(100);
    }
    return false;
}

void KerberosRealm::stop()
{
    if (m_kdc && m_kdc->state() != QProcess::NotRunning) {
        m_kdc->terminate();
        if (!m_kdc->waitForFinished(5000)) {
            m_kdc->kill();
            m_kdc->waitForFinished(5000);
        }
    }
    m_kdc.reset();
}

QString KerberosRealm::kinit(const QString& lifetime)
{
    if (!m_dir)
        return {};
    const QString cache = u"FILE:"_s + m_dir->filePath(u"cache-%1"_s.arg(++m_caches));
    QProcess process;
    process.setProcessEnvironment(environment(cache));
    process.start(findProgram(u"kinit"_s), {u"-l"_s, lifetime, m_user});
    if (!process.waitForStarted(10000)) {
        m_error = u"kinit: "_s + process.errorString();
        return {};
    }
    process.write(m_password.toUtf8() + '\n');
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        process.kill();
        m_error = u"kinit failed: "_s + QString::fromUtf8(process.readAllStandardError()) + log();
        return {};
    }
    return cache;
}

QString KerberosRealm::emptyCache() const
{
    return m_dir ? u"FILE:"_s + m_dir->filePath(u"no-such-cache"_s) : QString();
}

} // namespace relaydeck::test
