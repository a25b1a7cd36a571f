#include "profile/ProfileValidation.h"

#include "common/Result.h"
#include "common/SmtpInputValidation.h"
#include "oauth/OAuthEndpoints.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "ProfileValidation" (lupdate files
// Text::tr() there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileValidation)
};

bool hasLineBreakOrControl(const QString& text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool needsUsername(AuthMechanism mechanism)
{
    switch (mechanism) {
    case AuthMechanism::Auto:
    case AuthMechanism::None:
    case AuthMechanism::Anonymous:
    case AuthMechanism::External:
    case AuthMechanism::Gssapi:
        return false;
    default:
        return true;
    }
}

// Reads at most a few MiB of a file the user named; the Failure io-error says why it is unusable.
Result<QByteArray> readUserFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Failure{FailureId::IoError, Text::tr("The file %1 does not exist.").arg(path)};
    if (!info.isFile())
        return Failure{FailureId::IoError, Text::tr("%1 is not a file.").arg(path)};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Failure{FailureId::IoError,
                       Text::tr("The file %1 cannot be read: %2").arg(path, file.errorString())};
    }
    return file.read(4 * 1024 * 1024);
}

class Checker
{
public:
    Checker(const ConnectionProfile& profile, ProfileValidation::Check check)
        : p(profile)
        , checkFiles(check == ProfileValidation::Check::All)
    {}

    ValidationIssues run()
    {
        checkName();
        checkHost();
        checkPort();
        checkTimeout();
        checkSender();
        checkHeloName();
        checkCharset();
        checkAuth();
        checkTls();
        checkProxy();
        checkOAuth();
        checkOptions();
        return issues;
    }

private:
    void add(const QString& field, const QString& message)
    {
        issues << ValidationIssue{field, message};
    }

    void checkName()
    {
        const QString name = p.name.trimmed();
        if (name.isEmpty())
            add(u"name"_s, Text::tr("Enter a name for the connection."));
        else if (name.size() > 100)
            add(u"name"_s, Text::tr("The name is too long (at most 100 characters)."));
        else if (hasLineBreakOrControl(p.name))
            add(u"name"_s,
                Text::tr("The name must not contain line breaks or control characters."));
        else if (name != p.name)
            add(u"name"_s, Text::tr("The name must not start or end with a space."));
    }

    void checkHost()
    {
        if (p.host.trimmed().isEmpty())
            add(u"host"_s, Text::tr("Enter the SMTP server's host name or IP address."));
        else if (!ProfileValidation::isValidHost(p.host))
            add(u"host"_s, Text::tr("'%1' is not a valid host name or IP address.").arg(p.host));
    }

    void checkPort()
    {
        if (p.port < 0 || p.port > 65535)
            add(u"port"_s,
                Text::tr("The port must be between 1 and 65535 (empty: %1, the default for "
                         "the chosen security).")
                    .arg(ConnectionProfile::defaultPort(p.security)));
    }

    void checkTimeout()
    {
        if (p.timeoutSeconds < ProfileValidation::minimumTimeoutSeconds ||
            p.timeoutSeconds > ProfileValidation::maximumTimeoutSeconds)
            add(u"timeout"_s, Text::tr("The timeout must be between %1 and %2 seconds.")
                                  .arg(ProfileValidation::minimumTimeoutSeconds)
                                  .arg(ProfileValidation::maximumTimeoutSeconds));
    }

    void checkSender()
    {
        if (p.sender.isEmpty())
            return;
        if (const auto checked = SmtpInputValidation::checkAddress(p.sender); !checked)
            add(u"sender"_s, checked.failure().message);
    }

    void checkHeloName()
    {
        if (p.heloName.isEmpty())
            return;
        if (const auto checked = SmtpInputValidation::checkHeloName(p.heloName); !checked)
            add(u"heloName"_s, checked.failure().message);
    }

    void checkCharset()
    {
        // A MIME charset name (RFC 2978): letters, digits and a few punctuation characters.
        static const QRegularExpression mimeCharset(u"^[A-Za-z0-9!#$%&'+\\-^_`{}~]{1,40}$"_s);
        if (p.charset.isEmpty())
            add(u"charset"_s, Text::tr("Enter a character set for test messages, e.g. UTF-8."));
        else if (!mimeCharset.match(p.charset).hasMatch())
            add(u"charset"_s, Text::tr("'%1' is not a character set name (e.g. UTF-8, ISO-8859-1, "
                                       "windows-1252).")
                                  .arg(p.charset));
    }

