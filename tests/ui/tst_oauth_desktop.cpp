#include "UiTestSupport.h"

#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "MainWindow.h"
#include "OAuthSignInController.h"
#include "TestPanel.h"

#include "OAuthTestProvider.h"
#include "RealServers.h"
#include "batch/ProfileTestBatch.h"
#include "oauth/OAuthTokenSource.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAction>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace relaydeck::test;

// The desktop app from Sign In… to Test and Test All, against the real oidc-provider
// (tests/support/oauth) and Dovecot's submission server, whose oauth2 passdb accepts a token only
// when the provider says it is active. The system browser is the scripted user agent
// (browser.py: logs in and consents). After the sign-in no token is typed anywhere: Test and
// Test All get the access token from the sign-in, and the provider's token endpoint is asked
// only for the sign-in itself while that token is valid.
class TestOAuthDesktop : public QObject
{
    Q_OBJECT

    QTemporaryDir work;
    OAuthTestProvider provider;
    RealServer dovecot;

    // A custom-OAuth XOAUTH2 connection to Dovecot, signing in at the test provider.
    ConnectionProfile oauthProfile(const QString& name) const
    {
        ConnectionProfile profile;
        profile.name = name;
        profile.host = dovecot.host();
        profile.port = dovecot.submissionPort();
        profile.security = Security::StartTls;
        profile.tls.caFile = RealServer::caFile();
        profile.auth.mechanism = AuthMechanism::XOAuth2;
        profile.auth.username = u"tester@example.com"_s;
        profile.oauth.provider = OAuthProvider::Custom;
        profile.oauth.clientId = u"relaydeck-long"_s; // 10-minute access tokens
        profile.oauth.authorizationUrl = provider.base() + u"/auth"_s;
        profile.oauth.tokenUrl = provider.base() + u"/token"_s;
        profile.oauth.scope = u"openid offline_access smtp"_s;
        return profile;
    }

