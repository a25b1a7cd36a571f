#include "TestCertificates.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

// One configuration for every openssl call, so the system's openssl.cnf (and its default
// extensions) never changes what we generate.
constexpr char OpensslConfig[] = R"(
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder

[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ leaf_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ leaf_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ leaf_selfsigned ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash

[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = policy_anything
unique_subject = no
copy_extensions = none
[ policy_anything ]
commonName = supplied
organizationName = optional
)";

QString fileStem(TestCertificates::Leaf leaf)
{
    switch (leaf) {
    case TestCertificates::Leaf::Localhost:
        return u"localhost"_s;
    case TestCertificates::Leaf::Expired:
        return u"expired"_s;
    case TestCertificates::Leaf::WrongHost:
        return u"wronghost"_s;
    case TestCertificates::Leaf::SelfSigned:
        return u"selfsigned"_s;
    case TestCertificates::Leaf::Renewed:
        return u"renewed"_s;
    }
    return {};
}

const QStringList EcKeyOptions = {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                                  u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};

} // namespace

const TestCertificates& TestCertificates::instance()
{
    static const TestCertificates certificates;
    return certificates;
}

TestCertificates::TestCertificates()
{
    // Lives as long as the process; removed by QTemporaryDir's destructor at exit.
    static QTemporaryDir tempDir(QDir::tempPath() + u"/relaydeck-testcerts-XXXXXX"_s);
    if (!tempDir.isValid()) {
        m_error = u"cannot create a temporary directory: "_s + tempDir.errorString();
        return;
    }
    m_dir = tempDir.path();
    if (!generate() && m_error.isEmpty())
        m_error = u"certificate generation failed"_s;
}

QString TestCertificates::leafName(Leaf leaf)
{
    return fileStem(leaf);
}

QString TestCertificates::caCertificatePath() const
{
    return m_dir + u"/ca.pem"_s;
}

QString TestCertificates::certificatePath(Leaf leaf) const
{
    return m_dir + u'/' + fileStem(leaf) + u".pem"_s;
}

QString TestCertificates::keyPath(Leaf leaf) const
{
    return m_dir + u'/' + fileStem(leaf) + u".key"_s;
}

QSslCertificate TestCertificates::certificate(Leaf leaf) const
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certificatePath(leaf));
    return certificates.isEmpty() ? QSslCertificate() : certificates.first();
}

QSslKey TestCertificates::key(Leaf leaf) const
{
    QFile file(keyPath(leaf));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslKey(file.readAll(), QSsl::Ec, QSsl::Pem);
}

QString TestCertificates::sha256(Leaf leaf) const
{
    return QString::fromLatin1(certificate(leaf).digest(QCryptographicHash::Sha256).toHex());
}

QString TestCertificates::sha256WithColons(Leaf leaf) const
{
    return QString::fromLatin1(certificate(leaf).digest(QCryptographicHash::Sha256).toHex(':'))
        .toUpper();
}

bool TestCertificates::runOpenssl(const QStringList& arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir);
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"openssl"_s, arguments);
    // Test-only helper: blocking on a short local process is fine here.
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        m_error = u"openssl "_s + arguments.join(u' ') + u" failed: "_s + openssl.errorString() +
                  u"\n"_s + QString::fromLocal8Bit(openssl.readAll());
        return false;
    }
    return true;
}

bool TestCertificates::generate()
{
    auto writeFile = [this](const QString& name, const QByteArray& contents) {
        QFile file(m_dir + u'/' + name);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(contents) != contents.size()) {
            m_error = u"cannot write "_s + file.fileName();
            return false;
        }
        return true;
    };
    if (!writeFile(u"openssl.cnf"_s, QByteArray(OpensslConfig)) ||
        !writeFile(u"index.txt"_s, QByteArray()) || !writeFile(u"serial"_s, "1000\n") ||
        !QDir(m_dir).mkpath(u"issued"_s)) {
        if (m_error.isEmpty())
            m_error = u"cannot prepare the CA directory"_s;
        return false;
    }

    const QStringList config = {u"-config"_s, u"openssl.cnf"_s};

    // The CA.
    if (!runOpenssl(QStringList{u"req"_s, u"-x509"_s} + config + EcKeyOptions +
                    QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-subj"_s,
                                u"/O=Relaydeck tests/CN=Relaydeck Test CA"_s, u"-days"_s, u"3650"_s,
                                u"-extensions"_s, u"ca_ext"_s}))
        return false;

    // Leaves signed by the CA: key + request, then `openssl ca` (the one OpenSSL 3.0 command
    // that can set arbitrary validity dates, which the expired leaf needs).
    struct SignedLeaf
    {
        Leaf leaf;
        QString subject;
        QString extensions;
        QStringList validity;
    };
    const QList<SignedLeaf> signedLeaves = {
        {Leaf::Localhost, u"/CN=localhost"_s, u"leaf_localhost"_s, {u"-days"_s, u"3650"_s}},
        {Leaf::Expired,
         u"/CN=localhost"_s,
         u"leaf_localhost"_s,
         {u"-startdate"_s, u"20200101000000Z"_s, u"-enddate"_s, u"20201231000000Z"_s}},
        {Leaf::WrongHost, u"/CN=wrong.example"_s, u"leaf_wronghost"_s, {u"-days"_s, u"3650"_s}},
        {Leaf::Renewed, u"/CN=localhost"_s, u"leaf_localhost"_s, {u"-days"_s, u"3650"_s}},
    };
    for (const SignedLeaf& item : signedLeaves) {
        const QString stem = fileStem(item.leaf);
        if (!runOpenssl(QStringList{u"req"_s, u"-new"_s} + config + EcKeyOptions +
                        QStringList{u"-keyout"_s, stem + u".key"_s, u"-out"_s, stem + u".csr"_s,
                                    u"-subj"_s, item.subject}))
            return false;
        if (!runOpenssl(QStringList{u"ca"_s, u"-batch"_s, u"-notext"_s} + config +
                        QStringList{u"-cert"_s, u"ca.pem"_s, u"-keyfile"_s, u"ca.key"_s, u"-in"_s,
                                    stem + u".csr"_s, u"-out"_s, stem + u".pem"_s, u"-extensions"_s,
                                    item.extensions} +
                        item.validity))
            return false;
    }

    // The self-signed leaf.
    if (!runOpenssl(QStringList{u"req"_s, u"-x509"_s} + config + EcKeyOptions +
                    QStringList{u"-keyout"_s, u"selfsigned.key"_s, u"-out"_s, u"selfsigned.pem"_s,
                                u"-subj"_s, u"/CN=localhost"_s, u"-days"_s, u"3650"_s,
                                u"-extensions"_s, u"leaf_selfsigned"_s}))
        return false;

    const QList<QSslCertificate> ca = QSslCertificate::fromPath(caCertificatePath());
    if (ca.size() != 1) {
        m_error = u"the generated CA certificate cannot be read"_s;
        return false;
    }
    m_ca = ca.first();
    for (Leaf leaf :
         {Leaf::Localhost, Leaf::Expired, Leaf::WrongHost, Leaf::SelfSigned, Leaf::Renewed}) {
        if (certificate(leaf).isNull() || key(leaf).isNull()) {
            m_error =
                u"the generated "_s + fileStem(leaf) + u" certificate or key cannot be read"_s;
            return false;
        }
    }
    return true;
}

} // namespace relaydeck::test
