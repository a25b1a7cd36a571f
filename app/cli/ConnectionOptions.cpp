#include "ConnectionOptions.h"

#include "profile/CommandWords.h"
#include "profile/ProfileValidation.h"
#include "secrets/ProfileSecretNeeds.h"

#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

bool parsePort(const QString& text, int minimum, int* port)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < minimum || value > 65535)
        return false;
    *port = value;
    return true;
}

// none | system | socks5://[user@]host:port | http://[user@]host:port
Result<void> applyProxy(const QString& text, ProxySettings& proxy)
{
    const QString word = text.trimmed().toLower();
    if (word == u"none"_s || word == u"system"_s) {
        proxy = ProxySettings();
        proxy.type = *proxyTypeFromString(word);
        return {};
    }
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"socks5"_s && scheme != u"http"_s) || url.host().isEmpty() ||
        url.port() < 1 || !url.path().isEmpty() || url.hasQuery()) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate(
                           "relaydeck-cli",
                           "--proxy: expected none, system, socks5://[user@]host:port or "
                           "http://[user@]host:port, not '%1'")
                           .arg(text)};
    }
    if (!url.password().isEmpty()) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate(
                           "relaydeck-cli",
                           "--proxy: a password never goes on the command line; give it with "
                           "--proxy-password-env VAR")};
    }
    proxy.type = scheme == u"http"_s ? ProxyType::Http : ProxyType::Socks5;
    proxy.host = url.host();
    proxy.port = url.port();
    proxy.username = url.userName();
    return {};
}

Result<QString> environmentSecret(const QString& option, const QString& variable)
{
    if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData())) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate("relaydeck-cli",
                                                   "%1: the environment variable %2 is not set")
                           .arg(option, variable)};
    }
    const QString value = qEnvironmentVariable(variable.toLocal8Bit().constData());
    if (value.isEmpty()) {
        return Failure{
            FailureId::Invalid,
            QCoreApplication::translate("relaydeck-cli", "%1: the environment variable %2 is empty")
                .arg(option, variable)};
    }
    return value;
}

Failure invalid(const QString& message)
{
    return Failure{FailureId::Invalid, message};
}

// --password-from-env, --password-command, --password-from-keychain and
// --enable-/--disable-password-command.
Result<void> applyPasswordSource(const QCommandLineParser& parser, SecretSource& source)
{
    const QStringList sources{u"password-from-env"_s, u"password-command"_s,
                              u"password-from-keychain"_s};
    QStringList given;
    for (const QString& option : sources) {
        if (parser.isSet(option))
            given << u"--"_s + option;
    }
    if (given.size() > 1)
        return invalid(QCoreApplication::translate("relaydeck-cli", "%1 exclude each other")
                           .arg(given.join(u", "_s)));
    const bool enable = parser.isSet(u"enable-password-command"_s);
    const bool disable = parser.isSet(u"disable-password-command"_s);
    if (enable && disable)
        return invalid(QCoreApplication::translate(
            "relaydeck-cli",
            "--enable-password-command and --disable-password-command exclude each other"));

    if (parser.isSet(u"password-from-keychain"_s))
        source = SecretSource();
    if (parser.isSet(u"password-from-env"_s)) {
        source = SecretSource();
        source.kind = SecretSourceKind::Environment;
        source.variable = parser.value(u"password-from-env"_s).trimmed();
    }
    if (parser.isSet(u"password-command"_s)) {
        const QString text = parser.value(u"password-command"_s);
        const std::optional<QStringList> words = CommandWords::split(text);
        if (!words)
            return invalid(QCoreApplication::translate(
                               "relaydeck-cli", "--password-command: a quote is not closed in '%1'")
                               .arg(text));
        source = SecretSource();
        source.kind = SecretSourceKind::Command;
        // Typed by the admin: enabled. No shell: write `sh -c '...'` to get one.
        source.program = words->value(0);
        source.arguments = words->mid(1);
    }
    if (enable || disable) {
        if (source.kind != SecretSourceKind::Command)
            return invalid(
                QCoreApplication::translate("relaydeck-cli",
                                            "%1: the connection takes no password from a command")
                    .arg(enable ? u"--enable-password-command"_s
                                : u"--disable-password-command"_s));
        source.enabled = enable;
    }
    return {};
}

} // namespace

