#include "smtp/TlsPeerCheck.h"

#include "smtp/ErrorIds.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QSslKey>
#include <QSslSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

enum class Problem
{
    Untrusted,
    Expired,
    HostnameMismatch,
    Other
};

Problem classify(QSslError::SslError error)
{
    switch (error) {
    case QSslError::CertificateExpired:
    case QSslError::CertificateNotYetValid:
        return Problem::Expired;
    case QSslError::HostNameMismatch:
        return Problem::HostnameMismatch;
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
    case QSslError::InvalidCaCertificate:
    case QSslError::CertificateSignatureFailed:
        return Problem::Untrusted;
    default:
        return Problem::Other;
    }
}

QString subjectText(const QSslCertificate& certificate, bool issuer)
{
    const QStringList parts = issuer ? certificate.issuerInfo(QSslCertificate::CommonName)
                                     : certificate.subjectInfo(QSslCertificate::CommonName);
    if (!parts.isEmpty())
        return parts.join(u", "_s);
    return issuer ? certificate.issuerDisplayName() : certificate.subjectDisplayName();
}

} // namespace

QSsl::SslProtocol TlsPeerCheck::protocolFor(const TlsSettings& settings)
{
    // Qt 6.4 has one protocol value per modern range: TlsV1_2 is exactly 1.2 (OpenSSL's minimum
    // and maximum both 1.2), the OrLater values leave the maximum open (1.3 is the newest there
    // is, so "at most 1.3" is the same as no maximum). A legacy minimum takes its OrLater value;
    // its maximum is OpenSSL's MaxProtocol (legacyOptions()).
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    switch (settings.minimumVersion) {
    case TlsMinimumVersion::Tls10:
        return QSsl::TlsV1_0OrLater;
    case TlsMinimumVersion::Tls11:
        return QSsl::TlsV1_1OrLater;
    case TlsMinimumVersion::Tls13:
        return QSsl::TlsV1_3OrLater;
    case TlsMinimumVersion::Tls12:
        break;
    }
    QT_WARNING_POP
    if (settings.maximumVersion == TlsMinimumVersion::Tls12)
        return QSsl::TlsV1_2;
    return QSsl::TlsV1_2OrLater;
}

QMap<QByteArray, QVariant> TlsPeerCheck::legacyOptions(const TlsSettings& settings)
{
    if (!settings.allowsLegacyVersions())
        return {};
    // OpenSSL 3 refuses TLS 1.0/1.1 at security level 1 and above (their handshake signs with
    // SHA-1/MD5): level 0 lets them through, for this connection only.
    QMap<QByteArray, QVariant> options{{"CipherString", QByteArray("DEFAULT:@SECLEVEL=0")}};
    if (settings.maximumVersion) {
        static const QMap<TlsMinimumVersion, QByteArray> names{
            {TlsMinimumVersion::Tls10, "TLSv1"},
            {TlsMinimumVersion::Tls11, "TLSv1.1"},
            {TlsMinimumVersion::Tls12, "TLSv1.2"},
            {TlsMinimumVersion::Tls13, "TLSv1.3"}};
        options.insert("MaxProtocol", names.value(*settings.maximumVersion));
    }
    return options;
}

QString TlsPeerCheck::legacyUnavailableReason(const TlsSettings& settings)
{
    if (!settings.allowsLegacyVersions())
        return {};
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    const QSsl::SslProtocol wanted =
        settings.minimumVersion == TlsMinimumVersion::Tls10 ? QSsl::TlsV1_0 : QSsl::TlsV1_1;
    QT_WARNING_POP
    const QString version = toString(settings.minimumVersion);
    if (QSslSocket::activeBackend() != u"openssl"_s)
        return QCoreApplication::translate(
                   "TlsPeerCheck", "TLS %1 cannot be allowed with this system's TLS back end "
                                   "(%2): only the OpenSSL back end can offer it.")
            .arg(version, QSslSocket::activeBackend());
    if (!QSslSocket::isProtocolSupported(wanted))
        return QCoreApplication::translate(
                   "TlsPeerCheck", "TLS %1 is not available in this system's TLS library (%2): "
                                   "it was built without it.")
            .arg(version, QSslSocket::sslLibraryVersionString());
    return {};
}

TlsPeerCheck::TlsPeerCheck(const TlsSettings& settings)
    : m_settings(settings)
{}

