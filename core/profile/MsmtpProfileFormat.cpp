#include "profile/MsmtpProfileFormat.h"

#include "profile/AutoSecurity.h"
#include "profile/CommandWords.h"
#include "profile/Presets.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QUrlQuery>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "MsmtpProfileFormat" (lupdate files
// Text::tr() there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(MsmtpProfileFormat)
};

// msmtp's auth method names for our mechanisms (msmtp has no ANONYMOUS).
std::optional<QString> msmtpAuthWord(AuthMechanism mechanism)
{
    switch (mechanism) {
    case AuthMechanism::Auto:
        return u"on"_s;
    case AuthMechanism::None:
        return u"off"_s;
    case AuthMechanism::Anonymous:
        return std::nullopt;
    default:
        return toString(mechanism); // plain, login, cram-md5, scram-sha-*, xoauth2, ...
    }
}

// GnuTLS priority strings (Debian's msmtp uses GnuTLS) for the allowed TLS versions: exactly
// the versions from the minimum to the maximum. A libtls build of msmtp ignores what it does not
// understand.
constexpr std::array<TlsMinimumVersion, 4> tlsVersions{
    TlsMinimumVersion::Tls13, TlsMinimumVersion::Tls12, TlsMinimumVersion::Tls11,
    TlsMinimumVersion::Tls10};

QString tlsPriorities(const TlsSettings& tls)
{
    QString text = u"NORMAL:-VERS-ALL"_s;
    for (const TlsMinimumVersion version : tlsVersions) {
        if (version >= tls.minimumVersion &&
            (!tls.maximumVersion || version <= *tls.maximumVersion))
            text += u":+VERS-TLS"_s + toString(version);
    }
    // GnuTLS also refuses 1.0/1.1 unless the SHA-1 signatures they need are allowed.
    if (tls.allowsLegacyVersions())
        text += u":%VERIFY_ALLOW_SIGN_WITH_SHA1"_s;
    return text;
}

// The versions a priority string enables, as one range from the lowest to the highest; false
// when it enables none, a gap, SSL 3.0 or every version, which Relaydeck cannot say.
bool readTlsPriorities(const QString& value, TlsSettings& tls)
{
    static const QRegularExpression unsupported(u"\\+VERS-(SSL3\\.0|TLS-ALL)"_s);
    if (unsupported.match(value).hasMatch() || !value.contains(u"-VERS-ALL"_s))
        return false;
    std::optional<TlsMinimumVersion> lowest;
    std::optional<TlsMinimumVersion> highest;
    bool gap = false;
    for (const TlsMinimumVersion version : tlsVersions) { // newest first
        if (value.contains(u"+VERS-TLS"_s + toString(version))) {
            if (lowest && *lowest != TlsMinimumVersion(int(version) + 1))
                gap = true;
            if (!highest)
                highest = version;
            lowest = version;
        }
    }
    if (!lowest || gap)
        return false;
    tls.minimumVersion = *lowest;
    if (*highest != TlsMinimumVersion::Tls13)
        tls.maximumVersion = *highest;
    return true;
}

// msmtp's fingerprint form: upper-case hex pairs separated by colons.
QString colonFingerprint(const QString& hex)
{
    QStringList pairs;
    for (qsizetype i = 0; i + 1 < hex.size(); i += 2)
        pairs << hex.mid(i, 2).toUpper();
    return pairs.join(u':');
}

// msmtp takes the rest of the line as the argument; quote it when blanks at either end or a
// '#' or '"' would otherwise change its meaning.
QString argument(const QString& value)
{
    const bool needsQuotes =
        value.isEmpty() || value != value.trimmed() || value.contains(u'#') || value.contains(u'"');
    if (!needsQuotes)
        return value;
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u'"' + escaped + u'"';
}

QString oneLine(QString text)
{
    text.replace(u'\r', u' ').replace(u'\n', u' ');
    return text.trimmed();
}

