#include "ConnectionProfile.h"

#include <array>
#include <utility>

namespace relaydeck {

namespace {

template <typename Enum, std::size_t N>
QString wordFor(const std::array<std::pair<Enum, const char16_t*>, N>& table, Enum value)
{
    for (const auto& [candidate, word] : table) {
        if (candidate == value)
            return QString::fromUtf16(word);
    }
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueFor(const std::array<std::pair<Enum, const char16_t*>, N>& table,
                             const QString& word)
{
    const QString normalised = word.trimmed().toLower();
    for (const auto& [value, candidate] : table) {
        if (normalised == QString::fromUtf16(candidate))
            return value;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<Security, const char16_t*>, 4> securityWords{{
    {Security::None, u"none"},
    {Security::StartTls, u"starttls"},
    {Security::ImplicitTls, u"tls"},
    {Security::Auto, u"auto"},
}};

constexpr std::array<std::pair<AuthMechanism, const char16_t*>, 13> mechanismWords{{
    {AuthMechanism::Auto, u"auto"},
    {AuthMechanism::None, u"none"},
    {AuthMechanism::Plain, u"plain"},
    {AuthMechanism::Login, u"login"},
    {AuthMechanism::CramMd5, u"cram-md5"},
    {AuthMechanism::ScramSha1, u"scram-sha-1"},
    {AuthMechanism::ScramSha256, u"scram-sha-256"},
    {AuthMechanism::XOAuth2, u"xoauth2"},
    {AuthMechanism::OAuthBearer, u"oauthbearer"},
    {AuthMechanism::Ntlm, u"ntlm"},
    {AuthMechanism::Anonymous, u"anonymous"},
    {AuthMechanism::External, u"external"},
    {AuthMechanism::Gssapi, u"gssapi"},
}};

constexpr std::array<std::pair<TlsMinimumVersion, const char16_t*>, 4> tlsVersionWords{{
    {TlsMinimumVersion::Tls10, u"1.0"},
    {TlsMinimumVersion::Tls11, u"1.1"},
    {TlsMinimumVersion::Tls12, u"1.2"},
    {TlsMinimumVersion::Tls13, u"1.3"},
}};

constexpr std::array<std::pair<ProxyType, const char16_t*>, 4> proxyWords{{
    {ProxyType::None, u"none"},
    {ProxyType::System, u"system"},
    {ProxyType::Socks5, u"socks5"},
    {ProxyType::Http, u"http"},
}};

constexpr std::array<std::pair<OAuthProvider, const char16_t*>, 4> oauthProviderWords{{
    {OAuthProvider::None, u"none"},
    {OAuthProvider::Microsoft, u"microsoft"},
    {OAuthProvider::Google, u"google"},
    {OAuthProvider::Custom, u"custom"},
}};

constexpr std::array<std::pair<SecretSourceKind, const char16_t*>, 3> secretSourceWords{{
    {SecretSourceKind::Keychain, u"keychain"},
    {SecretSourceKind::Environment, u"environment"},
    {SecretSourceKind::Command, u"command"},
}};

} // namespace

int ConnectionProfile::defaultPort(Security security)
{
    switch (security) {
    case Security::None:
        return 25;
    case Security::StartTls:
        return 587;
    case Security::ImplicitTls:
        return 465;
    case Security::Auto:
        // A blank port with "automatic": the submission port, where auto means STARTTLS
        // required (465 would be implicit TLS, 25 opportunistic; both are given explicitly).
        return 587;
    }
    return 587;
}

bool ConnectionProfile::usesAuthentication() const
{
    switch (auth.mechanism) {
    case AuthMechanism::None:
        return false;
    case AuthMechanism::Anonymous:
    case AuthMechanism::External:
    case AuthMechanism::Gssapi:
        return true;
    case AuthMechanism::Auto:
        return auth.useKerberosTicket || !auth.username.trimmed().isEmpty();
    default:
        return !auth.username.trimmed().isEmpty() || !auth.usernameVariable.isEmpty();
    }
}

bool ConnectionProfile::usesKerberosTicket() const
{
    return auth.mechanism == AuthMechanism::Gssapi ||
           (auth.mechanism == AuthMechanism::Auto && auth.useKerberosTicket);
}

bool ConnectionProfile::usesOAuthSignIn() const
{
    return oauth.provider != OAuthProvider::None && (auth.mechanism == AuthMechanism::XOAuth2 ||
                                                     auth.mechanism == AuthMechanism::OAuthBearer);
}

QString toString(Security value)
{
    return wordFor(securityWords, value);
}
QString toString(AuthMechanism value)
{
    return wordFor(mechanismWords, value);
}
QString toString(TlsMinimumVersion value)
{
    return wordFor(tlsVersionWords, value);
}
QString toString(ProxyType value)
{
    return wordFor(proxyWords, value);
}

QString toString(OAuthProvider value)
{
    return wordFor(oauthProviderWords, value);
}

QString toString(SecretSourceKind value)
{
    return wordFor(secretSourceWords, value);
}

std::optional<SecretSourceKind> secretSourceKindFromString(const QString& word)
{
    return valueFor(secretSourceWords, word);
}

std::optional<Security> securityFromString(const QString& word)
{
    return valueFor(securityWords, word);
}

std::optional<AuthMechanism> authMechanismFromString(const QString& word)
{
    return valueFor(mechanismWords, word);
}

std::optional<TlsMinimumVersion> tlsMinimumVersionFromString(const QString& word)
{
    return valueFor(tlsVersionWords, word);
}

std::optional<ProxyType> proxyTypeFromString(const QString& word)
{
    return valueFor(proxyWords, word);
}

std::optional<OAuthProvider> oauthProviderFromString(const QString& word)
{
    return valueFor(oauthProviderWords, word);
}

QStringList allSecurityWords()
{
    QStringList words;
    for (const auto& entry : securityWords)
        words << QString::fromUtf16(entry.second);
    return words;
}

QStringList allAuthMechanismWords()
{
    QStringList words;
    for (const auto& entry : mechanismWords)
        words << QString::fromUtf16(entry.second);
    return words;
}

} // namespace relaydeck
