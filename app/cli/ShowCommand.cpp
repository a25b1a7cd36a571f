#include "ShowCommand.h"

#include "CliWording.h"
#include "i18n/LocalDates.h"
#include "oauth/OAuthTokenSource.h"
#include "profile/AutoSecurity.h"
#include "profile/Presets.h"
#include "profile/ProfileJson.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

QString yesNo(bool value)
{
    return value ? QCoreApplication::translate("relaydeck-cli", "yes")
                 : QCoreApplication::translate("relaydeck-cli", "no");
}

QString orDash(const QString& text)
{
    return text.isEmpty() ? u"-"_s : text;
}

// The security word; for auto also what it does on this port (engine rule 13).
QString securityText(const ConnectionProfile& p)
{
    if (p.security != Security::Auto)
        return toString(p.security);
    if (AutoSecurity::planned(p) == Security::ImplicitTls)
        return QCoreApplication::translate("relaydeck-cli", "auto (port %1: implicit TLS)")
            .arg(p.effectivePort());
    if (AutoSecurity::opportunisticPort(p))
        return QCoreApplication::translate("relaydeck-cli",
                                           "auto (port %1: STARTTLS when offered, else "
                                           "unencrypted with a warning)")
            .arg(p.effectivePort());
    return QCoreApplication::translate("relaydeck-cli",
                                       "auto (STARTTLS, required unless the host is loopback)");
}

} // namespace

QString ShowCommand::summary() const
{
    return tr("Show one connection.");
}

void ShowCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection's name (any case)."));
    parser.addOption({u"json"_s, tr("Print the profile object exactly as in connections.json "
                                    "(for an OAuth profile, with its sign-in state under "
                                    "\"oauthSignIn\").")});
}

void ShowCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> found =
        findProfile(parser.positionalArguments().first());
    if (!found)
        return;
    const bool json = parser.isSet(u"json"_s);
    if (!found->usesOAuthSignIn()) {
        print(*found, json, std::nullopt);
        return;
    }
    // Signed in = a refresh token is in the keychain (only whether: the token is never read out).
    secretStore().read(secretKey(found->id, SecretSlot::OAuthRefreshToken), this,
                       [this, profile = *found, json](const SecretResult& read) {
                           SignInState state;
                           if (read.status == SecretResult::Status::Error)
                               state.keychainError = read.message;
                           else
                               state.signedIn = read.ok() && !read.value.isEmpty();
                           if (const auto held = OAuthTokenSource::reusable(profile))
                               state.validUntil = held->expiresAt;
                           print(profile, json, state);
                       });
}

void ShowCommand::print(const ConnectionProfile& p, bool json,
                        const std::optional<SignInState>& signIn)
{
    if (json) {
        QJsonObject object = ProfileJson::toJson(p);
        if (signIn) {
            QJsonObject state;
            state.insert(u"signedIn"_s, signIn->keychainError.isEmpty()
                                            ? QJsonValue(signIn->signedIn)
                                            : QJsonValue(QJsonValue::Null));
            state.insert(u"accessTokenValidUntil"_s,
                         signIn->validUntil.isValid()
                             ? QJsonValue(signIn->validUntil.toUTC().toString(Qt::ISODate))
                             : QJsonValue(QJsonValue::Null));
            if (!signIn->keychainError.isEmpty())
                state.insert(u"keychainError"_s, signIn->keychainError);
            object.insert(u"oauthSignIn"_s, state);
        }
        Console::out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)));
        finish(ExitOk);
        return;
    }

    QList<QPair<QString, QString>> rows = {
        {tr("Name"), p.name},
        {tr("Id"), p.id.toString(QUuid::WithoutBraces)},
        {tr("Description"), orDash(p.description)},
        {tr("Server"), u"%1:%2"_s.arg(p.host).arg(p.effectivePort()) +
                           (p.port == 0 ? tr(" (default port)") : QString())},
        {tr("Security"), securityText(p)},
        {tr("Timeout"), tr("%1 s").arg(p.timeoutSeconds)},
        {tr("Sender"), orDash(p.sender)},
        {tr("HELO name"), orDash(p.heloName)},
        {tr("Charset"), p.charset},
        {tr("Authentication"),
         p.usesAuthentication()
             ? u"%1 (%2)"_s.arg(p.auth.usernameVariable.isEmpty()
                                    ? orDash(p.auth.username)
                                    : tr("user name from the environment variable %1")
                                          .arg(p.auth.usernameVariable),
                                toString(p.auth.mechanism))
             : tr("none")},
        {tr("Plaintext auth allowed"), yesNo(p.auth.allowPlaintext)},
        {tr("Verify certificate"), yesNo(p.tls.verifyPeer)},
        {tr("Minimum TLS"), toString(p.tls.minimumVersion)},
        {tr("Maximum TLS"),
         p.tls.maximumVersion ? toString(*p.tls.maximumVersion) : tr("newest available")},
        {tr("CA file"), orDash(p.tls.caFile)},
        {tr("Pinned SHA-256"), orDash(p.tls.pinnedSha256.join(u", "_s))},
        {tr("Client certificate"), orDash(p.tls.clientCertificateFile)},
        {tr("Client key"), orDash(p.tls.clientKeyFile)},
        {tr("Proxy"),
         p.proxy.type == ProxyType::Socks5 || p.proxy.type == ProxyType::Http
             ? u"%1://%2%3:%4"_s
                   .arg(toString(p.proxy.type),
                        p.proxy.username.isEmpty() ? QString() : p.proxy.username + u'@',
                        p.proxy.host)
                   .arg(p.proxy.port)
             : toString(p.proxy.type)},
    };
    if (!p.proxy.domain.isEmpty())
        rows << qMakePair(tr("Proxy domain"), p.proxy.domain);
    for (auto it = p.options.cbegin(); it != p.options.cend(); ++it)
        rows << qMakePair(tr("Option %1").arg(it.key()), it.value());
    if (!p.preset.isEmpty()) {
        const auto preset = Presets::find(p.preset);
        rows << qMakePair(tr("Preset"), preset ? preset->displayName : p.preset);
    }
    if (p.usesAuthentication() && !p.usesOAuthSignIn())
        rows << qMakePair(tr("Password from"), CliWording::passwordSourceWords(p));
    if (p.usesKerberosTicket())
        rows << qMakePair(tr("Kerberos ticket"), tr("yes (GSSAPI, no password)"));
    rows << qMakePair(tr("Keychain key"), secretKey(p.id, SecretSlot::SmtpPassword));
    if (signIn) {
        QString state;
        if (!signIn->keychainError.isEmpty())
            state = tr("unknown (%1)").arg(signIn->keychainError);
        else if (signIn->signedIn)
            state = tr("yes (refresh token in the keychain)");
        else
            state = tr("no: sign in with 'relaydeck-cli login %1'").arg(p.name);
        rows << qMakePair(tr("Signed in"), state);
        // Access tokens live in the memory of the process that fetched them.
        rows << qMakePair(tr("Access token"),
                          signIn->validUntil.isValid()
                              ? tr("valid until %1").arg(LocalDates::dateTime(signIn->validUntil))
                              : tr("none held; each test or 'token' fetches a fresh one"));
    }

    qsizetype width = 0;
    for (const auto& row : rows)
        width = std::max(width, row.first.size());
    QString text;
    for (const auto& row : rows)
        text += QString(row.first + u':').leftJustified(width + 2) + row.second + u'\n';
    Console::out(text);
    finish(ExitOk);
}

} // namespace relaydeck::cli
