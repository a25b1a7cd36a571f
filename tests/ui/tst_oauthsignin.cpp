#include "UiTestSupport.h"

#include "AuthenticationTab.h"
#include "ConnectionEditor.h"
#include "MainWindow.h"
#include "OAuthSignInController.h"
#include "TestPanel.h"

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "oauth/OAuthTokenSource.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace relaydeck::test;

// The Authentication tab's OAuth sign-in with OAuthSignInController over a MemorySecretStore:
// signed out, waiting for the browser, signed in (and until when), a failed sign-in, and
// Sign Out deleting the stored refresh token. The "browser" records the authorization URL; the
// test plays the provider's redirect to the real 127.0.0.1 listener. Also the OAuth settings on
// the tab (provider, tenant, client id, endpoints; validated in place) and the desktop's Test of
// an OAuth profile, which gets its access token from the sign-in (never from a password field).
class TestOAuthSignIn : public QObject
{
    Q_OBJECT

    static ConnectionProfile oauthProfile()
    {
        ConnectionProfile profile;
        profile.id = QUuid::createUuid();
        profile.name = u"office"_s;
        profile.host = u"smtp.example.com"_s;
        profile.auth.mechanism = AuthMechanism::XOAuth2;
        profile.auth.username = u"admin@example.com"_s;
        profile.oauth.provider = OAuthProvider::Custom;
        profile.oauth.clientId = u"client-1"_s;
        profile.oauth.authorizationUrl = u"http://127.0.0.1:9/authorize"_s;
        profile.oauth.tokenUrl = u"http://127.0.0.1:9/token"_s;
        profile.oauth.scope = u"smtp offline_access"_s;
        return profile;
    }

    struct Fixture
    {
        MemorySecretStore store;
        OAuthSignInController controller{store};
        AuthenticationTab tab;
        QList<QUrl> opened;
        ConnectionProfile profile = oauthProfile();

        Fixture()
        {
            controller.setBrowserOpener([this](const QUrl& url) {
                opened << url;
                return true;
            });
            tab.setSignInController(&controller);
            tab.setProfile(profile);
            tab.show();
        }
        QString refreshKey() const { return secretKey(profile.id, SecretSlot::OAuthRefreshToken); }
        QLabel* status() const { return tab.findChild<QLabel*>(u"signInStatusLabel"_s); }
        QPushButton* signIn() const { return tab.findChild<QPushButton*>(u"signInButton"_s); }
        QPushButton* signOut() const { return tab.findChild<QPushButton*>(u"signOutButton"_s); }
    };

