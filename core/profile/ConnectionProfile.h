#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace relaydeck {

// How the SMTP connection is secured. Words used in files and on the CLI: none|starttls|tls|auto.
// Auto (issue 16; what a Symfony smtp:// DSN means): port 465 is implicit TLS; otherwise
// STARTTLS is required, except towards a loopback peer or on port 25, where it is used when
// offered and the session goes on unencrypted (with a warning) when it is not
// (docs/ARCHITECTURE.md engine rule 13; AutoSecurity).
enum class Security
{
    None,
    StartTls,
    ImplicitTls,
    Auto
};

// SASL mechanism chosen for a profile. Auto takes the strongest both sides support;
// None skips authentication. Words: auto|none|plain|login|cram-md5|scram-sha-1|scram-sha-256|
// xoauth2|oauthbearer|ntlm|anonymous|external|gssapi.
enum class AuthMechanism
{
    Auto,
    None,
    Plain,
    Login,
    CramMd5,
    ScramSha1,
    ScramSha256,
    XOAuth2,
    OAuthBearer,
    Ntlm,
    Anonymous,
    External,
    Gssapi // Kerberos V5 through the system's GSS-API (RFC 4752): the user's ticket, no password
};

// A TLS version (the lowest or highest one allowed). Words: 1.0|1.1|1.2|1.3. Tls12 is the
// default minimum; 1.0 and 1.1 (obsolete, RFC 8996) only on explicit opt-in for a legacy server.
enum class TlsMinimumVersion
{
    Tls10,
    Tls11,
    Tls12,
    Tls13
};

// Words: none|system|socks5|http.
enum class ProxyType
{
    None,
    System,
    Socks5,
    Http
};

// Who issues the OAuth 2.0 tokens of a profile. Words: none|microsoft|google|custom.
enum class OAuthProvider
{
    None,
    Microsoft,
    Google,
    Custom
};

// OAuth 2.0 sign-in (XOAUTH2/OAUTHBEARER with tokens Relaydeck fetches and refreshes itself). No
// secret here: the refresh token and a client secret live in the keychain. Endpoints and scope
// left empty take the provider's defaults (see OAuthEndpoints); a custom provider names them.
struct OAuthSettings
{
    OAuthProvider provider = OAuthProvider::None;
    QString tenant;   // Microsoft: common, organizations, consumers or a tenant id/domain
    QString clientId; // the admin's own app registration
    QString authorizationUrl;
    QString tokenUrl;
    QString deviceAuthorizationUrl; // RFC 8628; optional
    QString scope;                  // space-separated

    bool operator==(const OAuthSettings&) const = default;
};

// Where a profile's password comes from when a test runs. Words: keychain|environment|command.
enum class SecretSourceKind
{
    Keychain,    // the keychain slot smtp-password (the default)
    Environment, // an environment variable of the process that runs the test
    Command      // the first line a program prints (run without a shell, with a timeout)
};

// A secret supplied at run time (RuntimeSecretResolver reads it). Names a variable or a
// command, never holds the secret itself.
struct SecretSource
{
    SecretSourceKind kind = SecretSourceKind::Keychain;
    QString variable;      // Environment: the variable's name
    QString program;       // Command: the program (found on PATH when it has no slash)
    QStringList arguments; // Command: its arguments, passed as they are (no shell)
    // Command: false for a command that came from an imported file until the admin enables it
    // (running commands from a file someone sent is dangerous).
    bool enabled = true;

    bool operator==(const SecretSource&) const = default;
};

struct AuthSettings
{
    AuthMechanism mechanism = AuthMechanism::Auto;
    QString username; // blank: no authentication (unless mechanism is anonymous/external)
    bool allowPlaintext = false; // allow credentials over an unencrypted connection
    SecretSource passwordSource; // where the password (or token given like one) comes from
    // Not empty: the user name comes from this environment variable when a test runs (the
    // `username` field is then not used).
    QString usernameVariable;
    // Log on with the Kerberos ticket of the user running Relaydeck (GSSAPI): no password. With
    // the mechanism auto, GSSAPI is used only when this is set (and then only GSSAPI).
    bool useKerberosTicket = false;