// Every command msmtp 1.8 knows. Known but unused ones are listed as unmapped; anything else
// is an error (msmtp itself would refuse the file).
const QSet<QString> knownCommands{u"defaults"_s,
                                  u"account"_s,
                                  u"eval"_s,
                                  u"host"_s,
                                  u"port"_s,
                                  u"source_ip"_s,
                                  u"proxy_host"_s,
                                  u"proxy_port"_s,
                                  u"socket"_s,
                                  u"timeout"_s,
                                  u"protocol"_s,
                                  u"domain"_s,
                                  u"auth"_s,
                                  u"user"_s,
                                  u"password"_s,
                                  u"passwordeval"_s,
                                  u"ntlmdomain"_s,
                                  u"tls"_s,
                                  u"tls_starttls"_s,
                                  u"tls_trust_file"_s,
                                  u"tls_crl_file"_s,
                                  u"tls_fingerprint"_s,
                                  u"tls_key_file"_s,
                                  u"tls_cert_file"_s,
                                  u"tls_certcheck"_s,
                                  u"tls_priorities"_s,
                                  u"tls_host_override"_s,
                                  u"tls_min_dh_prime_bits"_s,
                                  u"tls_nocertcheck"_s,
                                  u"tls_force_sslv3"_s,
                                  u"from"_s,
                                  u"allow_from_override"_s,
                                  u"dsn_notify"_s,
                                  u"dsn_return"_s,
                                  u"set_from_header"_s,
                                  u"set_date_header"_s,
                                  u"set_msgid_header"_s,
                                  u"remove_bcc_headers"_s,
                                  u"undisclosed_recipients"_s,
                                  u"logfile"_s,
                                  u"logfile_time_format"_s,
                                  u"syslog"_s,
                                  u"aliases"_s,
                                  u"auto_from"_s,
                                  u"maildomain"_s,
                                  u"add_missing_from_header"_s,
                                  u"add_missing_date_header"_s,
                                  u"keepbcc"_s};

struct Setting
{
    QString value;
    int line = 0;
};
using Settings = QHash<QString, Setting>;

struct Account
{
    QString name;
    QString profileName; // the Relaydeck name noted by our export, else the account name
    QString preset;      // the preset noted by our export
    std::optional<OAuthSettings> oauth; // the OAuth sign-in settings noted by our export
    std::optional<Security> security;   // the security noted by our export (auto)
    int line = 0;
    Settings settings;
    bool ownSettings = false; // any command after the account line itself
    QStringList inherits;
};

// The OAuth sign-in settings our export notes above an account (msmtp has no place for them):
// "# Relaydeck OAuth: provider=microsoft&tenant=organizations&clientId=…", percent-encoded.
struct OAuthNoteField
{
    QString key;
    QString OAuthSettings::*member;
};
const OAuthNoteField oauthNoteFields[] = {
    {u"tenant"_s, &OAuthSettings::tenant},
    {u"clientId"_s, &OAuthSettings::clientId},
    {u"authorizationUrl"_s, &OAuthSettings::authorizationUrl},
    {u"tokenUrl"_s, &OAuthSettings::tokenUrl},
    {u"deviceAuthorizationUrl"_s, &OAuthSettings::deviceAuthorizationUrl},
    {u"scope"_s, &OAuthSettings::scope},
};
const QString oauthNotePrefix = u"# Relaydeck OAuth: "_s;

QString oauthNote(const OAuthSettings& oauth)
{
    QUrlQuery query;
    query.addQueryItem(u"provider"_s, toString(oauth.provider));
    for (const OAuthNoteField& field : oauthNoteFields) {
        const QString& value = oauth.*field.member;
        if (!value.isEmpty())
            query.addQueryItem(field.key, QString::fromUtf8(QUrl::toPercentEncoding(value)));
    }
    return query.query(QUrl::FullyEncoded);
}

std::optional<OAuthSettings> oauthFromNote(const QString& note)
{
    const QUrlQuery query(note);
    const auto provider = oauthProviderFromString(query.queryItemValue(u"provider"_s));
    if (!provider || *provider == OAuthProvider::None)
        return std::nullopt;
    OAuthSettings oauth;
    oauth.provider = *provider;
    for (const OAuthNoteField& field : oauthNoteFields)
        oauth.*field.member = query.queryItemValue(field.key, QUrl::FullyDecoded);
    return oauth;
}

bool isOn(const QString& value)
{
    const QString v = value.trimmed().toLower();
    return v.isEmpty() || v == u"on"_s;
}

} // namespace

