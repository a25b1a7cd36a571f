#include "oauth/OAuthEndpoints.h"
#include "profile/MsmtpProfileFormat.h"
#include "profile/Presets.h"
#include "profile/ProfileJson.h"
#include "profile/ProfileValidation.h"
#include "secrets/SecretStore.h"

#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

ConnectionProfile oauthProfile()
{
    ConnectionProfile p;
    p.id = QUuid(u"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"_s);
    p.name = u"provider"_s;
    p.host = u"smtp.example.com"_s;
    p.auth.mechanism = AuthMechanism::OAuthBearer;
    p.auth.username = u"me@example.com"_s;
    p.oauth.provider = OAuthProvider::Custom;
    p.oauth.clientId = u"relaydeck-test"_s;
    p.oauth.authorizationUrl = u"https://id.example.com/auth"_s;
    p.oauth.tokenUrl = u"https://id.example.com/token"_s;
    p.oauth.deviceAuthorizationUrl = u"https://id.example.com/device"_s;
    p.oauth.scope = u"smtp offline_access"_s;
    return p;
}

QStringList fieldsOf(const ValidationIssues& issues)
{
    QStringList fields;
    for (const ValidationIssue& issue : issues)
        fields << issue.field;
    return fields;
}

} // namespace

// The OAuth settings of a profile: its JSON keys, validation, the providers' endpoints and the
// presets that prepare them.
class OAuthSettingsTest : public QObject
{
    Q_OBJECT

private slots:
    void jsonRoundTripKeepsEveryOAuthField()
    {
        ConnectionProfile original = oauthProfile();
        original.oauth.tenant = u"contoso.onmicrosoft.com"_s;
        const QJsonObject json = ProfileJson::toJson(original);
        const QJsonObject oauth = json.value(u"oauth"_s).toObject();
        QCOMPARE(oauth.value(u"provider"_s).toString(), u"custom"_s);
        QCOMPARE(oauth.value(u"clientId"_s).toString(), u"relaydeck-test"_s);
        QCOMPARE(oauth.value(u"tenant"_s).toString(), u"contoso.onmicrosoft.com"_s);
        QCOMPARE(oauth.value(u"authorizationUrl"_s).toString(), u"https://id.example.com/auth"_s);
        QCOMPARE(oauth.value(u"tokenUrl"_s).toString(), u"https://id.example.com/token"_s);
        QCOMPARE(oauth.value(u"deviceAuthorizationUrl"_s).toString(),
                 u"https://id.example.com/device"_s);
        QCOMPARE(oauth.value(u"scope"_s).toString(), u"smtp offline_access"_s);
        const auto back =
            ProfileJson::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QVERIFY(*back == original);
    }

    void profilesWithoutOAuthKeepTheirJson()
    {
        ConnectionProfile plain = oauthProfile();
        plain.oauth = OAuthSettings();
        QVERIFY(!ProfileJson::toJson(plain).contains(u"oauth"_s));
    }

    void badProviderNamesTheField()
    {
        const auto p = ProfileJson::fromJson(
            QJsonDocument::fromJson(R"({"oauth":{"provider":"facebook"}})").object());
        QVERIFY(!p);
        QVERIFY2(
            p.failure().message.startsWith(u"oauth.provider: unknown OAuth provider 'facebook'"_s),
            qPrintable(p.failure().message));
    }

    void usesSignInOnlyWithAnOAuthMechanism()
    {
        ConnectionProfile p = oauthProfile();
        QVERIFY(p.usesOAuthSignIn());
        p.auth.mechanism = AuthMechanism::XOAuth2;
        QVERIFY(p.usesOAuthSignIn());
        p.auth.mechanism = AuthMechanism::Plain; // e.g. Gmail with an app password
        QVERIFY(!p.usesOAuthSignIn());
        p = oauthProfile();
        p.oauth.provider = OAuthProvider::None; // a pasted token
        QVERIFY(!p.usesOAuthSignIn());
    }

