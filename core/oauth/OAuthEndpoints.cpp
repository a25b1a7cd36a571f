#include "oauth/OAuthEndpoints.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

QUrl explicitOr(const QString& given, const QString& fallback)
{
    return QUrl(given.trimmed().isEmpty() ? fallback : given.trimmed(), QUrl::StrictMode);
}

} // namespace

QString OAuthEndpoints::defaultMicrosoftTenant()
{
    return u"organizations"_s;
}

QString OAuthEndpoints::defaultScope(OAuthProvider provider)
{
    switch (provider) {
    case OAuthProvider::Microsoft:
        // offline_access: without it Microsoft issues no refresh token.
        return u"https://outlook.office.com/SMTP.Send offline_access"_s;
    case OAuthProvider::Google:
        return u"https://mail.google.com/"_s;
    case OAuthProvider::None:
    case OAuthProvider::Custom:
        break;
    }
    return {};
}

OAuthEndpoints OAuthEndpoints::forSettings(const OAuthSettings& settings)
{
    QString authorization;
    QString token;
    QString device;
    switch (settings.provider) {
    case OAuthProvider::Microsoft: {
        const QString tenant = settings.tenant.trimmed().isEmpty() ? defaultMicrosoftTenant()
                                                                   : settings.tenant.trimmed();
        const QString base = u"https://login.microsoftonline.com/"_s +
                             QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                             u"/oauth2/v2.0/"_s;
        authorization = base + u"authorize"_s;
        token = base + u"token"_s;
        device = base + u"devicecode"_s;
        break;
    }
    case OAuthProvider::Google:
        authorization = u"https://accounts.google.com/o/oauth2/v2/auth"_s;
        token = u"https://oauth2.googleapis.com/token"_s;
        device = u"https://oauth2.googleapis.com/device/code"_s;
        break;
    case OAuthProvider::None:
    case OAuthProvider::Custom:
        break;
    }
    OAuthEndpoints endpoints;
    endpoints.authorizationUrl = explicitOr(settings.authorizationUrl, authorization);
    endpoints.tokenUrl = explicitOr(settings.tokenUrl, token);
    endpoints.deviceAuthorizationUrl = explicitOr(settings.deviceAuthorizationUrl, device);
    endpoints.scope = settings.scope.simplified().isEmpty() ? defaultScope(settings.provider)
                                                            : settings.scope.simplified();
    return endpoints;
}

bool OAuthEndpoints::isAllowedEndpoint(const QUrl& url)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return false;
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https"_s)
        return true;
    if (scheme != u"http"_s)
        return false;
    const QString host = url.host().toLower();
    if (host == u"localhost"_s || host.endsWith(u".localhost"_s))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace relaydeck
