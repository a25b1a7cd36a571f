#include "DesktopWording.h"

#include "profile/ConnectionProfile.h"

#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

enum class Tab
{
    None,
    Main,
    Authentication,
    Encryption,
    Proxy
};

struct TabEntry
{
    Tab tab;
    const char16_t* objectName;
    const char* words;
};

const std::array<TabEntry, 4> tabs{{
    {Tab::Main, u"mainTab", QT_TRANSLATE_NOOP("DesktopWording", "Main tab")},
    {Tab::Authentication, u"authenticationTab",
     QT_TRANSLATE_NOOP("DesktopWording", "Authentication tab")},
    {Tab::Encryption, u"encryptionTab", QT_TRANSLATE_NOOP("DesktopWording", "Encryption tab")},
    {Tab::Proxy, u"proxyTab", QT_TRANSLATE_NOOP("DesktopWording", "Proxy tab")},
}};

const TabEntry* tabEntry(Tab tab)
{
    for (const TabEntry& entry : tabs) {
        if (entry.tab == tab)
            return &entry;
    }
    return nullptr;
}

// Any value other than none: a row that names where that value is given.
constexpr const char16_t* anyValue = u"*";

struct PlaceEntry
{
    Setting setting;
    const char16_t* value; // nullptr: the field itself; anyValue or one value: a special place
    Tab tab;
    const char16_t* objectName;
    const char* words; // the field's label or the button's text, without mnemonics
};

