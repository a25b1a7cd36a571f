// TlsPeerCheck: which certificate problems stop a test, what a pin accepts, what --no-verify
// lets through (and still reports).
#include "smtp/ErrorIds.h"
#include "smtp/TlsPeerCheck.h"

#include <QTemporaryFile>
#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

// A self-signed certificate for pinned.test / 192.0.2.7, valid until 2126 (no key needed here).
const QByteArray certificatePem = R"(-----BEGIN CERTIFICATE-----
MIIBojCCAUegAwIBAgIUHO42VJrixVp7VHiQV9FPPNdzxXswCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcGlubmVkLnRlc3QwIBcNMjYxMTI1MDgzNzA2WhgPMjEyNjEx
MDEwODM3MDZaMBYxFDASBgNVBAMMC3Bpbm5lZC50ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAE+gh0X6fD44N8jFTgLcZ2GwjpnSU6Mn3ZJBWaaOPsqCyPRhmU
u+z1Mr/CsT+Gwq2BwbwVbe2OPfmAjomVRaoXsKNxMG8wHQYDVR0OBBYEFKgXi3pR
bb2yRlhtee7HtAJXgPMlMB8GA1UdIwQYMBaAFKgXi3pRbb2yRlhtee7HtAJXgPMl
MA8GA1UdEwEB/wQFMAMBAf8wHAYDVR0RBBUwE4ILcGlubmVkLnRlc3SHBMAAAgcw
CgYIKoZIzj0EAwIDSQAwRgIhAIUF+tR+lwVc7kEDn+ICa6xY/SptXUBwId/jt4ZN
U1I3AiEAk7yykAOpwkq7fnV53K/Ecv6S2CBab1/9Qe+2sgB3rxE=
-----END CERTIFICATE-----
)";
// `openssl x509 -noout -fingerprint -sha256` of the certificate above.
const QString opensslFingerprint =
    u"4C:B3:31:A9:D6:6F:9A:20:7C:03:5A:55:A7:C9:0A:67:49:77:10:5F:A2:82:AC:AE:95:A5:0A:DB:DC:0F:E5:02"_s;

QSslCertificate certificate()
{
    return QSslCertificate(certificatePem, QSsl::Pem);
}

QString pin()
{
    return opensslFingerprint.toLower().remove(u':');
}

} // namespace

class TlsPeerCheckTest : public QObject
{
    Q_OBJECT

private slots:
    void fingerprintsMatchOpenSsl()
    {
        QVERIFY(!certificate().isNull());
        QCOMPARE(TlsPeerCheck::displayFingerprint(certificate()), opensslFingerprint);
        QCOMPARE(TlsPeerCheck::pinOf(certificate()), pin());
    }

    void describeNamesSubjectIssuerAndAltNames()
    {
        const CertificateInfo info = TlsPeerCheck::describe(certificate());
        QCOMPARE(info.subject, u"pinned.test"_s);
        QCOMPARE(info.issuer, u"pinned.test"_s);
        QCOMPARE(info.sha256, opensslFingerprint);
        QVERIFY(info.subjectAltNames.contains(u"DNS:pinned.test"_s));
        QVERIFY(info.subjectAltNames.contains(u"IP:192.0.2.7"_s));
        QCOMPARE(info.notAfter.date().year(), 2126);
    }

    void problemsMapToErrorIds_data()
    {
        QTest::addColumn<QList<int>>("errors");
        QTest::addColumn<QString>("errorId");
        QTest::newRow("no errors") << QList<int>{} << QString();
        QTest::newRow("self-signed")
            << QList<int>{QSslError::SelfSignedCertificate} << ErrorId::CertificateUntrusted;
        QTest::newRow("unknown issuer") << QList<int>{QSslError::UnableToGetLocalIssuerCertificate}
                                        << ErrorId::CertificateUntrusted;
        QTest::newRow("expired") << QList<int>{QSslError::CertificateExpired}
                                 << ErrorId::CertificateExpired;
        QTest::newRow("not yet valid")
            << QList<int>{QSslError::CertificateNotYetValid} << ErrorId::CertificateExpired;
        QTest::newRow("name") << QList<int>{QSslError::HostNameMismatch}
                              << ErrorId::CertificateHostnameMismatch;
        QTest::newRow("expired and name")
            << QList<int>{QSslError::HostNameMismatch, QSslError::CertificateExpired}
            << ErrorId::CertificateExpired;
        QTest::newRow("untrusted wins")
            << QList<int>{QSslError::CertificateExpired, QSslError::SelfSignedCertificate}
            << ErrorId::CertificateUntrusted;
    }

    void problemsMapToErrorIds()
    {
        QFETCH(QList<int>, errors);
        QFETCH(QString, errorId);
        QList<QSslError> sslErrors;
        for (int error : errors)
            sslErrors.append(QSslError(static_cast<QSslError::SslError>(error), certificate()));

        const auto verdict = TlsPeerCheck(TlsSettings{}).judge(sslErrors, {certificate()});
        QCOMPARE(verdict.errorId, errorId);
        QCOMPARE(verdict.accepted, errorId.isEmpty());
        QCOMPARE(verdict.verified, errorId.isEmpty());
        QCOMPARE(verdict.errors.size(), errors.size());
    }

