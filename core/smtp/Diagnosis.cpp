#include "Diagnosis.h"

#include "i18n/LocalDates.h"
#include "profile/AutoSecurity.h"
#include "smtp/ErrorIds.h"
#include "smtp/sasl/SaslMechanismFactory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>

#include <array>
#include <optional>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "Diagnosis" (lupdate files Text::tr()
// and QT_TRANSLATE_NOOP("Diagnosis", ...) there).
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Diagnosis)
};

QString translated(const char* source)
{
    return QCoreApplication::translate("Diagnosis", source);
}

// --- What the advice asks to change ----------------------------------------------------------

// The changes the advice below suggests; changesFor() says which settings (and values) each one
// is, and the reader's AdviceWording names them (a flag, or the editor's tab and field).
enum class Change
{
    SecurityTls,
    SecurityStartTls,
    ImplicitTlsOn465,
    NoneWithPlaintextAuth,
    HeloName,
    Host,
    Timeout,
    Sender,
    Username,
    Credentials,
    NoAuthentication,
    OAuth2,
    OAuthSignIn, // value: the profile's name
    Mechanism,   // value: the mechanism, e.g. "PLAIN"
    AllowPlaintextAuth,
    MinimumTls12,
    MinimumTls10,  // a legacy server: allow TLS 1.0 (and 1.1)
    MinimumModern, // back to TLS 1.2
    CaFile,
    PinnedCertificates,
    TrustCertificate, // value: the SHA-256 to pin
    ProxyPassword,
    Transcript,
    EnablePasswordCommand // value: the profile's name
};

SettingChanges changesFor(Change change, const QString& value)
{
    switch (change) {
    case Change::SecurityTls:
        return {{Setting::Security, toString(Security::ImplicitTls)}};
    case Change::SecurityStartTls:
        return {{Setting::Security, toString(Security::StartTls)}};
    case Change::ImplicitTlsOn465:
        return {{Setting::Security, toString(Security::ImplicitTls)}, {Setting::Port, u"465"_s}};
    case Change::NoneWithPlaintextAuth:
        return {{Setting::Security, toString(Security::None)}, {Setting::AllowPlaintextAuth}};
    case Change::HeloName:
        return {{Setting::HeloName}};
    case Change::Host:
        return {{Setting::Host}};
    case Change::Timeout:
        return {{Setting::Timeout}};
    case Change::Sender:
        return {{Setting::Sender}};
    case Change::Username:
        return {{Setting::Username}};
    case Change::Credentials:
        return {{Setting::Username}, {Setting::Password}};
    case Change::NoAuthentication:
        return {{Setting::AuthMechanism, toString(AuthMechanism::None)}};
    case Change::OAuth2:
        return {{Setting::AuthMechanism, toString(AuthMechanism::XOAuth2)}};
    case Change::OAuthSignIn:
        return {{Setting::OAuthSignIn, value}};
    case Change::Mechanism:
        return {{Setting::AuthMechanism, value.toLower()}};
    case Change::AllowPlaintextAuth:
        return {{Setting::AllowPlaintextAuth}};
    case Change::MinimumTls12:
    case Change::MinimumModern:
        return {{Setting::TlsMinimum, u"1.2"_s}};
    case Change::MinimumTls10:
        return {{Setting::TlsMinimum, u"1.0"_s}};
    case Change::CaFile:
        return {{Setting::CaFile}};
    case Change::PinnedCertificates:
        return {{Setting::Pin}};
    case Change::TrustCertificate:
        return {{Setting::Pin, value}};
    case Change::ProxyPassword:
        return {{Setting::ProxyPassword}};
    case Change::Transcript:
        return {{Setting::Transcript}};
    case Change::EnablePasswordCommand:
        return {{Setting::PasswordCommandEnabled, value}};
    }
    return {};
}

// --- What we know about the failed test, gathered once -----------------------------------------

struct Facts
{
    const TestReport& report;
    const TestRequest& request;
    const AdviceWording& wording;
    QString id;
    QString stage;
    QString host;  // as the user typed it
    QString lhost; // lower-case, for provider matching
    int port = 0;
    Security security = Security::StartTls;
    QString reply; // the server reply that caused the failure, if any
    int timeoutSeconds = 0;
    QStringList replyAdvice; // what the server's own words tell (see replyRules); leads the hint
    bool replyIsWholeCause = false; // replyAdvice names the one cause: nothing else is added

    const ConnectionProfile& profile() const { return request.profile; }
    // How this reader makes `change` (a flag or the editor's field).
    QString where(Change change, const QString& value = QString()) const
    {
        // Signing in names the profile ("relaydeck-cli login NAME").
        const QString given =
            (change == Change::OAuthSignIn || change == Change::EnablePasswordCommand) &&
                    value.isEmpty()
                ? request.profile.name
                : value;
        return wording.where(changesFor(change, given));
    }
    bool hasReply() const { return !reply.isEmpty(); }
    const CertificateInfo* leaf() const
    {
        return report.tls.chain.isEmpty() ? nullptr : &report.tls.chain.first();
    }
};

QStringList adviceFromReply(const Facts& f, bool* wholeCause);

Facts gatherFacts(const TestReport& report, const TestRequest& request,
                  const AdviceWording& wording)
{
    Facts f{report, request, wording, {}, {}, {}, {}, 0, Security::StartTls, {}, 0, {}, false};
    f.id = report.error.id;
    f.stage = report.error.stage;
    f.host = report.target.host.isEmpty() ? request.profile.host : report.target.host;
    f.lhost = f.host.trimmed().toLower();
    f.port = report.target.port > 0 ? report.target.port : request.profile.effectivePort();
    // The report says what was actually tried; the profile is the fallback for a report that
    // failed before the target was filled in.
    // Security auto counts as what it resolved to (or planned: AutoSecurity).
    const QString used = report.target.resolvedSecurity.isEmpty() ? report.target.security
                                                                  : report.target.resolvedSecurity;
    f.security = securityFromString(used).value_or(request.profile.security);
    if (f.security == Security::Auto) {
        ConnectionProfile atPort = request.profile;
        atPort.security = Security::Auto;
        atPort.port = f.port;
        f.security = AutoSecurity::planned(atPort);
    }
    f.reply = report.error.serverReply.trimmed();
    f.timeoutSeconds = request.profile.timeoutSeconds;
    f.replyAdvice = adviceFromReply(f, &f.replyIsWholeCause);
    return f;
}

// --- Ports and security modes --------------------------------------------------------------------

// Ports that speak plain SMTP first and upgrade with STARTTLS (relay, submission, the common
// alternative submission port).
bool isStartTlsPort(int port)
{
    return port == 25 || port == 587 || port == 2525;
}

// The most common configuration mistake: the security mode does not match what the port speaks.
QString portSecurityMismatch(const Facts& f)
{
    if (f.port == 465 && f.security != Security::ImplicitTls)
        return Text::tr(
                   "Port 465 expects implicit TLS: the server waits for a TLS handshake before "
                   "it says anything. Switch security to TLS (%1).")
            .arg(f.where(Change::SecurityTls));
    if (isStartTlsPort(f.port) && f.security == Security::ImplicitTls)
        return Text::tr("Port %1 usually expects STARTTLS, not implicit TLS: switch security to "
                        "STARTTLS (%2), or use port 465 with TLS.")
            .arg(f.port)
            .arg(f.where(Change::SecurityStartTls));
    return {};
}