    void checkAuth()
    {
        if (hasLineBreakOrControl(p.auth.username))
            add(u"auth.username"_s,
                Text::tr("The user name must not contain line breaks or control characters."));
        else if (needsUsername(p.auth.mechanism) && p.auth.username.trimmed().isEmpty() &&
                 p.auth.usernameVariable.isEmpty())
            add(u"auth.username"_s,
                Text::tr("Enter a user name for %1 authentication, or choose no "
                         "authentication.")
                    .arg(toString(p.auth.mechanism).toUpper()));
        if (p.auth.useKerberosTicket && p.auth.mechanism != AuthMechanism::Auto &&
            p.auth.mechanism != AuthMechanism::Gssapi)
            add(u"auth.useKerberosTicket"_s,
                Text::tr("The Kerberos ticket is used with the mechanism auto or gssapi, not %1.")
                    .arg(toString(p.auth.mechanism)));
        if (p.auth.mechanism == AuthMechanism::External && p.tls.clientCertificateFile.isEmpty())
            add(u"tls.clientCertificate"_s,
                Text::tr("EXTERNAL authentication needs a client certificate."));
        checkSecretSources();
    }

    // Names of variables a shell can set: letters, digits and _, not starting with a digit.
    void checkVariableName(const QString& field, const QString& name)
    {
        static const QRegularExpression variable(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
        if (!variable.match(name).hasMatch())
            add(field, Text::tr("'%1' is not an environment variable name (letters, digits and _, "
                                "not starting with a digit).")
                           .arg(name));
    }

    void checkSecretSources()
    {
        if (!p.auth.usernameVariable.isEmpty())
            checkVariableName(u"auth.usernameVariable"_s, p.auth.usernameVariable);
        const SecretSource& source = p.auth.passwordSource;
        switch (source.kind) {
        case SecretSourceKind::Keychain:
            break;
        case SecretSourceKind::Environment:
            if (source.variable.isEmpty())
                add(u"auth.passwordSource.variable"_s,
                    Text::tr("Enter the name of the environment variable that holds the "
                             "password."));
            else
                checkVariableName(u"auth.passwordSource.variable"_s, source.variable);
            break;
        case SecretSourceKind::Command:
            if (source.program.trimmed().isEmpty())
                add(u"auth.passwordSource.program"_s,
                    Text::tr("Enter the command that prints the password."));
            break;
        }
    }

    void checkPemCertificateFile(const QString& field, const QString& path)
    {
        const Result<QByteArray> data = readUserFile(path);
        if (!data)
            add(field, data.failure().message);
        else if (QSslCertificate::fromData(*data, QSsl::Pem).isEmpty())
            add(field, Text::tr("%1 contains no PEM certificate (-----BEGIN CERTIFICATE-----).")
                           .arg(path));
    }

    void checkTls()
    {
        if (p.tls.maximumVersion && *p.tls.maximumVersion < p.tls.minimumVersion)
            add(u"tls.maxVersion"_s,
                Text::tr("The maximum TLS version (%1) is below the minimum (%2); no version "
                         "would be left.")
                    .arg(toString(*p.tls.maximumVersion), toString(p.tls.minimumVersion)));
        if (checkFiles && !p.tls.caFile.isEmpty())
            checkPemCertificateFile(u"tls.caFile"_s, p.tls.caFile);

        for (qsizetype i = 0; i < p.tls.pinnedSha256.size(); ++i) {
            if (!ProfileValidation::normalisePin(p.tls.pinnedSha256.at(i)))
                add(u"tls.pinnedSha256"_s,
                    Text::tr(
                        "'%1' is not a SHA-256 fingerprint: expected 64 hexadecimal digits, colons "
                        "allowed.")
                        .arg(p.tls.pinnedSha256.at(i)));
        }

        const QString& certificate = p.tls.clientCertificateFile;
        const QString& key = p.tls.clientKeyFile;
        if (certificate.isEmpty() && !key.isEmpty())
            add(u"tls.clientCertificate"_s,
                Text::tr("A client key needs its certificate: choose the client certificate too."));
        if (!checkFiles)
            return;
        bool certificateHasKey = false;
        if (!certificate.isEmpty()) {
            checkPemCertificateFile(u"tls.clientCertificate"_s, certificate);
            if (const Result<QByteArray> data = readUserFile(certificate))
                certificateHasKey = data->contains("PRIVATE KEY-----");
        }
        if (!key.isEmpty()) {
            const Result<QByteArray> data = readUserFile(key);
            if (!data)
                add(u"tls.clientKey"_s, data.failure().message);
            else if (!data->contains("-----BEGIN") || !data->contains("PRIVATE KEY-----"))
                add(u"tls.clientKey"_s,
                    Text::tr("%1 contains no PEM private key (-----BEGIN PRIVATE KEY-----).")
                        .arg(key));
        } else if (!certificate.isEmpty() && !certificateHasKey) {
            add(u"tls.clientKey"_s, Text::tr("Choose the private key of the client certificate."));
        }
    }

    void checkProxy()
    {
        const bool needsAddress =
            p.proxy.type == ProxyType::Socks5 || p.proxy.type == ProxyType::Http;
        if (!needsAddress)
            return;
        if (p.proxy.host.trimmed().isEmpty())
            add(u"proxy.host"_s, Text::tr("Enter the proxy's host name or IP address."));
        else if (!ProfileValidation::isValidHost(p.proxy.host))
            add(u"proxy.host"_s,
                Text::tr("'%1' is not a valid host name or IP address.").arg(p.proxy.host));
        if (p.proxy.port < 1 || p.proxy.port > 65535)
            add(u"proxy.port"_s, Text::tr("Enter the proxy's port (1 to 65535)."));
        if (hasLineBreakOrControl(p.proxy.username))
            add(u"proxy.username"_s,
                Text::tr("The user name must not contain line breaks or control characters."));
        if (hasLineBreakOrControl(p.proxy.domain))
            add(u"proxy.domain"_s,
                Text::tr("The domain must not contain line breaks or control characters."));
    }

    void checkOAuthUrl(const QString& field, const QString& text, const QUrl& effective,
                       bool required)
    {
        if (text.trimmed().isEmpty() && effective.isEmpty()) {
            if (required)
                add(field, Text::tr("Enter the provider's %1 (an https URL).")
                               .arg(field == u"oauth.tokenUrl"_s ? Text::tr("token URL")
                                                                 : Text::tr("authorization URL")));
            return;
        }
        if (!OAuthEndpoints::isAllowedEndpoint(effective))
            add(field, Text::tr("'%1' is not usable: OAuth endpoints must be https URLs (http "
                                "only for localhost or a loopback address).")
                           .arg(effective.toString()));
    }

    void checkOAuth()
    {
        // Settings for a provider are kept but unused while the mechanism is not XOAUTH2 or
        // OAUTHBEARER (a Gmail profile may use an app password instead); they are checked all
        // the same, so switching the mechanism later finds them usable.
        const OAuthSettings& o = p.oauth;
        if (o.provider == OAuthProvider::None)
            return;
        // A missing client id is not an error here: a profile from the Office 365 preset can be
        // saved before the app is registered; signing in asks for it.
        if (hasLineBreakOrControl(o.clientId) || o.clientId.trimmed() != o.clientId ||
            o.clientId.contains(u' '))
            add(u"oauth.clientId"_s,
                Text::tr("The client id must not contain spaces, line breaks or control "
                         "characters."));
        static const QRegularExpression tenant(u"^[A-Za-z0-9._\\-]{1,100}$"_s);
        if (!o.tenant.isEmpty() && !tenant.match(o.tenant).hasMatch())
            add(u"oauth.tenant"_s,
                Text::tr("'%1' is not a tenant: use common, organizations, consumers, a tenant "
                         "id or a domain.")
                    .arg(o.tenant));
        if (hasLineBreakOrControl(o.scope))
            add(u"oauth.scope"_s,
                Text::tr("The scope must not contain line breaks or control characters."));
        const OAuthEndpoints endpoints = OAuthEndpoints::forSettings(o);
        const bool custom = o.provider == OAuthProvider::Custom;
        // A custom provider needs a token endpoint and one way to sign in.
        checkOAuthUrl(u"oauth.authorizationUrl"_s, o.authorizationUrl, endpoints.authorizationUrl,
                      custom && o.deviceAuthorizationUrl.trimmed().isEmpty());
        checkOAuthUrl(u"oauth.tokenUrl"_s, o.tokenUrl, endpoints.tokenUrl, custom);
        checkOAuthUrl(u"oauth.deviceAuthorizationUrl"_s, o.deviceAuthorizationUrl,
                      endpoints.deviceAuthorizationUrl, false);
        if (custom && endpoints.scope.isEmpty())
            add(u"oauth.scope"_s, Text::tr("Enter the scope the SMTP server needs (e.g. the "
                                           "provider's mail scope and offline_access)."));
    }

    void checkOptions()
    {
        static const QRegularExpression key(u"^[A-Za-z0-9_.\\-]{1,64}$"_s);
        for (auto it = p.options.cbegin(); it != p.options.cend(); ++it) {
            if (!key.match(it.key()).hasMatch())
                add(u"options"_s, Text::tr("'%1' is not a valid option name: use 1 to 64 letters, "
                                           "digits, '_', '-' or '.'.")
                                      .arg(it.key()));
            else if (hasLineBreakOrControl(it.value()))
                add(u"options"_s,
                    Text::tr("The value of the option '%1' must not contain line breaks or control "
                             "characters.")
                        .arg(it.key()));
        }
    }

    const ConnectionProfile& p;
    const bool checkFiles;
    ValidationIssues issues;
};

} // namespace

