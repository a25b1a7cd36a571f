#pragma once

#include "oauth/RedirectListener.h"
#include "oauth/SignInResult.h"
#include "oauth/TokenEndpoint.h"

#include <QObject>
#include <QUrl>

namespace relaydeck {

// The authorization code flow with PKCE S256 (RFC 6749 4.1, RFC 7636, RFC 8252): a fresh state
// and verifier, a one-shot RedirectListener on 127.0.0.1, the authorization URL for the browser,
// then the code exchanged at the token endpoint. The caller opens authorizationUrl() (or prints
// it) after start() and waits for finished().
class BrowserSignIn : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultTimeoutMs = 5 * 60 * 1000;

    explicit BrowserSignIn(const OAuthClientConfig& config, QObject* parent = nullptr);

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    void setLoginHint(const QString& hint) { m_loginHint = hint; }
    // Listens and builds the URL; false and finished() (queued) when it cannot.
    bool start();
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    QString redirectUri() const { return m_redirectUri; }
    const RedirectListener& listener() const { return *m_listener; }

    // The authorization URL for these values (exposed for tests).
    static QUrl buildAuthorizationUrl(const OAuthClientConfig& config, const QString& redirectUri,
                                      const QByteArray& state, const QByteArray& challenge,
                                      const QString& loginHint);
    // Microsoft's app registrations name http://localhost (any port); others get the loopback
    // address RFC 8252 recommends. The listener is on 127.0.0.1 either way.
    static QString redirectUriFor(OAuthProvider provider, quint16 port);

signals:
    void finished(const relaydeck::SignInResult& result);

private:
    void onRedirect(const RedirectResult& redirect);
    void fail(const OAuthError& error);

    TokenEndpoint* m_endpoint;
    RedirectListener* m_listener;
    int m_timeoutMs = defaultTimeoutMs;
    QString m_loginHint;
    QByteArray m_state;
    QByteArray m_verifier;
    QString m_redirectUri;
    QUrl m_authorizationUrl;
};

} // namespace relaydeck