QString port25Blocked(const Facts& f)
{
    if (f.port != 25)
        return {};
    return Text::tr("Many ISPs and cloud providers (AWS, Azure, Google Cloud) block outbound port "
                    "25: use the submission port 587 (STARTTLS) or 465 (TLS) instead.");
}

// --- Stages ----------------------------------------------------------------------------------

struct StageText
{
    const QString& id;
    const char* label;  // "while ..." words for the stage
    const char* reason; // what usually goes wrong there when the server closes or stalls
    std::optional<Change> setting = std::nullopt; // what %1 in `reason` names
};

const std::array<StageText, 9> stageTexts{{
    {StageId::Resolve, QT_TRANSLATE_NOOP("Diagnosis", "while resolving the host name"), nullptr},
    {StageId::Connect, QT_TRANSLATE_NOOP("Diagnosis", "while connecting"),
     QT_TRANSLATE_NOOP("Diagnosis", "The server may refuse this client's IP address or have too "
                                    "many connections.")},
    {StageId::Greeting, QT_TRANSLATE_NOOP("Diagnosis", "while waiting for the greeting"),
     QT_TRANSLATE_NOOP("Diagnosis", "The server may refuse this client's IP address (check "
                                    "blocklists such as Spamhaus) or have too many connections.")},
    {StageId::Ehlo, QT_TRANSLATE_NOOP("Diagnosis", "after EHLO"),
     QT_TRANSLATE_NOOP("Diagnosis", "Some servers refuse a HELO name that is not a fully "
                                    "qualified domain name: set one (%1)."),
     Change::HeloName},
    {StageId::StartTls, QT_TRANSLATE_NOOP("Diagnosis", "during STARTTLS"),
     QT_TRANSLATE_NOOP("Diagnosis", "The server's TLS setup may be broken; try implicit TLS on "
                                    "port 465 (%1)."),
     Change::SecurityTls},
    {StageId::Tls, QT_TRANSLATE_NOOP("Diagnosis", "during the TLS handshake"),
     QT_TRANSLATE_NOOP("Diagnosis", "The server and this client may share no TLS version or "
                                    "cipher (TLS 1.2 is the lowest Relaydeck accepts), or a "
                                    "firewall blocks TLS.")},
    {StageId::Auth, QT_TRANSLATE_NOOP("Diagnosis", "during authentication"),
     QT_TRANSLATE_NOOP("Diagnosis", "Many servers delay or drop the connection after failed or "
                                    "too many logins: check the credentials and wait before "
                                    "retrying.")},
    {StageId::Send, QT_TRANSLATE_NOOP("Diagnosis", "while sending the test message"),
     QT_TRANSLATE_NOOP("Diagnosis", "Content or size filters may have stopped the message; the "
                                    "server's log says why.")},
    {StageId::Quit, QT_TRANSLATE_NOOP("Diagnosis", "after QUIT"),
     QT_TRANSLATE_NOOP("Diagnosis", "Everything before QUIT worked; this is harmless.")},
}};

const StageText* stageText(const QString& stage)
{
    for (const StageText& entry : stageTexts) {
        if (entry.id == stage)
            return &entry;
    }
    return nullptr;
}

// "during authentication (stage auth)": the words for people, the stable id for scripts.
QString namedStage(const QString& stage)
{
    const StageText* entry = stageText(stage);
    if (!entry)
        return stage.isEmpty() ? Text::tr("at an unknown stage")
                               : Text::tr("at stage %1").arg(stage);
    return Text::tr("%1 (stage %2)").arg(translated(entry->label), stage);
}

QString stageReason(const Facts& f)
{
    const StageText* entry = stageText(f.stage);
    if (!entry || !entry->reason)
        return QString();
    const QString reason = translated(entry->reason);
    return entry->setting ? reason.arg(f.where(*entry->setting)) : reason;
}

bool isEarlyStage(const QString& stage)
{
    return stage == StageId::Connect || stage == StageId::Greeting || stage == StageId::Tls;
}

// --- Providers, keyed on the host name ---------------------------------------------------------

struct Provider
{
    std::array<const char16_t*, 6> hostParts; // any of these in the host name (nullptr ends)
    const char* authFailed;                   // advice for 535; nullptr: the generic one
    const char* senderRejected;               // advice for a refused sender; may be nullptr
    const char* recipientRejected;            // advice for a refused recipient; may be nullptr
};

const std::array<Provider, 8> providers{{
    {{u"gmail.com", u"googlemail.com", u"google.com", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis",
                       "Google does not accept the account password for SMTP: create an app "
                       "password (Google Account → Security → 2-Step Verification → App "
                       "passwords) and use it as the password, or use OAuth2 (%1, with an "
                       "access token as the password). The username is the full Gmail or "
                       "Workspace address."),
     QT_TRANSLATE_NOOP("Diagnosis", "Gmail only sends as the account's own address or a verified "
                                    "\"Send mail as\" alias."),
     nullptr},
    {{u"office365.com", u"outlook.com", u"hotmail.com", u"live.com", u"microsoft.com", nullptr},
     QT_TRANSLATE_NOOP(
         "Diagnosis",
         "Microsoft 365 / Outlook: the username must be the full mailbox address. If the reply "
         "says 5.7.139, SMTP AUTH is disabled for the tenant or the mailbox: enable "
         "\"Authenticated "
         "SMTP\" for the mailbox in the Microsoft 365 admin center (Security Defaults also block "
         "it), or use OAuth2 (%1). Accounts with multi-factor sign-in need an app "
         "password."),
     QT_TRANSLATE_NOOP("Diagnosis", "Microsoft 365 sends only as the authenticated mailbox unless "
                                    "the account has \"Send As\" permission for this address."),
     nullptr},
    {{u"yahoo.", u"ymail.com", u"aol.com", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis",
                       "Yahoo and AOL require an app password for SMTP (Account security → "
                       "Generate app password); the normal password is refused."),
     nullptr,
     nullptr},
    {{u"icloud.com", u"me.com", u"mac.com", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis",
                       "iCloud Mail requires an app-specific password (appleid.apple.com → "
                       "Sign-In and Security → App-Specific Passwords); the username is the "
                       "iCloud address."),
     nullptr,
     nullptr},
    {{u"zoho.", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis",
                       "Zoho requires an app-specific password when two-factor authentication is "
                       "on, and the server of your data centre (smtp.zoho.eu, smtp.zoho.com, "
                       "...)."),
     nullptr,
     nullptr},
    {{u"fastmail.", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis", "Fastmail requires an app password with SMTP access "
                                    "(Settings → Privacy & Security → App passwords)."),
     nullptr,
     nullptr},
    {{u"amazonaws.com", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis",
                       "Amazon SES needs SMTP credentials created in the SES console (SMTP "
                       "settings → Create SMTP credentials), not IAM access keys, and they only "
                       "work in the region they were created in (this endpoint: %1)."),
     QT_TRANSLATE_NOOP("Diagnosis",
                       "Amazon SES accepts only verified identities (address or domain) as sender, "
                       "in this region (%1); while the account is in the SES sandbox, request "
                       "production access or verify the address."),
     QT_TRANSLATE_NOOP("Diagnosis", "While the Amazon SES account is in the sandbox, recipients "
                                    "must be verified identities too (region %1); request "
                                    "production access to send to anyone.")},
    {{u"sendgrid.net", nullptr},
     QT_TRANSLATE_NOOP("Diagnosis", "SendGrid's SMTP username is literally \"apikey\" and the "
                                    "password is an API key with Mail Send permission."),
     QT_TRANSLATE_NOOP("Diagnosis", "SendGrid accepts only verified senders (Sender "
                                    "Authentication)."),
     nullptr},
}};