Result<QSslConfiguration> TlsPeerCheck::configure(QSslConfiguration configuration,
                                                  const QString& clientKeyPassphrase) const
{
    if (const QString unavailable = legacyUnavailableReason(m_settings); !unavailable.isEmpty())
        return Failure{FailureId::Unsupported, unavailable};
    configuration.setProtocol(protocolFor(m_settings));
    const QMap<QByteArray, QVariant> options = legacyOptions(m_settings);
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        configuration.setBackendConfigurationOption(it.key(), it.value());
    // Errors are judged by judge(): the handshake itself always verifies, so every problem is
    // reported, and only judge() may accept one.
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);

    if (!m_settings.caFile.isEmpty()) {
        QFile file(m_settings.caFile);
        if (!file.open(QIODevice::ReadOnly)) {
            return Failure{FailureId::IoError, QCoreApplication::translate(
                                                   "TlsPeerCheck", "cannot read the CA file %1: %2")
                                                   .arg(m_settings.caFile, file.errorString())};
        }
        const QList<QSslCertificate> extra = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (extra.isEmpty()) {
            return Failure{FailureId::IoError,
                           QCoreApplication::translate("TlsPeerCheck",
                                                       "the CA file %1 holds no PEM certificate")
                               .arg(m_settings.caFile)};
        }
        // The handshake trusts the CA file alone: parsing every system root up front takes
        // half a second. A certificate the file does not vouch for gets a second chance with
        // the system's roots in withSystemRoots().
        configuration.setCaCertificates(extra);
    }

    if (!m_settings.clientCertificateFile.isEmpty()) {
        QFile certificateFile(m_settings.clientCertificateFile);
        QFile keyFile(m_settings.clientKeyFile.isEmpty() ? m_settings.clientCertificateFile
                                                         : m_settings.clientKeyFile);
        if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            return Failure{FailureId::IoError,
                           QCoreApplication::translate(
                               "TlsPeerCheck", "cannot read the client certificate or its key")};
        }
        const QList<QSslCertificate> certificates =
            QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
        const QByteArray keyData = keyFile.readAll();
        const QByteArray passphrase = clientKeyPassphrase.toUtf8();
        QSslKey key(keyData, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (key.isNull())
            key = QSslKey(keyData, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (certificates.isEmpty() || key.isNull()) {
            return Failure{
                FailureId::IoError,
                QCoreApplication::translate(
                    "TlsPeerCheck",
                    "the client certificate or its key is not readable PEM (or the key's "
                    "passphrase is wrong)")};
        }
        configuration.setLocalCertificateChain(certificates);
        configuration.setPrivateKey(key);
    }
    return configuration;
}

QList<QSslError> TlsPeerCheck::withSystemRoots(const QList<QSslError>& errors,
                                               const QList<QSslCertificate>& chain,
                                               const QString& hostName) const
{
    if (m_settings.caFile.isEmpty() || errors.isEmpty() || chain.isEmpty())
        return errors;
    const bool onlyIssuerProblems =
        std::all_of(errors.cbegin(), errors.cend(),
                    [](const QSslError& e) { return classify(e.error()) == Problem::Untrusted; });
    if (!onlyIssuerProblems)
        return errors;
    // Verifies against the default configuration's CAs: the system's roots.
    return QSslCertificate::verify(chain, hostName);
}

TlsPeerCheck::Verdict TlsPeerCheck::judge(const QList<QSslError>& errors,
                                          const QList<QSslCertificate>& chain) const
{
    Verdict verdict;
    QList<Problem> problems;
    for (const QSslError& error : errors) {
        verdict.errors.append(error.errorString());
        problems.append(classify(error.error()));
    }
    verdict.hostnameMatches = !problems.contains(Problem::HostnameMismatch);

    const QString leafPin = chain.isEmpty() ? QString() : pinOf(chain.first());
    if (!m_settings.pinnedSha256.isEmpty()) {
        const bool pinned = !leafPin.isEmpty() && m_settings.pinnedSha256.contains(leafPin);
        if (!pinned) {
            verdict.errors.append(QCoreApplication::translate(
                "TlsPeerCheck", "the certificate's SHA-256 fingerprint is not the pinned one"));
            verdict.errorId = ErrorId::CertificatePinMismatch;
            verdict.accepted = !m_settings.verifyPeer;
            return verdict;
        }
        // The pin is the identity: that certificate, and only it, is trusted for this profile.
        verdict.accepted = true;
        verdict.verified = true;
        verdict.pinned = true;
        return verdict;
    }

    if (problems.isEmpty()) {
        verdict.accepted = true;
        verdict.verified = true;
        return verdict;
    }
    if (problems.contains(Problem::Untrusted) || problems.contains(Problem::Other))
        verdict.errorId = ErrorId::CertificateUntrusted;
    else if (problems.contains(Problem::Expired))
        verdict.errorId = ErrorId::CertificateExpired;
    else
        verdict.errorId = ErrorId::CertificateHostnameMismatch;
    verdict.accepted = !m_settings.verifyPeer;
    return verdict;
}

QString TlsPeerCheck::pinOf(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString TlsPeerCheck::displayFingerprint(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

CertificateInfo TlsPeerCheck::describe(const QSslCertificate& certificate)
{
    CertificateInfo info;
    info.subject = subjectText(certificate, false);
    info.issuer = subjectText(certificate, true);
    info.notBefore = certificate.effectiveDate().toUTC();
    info.notAfter = certificate.expiryDate().toUTC();
    info.sha256 = displayFingerprint(certificate);
    info.pem = certificate.toPem();
    const auto names = certificate.subjectAlternativeNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        info.subjectAltNames.append((it.key() == QSsl::IpAddressEntry ? u"IP:"_s : u"DNS:"_s) +
                                    it.value());
    return info;
}

QString TlsPeerCheck::protocolName(QSsl::SslProtocol protocol)
{
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    switch (protocol) {
    case QSsl::TlsV1_3:
        return u"TLSv1.3"_s;
    case QSsl::TlsV1_2:
        return u"TLSv1.2"_s;
    case QSsl::TlsV1_1:
        return u"TLSv1.1"_s;
    case QSsl::TlsV1_0:
        return u"TLSv1.0"_s;
    default:
        return u"unknown"_s;
    }
    QT_WARNING_POP
}

} // namespace relaydeck
