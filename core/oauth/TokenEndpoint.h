#pragma once

#include "oauth/OAuthEndpoints.h"
#include "oauth/OAuthError.h"
#include "oauth/TokenResponse.h"
#include "profile/ConnectionProfile.h"

#include <QObject>
#include <QUrlQuery>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace relaydeck {

// Who asks for tokens: the app registration and where its provider answers. A client secret
// (from the keychain) only when the provider needs one (Google's desktop clients); a public
// client sends none.
struct OAuthClientConfig
{
    OAuthProvider provider = OAuthProvider::None;
    OAuthEndpoints endpoints;
    QString clientId;
    QString clientSecret;

    static OAuthClientConfig forProfile(const ConnectionProfile& profile,
                                        const QString& clientSecret);
};

// The answer of a device authorization endpoint (RFC 8628 section 3.2).
struct DeviceAuthorization
{
    QString deviceCode;
    QString userCode;
    QString verificationUri;
    QString verificationUriComplete;
    int expiresInSeconds = 0;
    int intervalSeconds = 5;

    // Fails with the OAuthError (OAuthError::of) on an error answer or one without a code.
    static Result<DeviceAuthorization> parse(const QByteArray& body, int httpStatus);
};

// Requests to a provider's token and device authorization endpoints, over QNetworkAccessManager
// (asynchronous; a bounded transfer time; no redirects followed; only to endpoints
// OAuthEndpoints::isAllowedEndpoint accepts). Token-endpoint errors keep the provider's error
// and error_description.
class TokenEndpoint : public QObject
{
    Q_OBJECT

public:
    using TokenCallback =
        std::function<void(const std::optional<TokenResponse>&, const OAuthError&)>;
    using DeviceCallback =
        std::function<void(const std::optional<DeviceAuthorization>&, const OAuthError&)>;

    explicit TokenEndpoint(OAuthClientConfig config, QObject* parent = nullptr);
    ~TokenEndpoint() override;

    const OAuthClientConfig& config() const { return m_config; }

    // authorization_code grant with the PKCE verifier and the exact redirect_uri of the request.
    void exchangeCode(const QString& code, const QByteArray& verifier, const QString& redirectUri,
                      TokenCallback done);
    // refresh_token grant. Sends the scope to Microsoft (which needs it; others keep the granted
    // scope) and no secret for a public client.
    void refresh(const QString& refreshToken, TokenCallback done);
    void requestDeviceCode(DeviceCallback done);
    // One poll of the device_code grant; the caller handles authorization_pending/slow_down.
    void pollDeviceCode(const QString& deviceCode, TokenCallback done);

    // The form of each request (exposed for tests; contains secrets: never log it).
    QUrlQuery refreshForm(const QString& refreshToken) const;
    QUrlQuery codeForm(const QString& code, const QByteArray& verifier,
                       const QString& redirectUri) const;

    static constexpr int transferTimeoutMs = 30000;

private:
    using RawCallback =
        std::function<void(int httpStatus, const QByteArray& body, const OAuthError& failure)>;
    void post(const QUrl& url, QUrlQuery form, RawCallback done);
    void postForToken(QUrlQuery form, TokenCallback done);
    void addClientAuthentication(QUrlQuery& form) const;

    OAuthClientConfig m_config;
    QNetworkAccessManager* m_network;
};

} // namespace relaydeck