ValidationIssues ProfileValidation::validate(const ConnectionProfile& profile, Check check)
{
    return Checker(profile, check).run();
}

ValidationIssues ProfileValidation::validateField(const ConnectionProfile& profile,
                                                  const QString& field, Check check)
{
    ValidationIssues result;
    for (const ValidationIssue& issue : validate(profile, check)) {
        if (issue.field == field)
            result << issue;
    }
    return result;
}

QStringList ProfileValidation::fieldKeys()
{
    return {u"name"_s,
            u"host"_s,
            u"port"_s,
            u"timeout"_s,
            u"sender"_s,
            u"heloName"_s,
            u"charset"_s,
            u"auth.mechanism"_s,
            u"auth.username"_s,
            u"auth.usernameVariable"_s,
            u"auth.passwordSource.variable"_s,
            u"auth.passwordSource.program"_s,
            u"tls.maxVersion"_s,
            u"tls.caFile"_s,
            u"tls.pinnedSha256"_s,
            u"tls.clientCertificate"_s,
            u"tls.clientKey"_s,
            u"proxy.type"_s,
            u"proxy.host"_s,
            u"proxy.port"_s,
            u"proxy.username"_s,
            u"proxy.domain"_s,
            u"oauth.provider"_s,
            u"oauth.tenant"_s,
            u"oauth.clientId"_s,
            u"oauth.authorizationUrl"_s,
            u"oauth.tokenUrl"_s,
            u"oauth.deviceAuthorizationUrl"_s,
            u"oauth.scope"_s,
            u"options"_s};
}