    bool operator==(const AuthSettings&) const = default;
};

struct TlsSettings
{
    bool verifyPeer = true;
    TlsMinimumVersion minimumVersion = TlsMinimumVersion::Tls12;
    // Highest TLS version offered (same words as the minimum); nullopt: the newest there is.
    // Exactly 1.2 is for a server whose TLS 1.3 is broken.
    std::optional<TlsMinimumVersion> maximumVersion;
    QString caFile;                // PEM file with extra trusted CAs
    QStringList pinnedSha256;      // leaf certificate SHA-256, lower-case hex without colons
    QString clientCertificateFile; // PEM
    QString clientKeyFile;         // PEM; passphrase lives in the keychain

    bool operator==(const TlsSettings&) const = default;
    // TLS 1.0 or 1.1 allowed: the admin opted in for a legacy server (a warning wherever shown).
    bool allowsLegacyVersions() const { return minimumVersion < TlsMinimumVersion::Tls12; }
};

struct ProxySettings
{
    ProxyType type = ProxyType::None;
    QString host;
    int port = 0;
    QString username;
    QString domain;

    bool operator==(const ProxySettings&) const = default;
};

// One named SMTP connection. A value type: copy it, edit the copy, hand it to ProfileStore.
// No secret ever lives here; secrets are in the SecretStore keyed by id.
struct ConnectionProfile
{
    QUuid id;
    QString name;
    QString description;
    QString host;
    int port = 0; // 0: the default port of the security mode (see effectivePort; auto: 587)
    Security security = Security::StartTls;
    int timeoutSeconds = 30;
    QString sender;   // envelope and header From of test messages
    QString heloName; // EHLO/HELO name (local domain); empty: the machine's host name
    QString charset = QStringLiteral("UTF-8");
    AuthSettings auth;
    TlsSettings tls;
    ProxySettings proxy;
    OAuthSettings oauth;
    QMap<QString, QString> options; // free key/values, e.g. restart_threshold, ping_threshold
    QString preset;                 // id of the preset it was created from, if any

    bool operator==(const ConnectionProfile&) const = default;

    static int defaultPort(Security security);
    int effectivePort() const { return port > 0 ? port : defaultPort(security); }
    // True when the profile authenticates at all (a user name or a user name variable, or a
    // mechanism needing none).
    bool usesAuthentication() const;
    // True when Relaydeck signs in with OAuth 2.0 and fetches the access token itself: a
    // provider is set and the mechanism is XOAUTH2 or OAUTHBEARER (otherwise a token is given
    // like a password).
    bool usesOAuthSignIn() const;
    // True when the login uses the user's Kerberos ticket (GSSAPI) instead of a password: the
    // mechanism gssapi, or auto with auth.useKerberosTicket.
    bool usesKerberosTicket() const;
};

// Enumeration <-> the words of the CLI and the file format.
QString toString(Security value);
QString toString(AuthMechanism value);
QString toString(TlsMinimumVersion value);
QString toString(ProxyType value);
QString toString(OAuthProvider value);
QString toString(SecretSourceKind value);
std::optional<Security> securityFromString(const QString& word);
std::optional<AuthMechanism> authMechanismFromString(const QString& word);
std::optional<TlsMinimumVersion> tlsMinimumVersionFromString(const QString& word);
std::optional<ProxyType> proxyTypeFromString(const QString& word);
std::optional<OAuthProvider> oauthProviderFromString(const QString& word);
std::optional<SecretSourceKind> secretSourceKindFromString(const QString& word);
QStringList allAuthMechanismWords();
QStringList allSecurityWords(); // none, starttls, tls, auto

} // namespace relaydeck
