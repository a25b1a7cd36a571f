#include "common/Setting.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString settingId(Setting setting)
{
    switch (setting) {
    case Setting::Host:
        return u"host"_s;
    case Setting::Port:
        return u"port"_s;
    case Setting::Security:
        return u"security"_s;
    case Setting::HeloName:
        return u"helo-name"_s;
    case Setting::Timeout:
        return u"timeout"_s;
    case Setting::Sender:
        return u"sender"_s;
    case Setting::Username:
        return u"username"_s;
    case Setting::Password:
        return u"password"_s;
    case Setting::AuthMechanism:
        return u"auth-mechanism"_s;
    case Setting::AllowPlaintextAuth:
        return u"allow-plaintext-auth"_s;
    case Setting::TlsMinimum:
        return u"tls-minimum"_s;
    case Setting::CaFile:
        return u"ca-file"_s;
    case Setting::Pin:
        return u"pin"_s;
    case Setting::ProxyPassword:
        return u"proxy-password"_s;
    case Setting::OAuthSignIn:
        return u"oauth-sign-in"_s;
    case Setting::OAuthClientId:
        return u"oauth-client-id"_s;
    case Setting::OAuthDeviceUrl:
        return u"oauth-device-url"_s;
    case Setting::Transcript:
        return u"transcript"_s;
    case Setting::PasswordCommandEnabled:
        return u"password-command-enabled"_s;
    }
    return QString();
}

} // namespace relaydeck