    void endpointsMustBeHttpsExceptOnLoopback_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << u"https://login.example.com/token"_s << true;
        QTest::newRow("http remote") << u"http://login.example.com/token"_s << false;
        QTest::newRow("http 127.0.0.1") << u"http://127.0.0.1:8080/token"_s << true;
        QTest::newRow("http 127.8.9.10") << u"http://127.8.9.10/token"_s << true;
        QTest::newRow("http ::1") << u"http://[::1]:9000/token"_s << true;
        QTest::newRow("http localhost") << u"http://localhost:9000/token"_s << true;
        QTest::newRow("http localhost.evil") << u"http://localhost.evil.com/token"_s << false;
        QTest::newRow("http 10.0.0.1") << u"http://10.0.0.1/token"_s << false;
        QTest::newRow("ftp") << u"ftp://login.example.com/token"_s << false;
        QTest::newRow("relative") << u"/token"_s << false;
    }

    void endpointsMustBeHttpsExceptOnLoopback()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(OAuthEndpoints::isAllowedEndpoint(QUrl(url)), allowed);
        ConnectionProfile p = oauthProfile();
        p.oauth.tokenUrl = url;
        const QStringList fields = fieldsOf(ProfileValidation::validate(p));
        QCOMPARE(fields.contains(u"oauth.tokenUrl"_s), !allowed);
    }

    void validationNamesEachOAuthField()
    {
        ConnectionProfile p = oauthProfile();
        QVERIFY2(ProfileValidation::validate(p).isEmpty(),
                 qPrintable(formatIssues(ProfileValidation::validate(p))));
        p.oauth.authorizationUrl.clear();
        p.oauth.deviceAuthorizationUrl.clear();
        p.oauth.tokenUrl.clear();
        p.oauth.scope.clear();
        p.oauth.clientId = u"two words"_s;
        p.oauth.tenant = u"no/slash"_s;
        const QStringList fields = fieldsOf(ProfileValidation::validate(p));
        for (const QString& field : {u"oauth.authorizationUrl"_s, u"oauth.tokenUrl"_s,
                                     u"oauth.scope"_s, u"oauth.clientId"_s, u"oauth.tenant"_s}) {
            QVERIFY2(fields.contains(field), qPrintable(field));
            QVERIFY(ProfileValidation::fieldKeys().contains(field));
        }
        // A device-only custom provider needs no authorization URL.
        p = oauthProfile();
        p.oauth.authorizationUrl.clear();
        QVERIFY(!fieldsOf(ProfileValidation::validate(p)).contains(u"oauth.authorizationUrl"_s));
    }

    void microsoftEndpointsFollowTheTenant()
    {
        OAuthSettings settings;
        settings.provider = OAuthProvider::Microsoft;
        OAuthEndpoints endpoints = OAuthEndpoints::forSettings(settings);
        QCOMPARE(endpoints.authorizationUrl.toString(),
                 u"https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize"_s);
        QCOMPARE(endpoints.scope, u"https://outlook.office.com/SMTP.Send offline_access"_s);
        settings.tenant = u"contoso.onmicrosoft.com"_s;
        endpoints = OAuthEndpoints::forSettings(settings);
        QCOMPARE(endpoints.tokenUrl.toString(),
                 u"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"_s);
        QCOMPARE(endpoints.deviceAuthorizationUrl.toString(),
                 u"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/"
                 "devicecode"_s);
        // A URL the profile names wins over the provider's.
        settings.tokenUrl = u"https://proxy.example.com/token"_s;
        QCOMPARE(OAuthEndpoints::forSettings(settings).tokenUrl.toString(),
                 u"https://proxy.example.com/token"_s);
    }

    void googleEndpointsAndScope()
    {
        OAuthSettings settings;
        settings.provider = OAuthProvider::Google;
        const OAuthEndpoints endpoints = OAuthEndpoints::forSettings(settings);
        QCOMPARE(endpoints.tokenUrl.toString(), u"https://oauth2.googleapis.com/token"_s);
        QCOMPARE(endpoints.scope, u"https://mail.google.com/"_s);
    }

    void presetsPrepareTheSignIn()
    {
        const auto office = Presets::apply(u"office365"_s);
        QVERIFY(office);
        QCOMPARE(toString(office->oauth.provider), u"microsoft"_s);
        // Basic authentication is off for Microsoft tenants: the preset signs in with XOAUTH2.
        QCOMPARE(toString(office->auth.mechanism), u"xoauth2"_s);
        QVERIFY(office->oauth.clientId.isEmpty()); // never another application's id
        const OAuthEndpoints endpoints = OAuthEndpoints::forSettings(office->oauth);
        QVERIFY(endpoints.tokenUrl.toString().startsWith(u"https://login.microsoftonline.com/"_s));
        QVERIFY(endpoints.scope.contains(u"SMTP.Send"_s));
        const QString officeNote = Presets::find(u"office365"_s)->note;
        for (const QString& step : {u"1. "_s, u"2. "_s, u"3. "_s, u"http://localhost"_s})
            QVERIFY2(officeNote.contains(step), qPrintable(step));

        const auto gmail = Presets::apply(u"gmail"_s);
        QVERIFY(gmail);
        QCOMPARE(toString(gmail->oauth.provider), u"google"_s);
        // Google too: XOAUTH2 by default (an app password remains a choice of mechanism).
        QCOMPARE(toString(gmail->auth.mechanism), u"xoauth2"_s);
        const QString gmailNote = Presets::find(u"gmail"_s)->note;
        QVERIFY(gmailNote.contains(u"Desktop app"_s));
        QVERIFY(gmailNote.contains(u"3. "_s));
    }

    void msmtpExportAsksRelaydeckForTheToken()
    {
        ConnectionProfile p = oauthProfile();
        p.name = u"it's mine"_s;
        p.auth.mechanism = AuthMechanism::XOAuth2;
        QCOMPARE(MsmtpProfileFormat::tokenEvalCommand(p.name),
                 u"relaydeck-cli token 'it'\\''s mine'"_s);
        const QByteArray file = MsmtpProfileFormat::exportProfiles({p});
        QVERIFY2(file.contains("auth xoauth2\n"), file.constData());
        QVERIFY2(file.contains("relaydeck-cli token 'it'\\''s mine'"), file.constData());
        QVERIFY(!file.contains("passwordeval secret-tool"));
    }

    void clientSecretHasItsOwnSlot()
    {
        QCOMPARE(toString(SecretSlot::OAuthClientSecret), u"oauth-client-secret"_s);
        QCOMPARE(secretKey(QUuid(u"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"_s),
                           SecretSlot::OAuthRefreshToken),
                 u"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:oauth-refresh-token"_s);
    }
};

QTEST_GUILESS_MAIN(OAuthSettingsTest)
#include "tst_oauthsettings.moc"
