#include "AuthenticationTab.h"
#include "OAuthSignInController.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/MemorySecretStore.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::ui;

// The Authentication tab's OAuth sign-in with OAuthSignInController over a MemorySecretStore:
// signed out, waiting for the browser, signed in (and until when), a failed sign-in, and
// Sign Out deleting the stored refresh token. The "browser" records the authorization URL; the
// test plays the provider's redirect to the real 127.0.0.1 listener.
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
};

QTEST_MAIN(TestOAuthSignIn)
#include "tst_oauthsignin.moc"