    // The "system browser" of `window` is the scripted user agent (browser.py).
    bool useScriptedBrowser(MainWindow& window, QProcess& browser)
    {
        auto* controller = window.findChild<OAuthSignInController*>();
        if (!controller)
            return false;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"OAUTH_BROWSER_LOG"_s, work.filePath(u"browser.log"_s));
        browser.setProcessEnvironment(environment);
        controller->setBrowserOpener([&browser](const QUrl& url) {
            browser.start(OAuthTestProvider::directory() + u"/browser.py"_s,
                          {url.toString(QUrl::FullyEncoded)});
            return browser.waitForStarted(10000);
        });
        return true;
    }

    static void showAuthenticationTab(MainWindow& window)
    {
        QTabWidget* tabs = window.editor()->tabs();
        for (int index = 0; index < tabs->count(); ++index) {
            if (tabs->widget(index)->findChild<QWidget*>(u"authenticationTab"_s))
                tabs->setCurrentIndex(index);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(provider.start(work.path()), qPrintable(provider.errorString()));
        QVERIFY2(provider.startDovecot(dovecot), qPrintable(dovecot.errorString()));
    }

    void cleanupTestCase()
    {
        dovecot.stop();
        provider.stop();
    }

    void signInThenTestAndTestAllPass()
    {
        const QString configDir = work.filePath(u"config"_s);
        ConnectionProfile profile = oauthProfile(u"office"_s);
        {
            ProfileStore store(configDir);
            QVERIFY(store.load().ok());
            const Result<ConnectionProfile> added = store.add(profile);
            QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.failure().message));
            profile = added.value();
        }

        MemorySecretStore keychain;
        ScriptedPrompter prompter;
        MainWindow window(configDir, keychain, prompter);
        window.resize(1280, 800);
        window.show();
        QVERIFY(window.selectConnection(profile.id));
        QProcess browser;
        QVERIFY(useScriptedBrowser(window, browser));
        showAuthenticationTab(window);
        auto* status = window.findChild<QLabel*>(u"signInStatusLabel"_s);
        auto* signIn = window.findChild<QPushButton*>(u"signInButton"_s);
        QTRY_VERIFY(status->text().contains(u"Not signed in"_s));
        QVERIFY(signIn->isVisible() && signIn->isEnabled());
        QTest::mouseClick(signIn, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"Signed in as tester@example.com."_s),
                                 30000);
        QVERIFY2(status->text().contains(u"valid until"_s), qPrintable(status->text()));
        QTRY_VERIFY_WITH_TIMEOUT(browser.state() == QProcess::NotRunning, 10000);
        QCOMPARE(browser.exitCode(), 0);
        const QString refreshKey = secretKey(profile.id, SecretSlot::OAuthRefreshToken);
        QVERIFY(!keychain.entries().value(refreshKey).isEmpty());
        QCOMPARE(provider.tokenRequests(), QStringList{u"authorization_code"_s});

        // Test: the access token comes from the sign-in; Dovecot accepts it.
        TestPanel* panel = window.testPanel();
        QSignalSpy finished(panel, &TestPanel::finished);
        auto* test = panel->findChild<QPushButton*>(u"testButton"_s);
        QTRY_VERIFY(test->isEnabled());
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        const TestReport report = finished.last().at(0).value<TestReport>();
        QVERIFY2(report.ok, qPrintable(report.error.id + u": "_s + report.error.message + u'\n' +
                                       dovecot.log().right(2000)));
        QCOMPARE(report.auth.mechanism, u"XOAUTH2"_s);

        // Test All, the same way.
        ProfileTestBatch* batch = window.testAllBatch();
        QSignalSpy batchFinished(batch, &ProfileTestBatch::finished);
        window.findChild<QAction*>(u"testAllAction"_s)->trigger();
        QVERIFY(batchFinished.wait(30000));
        QCOMPARE(window.connectionModel()->result(profile.id).status,
                 LastTestResult::Status::Passed);
        // The token from the sign-in served both: no refresh was needed.
        QCOMPARE(provider.tokenRequests(), QStringList{u"authorization_code"_s});

        // Sign Out forgets it; the next Test says to sign in, and sends nothing to the server.
        auto* signOut = window.findChild<QPushButton*>(u"signOutButton"_s);
        QTest::mouseClick(signOut, Qt::LeftButton);
        QTRY_VERIFY(status->text().contains(u"Not signed in"_s));
        QVERIFY(!keychain.entries().contains(refreshKey));
        QTRY_VERIFY(test->isEnabled());
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        const TestReport signedOut = finished.last().at(0).value<TestReport>();
        QCOMPARE(signedOut.error.id, u"oauth-sign-in-required"_s);
        QVERIFY(signedOut.transcript.isEmpty());
        OAuthTokenSource::forget(profile.id);
    }

    // Sign In… on a new connection that was never saved: the refresh token waits in memory and
    // the first Save writes it to the keychain under the saved connection's id;
    // connections.json holds nothing secret, and the saved connection tests without another
    // sign-in.
    void signInBeforeTheFirstSave()
    {
        const QString configDir = work.filePath(u"config-draft"_s);
        MemorySecretStore keychain;
        ScriptedPrompter prompter;
        MainWindow window(configDir, keychain, prompter);
        window.resize(1280, 800);
        window.show();
        window.findChild<QAction*>(u"newAction"_s)->trigger();
        QVERIFY(window.editor()->isNew());
        // What the Office 365 preset and the user's typing give, for the local provider.
        window.editor()->setProfile(oauthProfile(u"draft office"_s));
        QVERIFY(window.editor()->isNew());
        QProcess browser;
        QVERIFY(useScriptedBrowser(window, browser));
        showAuthenticationTab(window);

        auto* status = window.findChild<QLabel*>(u"signInStatusLabel"_s);
        auto* signIn = window.findChild<QPushButton*>(u"signInButton"_s);
        QTRY_VERIFY(status->text().contains(u"Not signed in"_s));
        QTRY_VERIFY(signIn->isVisible() && signIn->isEnabled());
        const QStringList requestsBefore = provider.tokenRequests();
        QTest::mouseClick(signIn, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"Signed in as tester@example.com."_s),
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(browser.state() == QProcess::NotRunning, 10000);
        QCOMPARE(browser.exitCode(), 0);
        // Nothing is stored before the save.
        QVERIFY2(keychain.entries().isEmpty(), qPrintable(keychain.entries().keys().join(u' ')));
        QVERIFY(window.editor()->isNew());

        QVERIFY(window.save());
        const std::optional<ConnectionProfile> saved = window.store().findByName(u"draft office"_s);
        QVERIFY(saved);
        QVERIFY(!saved->id.isNull());
        const QString refreshKey = secretKey(saved->id, SecretSlot::OAuthRefreshToken);
        QTRY_VERIFY(!keychain.entries().value(refreshKey).isEmpty());
        QCOMPARE(keychain.entries().keys(), QStringList{refreshKey});
        QTRY_VERIFY(status->text().startsWith(u"Signed in as tester@example.com."_s));

        // connections.json names the provider, never a token.
        QFile file(configDir + u"/connections.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(json.contains("relaydeck-long"));
        QVERIFY(!json.contains(keychain.entries().value(refreshKey).toUtf8()));
        QVERIFY(!json.contains("refresh"));
        QVERIFY(!json.contains("access_token"));

        // The saved connection tests with the sign-in's token.
        TestPanel* panel = window.testPanel();
        QSignalSpy finished(panel, &TestPanel::finished);
        auto* test = panel->findChild<QPushButton*>(u"testButton"_s);
        QTRY_VERIFY(test->isEnabled());
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        const TestReport report = finished.last().at(0).value<TestReport>();
        QVERIFY2(report.ok, qPrintable(report.error.id + u": "_s + report.error.message));
        QCOMPARE(provider.tokenRequests().mid(requestsBefore.size()),
                 QStringList{u"authorization_code"_s});
        OAuthTokenSource::forget(saved->id);
    }
};

QTEST_MAIN(TestOAuthDesktop)
#include "tst_oauth_desktop.moc"