void ConnectionOptions::addTo(QCommandLineParser& parser)
{
    parser.addOptions({
        {u"host"_s,
         QCoreApplication::translate("relaydeck-cli", "SMTP server host name or IP address."),
         u"H"_s},
        {u"port"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Port (default: 587 STARTTLS, 465 TLS, 25 none, 587 auto; 0 restores the default)."),
         u"N"_s},
        {u"security"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "none, starttls, tls (implicit TLS) or auto (implicit TLS on port 465, else "
             "STARTTLS; unencrypted with a warning only towards a loopback host or on port 25 "
             "when STARTTLS is not offered)."),
         u"MODE"_s},
        {u"auth"_s,
         QCoreApplication::translate("relaydeck-cli", "Mechanism: %1.")
             .arg(allAuthMechanismWords().join(u", "_s)),
         u"MECH"_s},
        {u"user"_s,
         QCoreApplication::translate("relaydeck-cli", "User name (empty: no authentication)."),
         u"U"_s},
        {u"password-stdin"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Read the password (or OAuth2 token) from standard input.")},
        {u"password-env"_s,
         QCoreApplication::translate(
             "relaydeck-cli", "Take the password (or OAuth2 token) from the environment variable "
                              "VAR."),
         u"VAR"_s},
        {u"password-from-env"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Read the password from the environment variable VAR each time a test runs (the "
             "variable's name is stored, not the password)."),
         u"VAR"_s},
        {u"password-command"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Run CMD (a program and its arguments, without a shell) each time a test runs; its "
             "first output line is the password."),
         u"CMD"_s},
        {u"password-from-keychain"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Take the password from the keychain again (the default).")},
        {u"enable-password-command"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Allow the connection's password command to run (an "
                                     "imported command stays disabled until then).")},
        {u"disable-password-command"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Stop the connection's password command from running.")},
        {u"user-from-env"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Read the user name from the environment variable VAR each time a test runs (empty: "
             "use --user again)."),
         u"VAR"_s},
        {u"ca-file"_s,
         QCoreApplication::translate(
             "relaydeck-cli", "Also trust the CA certificates in this PEM file (empty: none)."),
         u"PEM"_s},
        {u"pin"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Accept the server certificate with this SHA-256 (hex, colons allowed); "
             "repeatable; replaces the stored pins (empty: remove them)."),
         u"SHA256"_s},
        {u"no-verify"_s, QCoreApplication::translate(
                             "relaydeck-cli", "Do not verify the server certificate (insecure).")},
        {u"verify"_s, QCoreApplication::translate(
                          "relaydeck-cli", "Verify the server certificate again (the default).")},
        {u"tls-min"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Minimum TLS version: 1.2 (the default) or 1.3; 1.0 or 1.1 only for a legacy server "
             "(obsolete and insecure: every report warns)."),
         u"VERSION"_s},
        {u"tls-max"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Maximum TLS version: 1.0 to 1.3 (1.2 for a server whose TLS 1.3 is broken), or "
             "'any' for the newest there is (the default)."),
         u"VERSION"_s},
        {u"client-cert"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Client certificate (PEM) for TLS (empty: none)."),
         u"PEM"_s},
        {u"client-key"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Private key (PEM) of the client certificate."),
         u"PEM"_s},
        {u"client-key-passphrase-env"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Take the client key's passphrase from the environment variable VAR."),
         u"VAR"_s},
        {u"helo"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "EHLO/HELO name (default: this machine's name)."),
         u"NAME"_s},
        {u"timeout"_s, QCoreApplication::translate("relaydeck-cli", "Timeout in seconds (1-600)."),
         u"SECONDS"_s},
        {u"from"_s,
         QCoreApplication::translate("relaydeck-cli", "Sender address for test messages."),
         u"ADDR"_s},
        {u"charset"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Character set of test messages (default UTF-8)."),
         u"NAME"_s},
        {u"description"_s,
         QCoreApplication::translate("relaydeck-cli", "A description of the connection."),
         u"TEXT"_s},
        {u"proxy"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "none, system, socks5://[user@]host:port or http://[user@]host:port."),
         u"PROXY"_s},
        {u"proxy-domain"_s,
         QCoreApplication::translate("relaydeck-cli", "Domain for the proxy credentials."),
         u"DOMAIN"_s},
        {u"proxy-password-env"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Take the proxy password from the environment variable VAR."),
         u"VAR"_s},
        {u"allow-plaintext-auth"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Allow credentials over an unencrypted connection.")},
        {u"kerberos"_s,
         QCoreApplication::translate(
             "relaydeck-cli",
             "Log on with your Kerberos ticket (GSSAPI; no password; get one with kinit).")},
        {u"no-kerberos"_s, QCoreApplication::translate(
                               "relaydeck-cli", "Log on with a password again, not the Kerberos "
                                                "ticket (the default).")},
        {u"oauth-provider"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "OAuth sign-in provider: microsoft, google, custom or none."),
         u"P"_s},
        {u"oauth-client-id"_s,
         QCoreApplication::translate("relaydeck-cli", "Client id of your OAuth app registration."),
         u"ID"_s},
        {u"oauth-tenant"_s,
         QCoreApplication::translate(
             "relaydeck-cli", "Microsoft tenant: organizations, common, consumers or a tenant id."),
         u"T"_s},
        {u"oauth-authorize-url"_s,
         QCoreApplication::translate("relaydeck-cli", "OAuth authorization endpoint (https)."),
         u"URL"_s},
        {u"oauth-token-url"_s,
         QCoreApplication::translate("relaydeck-cli", "OAuth token endpoint (https)."), u"URL"_s},
        {u"oauth-device-url"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "OAuth device authorization endpoint (https)."),
         u"URL"_s},
        {u"oauth-scope"_s,
         QCoreApplication::translate("relaydeck-cli", "OAuth scopes, separated by spaces."),
         u"S"_s},
        {u"oauth-client-secret-stdin"_s,
         QCoreApplication::translate("relaydeck-cli",
                                     "Read the OAuth client secret from standard input.")},
        {u"oauth-client-secret-env"_s,
         QCoreApplication::translate(
             "relaydeck-cli", "Take the OAuth client secret from the environment variable VAR."),
         u"VAR"_s},
        {u"option"_s,
         QCoreApplication::translate(
             "relaydeck-cli", "Set a free option (e.g. restart_threshold=100); KEY= removes it; "
                              "repeatable."),
         u"KEY=VALUE"_s},
    });
}