    static SignInResult signedInResult()
    {
        SignInResult result;
        result.ok = true;
        result.tokens.accessToken = u"access-token-1"_s;
        result.tokens.refreshToken = u"refresh-token-1"_s;
        result.tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600);
        // An unsigned ID token naming the account (only read for display).
        const QByteArray claims = R"({"preferred_username":"admin@example.com"})";
        result.tokens.idToken = QString::fromLatin1(
            "eyJhbGciOiJub25lIn0." +
            claims.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + ".");
        return result;
    }

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English)); }

    void passwordProfileShowsNoSignIn()
    {
        Fixture f;
        ConnectionProfile password = f.profile;
        password.oauth = {};
        password.auth.mechanism = AuthMechanism::Plain;
        f.tab.setProfile(password);
        QVERIFY(!f.tab.findChild<QWidget*>(u"signInBox"_s)->isVisible());
        QVERIFY(f.tab.findChild<QWidget*>(u"passwordEdit"_s)->isVisible());
    }

    void signedOutOffersSignIn()
    {
        Fixture f;
        QVERIFY(f.tab.findChild<QWidget*>(u"signInBox"_s)->isVisible());
        QVERIFY(!f.tab.findChild<QWidget*>(u"passwordEdit"_s)->isVisible());
        QTRY_VERIFY(f.status()->text().contains(u"Not signed in"_s));
        QVERIFY(f.signIn()->isVisible() && f.signIn()->isEnabled());
        QVERIFY(!f.signOut()->isVisible());
    }

    void signInOpensTheBrowserThenFailsOnDenial()
    {
        Fixture f;
        QTRY_VERIFY(f.signIn()->isEnabled());
        QTest::mouseClick(f.signIn(), Qt::LeftButton);
        QTRY_COMPARE(f.opened.size(), 1);
        const QUrlQuery query(f.opened.first());
        QCOMPARE(query.queryItemValue(u"code_challenge_method"_s), u"S256"_s);
        QCOMPARE(query.queryItemValue(u"client_id"_s), u"client-1"_s);
        QTRY_VERIFY(f.status()->text().contains(u"Waiting for the sign-in"_s));
        QVERIFY(!f.signIn()->isEnabled());

        // The provider redirects with access_denied to the listener on 127.0.0.1.
        const QUrl redirect(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded));
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, quint16(redirect.port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(
            "GET /?error=access_denied&state=" + query.queryItemValue(u"state"_s).toUtf8() +
            " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QTRY_VERIFY(f.status()->text().startsWith(u"Sign-in failed:"_s));
        QVERIFY2(f.status()->text().contains(u"access_denied"_s), qPrintable(f.status()->text()));
        QVERIFY(f.signIn()->isVisible() && f.signIn()->isEnabled());
        QVERIFY(!f.store.contains(f.refreshKey()));
    }

    void signedInShowsWhoAndUntilWhenThenSignOutDeletesTheToken()
    {
        Fixture f;
        f.controller.finishSignIn(f.profile, signedInResult());
        QTRY_VERIFY(f.status()->text().startsWith(u"Signed in as admin@example.com."_s));
        QVERIFY2(f.status()->text().contains(u"valid until"_s), qPrintable(f.status()->text()));
        QVERIFY(!f.status()->text().contains(u"access-token-1"_s));
        QCOMPARE(f.store.entries().value(f.refreshKey()), u"refresh-token-1"_s);
        QVERIFY(OAuthTokenSource::reusable(f.profile).has_value());
        QVERIFY(f.signOut()->isVisible() && f.signOut()->isEnabled());
        QVERIFY(!f.signIn()->isVisible());

        QTest::mouseClick(f.signOut(), Qt::LeftButton);
        QTRY_VERIFY(f.status()->text().contains(u"Not signed in"_s));
        QVERIFY(!f.store.contains(f.refreshKey()));
        QVERIFY(!OAuthTokenSource::reusable(f.profile).has_value());
        QVERIFY(f.signIn()->isVisible());
    }

    void storedRefreshTokenMeansSignedIn()
    {
        Fixture f;
        QTRY_VERIFY(f.status()->text().contains(u"Not signed in"_s));
        bool written = false;
        f.store.write(f.refreshKey(), u"refresh-token-2"_s, &f.tab,
                      [&written](const SecretResult&) { written = true; });
        QTRY_VERIFY(written);
        f.tab.setProfile(f.profile); // as when the profile is selected again
        QTRY_VERIFY(f.status()->text().startsWith(u"Signed in."_s));
        QVERIFY(f.status()->text().contains(u"The next test fetches a new access token."_s));
    }

    void noRefreshTokenIsAFailure()
    {
        Fixture f;
        SignInResult result = signedInResult();
        result.tokens.refreshToken.clear();
        f.controller.finishSignIn(f.profile, result);
        QTRY_VERIFY(f.status()->text().contains(u"no refresh token"_s));
        QVERIFY(f.store.entries().isEmpty());
    }

    static QComboBox* providerCombo(QWidget& tab)
    {
        return tab.findChild<QComboBox*>(u"oauthProviderCombo"_s);
    }
    static void chooseProvider(QWidget& tab, OAuthProvider provider)
    {
        QComboBox* combo = providerCombo(tab);
        combo->setCurrentIndex(combo->findData(int(provider)));
    }
    static bool rowShown(QWidget& tab, const QString& objectName)
    {
        auto* widget = tab.findChild<QWidget*>(objectName);
        return widget && widget->isVisible();
    }
    static void typeInto(QWidget& tab, const QString& objectName, const QString& text)
    {
        auto* edit = tab.findChild<QLineEdit*>(objectName);
        QVERIFY2(edit, qPrintable(objectName));
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    // The fields follow the provider: a pasted token (None) keeps the password field; Microsoft
    // asks for tenant and client id; Google for client id and secret; another provider for its
    // endpoints. What is typed goes into the profile as typed.
    void providerFieldsFollowTheProvider()
    {
        Fixture f;
        ConnectionProfile pasted = f.profile;
        pasted.oauth = {};
        f.tab.setProfile(pasted);
        QVERIFY(rowShown(f.tab, u"signInBox"_s));
        QVERIFY(rowShown(f.tab, u"passwordEdit"_s));
        QVERIFY(!rowShown(f.tab, u"oauthClientIdEdit"_s));
        QVERIFY(!rowShown(f.tab, u"signInButton"_s));

        chooseProvider(f.tab, OAuthProvider::Microsoft);
        QVERIFY(!rowShown(f.tab, u"passwordEdit"_s));
        QVERIFY(rowShown(f.tab, u"oauthTenantEdit"_s));
        QVERIFY(rowShown(f.tab, u"oauthClientIdEdit"_s));
        QVERIFY(!rowShown(f.tab, u"oauthClientSecretEdit"_s));
        QVERIFY(!rowShown(f.tab, u"oauthTokenUrlEdit"_s));
        QVERIFY(f.tab.findChild<QLineEdit*>(u"oauthScopeEdit"_s)
                    ->placeholderText()
                    .contains(u"SMTP.Send offline_access"_s));
        QVERIFY(f.tab.findChild<QLabel*>(u"oauthRegistrationNote"_s)
                    ->text()
                    .contains(u"http://localhost"_s));
        typeInto(f.tab, u"oauthTenantEdit"_s, u"contoso.onmicrosoft.com"_s);
        typeInto(f.tab, u"oauthClientIdEdit"_s, u"00000000-1111-2222-3333-444444444444"_s);
        ConnectionProfile applied = pasted;
        f.tab.applyTo(applied);
        QVERIFY(applied.oauth.provider == OAuthProvider::Microsoft);
        QCOMPARE(applied.oauth.tenant, u"contoso.onmicrosoft.com"_s);
        QCOMPARE(applied.oauth.clientId, u"00000000-1111-2222-3333-444444444444"_s);
        QVERIFY(applied.usesOAuthSignIn());

        chooseProvider(f.tab, OAuthProvider::Google);
        QVERIFY(!rowShown(f.tab, u"oauthTenantEdit"_s));
        QVERIFY(rowShown(f.tab, u"oauthClientSecretEdit"_s));
        chooseProvider(f.tab, OAuthProvider::Custom);
        QVERIFY(rowShown(f.tab, u"oauthAuthorizationUrlEdit"_s));
        QVERIFY(rowShown(f.tab, u"oauthTokenUrlEdit"_s));
        QVERIFY(rowShown(f.tab, u"oauthDeviceUrlEdit"_s));

        // The client secret is a keychain secret of its own slot.
        typeInto(f.tab, u"oauthClientSecretEdit"_s, u"s3cret"_s);
        QMap<SecretSlot, QString> secrets;
        f.tab.applySecretsTo(secrets);
        QCOMPARE(secrets.value(SecretSlot::OAuthClientSecret), u"s3cret"_s);

        // The round trip keeps a profile as it is.
        f.tab.setProfile(f.profile);
        ConnectionProfile again = f.profile;
        f.tab.applyTo(again);
        QCOMPARE(again, f.profile);
    }

    // A preset that prepared the sign-in (provider set, mechanism still automatic) says how to
    // turn it on; choosing XOAUTH2 shows the sign-in instead of the password.
    void presetProfileSaysToChooseXOAuth2()
    {
        Fixture f;
        ConnectionProfile preset = f.profile;
        preset.auth.mechanism = AuthMechanism::Auto;
        preset.oauth = {};
        preset.oauth.provider = OAuthProvider::Microsoft;
        f.tab.setProfile(preset);
        auto* hint = f.tab.findChild<QLabel*>(u"usernameHint"_s);
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(u"XOAUTH2"_s), qPrintable(hint->text()));
        QVERIFY(!rowShown(f.tab, u"signInBox"_s));
        auto* mechanism = f.tab.findChild<QComboBox*>(u"mechanismCombo"_s);
        mechanism->setCurrentIndex(mechanism->findData(int(AuthMechanism::XOAuth2)));
        QVERIFY(rowShown(f.tab, u"signInBox"_s));
        QVERIFY(rowShown(f.tab, u"oauthTenantEdit"_s));
        QVERIFY(!rowShown(f.tab, u"passwordEdit"_s));
        QVERIFY2(f.status()->text().contains(u"client ID"_s), qPrintable(f.status()->text()));
    }

    // In the editor, core's validation marks the OAuth field where it is (German included in
    // the translations test), and Save waits for a usable endpoint.
    void invalidEndpointIsMarkedOnTheTab()
    {
        ScriptedPrompter prompter;
        ConnectionEditor editor(prompter);
        editor.setProfile(oauthProfile());
        editor.show();
        QVERIFY(editor.isValid());
        auto* tab = editor.findChild<AuthenticationTab*>(u"authenticationTab"_s);
        typeInto(*tab, u"oauthTokenUrlEdit"_s, u"http://login.example.com/token"_s);
        QVERIFY(!editor.isValid());
        auto* error = tab->findChild<QLabel*>(u"oauth.tokenUrlError"_s);
        QVERIFY(error);
        QVERIFY2(error->text().contains(u"https"_s), qPrintable(error->text()));
        QVERIFY(!editor.findChild<QPushButton*>(u"saveButton"_s)->isEnabled());
        typeInto(*tab, u"oauthTokenUrlEdit"_s, u"https://login.example.com/token"_s);
        QVERIFY(editor.isValid());
        QVERIFY(editor.findChild<QPushButton*>(u"saveButton"_s)->isEnabled());
        // An OAuth sign-in has no password to miss: Save does not ask about one.
        QVERIFY(!editor.needsMissingPassword());
    }

    // Sign In… uses the settings as edited (here a new client id), and waits for what it needs.
    void signInUsesTheEditedSettings()
    {
        Fixture f;
        QTRY_VERIFY(f.signIn()->isEnabled());
        typeInto(f.tab, u"oauthClientIdEdit"_s, QString());
        QVERIFY(!f.signIn()->isEnabled());
        QVERIFY2(f.status()->text().contains(u"client ID"_s), qPrintable(f.status()->text()));
        typeInto(f.tab, u"oauthClientIdEdit"_s, u"client-2"_s);
        QVERIFY(f.signIn()->isEnabled());
        QTest::mouseClick(f.signIn(), Qt::LeftButton);
        QTRY_COMPARE(f.opened.size(), 1);
        QCOMPARE(QUrlQuery(f.opened.first()).queryItemValue(u"client_id"_s), u"client-2"_s);

        // A connection that is not saved yet can sign in too: the refresh token waits in memory
        // until the first Save (tst_oauth_desktop::signInBeforeTheFirstSave).
        ConnectionProfile unsaved = oauthProfile();
        unsaved.id = QUuid();
        f.tab.setProfile(unsaved);
        QTRY_VERIFY(f.signIn()->isEnabled());
        QVERIFY2(!f.status()->text().contains(u"Save the connection"_s),
                 qPrintable(f.status()->text()));
    }

    // The desktop's Test of an OAuth profile: without a sign-in it ends at stage auth with
    // oauth-sign-in-required and never connects; with a token from the sign-in still valid in
    // memory, the test uses it (the token endpoint, a closed port here, is not asked) and the
    // server sees it in AUTH XOAUTH2.
    void desktopTestGetsTheTokenFromTheSignIn()
    {
        QTemporaryDir dir;
        MemorySecretStore keychain;
        ScriptedPrompter prompter;
        SmtpScript script = greetingAndEhlo({"AUTH XOAUTH2"});
        script.expectPrefix("AUTH XOAUTH2 ").send("235 2.7.0 Accepted");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"office"_s;
        const ConnectionProfile oauth = oauthProfile();
        profile.auth = oauth.auth;
        profile.oauth = oauth.oauth;
        {
            ProfileStore store(dir.path());
            QVERIFY(store.load().ok());
            const Result<ConnectionProfile> added = store.add(profile);
            QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.failure().message));
            profile = added.value();
        }
        MainWindow window(dir.path(), keychain, prompter);
        window.show();
        QVERIFY(window.selectConnection(profile.id));
        TestPanel* panel = window.testPanel();
        QSignalSpy finished(panel, &TestPanel::finished);
        auto* testButton = panel->findChild<QPushButton*>(u"testButton"_s);
        QTRY_VERIFY(testButton->isEnabled());

        QTest::mouseClick(testButton, Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        TestReport report = finished.last().at(0).value<TestReport>();
        QCOMPARE(report.error.id, u"oauth-sign-in-required"_s);
        QCOMPARE(report.error.stage, u"auth"_s);
        QVERIFY2(report.error.hint.contains(u"Sign In"_s), qPrintable(report.error.hint));
        QCOMPARE(server.connectionCount(), 0);

        OAuthTokenSource::remember(profile, u"access-from-sign-in"_s,
                                   QDateTime::currentDateTimeUtc().addSecs(3600));
        QTRY_VERIFY(testButton->isEnabled());
        QTest::mouseClick(testButton, Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        report = finished.last().at(0).value<TestReport>();
        QVERIFY2(report.ok, qPrintable(report.error.id + u' ' + report.error.message));
        QCOMPARE(report.auth.mechanism, u"XOAUTH2"_s);
        const QList<QByteArray> payloads = authPayloads(server);
        QVERIFY(!payloads.isEmpty());
        QVERIFY(
            QByteArray::fromBase64(payloads.last()).contains("auth=Bearer access-from-sign-in"));
        // The tab follows: signed in, and until when the token used is valid.
        auto* status = window.findChild<QLabel*>(u"signInStatusLabel"_s);
        QVERIFY2(status->text().contains(u"valid until"_s), qPrintable(status->text()));
        OAuthTokenSource::forget(profile.id);
    }
};

QTEST_MAIN(TestOAuthSignIn)
#include "tst_oauthsignin.moc"