// The one table: where the editor (or the test panel) changes each setting. Rows with a value come
// first: they win over the field for that value.
const std::array<PlaceEntry, 21> placeTable{{
    {Setting::AuthMechanism, u"none", Tab::Authentication, u"noAuthenticationRadio",
     QT_TRANSLATE_NOOP("DesktopWording", "No authentication")},
    {Setting::Pin, anyValue, Tab::None, u"trustCertificateButton",
     QT_TRANSLATE_NOOP("DesktopWording", "Trust This Certificate…")},
    {Setting::Host, nullptr, Tab::Main, u"hostEdit", QT_TRANSLATE_NOOP("DesktopWording", "Server")},
    {Setting::Port, nullptr, Tab::Main, u"portSpin", QT_TRANSLATE_NOOP("DesktopWording", "Port")},
    {Setting::Security, nullptr, Tab::Encryption, u"securityCombo",
     QT_TRANSLATE_NOOP("DesktopWording", "Security")},
    {Setting::HeloName, nullptr, Tab::Main, u"heloNameEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "HELO/EHLO name")},
    {Setting::Timeout, nullptr, Tab::Main, u"timeoutSpin",
     QT_TRANSLATE_NOOP("DesktopWording", "Timeout")},
    {Setting::Sender, nullptr, Tab::Main, u"senderEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "Sender address")},
    {Setting::Username, nullptr, Tab::Authentication, u"usernameEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "User name")},
    {Setting::Password, nullptr, Tab::Authentication, u"passwordEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "Password")},
    {Setting::AuthMechanism, nullptr, Tab::Authentication, u"mechanismCombo",
     QT_TRANSLATE_NOOP("DesktopWording", "Mechanism")},
    {Setting::AllowPlaintextAuth, nullptr, Tab::Authentication, u"allowPlaintextCheck",
     QT_TRANSLATE_NOOP("DesktopWording", "Allow authentication over an unencrypted connection")},
    {Setting::TlsMinimum, nullptr, Tab::Encryption, u"tlsMinimumCombo",
     QT_TRANSLATE_NOOP("DesktopWording", "Minimum TLS version")},
    {Setting::CaFile, nullptr, Tab::Encryption, u"caFileEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "CA file")},
    {Setting::Pin, nullptr, Tab::Encryption, u"pinnedList",
     QT_TRANSLATE_NOOP("DesktopWording", "Pinned (SHA-256)")},
    {Setting::ProxyPassword, nullptr, Tab::Proxy, u"proxyPasswordEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "Password")},
    {Setting::OAuthSignIn, nullptr, Tab::Authentication, u"signInButton",
     QT_TRANSLATE_NOOP("DesktopWording", "Sign In…")},
    {Setting::OAuthClientId, nullptr, Tab::Authentication, u"oauthClientIdEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "Client ID")},
    {Setting::OAuthDeviceUrl, nullptr, Tab::Authentication, u"oauthDeviceUrlEdit",
     QT_TRANSLATE_NOOP("DesktopWording", "Device authorization URL")},
    {Setting::Transcript, nullptr, Tab::None, u"transcriptView",
     QT_TRANSLATE_NOOP("DesktopWording", "the Transcript tab")},
    {Setting::PasswordCommandEnabled, nullptr, Tab::Authentication, u"passwordCommandEnabledCheck",
     QT_TRANSLATE_NOOP("DesktopWording", "Command: Enabled")},
}};

bool matches(const PlaceEntry& entry, const SettingChange& change)
{
    if (entry.setting != change.setting)
        return false;
    if (!entry.value)
        return true;
    const QString value = QString::fromUtf16(entry.value);
    return value == QString::fromUtf16(anyValue) ? !change.value.isEmpty() : value == change.value;
}

const PlaceEntry* placeFor(const SettingChange& change)
{
    for (const PlaceEntry& entry : placeTable) {
        if (matches(entry, change))
            return &entry;
    }
    return nullptr;
}

QString translated(const char* source)
{
    return QCoreApplication::translate("DesktopWording", source);
}

// A value as the editor shows it ("Implicit TLS", "PLAIN", "TLS 1.2").
QString valueWords(const SettingChange& change)
{
    switch (change.setting) {
    case Setting::Security:
        if (change.value == toString(Security::ImplicitTls))
            return DesktopWording::securityWords(Security::ImplicitTls);
        if (change.value == toString(Security::StartTls))
            return DesktopWording::securityWords(Security::StartTls);
        if (change.value == toString(Security::Auto))
            return DesktopWording::securityWords(Security::Auto);
        return DesktopWording::securityWords(Security::None);
    case Setting::AuthMechanism:
        return change.value.toUpper();
    case Setting::TlsMinimum:
        return u"TLS "_s + change.value;
    case Setting::OAuthSignIn:
    case Setting::PasswordCommandEnabled:
        return {}; // the value is the profile's name: the editor shows that one already
    default:
        return change.value;
    }
}

} // namespace

QString DesktopWording::where(const SettingChanges& changes) const
{
    QString result;
    Tab previousTab = Tab::None;
    for (const SettingChange& change : changes) {
        const PlaceEntry* entry = placeFor(change);
        if (!entry)
            continue;
        QString words = translated(entry->words);
        const QString value = valueWords(change);
        if (!entry->value && !value.isEmpty())
            words = tr("%1: %2").arg(words, value);
        // "Authentication tab → User name and Password": a tab is named once.
        const TabEntry* tab = tabEntry(entry->tab);
        if (tab && entry->tab != previousTab)
            words = tr("%1 → %2").arg(translated(tab->words), words);
        previousTab = entry->tab;
        result = result.isEmpty() ? words : tr("%1 and %2").arg(result, words);
    }
    return result;
}

QString DesktopWording::missingSecret(const MissingSecret& missing) const
{
    return missing.accessToken
               ? tr("No access token is stored for this connection: enter it on the "
                    "Authentication tab.")
               : tr("No password is stored for this connection: enter it on the "
                    "Authentication tab, or clear the user name to test without "
                    "authentication.");
}

QList<DesktopWording::Place> DesktopWording::places(Setting setting)
{
    QList<Place> result;
    for (const PlaceEntry& entry : placeTable) {
        if (entry.setting != setting)
            continue;
        const TabEntry* tab = tabEntry(entry.tab);
        result << Place{tab ? QString::fromUtf16(tab->objectName) : QString(),
                        QString::fromUtf16(entry.objectName)};
    }
    return result;
}

QString DesktopWording::securityWords(Security security)
{
    switch (security) {
    case Security::None:
        return tr("None");
    case Security::StartTls:
        return u"STARTTLS"_s;
    case Security::ImplicitTls:
        return tr("Implicit TLS");
    case Security::Auto:
        return tr("Automatic");
    }
    return QString();
}

QString DesktopWording::sourceWords(CandidateSource source)
{
    switch (source) {
    case CandidateSource::Autoconfig:
        return tr("Autoconfig file");
    case CandidateSource::Srv:
        return tr("DNS SRV record");
    case CandidateSource::Preset:
        return tr("Provider preset");
    case CandidateSource::Mx:
        return tr("Mail server (MX)");
    case CandidateSource::Probe:
        break;
    }
    return tr("Probed");
}

QString DesktopWording::verdictWords(const DetectedCandidate& candidate)
{
    const TestReport& probe = candidate.probe;
    const QString mechanisms = probe.server.authMechanisms.join(u", "_s);
    QString text;
    switch (candidate.verdict()) {
    case CandidateVerdict::NotProbed:
        text = tr("Not probed yet");
        break;
    case CandidateVerdict::NoAnswer:
        text = tr("No answer in time");
        break;
    case CandidateVerdict::ProbeFailed:
        text = probe.error.message.isEmpty() ? probe.error.id : probe.error.message;
        break;
    case CandidateVerdict::NoEncryption:
        text = tr("Unencrypted: not usable");
        break;
    case CandidateVerdict::CertificateForOtherName:
        text = tr("Certificate not valid for %1").arg(candidate.host);
        break;
    case CandidateVerdict::CertificateNotTrusted:
        text = tr("Certificate not trusted");
        break;
    case CandidateVerdict::NoUsableMechanism:
        text = tr("%1 verified; no sign-in method Relaydeck supports (%2)")
                   .arg(probe.tls.protocol, mechanisms);
        break;
    case CandidateVerdict::NoAuthenticationOffered:
        text = tr("%1 verified; no sign-in needed").arg(probe.tls.protocol);
        break;
    case CandidateVerdict::Usable:
        text = tr("%1 verified; sign-in: %2").arg(probe.tls.protocol, mechanisms);
        break;
    }
    if (candidate.otherDomain)
        text += u" — "_s + tr("%1 is in another domain: confirm it first").arg(candidate.host);
    return text;
}

const DesktopWording& DesktopWording::instance()
{
    static const DesktopWording wording;
    return wording;
}

} // namespace relaydeck::ui