QString MsmtpProfileFormat::passwordEvalCommand(const QUuid& profileId)
{
    // QtKeychain's libsecret backend stores entries with the attributes server=<service> and
    // user=<key> (schema org.qt.keychain); docs/ARCHITECTURE.md, "Secret slots": service
    // "relaydeck", key "<id>:<slot>".
    return u"secret-tool lookup server relaydeck user "_s +
           profileId.toString(QUuid::WithoutBraces) + u":smtp-password"_s;
}

QString MsmtpProfileFormat::passwordEvalFor(const ConnectionProfile& profile)
{
    const SecretSource& source = profile.auth.passwordSource;
    switch (source.kind) {
    case SecretSourceKind::Keychain:
        break;
    case SecretSourceKind::Environment:
        return u"printenv "_s + source.variable;
    case SecretSourceKind::Command:
        return commandOf(source);
    }
    return passwordEvalCommand(profile.id);
}

QString MsmtpProfileFormat::commandOf(const SecretSource& source)
{
    // A command imported through the shell (sh -c TEXT) goes back as its text.
    if (source.program == u"sh"_s && source.arguments.size() == 2 &&
        source.arguments.first() == u"-c"_s)
        return source.arguments.last();
    return CommandWords::join(QStringList{source.program} + source.arguments);
}

