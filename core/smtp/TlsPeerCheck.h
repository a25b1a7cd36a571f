#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QVariant>

namespace relaydeck {

// Engine rule 5 (docs/ARCHITECTURE.md): decides whether a server's certificate is accepted for a
// profile. System CAs plus the profile's CA file; a pinned SHA-256 accepts that leaf (and only it);
// verify off is an explicit choice that still lists every error. Never talks to a socket itself.
class TlsPeerCheck
{
public:
    struct Verdict
    {
        bool accepted = false;
        bool verified = false; // accepted by the CA chain or a matching pin
        bool pinned = false;   // accepted by a matching pin (errors lists what the pin overrides)
        QString errorId;       // when not accepted:
                               // certificate-untrusted/-expired/-hostname-mismatch/-pin-mismatch
        QStringList errors;    // every verification problem, in words
        bool hostnameMatches = true; // no error says the certificate is for another name
    };

    explicit TlsPeerCheck(const TlsSettings& settings);

    // `configuration` with the client's CAs, protocol versions, peer verification and client
    // certificate. The Failure io-error (translated message) when the CA file or the client
    // certificate/key cannot be read.
    Result<QSslConfiguration> configure(QSslConfiguration configuration,
                                        const QString& clientKeyPassphrase) const;

    // The handshake trusts only the CA file when one is set (see configure()). When the only
    // problems are about the issuer, the chain is checked again against the system's roots:
    // returns the errors that remain (none when a system root vouches for it).
    QList<QSslError> withSystemRoots(const QList<QSslError>& errors,
                                     const QList<QSslCertificate>& chain,
                                     const QString& hostName) const;

    // Called with the errors OpenSSL/Qt reported (possibly none) and the peer's chain.
    Verdict judge(const QList<QSslError>& errors, const QList<QSslCertificate>& chain) const;

    // Lower-case hex without colons, as stored in profiles.
    static QString pinOf(const QSslCertificate& certificate);
    // Upper-case hex pairs joined by colons, as shown to people and in reports.
    static QString displayFingerprint(const QSslCertificate& certificate);
    static CertificateInfo describe(const QSslCertificate& certificate);
    // "TLSv1.3"
    static QString protocolName(QSsl::SslProtocol protocol);
    // The QSslConfiguration protocol for the profile's minimum and maximum TLS version.
    static QSsl::SslProtocol protocolFor(const TlsSettings& settings);
    // OpenSSL settings a legacy minimum (TLS 1.0/1.1) needs: security level 0 and the maximum.
    // Empty for modern settings.
    static QMap<QByteArray, QVariant> legacyOptions(const TlsSettings& settings);
    // Why TLS 1.0/1.1 cannot be allowed here (another TLS back end, or an OpenSSL without
    // them), in words for the report; empty when it can, or when the settings do not ask.
    static QString legacyUnavailableReason(const TlsSettings& settings);

private:
    TlsSettings m_settings;
};

} // namespace relaydeck
