#include "OAuthTestProvider.h"
#include "PrivateKeyringSession.h"
#include "RealServers.h"

#include "batch/ProfileTestBatch.h"
#include "library/ProfileLibrary.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QHash>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::test;

// Test all (ProfileTestBatch, as the desktop's Test All and `test --all` run it) of a signed-in
// OAuth profile, in one process as in the desktop app, against the real oidc-provider and
// Dovecot's submission server (its oauth2 passdb asks the provider whether a token is active),
// with the refresh token in the real keychain of a private gnome-keyring session:
// - the first test refreshes (one request at the token endpoint), a second test while the
//   access token is valid reuses it from memory (no request);
// - once that access token has expired at the provider, the next Test all refreshes silently
//   with the refresh token from the keychain, passes, and the rotated refresh token is saved.
// The provider logs each token-endpoint request by grant type; that log is what is counted.
class TestOAuthTestAll : public QObject
{
    Q_OBJECT

    QTemporaryDir work;
    OAuthTestProvider provider;
    RealServer dovecot;
    QString configDir;
    QProcessEnvironment environment;
    KeychainSecretStore keychain;
    ConnectionProfile profile; // signed in by the first test
    QString heldAccessToken;   // the token the second Test all reused

    CliRun cli(const QStringList& arguments)
    {
        return runCli(QStringList{u"--config-dir"_s, configDir} + arguments, environment, {},
                      60000);
    }

    QString storedRefreshToken() const
    {
        return secretToolLookup(secretKey(profile.id, SecretSlot::OAuthRefreshToken))
            .value_or(QString());
    }

    // Test all over the stored profiles, in this process; the report of each.
    QHash<QUuid, TestReport> testAll()
    {
        ProfileLibrary library(configDir, keychain);
        if (!library.load().ok())
            return {};
        ProfileTestBatch batch(library);
        QHash<QUuid, TestReport> reports;
        connect(
            &batch, &ProfileTestBatch::profileFinished, this,
            [&reports](const QUuid& id, const TestReport& report) { reports.insert(id, report); });
        connect(&batch, &ProfileTestBatch::profileSkipped, this,
                [&reports](const QUuid& id, const QString& reason) {
                    TestReport skipped;
                    skipped.error.id = u"skipped"_s;
                    skipped.error.message = reason;
                    reports.insert(id, skipped);
                });
        QSignalSpy finished(&batch, &ProfileTestBatch::finished);
        batch.start(library.store().profiles());
        if (!finished.wait(60000))
            qWarning("Test all did not finish");
        return reports;
    }

    void verifyPassed(const TestReport& report)
    {
        QVERIFY2(report.ok, qPrintable(report.error.id + u": "_s + report.error.message + u"\n"_s +
                                       dovecot.log().right(2000)));
        QCOMPARE(report.auth.mechanism, u"XOAUTH2"_s);
        QVERIFY(report.auth.ok);
    }

private slots:
    void initTestCase()
    {
        // relaydeck-long's access tokens live 75 s: reusable (a minute of life left) for the
        // first 15 s, then expired at the provider a minute later.
        QVERIFY2(provider.start(work.path(), 30, 75), qPrintable(provider.errorString()));
        QVERIFY2(provider.startDovecot(dovecot), qPrintable(dovecot.errorString()));
        configDir = work.filePath(u"config"_s);
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"BROWSER"_s, OAuthTestProvider::directory() + u"/browser.py"_s);
        environment.insert(u"OAUTH_BROWSER_LOG"_s, work.filePath(u"browser.log"_s));

        const CliRun add =
            cli(QStringList{u"add"_s, u"p"_s, u"--host"_s, dovecot.host(), u"--port"_s,
                            QString::number(dovecot.submissionPort()), u"--security"_s,
                            u"starttls"_s, u"--ca-file"_s, RealServer::caFile(), u"--auth"_s,
                            u"xoauth2"_s, u"--user"_s, u"tester@example.com"_s} +
                provider.cliOptions(u"relaydeck-long"_s));
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        // Signed in by relaydeck-cli (another process): this process holds no access token.
        const CliRun login = cli({u"login"_s, u"p"_s});
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        ProfileLibrary library(configDir, keychain);
        QVERIFY(library.load().ok());
        QCOMPARE(library.store().profiles().size(), 1);
        profile = library.store().profiles().first();
        QVERIFY(!storedRefreshToken().isEmpty());
    }

    void cleanupTestCase()
    {
        OAuthTokenSource::forget(profile.id);
        dovecot.stop();
        provider.stop();
    }

    void secondTestWithinTheTokensLifetimeReusesIt()
    {
        const int before = int(provider.tokenRequests().size());
        const QString signedIn = storedRefreshToken();

        const QHash<QUuid, TestReport> first = testAll();
        verifyPassed(first.value(profile.id));
        QCOMPARE(provider.tokenRequests().mid(before), QStringList{u"refresh_token"_s});
        const QString rotated = storedRefreshToken();
        QVERIFY2(!rotated.isEmpty() && rotated != signedIn,
                 "the refresh did not save the rotated refresh token");
        const std::optional<OAuthAccessToken> held = OAuthTokenSource::reusable(profile);
        QVERIFY(held.has_value());
        heldAccessToken = held->value;

        const QHash<QUuid, TestReport> second = testAll();
        verifyPassed(second.value(profile.id));
        QCOMPARE(provider.tokenRequests().size(), before + 1); // the token endpoint was not asked
        QCOMPARE(storedRefreshToken(), rotated);
        // Dovecot accepted the very token held in memory: the provider still calls it active.
        QVERIFY(provider.introspect(heldAccessToken).value(u"active"_s).toBool());
    }

    void expiredAccessTokenIsRefreshedSilently()
    {
        QVERIFY(!heldAccessToken.isEmpty());
        // Wait until the provider no longer accepts the token held in memory.
        QTRY_VERIFY_WITH_TIMEOUT(!provider.introspect(heldAccessToken).value(u"active"_s).toBool(),
                                 100000);
        const int before = int(provider.tokenRequests().size());
        const QString refreshBefore = storedRefreshToken();

        const QHash<QUuid, TestReport> reports = testAll();
        verifyPassed(reports.value(profile.id));
        QCOMPARE(provider.tokenRequests().mid(before), QStringList{u"refresh_token"_s});
        const QString refreshAfter = storedRefreshToken();
        QVERIFY2(!refreshAfter.isEmpty() && refreshAfter != refreshBefore,
                 "the rotated refresh token was not saved");
        const std::optional<OAuthAccessToken> fresh = OAuthTokenSource::reusable(profile);
        QVERIFY(fresh && fresh->value != heldAccessToken);

        // The saved refresh token works in another process too (relaydeck-cli test NAME).
        const CliRun test = cli({u"test"_s, u"p"_s});
        QVERIFY2(test.exitCode == 0, qPrintable(test.describe()));
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::Required))
        return *code;
    QCoreApplication app(argc, argv);
    TestOAuthTestAll test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_oauth_testall.moc"
