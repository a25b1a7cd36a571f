#include "oauth/BrowserSignIn.h"
#include "oauth/Pkce.h"
#include "oauth/TokenEndpoint.h"
#include "oauth/TokenResponse.h"
#include "smtp/ErrorIds.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

OAuthClientConfig customConfig()
{
    OAuthSettings settings;
    settings.provider = OAuthProvider::Custom;
    settings.clientId = u"relaydeck-test"_s;
    settings.authorizationUrl = u"https://id.example.com/auth?tenant=a+b"_s;
    settings.tokenUrl = u"https://id.example.com/token"_s;
    settings.scope = u"smtp offline_access"_s;
    OAuthClientConfig config;
    config.provider = settings.provider;
    config.endpoints = OAuthEndpoints::forSettings(settings);
    config.clientId = settings.clientId;
    return config;
}

const QDateTime receivedAt = QDateTime(QDate(2026, 12, 4), QTime(18, 0), Qt::UTC);

} // namespace

// The pieces of the OAuth client that need no network: PKCE, state, the authorization URL,
// the token requests' forms and the parsing of token endpoint answers.
// The OAuthError a failed parse carries (an empty one when it did not fail).
template <typename T> OAuthError errorOf(const Result<T>& parsed)
{
    if (parsed.ok())
        return {};
    return OAuthError::of(parsed.failure()).value_or(OAuthError());
}

class OAuthClientTest : public QObject
{
    Q_OBJECT

private slots:
    void pkceChallengeIsS256OfTheVerifier()
    {
        // RFC 7636 appendix B.
        QCOMPARE(Pkce::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                 QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void verifierAndStateAreFreshUrlSafeRandoms()
    {
        static const QRegularExpression urlSafe(u"^[A-Za-z0-9_-]{43}$"_s);
        QSet<QByteArray> seen;
        for (int i = 0; i < 200; ++i) {
            for (const QByteArray& value : {Pkce::newVerifier(), Pkce::newState()}) {
                QVERIFY2(urlSafe.match(QString::fromLatin1(value)).hasMatch(), value.constData());
                QVERIFY(!seen.contains(value));
                seen.insert(value);
            }
        }
        QVERIFY(Pkce::equal("abc", "abc"));
        QVERIFY(!Pkce::equal("abc", "abd"));
        QVERIFY(!Pkce::equal("abc", "abcd"));
        QVERIFY(!Pkce::equal("abc", {}));
    }

    void authorizationUrlCarriesPkceAndState()
    {
        const QUrl url = BrowserSignIn::buildAuthorizationUrl(
            customConfig(), u"http://127.0.0.1:4711/"_s, "STATE", "CHALLENGE", u"me@x.org"_s);
        QCOMPARE(url.host(), u"id.example.com"_s);
        QCOMPARE(url.path(), u"/auth"_s);
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(u"tenant"_s, QUrl::FullyDecoded), u"a+b"_s); // kept
        QCOMPARE(query.queryItemValue(u"response_type"_s), u"code"_s);
        QCOMPARE(query.queryItemValue(u"client_id"_s), u"relaydeck-test"_s);
        QCOMPARE(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded),
                 u"http://127.0.0.1:4711/"_s);
        QCOMPARE(query.queryItemValue(u"scope"_s, QUrl::FullyDecoded), u"smtp offline_access"_s);
        QCOMPARE(query.queryItemValue(u"state"_s), u"STATE"_s);
        QCOMPARE(query.queryItemValue(u"code_challenge"_s), u"CHALLENGE"_s);
        QCOMPARE(query.queryItemValue(u"code_challenge_method"_s), u"S256"_s);
        QCOMPARE(query.queryItemValue(u"login_hint"_s, QUrl::FullyDecoded), u"me@x.org"_s);
        // Spaces go as %20, never as '+', which a provider may read as a plus sign.
        QVERIFY(url.toString(QUrl::FullyEncoded).contains(u"scope=smtp%20offline_access"_s));
    }

    void redirectUriPerProvider()
    {
        QCOMPARE(BrowserSignIn::redirectUriFor(OAuthProvider::Microsoft, 5000),
                 u"http://localhost:5000/"_s);
        QCOMPARE(BrowserSignIn::redirectUriFor(OAuthProvider::Custom, 5000),
                 u"http://127.0.0.1:5000/"_s);
    }

    void refreshSendsScopeAndNoSecretForAPublicClient()
    {
        OAuthClientConfig config = customConfig();
        config.provider = OAuthProvider::Microsoft;
        TokenEndpoint publicClient(config);
        QUrlQuery form = publicClient.refreshForm(u"RT"_s);
        QCOMPARE(form.queryItemValue(u"grant_type"_s), u"refresh_token"_s);
        QCOMPARE(form.queryItemValue(u"refresh_token"_s), u"RT"_s);
        QCOMPARE(form.queryItemValue(u"scope"_s, QUrl::FullyDecoded), u"smtp offline_access"_s);
        QCOMPARE(form.queryItemValue(u"client_id"_s), u"relaydeck-test"_s);
        QVERIFY(!form.hasQueryItem(u"client_secret"_s));
        QVERIFY(!form.hasQueryItem(u"redirect_uri"_s));

        config.provider = OAuthProvider::Google;
        config.clientSecret = u"S3CRET"_s;
        TokenEndpoint confidential(config);
        form = confidential.refreshForm(u"RT"_s);
        QCOMPARE(form.queryItemValue(u"client_secret"_s), u"S3CRET"_s);
        QVERIFY(!form.hasQueryItem(u"scope"_s));
        config.provider = OAuthProvider::Custom;
        QVERIFY(!TokenEndpoint(config).refreshForm(u"RT"_s).hasQueryItem(u"scope"_s));
    }