Result<void> ConnectionOptions::applyTo(const QCommandLineParser& parser,
                                        ConnectionProfile& profile)
{
    const auto isSet = [&parser](const char16_t* name) {
        return parser.isSet(QString::fromUtf16(name));
    };
    const auto value = [&parser](const char16_t* name) {
        return parser.value(QString::fromUtf16(name));
    };

    if (isSet(u"host"))
        profile.host = value(u"host").trimmed();
    if (isSet(u"security")) {
        const auto security = securityFromString(value(u"security"));
        if (!security) {
            return Failure{
                FailureId::Invalid,
                QCoreApplication::translate(
                    "relaydeck-cli", "--security: expected none, starttls, tls or auto, not '%1'")
                    .arg(value(u"security"))};
        }
        profile.security = *security;
    }
    if (isSet(u"port") && !parsePort(value(u"port"), 0, &profile.port)) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate(
                           "relaydeck-cli", "--port: expected a number from 1 to 65535, not '%1'")
                           .arg(value(u"port"))};
    }
    if (isSet(u"auth")) {
        const auto mechanism = authMechanismFromString(value(u"auth"));
        if (!mechanism) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate(
                               "relaydeck-cli", "--auth: unknown mechanism '%1' (expected %2)")
                               .arg(value(u"auth"), allAuthMechanismWords().join(u", "_s))};
        }
        profile.auth.mechanism = *mechanism;
    }
    if (isSet(u"user")) {
        profile.auth.username = value(u"user");
        if (!isSet(u"user-from-env"))
            profile.auth.usernameVariable.clear(); // the name given is the one to use
    }
    if (isSet(u"user-from-env"))
        profile.auth.usernameVariable = value(u"user-from-env").trimmed();
    if (const Result<void> source = applyPasswordSource(parser, profile.auth.passwordSource);
        !source)
        return source;
    if (isSet(u"allow-plaintext-auth"))
        profile.auth.allowPlaintext = true;
    if (isSet(u"kerberos") && isSet(u"no-kerberos")) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate(
                           "relaydeck-cli", "--kerberos and --no-kerberos exclude each other")};
    }
    if (isSet(u"kerberos"))
        profile.auth.useKerberosTicket = true;
    if (isSet(u"no-kerberos"))
        profile.auth.useKerberosTicket = false;

    if (isSet(u"ca-file"))
        profile.tls.caFile = value(u"ca-file");
    if (isSet(u"pin")) {
        QStringList pins;
        for (const QString& pin : parser.values(u"pin"_s)) {
            if (pin.trimmed().isEmpty())
                continue;
            const auto normalised = ProfileValidation::normalisePin(pin);
            if (!normalised) {
                return Failure{
                    FailureId::Invalid,
                    QCoreApplication::translate(
                        "relaydeck-cli",
                        "--pin: '%1' is not a SHA-256 fingerprint (64 hex digits, colons "
                        "allowed)")
                        .arg(pin)};
            }
            pins << *normalised;
        }
        profile.tls.pinnedSha256 = pins;
    }
    if (isSet(u"no-verify") && isSet(u"verify")) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate("relaydeck-cli",
                                                   "--verify and --no-verify exclude each other")};
    }
    if (isSet(u"no-verify"))
        profile.tls.verifyPeer = false;
    if (isSet(u"verify"))
        profile.tls.verifyPeer = true;
    if (isSet(u"tls-min")) {
        const auto version = tlsMinimumVersionFromString(value(u"tls-min"));
        if (!version) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate("relaydeck-cli",
                                                       "--tls-min: expected 1.0, 1.1, 1.2 or 1.3, "
                                                       "not '%1'")
                               .arg(value(u"tls-min"))};
        }
        profile.tls.minimumVersion = *version;
    }
    if (isSet(u"tls-max")) {
        const QString word = value(u"tls-max");
        const auto version = tlsMinimumVersionFromString(word);
        if (!version && word != u"any"_s) {
            return Failure{
                FailureId::Invalid,
                QCoreApplication::translate(
                    "relaydeck-cli", "--tls-max: expected 1.0, 1.1, 1.2, 1.3 or any, not '%1'")
                    .arg(word)};
        }
        profile.tls.maximumVersion = version;
    }
    if (isSet(u"client-cert"))
        profile.tls.clientCertificateFile = value(u"client-cert");
    if (isSet(u"client-key"))
        profile.tls.clientKeyFile = value(u"client-key");

    if (isSet(u"helo"))
        profile.heloName = value(u"helo").trimmed();
    if (isSet(u"timeout")) {
        bool ok = false;
        const int seconds = value(u"timeout").trimmed().toInt(&ok);
        if (!ok) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate(
                               "relaydeck-cli", "--timeout: expected a number of seconds, not '%1'")
                               .arg(value(u"timeout"))};
        }
        profile.timeoutSeconds = seconds;
    }
    if (isSet(u"from"))
        profile.sender = value(u"from").trimmed();
    if (isSet(u"charset"))
        profile.charset = value(u"charset").trimmed();
    if (isSet(u"description"))
        profile.description = value(u"description");

    if (isSet(u"proxy")) {
        if (const Result<void> proxy = applyProxy(value(u"proxy"), profile.proxy); !proxy)
            return proxy;
    }
    if (isSet(u"proxy-domain"))
        profile.proxy.domain = value(u"proxy-domain");

    if (isSet(u"oauth-provider")) {
        const auto provider = oauthProviderFromString(value(u"oauth-provider"));
        if (!provider) {
            return Failure{
                FailureId::Invalid,
                QCoreApplication::translate(
                    "relaydeck-cli",
                    "--oauth-provider: expected microsoft, google, custom or none, not '%1'")
                    .arg(value(u"oauth-provider"))};
        }
        profile.oauth.provider = *provider;
    }
    const struct
    {
        const char16_t* option;
        QString OAuthSettings::*field;
    } oauthFields[] = {
        {u"oauth-client-id", &OAuthSettings::clientId},
        {u"oauth-tenant", &OAuthSettings::tenant},
        {u"oauth-authorize-url", &OAuthSettings::authorizationUrl},
        {u"oauth-token-url", &OAuthSettings::tokenUrl},
        {u"oauth-device-url", &OAuthSettings::deviceAuthorizationUrl},
        {u"oauth-scope", &OAuthSettings::scope},
    };
    bool oauthGiven = isSet(u"oauth-provider");
    for (const auto& entry : oauthFields) {
        if (!isSet(entry.option))
            continue;
        profile.oauth.*entry.field = value(entry.option).trimmed();
        oauthGiven = true;
    }
    // Giving OAuth settings without --auth means signing in with them: XOAUTH2 (what Microsoft
    // and Google take) unless the profile already uses an OAuth mechanism.
    if (oauthGiven && !isSet(u"auth") && profile.oauth.provider != OAuthProvider::None &&
        profile.auth.mechanism != AuthMechanism::OAuthBearer)
        profile.auth.mechanism = AuthMechanism::XOAuth2;

    for (const QString& option : parser.values(u"option"_s)) {
        const qsizetype equals = option.indexOf(u'=');
        if (equals <= 0) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate("relaydeck-cli",
                                                       "--option: expected KEY=VALUE, not '%1'")
                               .arg(option)};
        }
        const QString key = option.left(equals).trimmed();
        const QString optionValue = option.mid(equals + 1);
        if (optionValue.isEmpty())
            profile.options.remove(key);
        else
            profile.options.insert(key, optionValue);
    }
    return {};
}