bool ProfileValidation::isValidHost(const QString& host)
{
    QString text = host.trimmed();
    if (text.isEmpty() || text != host)
        return false;
    // Found by fuzzing: "127.0.0.\r\n1" passed (the ACE conversion drops the line break).
    for (const QChar c : text) {
        if (c.isSpace() || c.category() == QChar::Other_Control ||
            c.category() == QChar::Other_Format)
            return false;
    }
    if (text.startsWith(u'[') && text.endsWith(u']'))
        text = text.mid(1, text.size() - 2);
    QHostAddress address;
    if (address.setAddress(text))
        return true;
    if (text.contains(u':'))
        return false; // neither an IPv6 address nor a host name
    // Dotted numbers that are not an IPv4 address are a typo, not a host name.
    static const QRegularExpression dottedNumbers(u"^[0-9.]+$"_s);
    if (dottedNumbers.match(text).hasMatch())
        return false;
    // International names are checked in their ASCII (punycode) form.
    const QByteArray ace = QUrl::toAce(text);
    if (ace.isEmpty() || ace.size() > 253)
        return false;
    QByteArray name = ace;
    if (name.endsWith('.'))
        name.chop(1);
    static const QRegularExpression label(u"^[A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?$"_s);
    const QList<QByteArray> labels = name.split('.');
    for (const QByteArray& part : labels) {
        if (!label.match(QString::fromLatin1(part)).hasMatch())
            return false;
    }
    return true;
}

std::optional<QString> ProfileValidation::normalisePin(const QString& pin)
{
    QString hex = pin.trimmed().toLower();
    hex.remove(u':');
    static const QRegularExpression sha256Hex(u"^[0-9a-f]{64}$"_s);
    if (!sha256Hex.match(hex).hasMatch())
        return std::nullopt;
    return hex;
}

QString formatIssues(const ValidationIssues& issues)
{
    QStringList lines;
    for (const ValidationIssue& issue : issues)
        lines << issue.field + u": "_s + issue.message;
    return lines.join(u'\n');
}

} // namespace relaydeck