    void verifyOffAcceptsButReportsEverything()
    {
        TlsSettings settings;
        settings.verifyPeer = false;
        const QList<QSslError> errors{QSslError(QSslError::SelfSignedCertificate, certificate()),
                                      QSslError(QSslError::HostNameMismatch, certificate())};
        const auto verdict = TlsPeerCheck(settings).judge(errors, {certificate()});
        QVERIFY(verdict.accepted);
        QVERIFY(!verdict.verified);
        QCOMPARE(verdict.errors.size(), 2);
    }

    void matchingPinAcceptsAnUntrustedCertificate()
    {
        TlsSettings settings;
        settings.pinnedSha256 = {u"00"_s.repeated(32), pin()};
        const QList<QSslError> errors{QSslError(QSslError::SelfSignedCertificate, certificate()),
                                      QSslError(QSslError::HostNameMismatch, certificate())};
        const auto verdict = TlsPeerCheck(settings).judge(errors, {certificate()});
        QVERIFY(verdict.accepted);
        QVERIFY(verdict.verified);
        QVERIFY(verdict.errorId.isEmpty());
    }

    void otherPinRefusesEvenATrustedCertificate()
    {
        TlsSettings settings;
        settings.pinnedSha256 = {u"ab"_s.repeated(32)};
        const auto verdict = TlsPeerCheck(settings).judge({}, {certificate()});
        QVERIFY(!verdict.accepted);
        QCOMPARE(verdict.errorId, ErrorId::CertificatePinMismatch);
        QVERIFY(!verdict.errors.isEmpty());
    }

    void configureReadsTheCaFileAndTheMinimumVersion()
    {
        QTemporaryFile caFile;
        QVERIFY(caFile.open());
        caFile.write(certificatePem);
        caFile.flush();

        TlsSettings settings;
        settings.caFile = caFile.fileName();
        settings.minimumVersion = TlsMinimumVersion::Tls13;
        const Result<QSslConfiguration> configured =
            TlsPeerCheck(settings).configure(QSslConfiguration(), {});
        QVERIFY2(configured.ok(), qPrintable(configured.failureMessage()));
        const QSslConfiguration& configuration = configured.value();
        QVERIFY(configuration.caCertificates().contains(certificate()));
        QCOMPARE(configuration.protocol(), QSsl::TlsV1_3OrLater);
        QCOMPARE(configuration.peerVerifyMode(), QSslSocket::VerifyPeer);
    }

    // TLS 1.0/1.1 only on opt-in: OpenSSL's security level 0 and the maximum for that
    // connection alone; a modern minimum sets neither.
    void legacyMinimumLowersTheSecurityLevelForThisConnectionOnly()
    {
        TlsSettings settings;
        Result<QSslConfiguration> configured =
            TlsPeerCheck(settings).configure(QSslConfiguration(), {});
        QVERIFY(configured.ok());
        QVERIFY(configured.value().backendConfiguration().isEmpty());
        QCOMPARE(configured.value().protocol(), QSsl::TlsV1_2OrLater);

        settings.minimumVersion = TlsMinimumVersion::Tls10;
        settings.maximumVersion = TlsMinimumVersion::Tls12;
        QVERIFY(settings.allowsLegacyVersions());
        // OpenSSL 3 on Debian 12 still has TLS 1.0/1.1 (at security level 0).
        QCOMPARE(TlsPeerCheck::legacyUnavailableReason(settings), QString());
        configured = TlsPeerCheck(settings).configure(QSslConfiguration(), {});
        QVERIFY2(configured.ok(), qPrintable(configured.failureMessage()));
        const QMap<QByteArray, QVariant> options = configured.value().backendConfiguration();
        QCOMPARE(options.value("CipherString").toByteArray(), QByteArray("DEFAULT:@SECLEVEL=0"));
        QCOMPARE(options.value("MaxProtocol").toByteArray(), QByteArray("TLSv1.2"));
        QT_WARNING_PUSH
        QT_WARNING_DISABLE_DEPRECATED
        QCOMPARE(configured.value().protocol(), QSsl::TlsV1_0OrLater);
        settings.minimumVersion = TlsMinimumVersion::Tls11;
        settings.maximumVersion.reset();
        QCOMPARE(TlsPeerCheck::protocolFor(settings), QSsl::TlsV1_1OrLater);
        QT_WARNING_POP
        QVERIFY(!TlsPeerCheck::legacyOptions(settings).contains("MaxProtocol"));
    }

    void configureRefusesAMissingOrEmptyCaFile()
    {
        TlsSettings settings;
        settings.caFile = u"/nonexistent/ca.pem"_s;
        const Result<QSslConfiguration> missing =
            TlsPeerCheck(settings).configure(QSslConfiguration(), {});
        QVERIFY(!missing);
        QVERIFY(missing.failure().message.contains(u"/nonexistent/ca.pem"_s));

        QTemporaryFile empty;
        QVERIFY(empty.open());
        settings.caFile = empty.fileName();
        const Result<QSslConfiguration> noPem =
            TlsPeerCheck(settings).configure(QSslConfiguration(), {});
        QVERIFY(!noPem);
        QVERIFY(noPem.failure().message.contains(u"PEM"_s));
    }
};

QTEST_GUILESS_MAIN(TlsPeerCheckTest)
#include "tst_tlspeercheck.moc"
