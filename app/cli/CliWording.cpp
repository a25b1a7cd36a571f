#include "CliWording.h"

#include "profile/CommandWords.h"

#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

struct FlagEntry
{
    Setting setting;
    const char16_t* flag;            // without "--"
    const char16_t* placeholder;     // shown when the advice names no value; nullptr: none
    bool command = false;            // `flag` is a command to run, not an option
    const char16_t* after = nullptr; // a command's option, after the value
};

// The one table: which flag changes which setting.
const std::array<FlagEntry, allSettings.size()> flags{{
    {Setting::Host, u"host", u"NAME"},
    {Setting::Port, u"port", nullptr},
    {Setting::Security, u"security", nullptr},
    {Setting::HeloName, u"helo", u"host.example.com"},
    {Setting::Timeout, u"timeout", nullptr},
    {Setting::Sender, u"from", nullptr},
    {Setting::Username, u"user", nullptr},
    {Setting::Password, u"password-env", nullptr},
    {Setting::AuthMechanism, u"auth", nullptr},
    {Setting::AllowPlaintextAuth, u"allow-plaintext-auth", nullptr},
    {Setting::TlsMinimum, u"tls-min", nullptr},
    {Setting::CaFile, u"ca-file", u"ca.pem"},
    {Setting::Pin, u"pin", nullptr},
    {Setting::ProxyPassword, u"proxy-password-env", nullptr},
    {Setting::OAuthSignIn, u"relaydeck-cli login", u"NAME", true},
    {Setting::OAuthClientId, u"oauth-client-id", u"ID"},
    {Setting::OAuthDeviceUrl, u"oauth-device-url", u"URL"},
    {Setting::Transcript, u"transcript", nullptr},
    {Setting::PasswordCommandEnabled, u"relaydeck-cli set", u"NAME", true,
     u"--enable-password-command"},
}};

const FlagEntry* entryFor(Setting setting)
{
    for (const FlagEntry& entry : flags) {
        if (entry.setting == setting)
            return &entry;
    }
    return nullptr;
}

} // namespace

QString CliWording::flag(Setting setting)
{
    const FlagEntry* entry = entryFor(setting);
    return entry && !entry->command ? QString::fromUtf16(entry->flag) : QString();
}

QString CliWording::command(Setting setting)
{
    const FlagEntry* entry = entryFor(setting);
    return entry && entry->command ? QString::fromUtf16(entry->flag) : QString();
}

QString CliWording::where(const SettingChanges& changes) const
{
    QStringList words;
    for (const SettingChange& change : changes) {
        const FlagEntry* entry = entryFor(change.setting);
        if (!entry)
            continue;
        QString word = (entry->command ? QString() : u"--"_s) + QString::fromUtf16(entry->flag);
        if (!change.value.isEmpty())
            word +=
                u' ' + (entry->command && change.value.contains(u' ') ? u'\'' + change.value + u'\''
                                                                      : change.value);
        else if (entry->placeholder)
            word += u' ' + QString::fromUtf16(entry->placeholder);
        if (entry->after)
            word += u' ' + QString::fromUtf16(entry->after);
        words << word;
    }
    return words.join(u' ');
}

QString CliWording::missingSecret(const MissingSecret& missing) const
{
    // relaydeck-cli reads a token the same way as a password.
    if (missing.profileName.isEmpty())
        return tr("--user needs a password: give it with --password-stdin or --password-env VAR");
    return tr("no password is stored for '%1'. Store one with 'set NAME --password-stdin', or "
              "give it for this run with --password-stdin or --password-env VAR.")
        .arg(missing.profileName);
}

QString CliWording::passwordSourceWords(const ConnectionProfile& profile)
{
    const SecretSource& source = profile.auth.passwordSource;
    switch (source.kind) {
    case SecretSourceKind::Keychain:
        break;
    case SecretSourceKind::Environment:
        return tr("environment variable %1").arg(source.variable);
    case SecretSourceKind::Command: {
        const QString command = CommandWords::join(QStringList{source.program} + source.arguments);
        return source.enabled ? tr("command %1").arg(command)
                              : tr("command %1, DISABLED until enabled (%2)")
                                    .arg(command, instance().where(Setting::PasswordCommandEnabled,
                                                                   profile.name));
    }
    }
    return tr("keychain");
}

QString CliWording::verdictWords(const DetectedCandidate& candidate)
{
    const TestReport& probe = candidate.probe;
    QString text;
    switch (candidate.verdict()) {
    case CandidateVerdict::NotProbed:
        text = tr("not probed");
        break;
    case CandidateVerdict::NoAnswer:
        text = tr("no answer within the time limit");
        break;
    case CandidateVerdict::ProbeFailed:
        text = probe.error.message.isEmpty() ? probe.error.id : probe.error.message;
        break;
    case CandidateVerdict::NoEncryption:
        text = tr("no encryption: not usable");
        break;
    case CandidateVerdict::CertificateForOtherName:
        text = tr("the certificate is not valid for %1").arg(candidate.host);
        break;
    case CandidateVerdict::CertificateNotTrusted:
        text = tr("the certificate is not trusted");
        break;
    case CandidateVerdict::NoUsableMechanism:
        text = tr("verified %1, but no AUTH mechanism relaydeck-cli can use (%2)")
                   .arg(probe.tls.protocol, probe.server.authMechanisms.join(u' '));
        break;
    case CandidateVerdict::NoAuthenticationOffered:
        text = tr("verified %1, no authentication offered").arg(probe.tls.protocol);
        break;
    case CandidateVerdict::Usable:
        text = tr("verified %1, AUTH %2")
                   .arg(probe.tls.protocol, probe.server.authMechanisms.join(u' '));
        break;
    }
    if (candidate.otherDomain)
        text +=
            u"; "_s + tr("%1 is in another domain: confirm before using it").arg(candidate.host);
    return text;
}

const CliWording& CliWording::instance()
{
    static const CliWording wording;
    return wording;
}

} // namespace relaydeck::cli
