#pragma once

#include <QList>
#include <QString>

#include <array>

namespace relaydeck {

// A setting the user can change, named by what it is. Core's advice (Diagnosis,
// ProfileSecretNeeds, ConnectionTest) says WHICH setting to change and to what; each front end
// words that in one table: relaydeck-cli names its flag (app/cli/CliWording.cpp), the desktop
// app its tab and field or button (ui/DesktopWording.cpp).
enum class Setting
{
    Host,
    Port,
    Security,
    HeloName,
    Timeout,
    Sender,
    Username,
    Password,
    AuthMechanism,
    AllowPlaintextAuth,
    TlsMinimum,
    CaFile,
    Pin,
    ProxyPassword,
    OAuthSignIn,    // not stored: the OAuth 2.0 sign-in (refresh token in the keychain); value: the
                    // profile's name
    OAuthClientId,  // the client id of the admin's own app registration
    OAuthDeviceUrl, // the provider's device authorization endpoint (RFC 8628)
    Transcript,     // not stored in a profile: the test's SMTP dialogue, shown on request
    PasswordCommandEnabled // a password command's "enabled" switch; value: the profile's name
};

inline constexpr std::array allSettings{Setting::Host,
                                        Setting::Port,
                                        Setting::Security,
                                        Setting::HeloName,
                                        Setting::Timeout,
                                        Setting::Sender,
                                        Setting::Username,
                                        Setting::Password,
                                        Setting::AuthMechanism,
                                        Setting::AllowPlaintextAuth,
                                        Setting::TlsMinimum,
                                        Setting::CaFile,
                                        Setting::Pin,
                                        Setting::ProxyPassword,
                                        Setting::OAuthSignIn,
                                        Setting::OAuthClientId,
                                        Setting::OAuthDeviceUrl,
                                        Setting::Transcript,
                                        Setting::PasswordCommandEnabled};

// The stable id of a setting ("security", "ca-file", ...): the same in every language and front
// end.
QString settingId(Setting setting);

// One setting to change and the value to give it, in core's own spelling ("tls" for
// Security::ImplicitTls, "plain" for a mechanism, "465", a SHA-256 to pin); empty: the reader
// picks the value.
struct SettingChange
{
    Setting setting;
    QString value = {};
};

using SettingChanges = QList<SettingChange>;

} // namespace relaydeck
