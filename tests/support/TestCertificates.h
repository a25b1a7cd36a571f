#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace relaydeck::test {

// Certificates for TLS tests, generated once per test process with the `openssl` command into a
// temporary directory that lives until the process ends:
//  - a test CA (trust it through profile.tls.caFile = caCertificatePath());
//  - Localhost: signed by the CA, for DNS localhost and IP 127.0.0.1, valid for ten years;
//  - Expired: signed by the CA, same names, valid only in 2020;
//  - WrongHost: signed by the CA, for DNS wrong.example only;
//  - SelfSigned: self-signed, for localhost and 127.0.0.1 (no CA vouches for it);
//  - Renewed: like Localhost (same CA, same names) with another key: a renewal.
// Keys are EC P-256 (fast to generate). Generating certificates is test-only code, so it may
// block on the openssl process.
class TestCertificates
{
public:
    enum class Leaf
    {
        Localhost,
        Expired,
        WrongHost,
        SelfSigned,
        Renewed
    };

    // The shared instance; generated on first use. Check isValid() (errorString() says why not).
    static const TestCertificates& instance();

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    QString directory() const { return m_dir; }
    QString caCertificatePath() const;
    QSslCertificate caCertificate() const { return m_ca; }

    QString certificatePath(Leaf leaf) const;
    QString keyPath(Leaf leaf) const;
    QSslCertificate certificate(Leaf leaf) const;
    QSslKey key(Leaf leaf) const;
    // SHA-256 of the leaf's DER encoding, lower-case hex without colons (the profile's pin form).
    QString sha256(Leaf leaf) const;
    // The same digest as the report shows it: upper-case hex pairs joined by colons.
    QString sha256WithColons(Leaf leaf) const;

    static QString leafName(Leaf leaf);

private:
    TestCertificates();
    bool generate();
    bool runOpenssl(const QStringList& arguments);

    QString m_dir;
    QString m_error;
    QSslCertificate m_ca;
};

} // namespace relaydeck::test