const Provider* providerFor(const Facts& f)
{
    for (const Provider& provider : providers) {
        for (const char16_t* part : provider.hostParts) {
            if (!part)
                break;
            if (f.lhost.contains(QString::fromUtf16(part)))
                return &provider;
        }
    }
    return nullptr;
}

// The AWS region of an SES endpoint ("email-smtp.eu-west-1.amazonaws.com" → "eu-west-1").
QString awsRegion(const QString& host)
{
    static const QRegularExpression pattern(
        u"^email-smtp(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com$"_s);
    const QRegularExpressionMatch match = pattern.match(host);
    return match.hasMatch() ? match.captured(1) : host;
}

// A provider text, with the one detail some of them name: the SES region, or where OAuth2 is
// chosen (the providers whose advice mentions it have no region).
QString providerText(const Facts& f, const char* text)
{
    if (!text)
        return {};
    QString result = translated(text);
    if (result.contains(u"%1"_s))
        result = f.lhost.contains(u"amazonaws.com"_s) ? result.arg(awsRegion(f.lhost))
                                                      : result.arg(f.where(Change::OAuth2));
    return result;
}

// --- Server replies that say more than their error id -----------------------------------------

struct ReplyRule
{
    std::array<const QString*, 6> ids; // error ids it applies to (nullptr ends; none: every id)
    const char16_t* pattern;           // case-insensitive regular expression on the reply
    bool onlyWithoutTls;               // the advice only makes sense on an unencrypted session
    const char* text;
    std::optional<Change> setting = std::nullopt; // what %1 in `text` names
    bool wholeCause = false; // when it matches, it is the hint: one cause, one hint
};

const std::array<ReplyRule, 16> replyRules{{
    // 530 5.7.0 Must issue a STARTTLS command first (to AUTH or MAIL on a plaintext session).
    {{nullptr},
     u"^530\\b.*STARTTLS|STARTTLS.*first",
     true,
     QT_TRANSLATE_NOOP("Diagnosis",
                       "The server requires STARTTLS before AUTH or MAIL (\"Must "
                       "issue a STARTTLS command first\"): switch security to STARTTLS "
                       "(%1)."),
     Change::SecurityStartTls,
     true},
    {{&ErrorId::AuthFailed, nullptr},
     u"\\b5\\.7\\.139\\b",
     false,
     QT_TRANSLATE_NOOP(
         "Diagnosis", "Microsoft's 5.7.139 means SMTP AUTH is disabled for this tenant or mailbox: "
                      "an admin must enable \"Authenticated SMTP\" for the mailbox in the "
                      "Microsoft 365 admin center (Security Defaults also disable it), or use "
                      "OAuth2: choose the OAuth provider and client id, then sign in (%1)."),
     Change::OAuthSignIn},
    // Exchange Online with Basic authentication turned off for client submission.
    {{&ErrorId::AuthFailed, &ErrorId::SenderRejected, nullptr},
     u"\\b5\\.7\\.30\\b|basic auth\\w* is not supported",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server has turned basic authentication (passwords) off "
                                    "for client submission: use OAuth2 instead: choose the OAuth "
                                    "provider and client id, then sign in (%1)."),
     Change::OAuthSignIn},
    {{&ErrorId::AuthFailed, nullptr},
     u"\\b5\\.7\\.9\\b|application-specific password",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server wants an app password (application-specific "
                                    "password) instead of the account password: create one in "
                                    "the account's security settings, or use OAuth2: choose the "
                                    "OAuth provider and client id, then sign in (%1)."),
     Change::OAuthSignIn},
    {{&ErrorId::AuthFailed, nullptr},
     u"\\b5\\.7\\.14\\b|web browser",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The provider blocked this sign-in until it is confirmed in a "
                                    "web browser: log in to the web mail once, approve the "
                                    "sign-in, or use an app password or OAuth2.")},
    {{&ErrorId::AuthFailed, nullptr},
     u"^4\\d\\d\\b",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server failed temporarily (4xx): often too many login "
                                    "attempts or a backend outage. Wait a few minutes and try "
                                    "again.")},
    {{&ErrorId::SenderRejected, &ErrorId::RecipientRejected, nullptr},
     u"^530\\b|authentication required|\\b5\\.7\\.0\\b",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server accepts mail only from authenticated clients: "
                                    "set a username and password (%1)."),
     Change::Credentials},
    // Postfix's sender restrictions (answering RCPT under smtpd_delay_reject): RFC 3463 X.1.7
    // bad sender address syntax, X.1.8 bad sender's system (domain), 4.3.5 its own setup.
    {{&ErrorId::SenderRejected, nullptr},
     u"\\b\\d\\.1\\.7\\b|fully.qualified",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server wants the sender as a complete address in a "
                                    "domain that exists (user@example.com), not a local name: "
                                    "set the sender (%1)."),
     Change::Sender},
    {{&ErrorId::SenderRejected, nullptr},
     u"\\b\\d\\.1\\.8\\b|domain not found",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server cannot find the sender's domain in the DNS: use a "
                                    "sender in a domain that exists (%1)."),
     Change::Sender},
    {{&ErrorId::SenderRejected, &ErrorId::RecipientRejected, &ErrorId::MessageRejected, nullptr},
     u"\\b4\\.3\\.5\\b|configuration error",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server reports an error in its own configuration "
                                    "(4.3.5), not in this profile: only its admin can fix it (the "
                                    "server's log names the broken setting).")},
    {{&ErrorId::SenderRejected, &ErrorId::RecipientRejected, &ErrorId::MessageRejected, nullptr},
     u"^4\\d\\d\\b",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The refusal is temporary (4xx): the server may accept the "
                                    "same message later.")},
    {{&ErrorId::SenderRejected, nullptr},
     u"\\b5\\.7\\.60\\b|send ?as",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The account may not send as this address: use the mailbox's "
                                    "own address as sender (%1), or grant it \"Send As\" "
                                    "permission."),
     Change::Sender},
    {{&ErrorId::SenderRejected, &ErrorId::RecipientRejected, nullptr},
     u"not verified",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The address is not a verified identity with this provider: "
                                    "verify it (Amazon SES, SendGrid and others send only from "
                                    "verified addresses, and in the SES sandbox only to them).")},
    {{&ErrorId::RecipientRejected, nullptr},
     u"relay|\\b5\\.7\\.1\\b|^554\\b",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server refuses to relay for this client (\"relay "
                                    "denied\"): relaying to other domains needs authentication "
                                    "— set a username (%1) — or the admin must allow this "
                                    "client's IP address."),
     Change::Username},
    {{&ErrorId::RecipientRejected, nullptr},
     u"\\b5\\.1\\.1\\b|unknown|no such user|does not exist",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The recipient's mailbox does not exist: check the address "
                                    "for typos.")},
    {{&ErrorId::MessageRejected, nullptr},
     u"^552\\b|\\b5\\.3\\.4\\b|too (big|large)|size",
     false,
     QT_TRANSLATE_NOOP("Diagnosis", "The server says the message exceeds its size limit.")},
}};

