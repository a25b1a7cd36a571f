#include "oauth/TokenEndpoint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(TokenEndpoint)
};

// application/x-www-form-urlencoded as RFC 6749 appendix B wants it: '+' and every reserved
// character percent-encoded (QUrlQuery would leave '+' and some delimiters as they are).
QByteArray formBody(const QUrlQuery& form)
{
    QByteArray body;
    for (const auto& [key, value] : form.queryItems(QUrl::FullyDecoded)) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

// Hands a parsed answer to a callback of the (value or nullopt, OAuthError) shape.
template <typename T, typename Callback> void deliver(const Result<T>& parsed, const Callback& done)
{
    if (parsed.ok())
        done(parsed.value(), OAuthError());
    else
        done(std::nullopt, OAuthError::of(parsed.failure()).value_or(OAuthError()));
}

} // namespace

OAuthClientConfig OAuthClientConfig::forProfile(const ConnectionProfile& profile,
                                                const QString& clientSecret)
{
    OAuthClientConfig config;
    config.provider = profile.oauth.provider;
    config.endpoints = OAuthEndpoints::forSettings(profile.oauth);
    config.clientId = profile.oauth.clientId.trimmed();
    config.clientSecret = clientSecret;
    return config;
}

Result<DeviceAuthorization> DeviceAuthorization::parse(const QByteArray& body, int httpStatus)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (object.contains(u"error"_s)) {
        return OAuthError::fromEndpoint(object.value(u"error"_s).toString(),
                                        object.value(u"error_description"_s).toString(), httpStatus)
            .toFailure();
    }
    DeviceAuthorization device;
    device.deviceCode = object.value(u"device_code"_s).toString();
    device.userCode = object.value(u"user_code"_s).toString();
    // Google calls it verification_url.
    device.verificationUri = object.value(u"verification_uri"_s).toString();
    if (device.verificationUri.isEmpty())
        device.verificationUri = object.value(u"verification_url"_s).toString();
    device.verificationUriComplete = object.value(u"verification_uri_complete"_s).toString();
    device.expiresInSeconds = object.value(u"expires_in"_s).toInt(600);
    device.intervalSeconds = std::max(1, object.value(u"interval"_s).toInt(5));
    if (httpStatus < 200 || httpStatus > 299 || device.deviceCode.isEmpty() ||
        device.userCode.isEmpty() || device.verificationUri.isEmpty()) {
        OAuthError error = OAuthError::failed(
            Text::tr("The device authorization endpoint answered HTTP %1 without a device code.")
                .arg(httpStatus));
        error.httpStatus = httpStatus;
        return error.toFailure();
    }
    return device;
}

TokenEndpoint::TokenEndpoint(OAuthClientConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_network(new QNetworkAccessManager(this))
{}

TokenEndpoint::~TokenEndpoint() = default;

void TokenEndpoint::addClientAuthentication(QUrlQuery& form) const
{
    form.addQueryItem(u"client_id"_s, m_config.clientId);
    // client_secret_post; a public client (no secret stored) sends none at all: Microsoft
    // refuses a secret from a public client (AADSTS700025).
    if (!m_config.clientSecret.isEmpty())
        form.addQueryItem(u"client_secret"_s, m_config.clientSecret);
}

QUrlQuery TokenEndpoint::codeForm(const QString& code, const QByteArray& verifier,
                                  const QString& redirectUri) const
{
    QUrlQuery form;
    form.addQueryItem(u"grant_type"_s, u"authorization_code"_s);
    form.addQueryItem(u"code"_s, code);
    form.addQueryItem(u"redirect_uri"_s, redirectUri);
    form.addQueryItem(u"code_verifier"_s, QString::fromLatin1(verifier));
    addClientAuthentication(form);
    return form;
}

QUrlQuery TokenEndpoint::refreshForm(const QString& refreshToken) const
{
    QUrlQuery form;
    form.addQueryItem(u"grant_type"_s, u"refresh_token"_s);
    form.addQueryItem(u"refresh_token"_s, refreshToken);
    // Microsoft issues a token for the scope of the refresh request (without it: a token for
    // another resource). Others keep the granted scope when none is sent (RFC 6749 section 6),
    // and some refuse scopes the refresh token does not list verbatim (offline_access).
    if (m_config.provider == OAuthProvider::Microsoft && !m_config.endpoints.scope.isEmpty())
        form.addQueryItem(u"scope"_s, m_config.endpoints.scope);
    addClientAuthentication(form);
    return form;
}

void TokenEndpoint::exchangeCode(const QString& code, const QByteArray& verifier,
                                 const QString& redirectUri, TokenCallback done)
{
    postForToken(codeForm(code, verifier, redirectUri), std::move(done));
}

void TokenEndpoint::refresh(const QString& refreshToken, TokenCallback done)
{
    postForToken(refreshForm(refreshToken), std::move(done));
}

void TokenEndpoint::pollDeviceCode(const QString& deviceCode, TokenCallback done)
{
    QUrlQuery form;
    form.addQueryItem(u"grant_type"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s);
    form.addQueryItem(u"device_code"_s, deviceCode);
    addClientAuthentication(form);
    postForToken(form, std::move(done));
}

void TokenEndpoint::requestDeviceCode(DeviceCallback done)
{
    if (m_config.endpoints.deviceAuthorizationUrl.isEmpty()) {
        done(std::nullopt,
             OAuthError::needsSetting(Setting::OAuthDeviceUrl,
                                      Text::tr("This provider has no device authorization "
                                               "endpoint: set one or sign in with the browser.")));
        return;
    }
    QUrlQuery form;
    form.addQueryItem(u"scope"_s, m_config.endpoints.scope);
    addClientAuthentication(form);
    post(m_config.endpoints.deviceAuthorizationUrl, form,
         [done = std::move(done)](int status, const QByteArray& body, const OAuthError& failure) {
             if (!failure.isNull()) {
                 done(std::nullopt, failure);
                 return;
             }
             deliver(DeviceAuthorization::parse(body, status), done);
         });
}

void TokenEndpoint::postForToken(QUrlQuery form, TokenCallback done)
{
    post(m_config.endpoints.tokenUrl, std::move(form),
         [done = std::move(done)](int status, const QByteArray& body, const OAuthError& failure) {
             if (!failure.isNull()) {
                 done(std::nullopt, failure);
                 return;
             }
             deliver(TokenResponse::parse(body, status, QDateTime::currentDateTimeUtc()), done);
         });
}

void TokenEndpoint::post(const QUrl& url, QUrlQuery form, RawCallback done)
{
    if (m_config.clientId.isEmpty()) {
        done(0, {}, OAuthError::missingClientId());
        return;
    }
    if (!OAuthEndpoints::isAllowedEndpoint(url)) {
        done(0, {},
             OAuthError::failed(Text::tr("'%1' is not used: OAuth endpoints must be https (http "
                                         "only on this machine).")
                                    .arg(url.toString())));
        return;
    }
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(transferTimeoutMs);
    QNetworkReply* reply = m_network->post(request, formBody(form));
    connect(reply, &QNetworkReply::finished, this, [reply, url, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        // An HTTP error status still carries the provider's JSON error: only a failure without
        // an answer is a network error.
        if (status == 0) {
            done(0, {},
                 OAuthError::failed(Text::tr("The request to %1 failed: %2")
                                        .arg(url.host(), reply->errorString())));
            return;
        }
        done(status, body, {});
    });
}

} // namespace relaydeck