Result<QMap<SecretSlot, QString>> ConnectionOptions::readSecrets(const QCommandLineParser& parser)
{
    QMap<SecretSlot, QString> secrets;
    if (parser.isSet(u"password-stdin"_s) && parser.isSet(u"password-env"_s)) {
        return Failure{
            FailureId::Invalid,
            QCoreApplication::translate("relaydeck-cli",
                                        "--password-stdin and --password-env exclude each other")};
    }
    if (parser.isSet(u"oauth-client-secret-stdin"_s) &&
        (parser.isSet(u"password-stdin"_s) || parser.isSet(u"oauth-client-secret-env"_s))) {
        return Failure{FailureId::Invalid,
                       QCoreApplication::translate(
                           "relaydeck-cli",
                           "--oauth-client-secret-stdin goes without --password-stdin and "
                           "--oauth-client-secret-env")};
    }
    if (parser.isSet(u"oauth-client-secret-stdin"_s)) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            return Failure{
                FailureId::Invalid,
                QCoreApplication::translate(
                    "relaydeck-cli", "--oauth-client-secret-stdin: cannot read standard input")};
        }
        const QString secret = QString::fromUtf8(input.readAll()).trimmed();
        if (secret.isEmpty()) {
            return Failure{
                FailureId::Invalid,
                QCoreApplication::translate(
                    "relaydeck-cli", "--oauth-client-secret-stdin: standard input was empty")};
        }
        secrets.insert(SecretSlot::OAuthClientSecret, secret);
    }
    if (parser.isSet(u"password-stdin"_s)) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate(
                               "relaydeck-cli", "--password-stdin: cannot read standard input")};
        }
        QString password = QString::fromUtf8(input.readAll());
        // One trailing line end belongs to `echo`, not to the password.
        if (password.endsWith(u"\r\n"_s))
            password.chop(2);
        else if (password.endsWith(u'\n'))
            password.chop(1);
        if (password.isEmpty()) {
            return Failure{FailureId::Invalid,
                           QCoreApplication::translate(
                               "relaydeck-cli", "--password-stdin: standard input was empty")};
        }
        secrets.insert(SecretSlot::SmtpPassword, password);
    }
    const struct
    {
        const char16_t* option;
        SecretSlot slot;
    } fromEnvironment[] = {
        {u"password-env", SecretSlot::SmtpPassword},
        {u"proxy-password-env", SecretSlot::ProxyPassword},
        {u"client-key-passphrase-env", SecretSlot::ClientKeyPassphrase},
        {u"oauth-client-secret-env", SecretSlot::OAuthClientSecret},
    };
    for (const auto& entry : fromEnvironment) {
        const QString option = QString::fromUtf16(entry.option);
        if (!parser.isSet(option))
            continue;
        const Result<QString> secret = environmentSecret(u"--"_s + option, parser.value(option));
        if (!secret)
            return secret.failure();
        secrets.insert(entry.slot, secret.value());
    }
    return secrets;
}

Result<QMap<SecretSlot, QString>>
ConnectionOptions::applyAndReadSecrets(const QCommandLineParser& parser, ConnectionProfile& profile)
{
    if (const Result<void> applied = applyTo(parser, profile); !applied)
        return applied.failure();
    return readSecrets(parser);
}

Result<void> ConnectionOptions::checkStoredPassword(const ConnectionProfile& profile,
                                                    const QMap<SecretSlot, QString>& secrets)
{
    if (!secrets.contains(SecretSlot::SmtpPassword) ||
        !ProfileSecretNeeds::passwordAtRunTime(profile))
        return {};
    return invalid(QCoreApplication::translate(
        "relaydeck-cli", "the connection reads its password when a test runs (from an "
                         "environment variable or a command), so a password in the keychain "
                         "would not be used; add --password-from-keychain to keep it there"));
}

} // namespace relaydeck::cli