bool ruleAppliesTo(const ReplyRule& rule, const QString& id)
{
    if (!rule.ids.front())
        return true;
    for (const QString* candidate : rule.ids) {
        if (!candidate)
            break;
        if (*candidate == id)
            return true;
    }
    return false;
}

// Advice from the server's own words, for this error id; empty when no rule matches.
QStringList adviceFromReply(const Facts& f, bool* wholeCause)
{
    QStringList advice;
    if (!f.hasReply())
        return advice;
    for (const ReplyRule& rule : replyRules) {
        if (!ruleAppliesTo(rule, f.id))
            continue;
        if (rule.onlyWithoutTls && f.report.tls.used)
            continue;
        const QRegularExpression pattern(QString::fromUtf16(rule.pattern),
                                         QRegularExpression::CaseInsensitiveOption);
        if (!pattern.match(f.reply).hasMatch())
            continue;
        const QString text = translated(rule.text);
        const QString line = rule.setting ? text.arg(f.where(*rule.setting)) : text;
        if (rule.wholeCause) {
            // One cause, one hint: the other rules and the error id's advice would only add
            // guesses ("Must issue a STARTTLS command first" is not about credentials).
            *wholeCause = true;
            return {line};
        }
        advice << line;
    }
    return advice;
}

// --- Certificates ----------------------------------------------------------------------------

QString formatDate(const QDateTime& when)
{
    return when.isValid() ? LocalDates::dateTime(when) : Text::tr("an unknown date");
}

// The way out once the admin has checked the certificate by other means: pin its SHA-256.
QString offerPin(const Facts& f)
{
    const CertificateInfo* leaf = f.leaf();
    if (!leaf || leaf->sha256.isEmpty())
        return {};
    return Text::tr("If you have confirmed by other means (e.g. with the server's admin) that this "
                    "is the right certificate, pin it: SHA-256 %1 (%2).")
        .arg(leaf->sha256, f.where(Change::TrustCertificate, leaf->sha256));
}

QString certificateNames(const CertificateInfo& leaf)
{
    if (!leaf.subjectAltNames.isEmpty())
        return leaf.subjectAltNames.join(u", "_s);
    return leaf.subject;
}

// --- One function per error id ----------------------------------------------------------------

QString dnsFailed(const Facts& f)
{
    const QString proxy = f.report.target.proxy;
    if (!proxy.isEmpty() && proxy != u"none"_s)
        return Text::tr("The proxy %1 could not resolve \"%2\": the proxy, not this machine, "
                        "looks the name up. Check the name for typos and that the proxy's DNS "
                        "knows it (an internal name may need the internal address instead).")
            .arg(proxy, f.host);
    QString text = Text::tr("The name \"%1\" could not be resolved: check it for typos (e.g. "
                            "smtp. versus mail.), that the domain exists, and that this machine's "
                            "DNS works.")
                       .arg(f.host);
    if (!f.host.contains(u'.'))
        text += u' ' + Text::tr("It has no domain part: give the full name (smtp.example.com).");
    return text;
}

QString connectionRefused(const Facts& f)
{
    return Text::tr("%1 refused the connection on port %2: the port is wrong, the mail service is "
                    "not running, or a firewall rejects it. SMTP submission uses 587 (STARTTLS) "
                    "or 465 (implicit TLS); 25 is for server-to-server relay.")
        .arg(f.host)
        .arg(f.port);
}

QString connectTimeout(const Facts& f)
{
    QStringList parts{Text::tr("No answer from %1 on port %2 within %3 s: a firewall (local, "
                               "network or the server's) is probably dropping the connection.")
                          .arg(f.host)
                          .arg(f.port)
                          .arg(f.timeoutSeconds)};
    const QString blocked = port25Blocked(f);
    parts << (blocked.isEmpty()
                  ? Text::tr("Check that outbound port %1 is open and the host name is right.")
                        .arg(f.port)
                  : blocked);
    return parts.join(u' ');
}

QString networkUnreachable(const Facts& f)
{
    QStringList parts{
        Text::tr("This machine has no route to %1%2: check the network connection, VPN or proxy "
                 "settings; if only IPv6 or IPv4 is broken, the address family matters.")
            .arg(f.host, f.report.target.address.isEmpty()
                             ? QString()
                             : u" ("_s + f.report.target.address + u')')};
    parts << port25Blocked(f);
    return parts.join(u' ').trimmed();
}

// "the proxy socks5://host:1080", or just "the proxy" when the report does not name it.
QString theProxy(const Facts& f)
{
    const QString proxy = f.report.target.proxy;
    if (proxy.isEmpty() || proxy == u"none"_s)
        return Text::tr("the proxy");
    return Text::tr("the proxy %1").arg(proxy);
}

QString proxyFailed(const Facts& f)
{
    return Text::tr("The connection through %1 failed: check its type, host and port, that it "
                    "runs, and that it allows connections to %2 port %3 (HTTP proxies often allow "
                    "CONNECT to port 443 only).")
        .arg(theProxy(f), f.host)
        .arg(f.port);
}

QString proxyAuthFailed(const Facts& f)
{
    return Text::tr("The proxy refused the credentials for %1: check the proxy username (and "
                    "domain) and the proxy password stored for this profile "
                    "(%2).")
        .arg(theProxy(f), f.where(Change::ProxyPassword));
}

QString greetingTimeout(const Facts& f)
{
    if (f.report.server.answersImplicitTls)
        return Text::tr("Port %1 speaks implicit TLS: it waited for a TLS handshake instead of "
                        "greeting, and a TLS handshake there succeeded. Switch security to TLS "
                        "(%2).")
            .arg(f.port)
            .arg(f.where(Change::SecurityTls));
    const QString mismatch = portSecurityMismatch(f);
    if (!mismatch.isEmpty())
        return mismatch;
    if (f.security == Security::ImplicitTls)
        return Text::tr("TLS worked, but the server sent no greeting within %1 s: it may be "
                        "overloaded or delay clients on purpose (tarpitting). Raise the timeout "
                        "(%2).")
            .arg(f.timeoutSeconds)
            .arg(f.where(Change::Timeout));
    return Text::tr("The server accepted the connection but sent no greeting within %1 s. If "
                    "this port uses implicit TLS (usually 465), switch security to TLS "
                    "(%2); otherwise the server may be overloaded or delay clients "
                    "on purpose (tarpitting): raise the timeout (%3).")
        .arg(f.timeoutSeconds)
        .arg(f.where(Change::SecurityTls), f.where(Change::Timeout));
}

QString greetingRejected(const Facts& f)
{
    if (f.reply.startsWith(u"421"_s))
        return Text::tr("The server is not accepting connections right now (421: too many "
                        "connections, maintenance, or rate limits for this IP address). Try "
                        "again later.");
    return Text::tr("The server refused this client before any command: it may block this "
                    "machine's IP address (look it up on blocklists such as Spamhaus), accept "
                    "only certain networks, or limit connections. Ask its admin, or use the "
                    "provider's submission server on port 587 or 465.");
}

