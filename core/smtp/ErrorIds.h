#pragma once

#include <QString>

// Stable error ids of the test report (docs/ARCHITECTURE.md, "Error ids"). The GUI, the CLI,
// translations and scripts key on these words: never rename one.
namespace relaydeck::ErrorId {

inline const QString DnsFailed = QStringLiteral("dns-failed");
inline const QString ConnectionRefused = QStringLiteral("connection-refused");
inline const QString ConnectTimeout = QStringLiteral("connect-timeout");
inline const QString NetworkUnreachable = QStringLiteral("network-unreachable");
inline const QString ProxyFailed = QStringLiteral("proxy-failed");
inline const QString ProxyAuthFailed = QStringLiteral("proxy-auth-failed");
inline const QString GreetingTimeout = QStringLiteral("greeting-timeout");
inline const QString GreetingRejected = QStringLiteral("greeting-rejected");
inline const QString ProtocolError = QStringLiteral("protocol-error");
inline const QString ServerClosed = QStringLiteral("server-closed");
inline const QString Timeout = QStringLiteral("timeout");
inline const QString TlsHandshakeFailed = QStringLiteral("tls-handshake-failed");
// The profile allows TLS 1.0/1.1, which this system's TLS library cannot offer.
inline const QString TlsVersionUnavailable = QStringLiteral("tls-version-unavailable");
inline const QString CertificateUntrusted = QStringLiteral("certificate-untrusted");
inline const QString CertificateHostnameMismatch = QStringLiteral("certificate-hostname-mismatch");
inline const QString CertificateExpired = QStringLiteral("certificate-expired");
inline const QString CertificatePinMismatch = QStringLiteral("certificate-pin-mismatch");
inline const QString StartTlsNotOffered = QStringLiteral("starttls-not-offered");
inline const QString StartTlsRejected = QStringLiteral("starttls-rejected");
inline const QString StartTlsInjection = QStringLiteral("starttls-injection");
inline const QString AuthNotOffered = QStringLiteral("auth-not-offered");
inline const QString AuthMechanismUnavailable = QStringLiteral("auth-mechanism-unavailable");
inline const QString AuthFailed = QStringLiteral("auth-failed");
inline const QString PlaintextAuthRefused = QStringLiteral("plaintext-auth-refused");
inline const QString SenderRejected = QStringLiteral("sender-rejected");
inline const QString RecipientRejected = QStringLiteral("recipient-rejected");
inline const QString MessageRejected = QStringLiteral("message-rejected");
inline const QString MessageTooLarge = QStringLiteral("message-too-large");
// OAuth 2.0 sign-in (stage auth, nothing sent to the SMTP server): no refresh token is stored, or
// the provider no longer accepts it; and any other failure to obtain an access token.
inline const QString OAuthSignInRequired = QStringLiteral("oauth-sign-in-required");
inline const QString OAuthTokenFailed = QStringLiteral("oauth-token-failed");
// A password supplied at run time (SecretSource; stage auth, nothing sent to the SMTP server):
// its environment variable is not set or its command failed; and a command imported from a file
// that the admin has not enabled yet.
inline const QString PasswordSourceFailed = QStringLiteral("password-source-failed");
inline const QString PasswordCommandDisabled = QStringLiteral("password-command-disabled");
// Kerberos (GSSAPI), found on this machine before or while logging on: no ticket in the user's
// credential cache, an expired one, the KDC does not know the service principal smtp/HOST, and
// any other failure of the GSS-API (KDC unreachable, unknown realm, mutual authentication).
inline const QString KerberosNoTicket = QStringLiteral("kerberos-no-ticket");
inline const QString KerberosTicketExpired = QStringLiteral("kerberos-ticket-expired");
inline const QString KerberosServiceUnknown = QStringLiteral("kerberos-service-unknown");
inline const QString KerberosFailed = QStringLiteral("kerberos-failed");
// Not a server verdict: the request itself is unusable (bad address, CR/LF in HELO name, ...).
inline const QString InvalidRequest = QStringLiteral("invalid-request");
inline const QString Cancelled = QStringLiteral("cancelled");

} // namespace relaydeck::ErrorId

namespace relaydeck::StageId {

inline const QString Resolve = QStringLiteral("resolve");
inline const QString Connect = QStringLiteral("connect");
inline const QString Greeting = QStringLiteral("greeting");
inline const QString Ehlo = QStringLiteral("ehlo");
inline const QString StartTls = QStringLiteral("starttls");
inline const QString Tls = QStringLiteral("tls");
inline const QString Auth = QStringLiteral("auth");
inline const QString Send = QStringLiteral("send");
inline const QString Quit = QStringLiteral("quit");

} // namespace relaydeck::StageId
