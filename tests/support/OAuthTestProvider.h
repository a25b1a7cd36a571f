#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace relaydeck::test {

class RealServer;

// The real OAuth 2.0 / OpenID provider of the integration tests (oidc-provider on Node.js,
// tests/support/oauth/provider.mjs) on a free 127.0.0.1 port: the public client
// "relaydeck-test" (access tokens live `accessTtl` seconds), "relaydeck-long" (the same with
// `longAccessTtl` seconds, long enough to be reused from memory), PKCE required, refresh-token
// rotation, the device flow, introspection for Dovecot ("dovecot" client) and revocation. Every
// answer of its token endpoint is logged by grant type (never a token), so a test can count them.
class OAuthTestProvider
{
public:
    OAuthTestProvider() = default;
    ~OAuthTestProvider();
    OAuthTestProvider(const OAuthTestProvider&) = delete;
    OAuthTestProvider& operator=(const OAuthTestProvider&) = delete;

    // Starts it with its files in `workDir`; false with errorString() when it does not come up.
    bool start(const QString& workDir, int accessTtl = 30, int longAccessTtl = 600);
    void stop();
    QString errorString() const { return m_error; }

    // tests/support/oauth (provider.mjs, browser.py: the scripted $BROWSER).
    static QString directory();
    int port() const { return m_port; }
    QString base() const; // http://127.0.0.1:PORT
    // The introspection URL with the credentials of the "dovecot" client, for Dovecot's passdb.
    QString dovecotIntrospectionUrl() const;

    // Starts Dovecot's submission server for tester@example.com, whose oauth2 passdb asks this
    // provider's introspection endpoint whether a bearer token is active.
    bool startDovecot(RealServer& dovecot) const;

    // relaydeck-cli add/set options for a custom provider that is this one, with `clientId`.
    QStringList cliOptions(const QString& clientId) const;

    // POSTs a form with curl (as the dovecot client when `asDovecot`); the JSON answer.
    QJsonObject post(const QString& path, const QStringList& form, bool asDovecot) const;
    QJsonObject introspect(const QString& token) const;
    // The grant type of every request its token endpoint answered, in order ("refresh_token",
    // "authorization_code", ...; "error:GRANT" for a refused one).
    QStringList tokenRequests() const;

private:
    QProcess m_process;
    QString m_grantLog;
    QString m_error;
    int m_port = 0;
};

} // namespace relaydeck::test