QString protocolError(const Facts& f)
{
    QStringList parts{Text::tr("The server sent something that is not valid SMTP %1. Check that "
                               "%2 port %3 is an SMTP server (not HTTP, IMAP or POP3); a firewall "
                               "or antivirus that inspects SMTP can also mangle the dialogue.")
                          .arg(namedStage(f.stage), f.host)
                          .arg(f.port)};
    if (isEarlyStage(f.stage) || f.stage == StageId::Ehlo)
        parts << portSecurityMismatch(f);
    return parts.join(u' ').trimmed();
}

QString serverClosed(const Facts& f)
{
    QStringList parts{Text::tr("The server closed the connection %1.").arg(namedStage(f.stage))};
    // TLS 1.3 servers refuse a client certificate after the handshake: the close comes later.
    if (f.report.tls.used && !f.profile().tls.clientCertificateFile.isEmpty())
        parts << Text::tr("It may have refused the client certificate %1: check that the server "
                          "trusts its issuer and that it is the certificate meant for this "
                          "server.")
                     .arg(f.profile().tls.clientCertificateFile);
    if (isEarlyStage(f.stage))
        parts << portSecurityMismatch(f);
    parts << stageReason(f);
    parts.removeAll(QString());
    return parts.join(u' ');
}

QString timeout(const Facts& f)
{
    QStringList parts{Text::tr("No reply within %1 s %2: the server is slow or something in "
                               "between drops the connection. Raise the timeout (%3) "
                               "or try again later.")
                          .arg(f.timeoutSeconds)
                          .arg(namedStage(f.stage), f.where(Change::Timeout))};
    if (isEarlyStage(f.stage))
        parts << portSecurityMismatch(f);
    if (f.stage != StageId::Quit)
        parts << stageReason(f);
    parts.removeAll(QString());
    return parts.join(u' ');
}

// The handshake ended as a server that speaks only TLS 1.0/1.1 ends it: OpenSSL's "protocol
// version" alert, or (Python's ssl, many appliances) the connection simply dropped.
bool legacyServerLikely(const Facts& f)
{
    const QString& message = f.report.error.message;
    return message.contains(u"protocol version"_s, Qt::CaseInsensitive) ||
           message.contains(u"unsupported protocol"_s, Qt::CaseInsensitive) ||
           message.contains(u"closed the connection"_s, Qt::CaseInsensitive);
}

QString tlsHandshakeFailed(const Facts& f)
{
    const QString mismatch = portSecurityMismatch(f);
    if (!mismatch.isEmpty())
        return mismatch;
    QStringList parts;
    if (f.security == Security::ImplicitTls)
        parts << Text::tr("The TLS handshake failed. If this port speaks plain SMTP first (as 587 "
                          "and 25 do), switch security to STARTTLS (%1).")
                     .arg(f.where(Change::SecurityStartTls));
    else
        parts << Text::tr("The TLS handshake after STARTTLS failed: the server's TLS setup may be "
                          "broken, or it offers no TLS version or cipher this client accepts.");
    if (f.profile().tls.minimumVersion == TlsMinimumVersion::Tls13)
        parts << Text::tr("The profile requires TLS 1.3; the server may only speak TLS 1.2: lower "
                          "the minimum (%1).")
                     .arg(f.where(Change::MinimumTls12));
    else if (!f.profile().tls.allowsLegacyVersions() && legacyServerLikely(f))
        parts << Text::tr("The server may speak only TLS 1.0 or 1.1 (it refused or dropped the "
                          "handshake), which are obsolete and insecure. Have the server updated; "
                          "if that cannot be done soon, allow them for this connection only (%1).")
                     .arg(f.where(Change::MinimumTls10));
    if (!f.profile().tls.clientCertificateFile.isEmpty())
        parts << Text::tr("Check that the server accepts the client certificate %1.")
                     .arg(f.profile().tls.clientCertificateFile);
    return parts.join(u' ');
}

QString tlsVersionUnavailable(const Facts& f)
{
    return Text::tr("This connection allows TLS %1 for a legacy server, but this system's TLS "
                    "library cannot offer it (the reason is above). Test from a system whose TLS "
                    "library still has TLS 1.0/1.1, or have the server updated and set the "
                    "minimum back to TLS 1.2 (%2).")
        .arg(toString(f.profile().tls.minimumVersion), f.where(Change::MinimumModern));
}

QString certificateUntrusted(const Facts& f)
{
    QStringList parts;
    const CertificateInfo* leaf = f.leaf();
    if (leaf && !leaf->issuer.isEmpty() && leaf->issuer == leaf->subject)
        parts << Text::tr("The server's certificate is self-signed (%1), so no authority vouches "
                          "for it.")
                     .arg(leaf->subject);
    else if (leaf && !leaf->issuer.isEmpty())
        parts << Text::tr("The certificate's issuer (%1) is not a trusted authority on this "
                          "machine.")
                     .arg(leaf->issuer);
    else
        parts << Text::tr("The certificate's issuer is not a trusted authority on this machine.");
    parts << Text::tr("If it comes from your organisation's own CA, give that CA's certificate "
                      "as CA file (%1).")
                 .arg(f.where(Change::CaFile));
    parts << offerPin(f);
    parts.removeAll(QString());
    return parts.join(u' ');
}

QString certificateExpired(const Facts& f)
{
    QStringList parts;
    const CertificateInfo* leaf = f.leaf();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf && leaf->notBefore.isValid() && leaf->notBefore > now)
        parts << Text::tr("The certificate is not valid before %1: check this machine's clock, "
                          "or the server uses a certificate issued for the future.")
                     .arg(formatDate(leaf->notBefore));
    else if (leaf)
        parts << Text::tr("The certificate expired on %1 (valid from %2): the server's admin "
                          "must renew it. Check this machine's clock too.")
                     .arg(formatDate(leaf->notAfter), formatDate(leaf->notBefore));
    else
        parts << Text::tr("The certificate is outside its validity dates: the server's admin "
                          "must renew it. Check this machine's clock too.");
    parts << offerPin(f);
    parts.removeAll(QString());
    return parts.join(u' ');
}

QString certificateHostnameMismatch(const Facts& f)
{
    QStringList parts;
    if (const CertificateInfo* leaf = f.leaf())
        parts << Text::tr("The certificate is for %1, not for %2: connect with one of those names "
                          "(%3).")
                     .arg(certificateNames(*leaf), f.host, f.where(Change::Host));
    else
        parts << Text::tr("The certificate was not issued for %1: connect with the name it was "
                          "issued for (%2).")
                     .arg(f.host, f.where(Change::Host));
    parts << offerPin(f);
    parts.removeAll(QString());
    return parts.join(u' ');
}

QString certificatePinMismatch(const Facts& f)
{
    const CertificateInfo* leaf = f.leaf();
    const QStringList& pinned = f.profile().tls.pinnedSha256;
    QStringList parts;
    if (leaf && !leaf->sha256.isEmpty())
        parts << Text::tr("The server presented a certificate with SHA-256 %1, which is not a "
                          "pinned one.")
                     .arg(leaf->sha256);
    else
        parts << Text::tr("The server's certificate is not a pinned one.");
    if (!pinned.isEmpty())
        parts << Text::tr("Pinned: %1.").arg(pinned.join(u", "_s));
    parts << Text::tr("The certificate changed (renewal, another server) or someone is "
                      "intercepting the connection: confirm the new fingerprint with the server's "
                      "admin before re-pinning it (%1).")
                 .arg(f.where(Change::PinnedCertificates));
    return parts.join(u' ');
}