SecretSource MsmtpProfileFormat::sourceOfPasswordEval(const QString& command)
{
    SecretSource source;
    const std::optional<QStringList> words = CommandWords::split(command);
    static const QRegularExpression variable(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (words && !CommandWords::needsShell(command) && words->size() == 2 &&
        words->first() == u"printenv"_s && variable.match(words->last()).hasMatch()) {
        // What we export for an environment source: the variable itself, no command to run.
        source.kind = SecretSourceKind::Environment;
        source.variable = words->last();
        return source;
    }
    source.kind = SecretSourceKind::Command;
    source.enabled = false; // from a file: the admin enables it after checking it
    if (!words || words->isEmpty() || CommandWords::needsShell(command)) {
        // msmtp runs passwordeval with /bin/sh; a pipe, $VAR or a quote left open needs it.
        source.program = u"sh"_s;
        source.arguments = QStringList{u"-c"_s, command};
    } else {
        source.program = words->first();
        source.arguments = words->mid(1);
    }
    return source;
}

QString MsmtpProfileFormat::tokenEvalCommand(const QString& profileName)
{
    // msmtp runs passwordeval through the shell: the name goes in single quotes.
    QString quoted = profileName;
    quoted.replace(u'\'', u"'\\''"_s);
    return u"relaydeck-cli token '"_s + quoted + u'\'';
}

bool MsmtpProfileFormat::isTokenEvalCommand(const QString& command)
{
    static const QRegularExpression ours(u"^relaydeck-cli token '(.*)'$"_s);
    const auto match = ours.match(command);
    if (!match.hasMatch())
        return false;
    // Exactly what tokenEvalCommand writes for some name, nothing added.
    QString name = match.captured(1);
    name.replace(u"'\\''"_s, u"'"_s);
    return tokenEvalCommand(name) == command;
}

std::optional<QUuid> MsmtpProfileFormat::profileIdOfPasswordEval(const QString& command)
{
    static const QRegularExpression ours(
        u"^secret-tool lookup server relaydeck user ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
        "[0-9a-f]{4}-[0-9a-f]{12}):smtp-password$"_s);
    const auto match = ours.match(command);
    if (!match.hasMatch())
        return std::nullopt;
    const QUuid id(match.captured(1));
    // Exactly the line passwordEvalCommand writes, nothing added or left out.
    if (id.isNull() || passwordEvalCommand(id) != command)
        return std::nullopt;
    return id;
}

QString MsmtpProfileFormat::accountNameFor(const QString& name)
{
    // Words of the name joined by '-': blanks, ':' and ',' (',' separates the accounts an
    // `account NAME : a,b` line inherits from), '#', quotes and backslashes end a word, and a
    // "word" without a letter or digit ("/", "&") is left out, so "Microsoft 365 / Office 365"
    // becomes "Microsoft-365-Office-365".
    QStringList words{QString()};
    for (const QChar c : name.trimmed()) {
        if (c.isSpace() || c == u':' || c == u',' || c == u'#' || c == u'"' || c == u'\\' ||
            !c.isPrint()) {
            if (!words.last().isEmpty())
                words << QString();
        } else {
            words.last() += c;
        }
    }
    words.removeIf([](const QString& word) {
        return std::none_of(word.cbegin(), word.cend(),
                            [](QChar c) { return c.isLetterOrNumber(); });
    });
    QString safe = words.join(u'-');
    static const QRegularExpression dashes(u"-{2,}"_s);
    safe.replace(dashes, u"-"_s);
    while (safe.startsWith(u'-'))
        safe.remove(0, 1);
    while (safe.endsWith(u'-'))
        safe.chop(1);
    if (safe.isEmpty())
        safe = u"account"_s;
    if (safe == u"default"_s) // reserved for the "account default : <name>" alias we write
        safe = u"default-account"_s;
    return safe;
}

namespace {
const QString exportHeader = u"# msmtp configuration generated by Relaydeck.\n"_s;
// Our export's note above an account whose Relaydeck security msmtp cannot express (auto).
const QString securityNotePrefix = u"Relaydeck security: "_s;
} // namespace

QByteArray MsmtpProfileFormat::exportProfiles(const QList<ConnectionProfile>& profiles)
{
    QString text;
    text += exportHeader;
    text += u"# No password is stored here: msmtp reads each one from the OS keychain through\n"
            "# passwordeval (secret-tool), where Relaydeck keeps it.\n"_s;

    QSet<QString> usedNames;
    QString firstAccount;
    for (const ConnectionProfile& profile : profiles) {
        const QString base = accountNameFor(profile.name);
        QString account = base;
        for (int n = 2; usedNames.contains(account); ++n)
            account = base + u'-' + QString::number(n);
        usedNames.insert(account);
        if (firstAccount.isEmpty())
            firstAccount = account;

        QStringList lines;
        auto add = [&lines](const QString& command, const QString& value) {
            lines << command + u' ' + argument(value);
        };
        auto note = [&lines](const QString& comment) { lines << u"# "_s + comment; };

        text += u'\n';
        if (account != profile.name)
            note(u"Relaydeck profile: "_s + oneLine(profile.name));
        if (!profile.preset.isEmpty())
            note(u"Relaydeck preset: "_s + oneLine(profile.preset));
        if (profile.usesOAuthSignIn())
            lines << oauthNotePrefix + oauthNote(profile.oauth);
        if (!profile.description.isEmpty())
            note(oneLine(profile.description));
        // msmtp has no automatic mode: auto becomes what it plans (AutoSecurity), and the note
        // says so, and what msmtp cannot do (go on unencrypted without STARTTLS), and brings
        // auto back on import.
        const Security security = AutoSecurity::planned(profile);
        if (profile.security == Security::Auto)
            note(securityNotePrefix + toString(Security::Auto) +
                 (security == Security::ImplicitTls
                      ? u" (implicit TLS on port 465)"_s
                      : u" (exported as STARTTLS required: msmtp cannot go on unencrypted when "
                        "the server does not offer STARTTLS)"_s));
        lines << u"account "_s + account;
        add(u"host"_s, profile.host);
        add(u"port"_s, QString::number(profile.effectivePort()));
        const bool tls = security != Security::None;
        add(u"tls"_s, tls ? u"on"_s : u"off"_s);
        if (tls) {
            add(u"tls_starttls"_s, security == Security::StartTls ? u"on"_s : u"off"_s);
            if (!profile.tls.caFile.isEmpty())
                add(u"tls_trust_file"_s, profile.tls.caFile);
            if (!profile.tls.pinnedSha256.isEmpty())
                add(u"tls_fingerprint"_s, colonFingerprint(profile.tls.pinnedSha256.first()));
            for (qsizetype i = 1; i < profile.tls.pinnedSha256.size(); ++i)
                note(u"msmtp accepts one fingerprint; also pinned in Relaydeck: "_s +
                     colonFingerprint(profile.tls.pinnedSha256.at(i)));
            if (!profile.tls.verifyPeer)
                add(u"tls_certcheck"_s, u"off"_s);
            add(u"tls_priorities"_s, tlsPriorities(profile.tls));
            if (!profile.tls.clientCertificateFile.isEmpty())
                add(u"tls_cert_file"_s, profile.tls.clientCertificateFile);
            if (!profile.tls.clientKeyFile.isEmpty())
                add(u"tls_key_file"_s, profile.tls.clientKeyFile);
        }

        // msmtp's `auth gssapi` uses the Kerberos ticket as Relaydeck does, also for auto.
        const auto authWord = profile.usesKerberosTicket()
                                  ? std::optional<QString>(toString(AuthMechanism::Gssapi))
                                  : msmtpAuthWord(profile.auth.mechanism);
        if (!authWord)
            note(u"msmtp does not support "_s + toString(profile.auth.mechanism).toUpper() +
                 u" authentication"_s);
        const bool authenticates = authWord && profile.usesAuthentication();
        add(u"auth"_s, authenticates ? *authWord : u"off"_s);
        if (!profile.auth.username.isEmpty())
            add(u"user"_s, profile.auth.username);
        if (!profile.auth.usernameVariable.isEmpty())
            note(u"Relaydeck takes the user name from the environment variable "_s +
                 profile.auth.usernameVariable + u"; msmtp needs it in 'user'"_s);
        if (authenticates &&
            (!profile.auth.username.isEmpty() || !profile.auth.usernameVariable.isEmpty()) &&
            profile.auth.mechanism != AuthMechanism::External && !profile.usesKerberosTicket())
            add(u"passwordeval"_s, profile.usesOAuthSignIn() ? tokenEvalCommand(profile.name)
                                                             : passwordEvalFor(profile));
        if (!profile.sender.isEmpty())
            add(u"from"_s, profile.sender);
        if (!profile.heloName.isEmpty())
            add(u"domain"_s, profile.heloName);
        add(u"timeout"_s, QString::number(profile.timeoutSeconds));

        switch (profile.proxy.type) {
        case ProxyType::None:
            break;
        case ProxyType::Socks5:
            add(u"proxy_host"_s, profile.proxy.host);
            if (profile.proxy.port > 0)
                add(u"proxy_port"_s, QString::number(profile.proxy.port));
            if (!profile.proxy.username.isEmpty())
                note(u"msmtp's SOCKS5 proxy has no authentication; the proxy user is not used"_s);
            break;
        case ProxyType::System:
        case ProxyType::Http:
            note(u"msmtp supports only SOCKS5 proxies; this profile's "_s +
                 toString(profile.proxy.type) + u" proxy is not used"_s);
            break;
        }
        text += lines.join(u'\n') + u'\n';
    }
    if (!firstAccount.isEmpty())
        text += u"\naccount default : "_s + firstAccount + u'\n';
    return text.toUtf8();
}

Result<ImportedProfiles> MsmtpProfileFormat::importProfiles(const QByteArray& data)
{
    ImportedProfiles result;
    result.detectedFormat = ProfileFormat::Msmtp;

    // Pass 1: the file's structure, msmtp's rules: `defaults` sets values for every account
    // defined after it; `account name : a,b` starts from the defaults then takes a's and b's.
    Settings defaults;
    QList<Account> accounts;
    enum class Section
    {
        None,
        Defaults,
        Account
    } section = Section::None;
    static const QRegularExpression profileNameNote(u"^# Relaydeck profile: (.+)$"_s);
    static const QRegularExpression presetNote(u"^# Relaydeck preset: ([A-Za-z0-9_-]+)$"_s);
    static const QRegularExpression securityNote(u"^# Relaydeck security: ([a-z]+)\\b"_s);
    QString pendingProfileName;
    QString pendingPreset;
    std::optional<Security> pendingSecurity;
    std::optional<OAuthSettings> pendingOAuth;
    static const QRegularExpression accountLine(u"^([^\\s:]+)\\s*(?::\\s*(.*))?$"_s);

    const QStringList lines = QString::fromUtf8(data).split(u'\n');
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const int lineNumber = int(index) + 1;
        const QString line = lines.at(index).trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith(u'#')) {
            // Our export notes the original profile name above an account whose name had to
            // be made safe for msmtp; take it back so a round trip keeps the name.
            if (const auto match = profileNameNote.match(line); match.hasMatch())
                pendingProfileName = match.captured(1).trimmed();
            if (const auto match = presetNote.match(line); match.hasMatch())
                pendingPreset = match.captured(1);
            if (const auto match = securityNote.match(line); match.hasMatch())
                pendingSecurity = securityFromString(match.captured(1));
            if (line.startsWith(oauthNotePrefix))
                pendingOAuth = oauthFromNote(line.mid(oauthNotePrefix.size()));
            continue;
        }
        const QString notedProfileName = std::exchange(pendingProfileName, QString());
        const QString notedPreset = std::exchange(pendingPreset, QString());
        const std::optional<OAuthSettings> notedOAuth = std::exchange(pendingOAuth, std::nullopt);
        const std::optional<Security> notedSecurity = std::exchange(pendingSecurity, std::nullopt);
        const qsizetype blank = line.indexOf(QRegularExpression(u"\\s"_s));
        const QString command = blank < 0 ? line : line.left(blank);
        QString value = blank < 0 ? QString() : line.mid(blank).trimmed();
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"')) {
            value = value.mid(1, value.size() - 2);
            value.replace(u"\\\""_s, u"\""_s).replace(u"\\\\"_s, u"\\"_s);
        }

        if (!knownCommands.contains(command)) {
            return Failure{
                FailureId::ParseFailed,
                Text::tr("line %1: unknown msmtp command '%2'").arg(lineNumber).arg(command)};
        }
        if (command == u"defaults"_s) {
            section = Section::Defaults;
            continue;
        }
        if (command == u"account"_s) {
            const auto match = accountLine.match(value);
            if (!match.hasMatch()) {
                return Failure{
                    FailureId::ParseFailed,
                    Text::tr("line %1: 'account' needs a name without blanks, optionally "
                             "followed by ': account,...'")
                        .arg(lineNumber)};
            }
            Account account;
            account.name = match.captured(1);
            account.line = lineNumber;
            account.profileName = notedProfileName.isEmpty() ? account.name : notedProfileName;
            account.preset = notedPreset;
            account.oauth = notedOAuth;
            account.security = notedSecurity;
            account.settings = defaults;
            for (const QString& parentName : match.captured(2).split(u',', Qt::SkipEmptyParts)) {
                const QString parent = parentName.trimmed();
                auto found = std::find_if(accounts.cbegin(), accounts.cend(),
                                          [&](const Account& a) { return a.name == parent; });
                if (found == accounts.cend()) {
                    return Failure{
                        FailureId::ParseFailed,
                        Text::tr("line %1: account '%2' inherits from '%3', which is not "
                                 "defined before it")
                            .arg(lineNumber)
                            .arg(account.name, parent)};
                }
                account.inherits << parent;
                for (auto it = found->settings.cbegin(); it != found->settings.cend(); ++it)
                    account.settings.insert(it.key(), it.value());
            }
            for (const Account& existing : accounts) {
                if (existing.name == account.name) {
                    return Failure{FailureId::ParseFailed,
                                   Text::tr("line %1: account '%2' is defined twice")
                                       .arg(lineNumber)
                                       .arg(account.name)};
                }
            }
            accounts << account;
            section = Section::Account;
            continue;
        }
        switch (section) {
        case Section::None:
            return Failure{FailureId::ParseFailed,
                           Text::tr("line %1: '%2' comes before any 'defaults' or 'account' line")
                               .arg(lineNumber)
                               .arg(command)};
        case Section::Defaults:
            defaults.insert(command, Setting{value, lineNumber});
            break;
        case Section::Account:
            accounts.last().settings.insert(command, Setting{value, lineNumber});
            accounts.last().ownSettings = true;
            break;
        }
    }

    // Our own export names its first account msmtp's default; nothing to say about that.
    const bool ownExport = data.startsWith(exportHeader.toUtf8());

    // Pass 2: map each account. Lines listed once even when defaults reach many accounts.
    QSet<int> reported;
    auto unmapped = [&](const Setting& setting, const QString& what) {
        if (reported.contains(setting.line))
            return;
        reported.insert(setting.line);
        result.unmapped << Text::tr("line %1: %2").arg(setting.line).arg(what);
    };
    static const QRegularExpression sha256Colons(u"^([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2}$"_s);

    for (const Account& account : std::as_const(accounts)) {
        const Settings& s = account.settings;
        if (account.name == u"default"_s && !account.ownSettings && !account.inherits.isEmpty()) {
            if (!ownExport)
                result.unmapped << Text::tr(
                                       "line %1: 'account default : %2' (msmtp's default account) "
                                       "has no Relaydeck equivalent")
                                       .arg(account.line)
                                       .arg(account.inherits.join(u','));
            continue;
        }
        if (!s.contains(u"host"_s)) {
            result.unmapped << Text::tr("line %1: account '%2' has no host; not imported")
                                   .arg(account.line)
                                   .arg(account.name);
            continue;
        }

        ConnectionProfile profile;
        const Setting* tokenEval = nullptr; // our export's `relaydeck-cli token NAME`
        profile.id = QUuid::createUuid();
        profile.name = account.profileName;
        for (auto it = s.cbegin(); it != s.cend(); ++it) {
            const QString& command = it.key();
            const Setting& setting = it.value();
            const QString& value = setting.value;
            auto bad = [&](const QString& what) {
                return Failure{FailureId::ParseFailed,
                               Text::tr("line %1: %2").arg(setting.line).arg(what)};
            };
            if (command == u"host"_s) {
                profile.host = value;
            } else if (command == u"port"_s) {
                bool ok = false;
                const int port = value.toInt(&ok);
                if (!ok || port < 1 || port > 65535) {
                    return bad(Text::tr("port '%1' is not a port number").arg(value));
                }
                profile.port = port;
            } else if (command == u"timeout"_s) {
                bool ok = false;
                const int seconds = value.toInt(&ok);
                if (value.trimmed().toLower() == u"off"_s)
                    unmapped(setting,
                             Text::tr("timeout off: Relaydeck always uses a timeout (%1 s)")
                                 .arg(profile.timeoutSeconds));
                else if (!ok || seconds < 1) {
                    return bad(Text::tr("timeout '%1' is not a number of seconds").arg(value));
                } else
                    profile.timeoutSeconds = seconds;
            } else if (command == u"from"_s) {
                profile.sender = value;
            } else if (command == u"domain"_s) {
                profile.heloName = value;
            } else if (command == u"user"_s) {
                profile.auth.username = value;
            } else if (command == u"auth"_s) {
                // handled below, with tls (they depend on each other's defaults)
            } else if (command == u"tls"_s || command == u"tls_starttls"_s) {
            } else if (command == u"tls_trust_file"_s) {
                if (!value.isEmpty() && value != u"system"_s)
                    profile.tls.caFile = value;
            } else if (command == u"tls_fingerprint"_s) {
                if (sha256Colons.match(value).hasMatch() ||
                    QRegularExpression(u"^[0-9a-fA-F]{64}$"_s).match(value).hasMatch()) {
                    QString pin = value.toLower();
                    pin.remove(u':');
                    profile.tls.pinnedSha256 << pin;
                } else if (!value.isEmpty()) {
                    unmapped(setting,
                             Text::tr("tls_fingerprint is not SHA-256 (SHA-1 and MD5 "
                                      "fingerprints are not accepted); pin the certificate "
                                      "again with Relaydeck"));
                }
            } else if (command == u"tls_certcheck"_s) {
                profile.tls.verifyPeer = isOn(value);
            } else if (command == u"tls_nocertcheck"_s) {
                profile.tls.verifyPeer = false;
            } else if (command == u"tls_cert_file"_s) {
                profile.tls.clientCertificateFile = value;
            } else if (command == u"tls_key_file"_s) {
                profile.tls.clientKeyFile = value;
            } else if (command == u"tls_priorities"_s) {
                if (!readTlsPriorities(value, profile.tls))
                    unmapped(setting,
                             Text::tr("tls_priorities '%1' is not used; Relaydeck reads one range "
                                      "of TLS versions from it (1.0 to 1.3, e.g. "
                                      "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2)")
                                 .arg(value));
            } else if (command == u"proxy_host"_s) {
                if (!value.isEmpty()) {
                    profile.proxy.type = ProxyType::Socks5;
                    profile.proxy.host = value;
                    if (profile.proxy.port == 0)
                        profile.proxy.port = 1080; // msmtp's default SOCKS port
                }
            } else if (command == u"proxy_port"_s) {
                bool ok = false;
                const int port = value.toInt(&ok);
                if (!value.isEmpty() && (!ok || port < 1 || port > 65535)) {
                    return bad(Text::tr("proxy_port '%1' is not a port number").arg(value));
                }
                if (ok)
                    profile.proxy.port = port;
            } else if (command == u"password"_s) {
                unmapped(setting,
                         Text::tr("password: not copied (Relaydeck keeps passwords only in "
                                  "the keychain); enter it again for '%1'")
                             .arg(account.name));
            } else if (command == u"passwordeval"_s) {
                // Our own export's line: the password is already in the keychain under that
                // profile id; the import keeps the id where it is free (ProfileStore).
                if (const auto id = profileIdOfPasswordEval(value))
                    profile.id = *id;
                else if (isTokenEvalCommand(value))
                    tokenEval = &setting; // an OAuth sign-in: settled with the mechanism below
                else if (!value.trimmed().isEmpty())
                    // Someone else's command: kept, but disabled (ProfileFormats::importProfiles
                    // disables every imported command; the front ends say how to enable it).
                    profile.auth.passwordSource = sourceOfPasswordEval(value.trimmed());
            } else {
                unmapped(setting, Text::tr("'%1' is not used by Relaydeck").arg(command));
            }
        }
        if (profile.proxy.type != ProxyType::Socks5)
            profile.proxy.port = 0;
        profile.preset = Presets::find(account.preset) ? Presets::find(account.preset)->id
                                                       : Presets::idForHost(profile.host);

        // msmtp: tls defaults to off, tls_starttls to on; auth defaults to off.
        const bool tls = s.contains(u"tls"_s) && isOn(s.value(u"tls"_s).value);
        const bool startTls =
            !s.contains(u"tls_starttls"_s) || isOn(s.value(u"tls_starttls"_s).value);
        profile.security =
            !tls ? Security::None : (startTls ? Security::StartTls : Security::ImplicitTls);
        if (profile.port == 0) // msmtp's own default port, which may differ from ours
            profile.port = profile.security == Security::ImplicitTls ? 465 : 25;
        // Our export of security auto, still as exported (TLS on, the mode auto plans there).
        if (account.security == Security::Auto && tls) {
            ConnectionProfile automatic = profile;
            automatic.security = Security::Auto;
            if (AutoSecurity::planned(automatic) == profile.security)
                profile.security = Security::Auto;
        }
        if (profile.port == ConnectionProfile::defaultPort(profile.security))
            profile.port = 0;

        if (s.contains(u"auth"_s)) {
            const Setting& setting = s.value(u"auth"_s);
            const QString word = setting.value.trimmed().toLower();
            if (word.isEmpty() || word == u"on"_s) {
                profile.auth.mechanism = AuthMechanism::Auto;
            } else if (word == u"off"_s) {
                if (!profile.auth.username.isEmpty())
                    profile.auth.mechanism = AuthMechanism::None;
            } else if (const auto mechanism = authMechanismFromString(word);
                       mechanism && *mechanism != AuthMechanism::Auto &&
                       *mechanism != AuthMechanism::None) {
                profile.auth.mechanism = *mechanism;
            } else {
                unmapped(setting,
                         Text::tr("auth %1 is not supported by Relaydeck; the mechanism is "
                                  "chosen automatically")
                             .arg(word));
            }
        } else if (!profile.auth.username.isEmpty()) {
            profile.auth.mechanism = AuthMechanism::None; // msmtp's default: auth off
        }
        if (tokenEval) {
            // Our export of a connection that signs in with OAuth: its settings are in the note
            // (or the preset's); the refresh token stays in the keychain, found by name.
            if (account.oauth)
                profile.oauth = *account.oauth;
            else if (const auto preset = Presets::find(profile.preset))
                profile.oauth = preset->oauth;
            if (!profile.usesOAuthSignIn())
                unmapped(*tokenEval, Text::tr("passwordeval: the token command is not run; set up "
                                              "OAuth sign-in for '%1' in Relaydeck")
                                         .arg(account.name));
        }
        result.profiles << profile;
    }
    return result;
}

} // namespace relaydeck