    void codeExchangeSendsTheVerifier()
    {
        TokenEndpoint endpoint(customConfig());
        const QUrlQuery form = endpoint.codeForm(u"CODE"_s, "VERIFIER", u"http://127.0.0.1:1/"_s);
        QCOMPARE(form.queryItemValue(u"grant_type"_s), u"authorization_code"_s);
        QCOMPARE(form.queryItemValue(u"code"_s), u"CODE"_s);
        QCOMPARE(form.queryItemValue(u"code_verifier"_s), u"VERIFIER"_s);
        QCOMPARE(form.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded),
                 u"http://127.0.0.1:1/"_s);
    }

    void parsesASuccessfulAnswer()
    {
        // An ID token whose payload is {"sub":"42","email":"me@example.com"}.
        const QByteArray payload =
            QByteArray(R"({"sub":"42","email":"me@example.com"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const QByteArray body = QByteArray("{\"access_token\":\"AT\",\"refresh_token\":\"RT2\","
                                           "\"token_type\":\"Bearer\",\"expires_in\":3599,"
                                           "\"scope\":\"smtp\",\"id_token\":\"e30.") +
                                payload + QByteArray(".sig\"}");
        const Result<TokenResponse> response = TokenResponse::parse(body, 200, receivedAt);
        QVERIFY2(response.ok(), qPrintable(response.failureMessage()));
        QCOMPARE(response->accessToken, u"AT"_s);
        QCOMPARE(response->refreshToken, u"RT2"_s);
        QCOMPARE(response->expiresAt, receivedAt.addSecs(3599));
        QCOMPARE(response->account(), u"me@example.com"_s);
    }

    void expiresInAsAString()
    {
        const auto response = TokenResponse::parse(
            R"({"access_token":"AT","token_type":"bearer","expires_in":"60"})", 200, receivedAt);
        QVERIFY(response.ok());
        QCOMPARE(response->expiresAt, receivedAt.addSecs(60));
        QVERIFY(response->refreshToken.isEmpty());
    }

    void errorAnswersKeepErrorAndDescription()
    {
        OAuthError error = errorOf(TokenResponse::parse(
            R"({"error":"invalid_grant","error_description":"AADSTS70008: The refresh token has expired"})",
            400, receivedAt));
        QCOMPARE(error.id, ErrorId::OAuthSignInRequired);
        QCOMPARE(error.error, u"invalid_grant"_s);
        QVERIFY(error.message.contains(u"AADSTS70008: The refresh token has expired"_s));
        QVERIFY(!error.hint().isEmpty());

        error = errorOf(TokenResponse::parse(
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700016: Application "
            "with identifier x was not found\"}",
            401, receivedAt));
        QCOMPARE(error.id, ErrorId::OAuthTokenFailed);
        QCOMPARE(error.httpStatus, 401);
        QVERIFY(error.message.contains(u"invalid_client"_s));
        QVERIFY(error.hint().contains(u"client id"_s));

        error = errorOf(TokenResponse::parse(
            "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS700025: Client is "
            "public so no client_secret should be presented.\"}",
            400, receivedAt));
        QVERIFY(error.hint().contains(u"public client"_s));
    }

    void malformedAnswersAreErrors()
    {
        const OAuthError error =
            errorOf(TokenResponse::parse("<html>bad gateway</html>", 502, receivedAt));
        QCOMPARE(error.id, ErrorId::OAuthTokenFailed);
        QVERIFY(error.message.contains(u"502"_s));
        QCOMPARE(errorOf(TokenResponse::parse(R"({"token_type":"Bearer"})", 200, receivedAt)).id,
                 ErrorId::OAuthTokenFailed);
        QCOMPARE(errorOf(TokenResponse::parse(R"({"access_token":"AT","token_type":"mac"})", 200,
                                              receivedAt))
                     .id,
                 ErrorId::OAuthTokenFailed);
    }

    void deviceAuthorizationAnswer()
    {
        const auto device = DeviceAuthorization::parse(
            R"({"device_code":"DC","user_code":"ABCD-EFGH","verification_url":"https://g.co/device","expires_in":1800,"interval":7})",
            200);
        QVERIFY(device.ok());
        QCOMPARE(device->verificationUri, u"https://g.co/device"_s);
        QCOMPARE(device->intervalSeconds, 7);
        QCOMPARE(errorOf(DeviceAuthorization::parse(R"({"error":"invalid_client"})", 401)).error,
                 u"invalid_client"_s);
    }
};

QTEST_GUILESS_MAIN(OAuthClientTest)
#include "tst_oauthclient.moc"