QString startTlsNotOffered(const Facts& f)
{
    QStringList parts;
    if (f.profile().security == Security::Auto)
        parts << Text::tr("Security auto goes on without STARTTLS only towards a loopback host or "
                          "on port 25; towards %1 on port %2 it requires STARTTLS.")
                     .arg(f.host)
                     .arg(f.port);
    parts << Text::tr("The server does not advertise STARTTLS here, and Relaydeck never falls back "
                      "to an unencrypted session. If the server uses implicit TLS, use port 465 "
                      "with security TLS (%1); a firewall that inspects SMTP "
                      "can also strip STARTTLS. Use security none only on a network you trust.")
                 .arg(f.where(Change::ImplicitTlsOn465));
    return parts.join(u' ');
}

QString startTlsRejected(const Facts& f)
{
    QStringList parts{Text::tr("The server refused STARTTLS instead of answering 220: its TLS is "
                               "unavailable or misconfigured; ask its admin, or try implicit TLS "
                               "on port 465 (%1).")
                          .arg(f.where(Change::SecurityTls))};
    if (f.reply.startsWith(u'4'))
        parts << Text::tr("The reply is temporary (4xx): try again later.");
    return parts.join(u' ');
}

QString startTlsInjection(const Facts&)
{
    return Text::tr("Data followed the server's 220 answer to STARTTLS before the TLS handshake: "
                    "a man-in-the-middle is injecting commands into the session, or the server "
                    "(or a middlebox) is broken. The test stopped without sending anything; do "
                    "not send credentials over this network path, and report it to the network "
                    "and server admins.");
}

// Whether the EHLO reply the report shows advertises STARTTLS.
bool offersStartTls(const Facts& f)
{
    return f.report.server.capabilities.contains(u"STARTTLS"_s, Qt::CaseInsensitive);
}

QString authNotOffered(const Facts& f)
{
    if (!f.report.tls.used && !offersStartTls(f))
        return Text::tr("The server offers neither AUTH nor STARTTLS on this port. If it is a "
                        "relay that accepts mail by IP address, set authentication to none (%1); "
                        "otherwise authenticated submission is on another port (usually 587 with "
                        "STARTTLS or 465 with TLS).")
            .arg(f.where(Change::NoAuthentication));
    if (!f.report.tls.used)
        return Text::tr("The server offers no AUTH on this unencrypted session; many servers offer "
                        "it only after STARTTLS: switch security to STARTTLS (%1).")
            .arg(f.where(Change::SecurityStartTls));
    QStringList parts{Text::tr("The server offers no authentication at all. If it is a relay that "
                               "accepts mail by IP address, set authentication to none (%1); "
                               "otherwise authentication may be enabled on another port.")
                          .arg(f.where(Change::NoAuthentication))};
    if (f.port == 25)
        parts << Text::tr("Port 25 is for server-to-server relay; authenticated submission is "
                          "usually on 587 (STARTTLS) or 465 (TLS).");
    return parts.join(u' ');
}

QString authMechanismUnavailable(const Facts& f)
{
    const QStringList& offered = f.report.server.authMechanisms;
    const QString asked = f.profile().usesKerberosTicket() ? u"GSSAPI"_s
                          : f.profile().auth.mechanism == AuthMechanism::Auto
                              ? Text::tr("any mechanism Relaydeck supports")
                              : toString(f.profile().auth.mechanism).toUpper();
    if (!f.report.tls.used && offersStartTls(f))
        // Servers commonly withhold PLAIN and LOGIN (or all of AUTH) until STARTTLS.
        return Text::tr("On this unencrypted session the server does not offer %1, but it "
                        "advertises STARTTLS, after which servers commonly offer more "
                        "mechanisms: switch security to STARTTLS (%2).")
            .arg(asked, f.where(Change::SecurityStartTls));
    if (f.profile().usesKerberosTicket() && !offered.isEmpty() && !offered.contains(u"GSSAPI"_s))
        return Text::tr("The profile logs on with your Kerberos ticket, but the server does not "
                        "offer GSSAPI (it offers %1): ask its admin to enable Kerberos, or log on "
                        "with a password instead.")
            .arg(offered.join(u' '));
    if (offered.isEmpty())
        return Text::tr("The profile asks for %1, but the server named no mechanism: set "
                        "authentication to auto or none.")
            .arg(asked);
    const QString declined = f.report.auth.mechanism;
    if (!declined.isEmpty() && offered.contains(declined)) {
        // The server offered it and Relaydeck started it, then declined to finish (the
        // message says why): the server never saw the credentials. Suggest its other ones.
        QStringList others = offered;
        others.removeAll(declined);
        if (others.isEmpty())
            return Text::tr("The server offers no other mechanism than %1: ask its admin to "
                            "enable another one (e.g. PLAIN over TLS), or set authentication "
                            "to none (%2) if it accepts mail without.")
                .arg(declined, f.where(Change::NoAuthentication));
        const AuthMechanism strongest = SaslMechanismFactory::chooseAutomatic(others);
        const QString suggested = strongest == AuthMechanism::None
                                      ? others.first()
                                      : SaslMechanismFactory::saslName(strongest);
        return Text::tr("Relaydeck does not use %1 with this server; it also offers %2: choose "
                        "one of these (%3).")
            .arg(declined, others.join(u", "_s), f.where(Change::Mechanism, suggested));
    }
    if (f.profile().auth.mechanism == AuthMechanism::Auto)
        return Text::tr("The server offers only %1, none of which Relaydeck picks by itself: "
                        "choose one explicitly (%2) if you have what it needs (an OAuth2 "
                        "access token for XOAUTH2/OAUTHBEARER, a client certificate for "
                        "EXTERNAL).")
            .arg(offered.join(u", "_s), f.where(Change::Mechanism, offered.first()));
    return Text::tr("The profile asks for %1, but the server offers only %2: choose one of these "
                    "(%3) or auto.")
        .arg(asked, offered.join(u", "_s), f.where(Change::Mechanism, offered.first()));
}

QString authFailed(const Facts& f)
{
    QStringList parts;
    const bool oauth = f.profile().auth.mechanism == AuthMechanism::XOAuth2 ||
                       f.profile().auth.mechanism == AuthMechanism::OAuthBearer ||
                       f.report.auth.mechanism == u"XOAUTH2"_s ||
                       f.report.auth.mechanism == u"OAUTHBEARER"_s;
    const bool scramUnproven = f.report.auth.mechanism.startsWith(u"SCRAM-"_s) &&
                               !f.reply.startsWith(u'4') && !f.reply.startsWith(u'5');
    if (scramUnproven) {
        parts << Text::tr("The server accepted your proof but could not prove that it knows your "
                          "password itself (its SCRAM signature was wrong or missing). Something "
                          "may be impersonating the server: do not trust this connection until "
                          "the server's admin explains it.");
    } else if (oauth) {
        parts << Text::tr("The access token was refused: it may have expired (they last about an "
                          "hour) or lack the SMTP scope (Google: https://mail.google.com/, "
                          "Microsoft: https://outlook.office.com/SMTP.Send); the username must "
                          "be the mailbox the token was issued for.");
    } else if (f.replyAdvice.isEmpty()) {
        // Provider advice only when the reply itself said nothing more specific.
        const Provider* provider = providerFor(f);
        if (provider && provider->authFailed)
            parts << providerText(f, provider->authFailed);
        else
            parts << Text::tr("The server refused the username or password: check both; the "
                              "username is often the full e-mail address (user@example.com), "
                              "and providers with two-factor sign-in want an app password.");
    }
    return parts.join(u' ');
}

QString plaintextAuthRefused(const Facts& f)
{
    if (f.profile().security == Security::Auto)
        return Text::tr("The server does not offer STARTTLS, so security auto went on "
                        "unencrypted, and it never sends credentials, sender or recipients "
                        "unencrypted to another host (%1). Have the server offer STARTTLS, use "
                        "implicit TLS on port 465 (%2), or, on a network you trust, choose "
                        "security none and allow plaintext authentication (%3).")
            .arg(f.host, f.where(Change::ImplicitTlsOn465), f.where(Change::NoneWithPlaintextAuth));
    return Text::tr("Relaydeck does not send credentials, sender or recipients over an unencrypted "
                    "connection to %1. Use STARTTLS (%2) or implicit TLS (%3); on a network "
                    "you trust, allow it explicitly (%4).")
        .arg(f.host, f.where(Change::SecurityStartTls), f.where(Change::SecurityTls),
             f.where(Change::AllowPlaintextAuth));
}

QString senderRejected(const Facts& f)
{
    QStringList parts;
    if (const Provider* provider = providerFor(f))
        parts << providerText(f, provider->senderRejected);
    if (f.replyAdvice.isEmpty()) // the server's words, when they say why, are the hint
        parts << Text::tr(
                     "The server refused the sender %1: use an address this account may send as "
                     "(its own or a verified alias); a relay may also accept only its own "
                     "domains or authenticated clients.")
                     .arg(f.profile().sender.isEmpty() ? Text::tr("(empty)") : f.profile().sender);
    parts.removeAll(QString());
    return parts.join(u' ');
}

QString recipientRejected(const Facts& f)
{
    QStringList parts;
    if (const Provider* provider = providerFor(f))
        parts << providerText(f, provider->recipientRejected);
    parts.removeAll(QString());
    if (parts.isEmpty() && f.replyAdvice.isEmpty()) {
        if (!f.report.auth.ok)
            parts << Text::tr("The server refused the recipient %1: a server usually relays to "
                              "other domains only for authenticated clients, so set a username "
                              "(%2); also check the address for typos.")
                         .arg(f.request.sendTo, f.where(Change::Username));
        else
            parts << Text::tr("The server refused the recipient %1: check the address, and that "
                              "this account may send to its domain.")
                         .arg(f.request.sendTo);
    }
    return parts.join(u' ');
}

QString messageRejected(const Facts& f)
{
    const QString sender = f.profile().sender;
    const QString domain = sender.mid(sender.lastIndexOf(u'@') + 1);
    return Text::tr("The server refused the test message after DATA: content or spam filters, "
                    "the SPF/DKIM/DMARC policy of the sender's domain (%1), or a From address "
                    "that does not match the account. The server's log says which.")
        .arg(domain.isEmpty() ? Text::tr("unknown") : domain);
}

QString messageTooLarge(const Facts& f)
{
    if (f.report.server.maxSize > 0)
        return Text::tr("The server accepts messages of at most %1 bytes (its SIZE limit): send a "
                        "smaller message or ask its admin to raise the limit.")
            .arg(f.report.server.maxSize);
    return Text::tr("The server says the message is too large: send a smaller one or ask its "
                    "admin for the size limit.");
}

QString cancelled(const Facts&)
{
    return Text::tr("The test was stopped before it finished; run it again to get a verdict.");
}

QString invalidRequest(const Facts&)
{
    return Text::tr("Nothing was sent: fix the field named in the message (host, port, addresses "
                    "and the HELO name must be set and contain no line breaks) and run the test "
                    "again.");
}

QString oauthSignInRequired(const Facts& f)
{
    return Text::tr("Nothing was sent to the server: sign in again (%1).")
        .arg(f.where(Change::OAuthSignIn));
}

QString oauthTokenFailed(const Facts&)
{
    return Text::tr("Nothing was sent to the server: check the provider's error above, the "
                    "client id, the tenant and the endpoints of the OAuth settings.");
}

QString passwordSourceFailed(const Facts&)
{
    return Text::tr("Nothing was sent to the server: set the environment variable, or fix the "
                    "command so that it prints the password on its first line and exits with "
                    "status 0.");
}

QString passwordCommandDisabled(const Facts& f)
{
    return Text::tr("Nothing was sent to the server: a password command from an imported file "
                    "does not run until you enable it. Check what it runs, then enable it (%1).")
        .arg(f.where(Change::EnablePasswordCommand));
}

// The Kerberos principal to name in a kinit hint: the ticket's, else a user name that looks like
// one, else a placeholder.
QString kinitPrincipal(const Facts& f)
{
    if (!f.report.auth.principal.isEmpty())
        return f.report.auth.principal;
    const QString user = f.profile().auth.username.trimmed();
    return user.contains(u'@') ? user : Text::tr("USER@REALM");
}

QString kerberosNoTicket(const Facts& f)
{
    return Text::tr("Nothing was sent to the server: this user has no Kerberos ticket (klist "
                    "shows the credential cache, KRB5CCNAME names another one). Run kinit %1, "
                    "then test again.")
        .arg(kinitPrincipal(f));
}

QString kerberosTicketExpired(const Facts& f)
{
    return Text::tr("The Kerberos ticket has expired: run kinit %1 (or kinit -R while it is "
                    "renewable), then test again.")
        .arg(kinitPrincipal(f));
}

QString kerberosServiceUnknown(const Facts& f)
{
    return Text::tr("The Kerberos realm has no service principal smtp/%1: use the server's host "
                    "name as the realm knows it (%2), or ask the admin to create the principal "
                    "smtp/%1 and put it in the server's keytab.")
        .arg(f.host, f.where(Change::Host));
}

QString kerberosFailed(const Facts&)
{
    return Text::tr("Check the Kerberos error above: the realm and its KDC in krb5.conf (or "
                    "KRB5_CONFIG), the clock, and your ticket (klist).");
}

// --- The tables -----------------------------------------------------------------------------

struct ErrorEntry
{
    const QString& id;
    const char* description;
    QString (*hint)(const Facts&);
};

const std::array<ErrorEntry, 38> errorEntries{{
    {ErrorId::DnsFailed, QT_TRANSLATE_NOOP("Diagnosis", "The host name could not be resolved."),
     dnsFailed},
    {ErrorId::ConnectionRefused,
     QT_TRANSLATE_NOOP("Diagnosis", "The server refused the connection."), connectionRefused},
    {ErrorId::ConnectTimeout, QT_TRANSLATE_NOOP("Diagnosis", "The connection attempt timed out."),
     connectTimeout},
    {ErrorId::NetworkUnreachable,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's network is unreachable."), networkUnreachable},
    {ErrorId::ProxyFailed,
     QT_TRANSLATE_NOOP("Diagnosis", "The connection through the proxy failed."), proxyFailed},
    {ErrorId::ProxyAuthFailed,
     QT_TRANSLATE_NOOP("Diagnosis", "The proxy refused the proxy credentials."), proxyAuthFailed},
    {ErrorId::GreetingTimeout,
     QT_TRANSLATE_NOOP("Diagnosis", "The server sent no greeting in time."), greetingTimeout},
    {ErrorId::GreetingRejected,
     QT_TRANSLATE_NOOP("Diagnosis", "The server refused the session in its greeting."),
     greetingRejected},
    {ErrorId::ProtocolError,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's reply violates the SMTP protocol."),
     protocolError},
    {ErrorId::ServerClosed,
     QT_TRANSLATE_NOOP("Diagnosis", "The server closed the connection unexpectedly."),
     serverClosed},
    {ErrorId::Timeout, QT_TRANSLATE_NOOP("Diagnosis", "The server did not reply in time."),
     timeout},
    {ErrorId::TlsHandshakeFailed, QT_TRANSLATE_NOOP("Diagnosis", "The TLS handshake failed."),
     tlsHandshakeFailed},
    {ErrorId::TlsVersionUnavailable,
     QT_TRANSLATE_NOOP("Diagnosis", "The allowed TLS versions are not available on this system."),
     tlsVersionUnavailable},
    {ErrorId::CertificateUntrusted,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate is not trusted."),
     certificateUntrusted},
    {ErrorId::CertificateHostnameMismatch,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate is for another host name."),
     certificateHostnameMismatch},
    {ErrorId::CertificateExpired,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate has expired or is not yet valid."),
     certificateExpired},
    {ErrorId::CertificatePinMismatch,
     QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate does not match the pinned one."),
     certificatePinMismatch},
    {ErrorId::StartTlsNotOffered,
     QT_TRANSLATE_NOOP("Diagnosis", "The server does not offer STARTTLS."), startTlsNotOffered},
    {ErrorId::StartTlsRejected, QT_TRANSLATE_NOOP("Diagnosis", "The server refused STARTTLS."),
     startTlsRejected},
    {ErrorId::StartTlsInjection,
     QT_TRANSLATE_NOOP("Diagnosis", "Unencrypted data was injected after STARTTLS."),
     startTlsInjection},
    {ErrorId::AuthNotOffered,
     QT_TRANSLATE_NOOP("Diagnosis", "The server does not offer authentication."), authNotOffered},
    {ErrorId::AuthMechanismUnavailable,
     QT_TRANSLATE_NOOP("Diagnosis", "The server does not offer the chosen authentication "
                                    "mechanism."),
     authMechanismUnavailable},
    {ErrorId::AuthFailed, QT_TRANSLATE_NOOP("Diagnosis", "Authentication failed."), authFailed},
    {ErrorId::PlaintextAuthRefused,
     QT_TRANSLATE_NOOP("Diagnosis", "Credentials were not sent over an unencrypted connection."),
     plaintextAuthRefused},
    {ErrorId::SenderRejected, QT_TRANSLATE_NOOP("Diagnosis", "The server refused the sender."),
     senderRejected},
    {ErrorId::RecipientRejected,
     QT_TRANSLATE_NOOP("Diagnosis", "The server refused the recipient."), recipientRejected},
    {ErrorId::MessageRejected, QT_TRANSLATE_NOOP("Diagnosis", "The server refused the message."),
     messageRejected},
    {ErrorId::MessageTooLarge, QT_TRANSLATE_NOOP("Diagnosis", "The message is too large."),
     messageTooLarge},
    {ErrorId::InvalidRequest, QT_TRANSLATE_NOOP("Diagnosis", "The test settings are invalid."),
     invalidRequest},
    {ErrorId::Cancelled, QT_TRANSLATE_NOOP("Diagnosis", "The test was cancelled."), cancelled},
    {ErrorId::OAuthSignInRequired,
     QT_TRANSLATE_NOOP("Diagnosis", "OAuth sign-in is required: no valid refresh token."),
     oauthSignInRequired},
    {ErrorId::OAuthTokenFailed,
     QT_TRANSLATE_NOOP("Diagnosis", "No OAuth access token could be obtained."), oauthTokenFailed},
    {ErrorId::PasswordSourceFailed,
     QT_TRANSLATE_NOOP("Diagnosis",
                       "The password could not be read from its environment variable or command."),
     passwordSourceFailed},
    {ErrorId::PasswordCommandDisabled,
     QT_TRANSLATE_NOOP("Diagnosis", "The password command is disabled."), passwordCommandDisabled},
    {ErrorId::KerberosNoTicket,
     QT_TRANSLATE_NOOP("Diagnosis", "There is no Kerberos ticket to log on with."),
     kerberosNoTicket},
    {ErrorId::KerberosTicketExpired,
     QT_TRANSLATE_NOOP("Diagnosis", "The Kerberos ticket has expired."), kerberosTicketExpired},
    {ErrorId::KerberosServiceUnknown,
     QT_TRANSLATE_NOOP("Diagnosis", "Kerberos does not know the server's service principal."),
     kerberosServiceUnknown},
    {ErrorId::KerberosFailed, QT_TRANSLATE_NOOP("Diagnosis", "Kerberos (GSSAPI) failed."),
     kerberosFailed},
}};

const ErrorEntry* entryFor(const QString& errorId)
{
    for (const ErrorEntry& entry : errorEntries) {
        if (entry.id == errorId)
            return &entry;
    }
    return nullptr;
}

} // namespace

QString Diagnosis::describe(const QString& errorId)
{
    if (const ErrorEntry* entry = entryFor(errorId))
        return translated(entry->description);
    return Text::tr("Unknown error (%1).").arg(errorId);
}

QString Diagnosis::hint(const TestReport& report, const TestRequest& request,
                        const AdviceWording& wording)
{
    if (report.error.isNull())
        return {};
    const Facts facts = gatherFacts(report, request, wording);
    if (const ErrorEntry* entry = entryFor(facts.id)) {
        // The server's own words are the most specific facts (530 "Must issue a STARTTLS command
        // first" arrives as whatever error the command it answered maps to): they lead, then
        // what the error id and the profile tell.
        QStringList parts = facts.replyAdvice;
        if (!facts.replyIsWholeCause)
            parts << entry->hint(facts);
        parts.removeAll(QString());
        return parts.join(u' ');
    }
    return Text::tr("Run the test again with the transcript (%1) to see the server's exact words.")
        .arg(wording.where(changesFor(Change::Transcript, QString())));
}

TestReport Diagnosis::reportBeforeConnecting(const ConnectionProfile& profile,
                                             const QString& errorId, const QString& message,
                                             const AdviceWording& wording)
{
    TestReport report;
    report.ok = false;
    report.profile = profile.name;
    report.target = TestTarget{profile.host,
                               profile.effectivePort(),
                               toString(profile.security),
                               {},
                               toString(profile.proxy.type)};
    report.stages << TestStage{StageId::Auth, false, 0, message};
    report.auth.mechanism = toString(profile.auth.mechanism).toUpper();
    report.error = TestError{errorId, StageId::Auth, message, {}, {}};
    TestRequest request;
    request.profile = profile;
    report.error.hint = hint(report, request, wording);
    return report;
}

} // namespace relaydeck
