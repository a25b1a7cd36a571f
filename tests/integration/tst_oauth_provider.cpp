#include "OAuthTestProvider.h"
#include "PrivateKeyringSession.h"
#include "RealServers.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck::test;

// relaydeck-cli login/token/logout against a real OAuth provider (oidc-provider on Node.js,
// tests/support/oauth/provider.mjs) with the scripted browser (browser.py as $BROWSER) and the
// real keychain of a private gnome-keyring session. Tokens are checked at the provider's
// introspection endpoint and by Dovecot's submission server, whose "oauth2" passdb accepts a
// bearer token only when that endpoint says it is active: a passing test proves they are real.
// The last test sweeps every output and file of the run for the tokens it saw.
class TestOAuthProvider : public QObject
{
    Q_OBJECT

    const QString oauthDir = OAuthTestProvider::directory();
    QTemporaryDir work;
    OAuthTestProvider provider;
    QString configDir;
    QProcessEnvironment environment;
    RealServer dovecot;
    // Every access and refresh token seen, and everything the runs printed or wrote (but the
    // stdout of 'token NAME', whose job is to print one), for the no-secrets sweep.
    QStringList tokensSeen;
    QByteArray outputs;

    QString base() const { return provider.base(); }

    CliRun cli(const QStringList& arguments, int timeoutMs = 60000)
    {
        const CliRun run = runCli(QStringList{u"--config-dir"_s, configDir} + arguments,
                                  environment, {}, timeoutMs);
        if (arguments.value(0) == u"token"_s) {
            tokensSeen << QString::fromUtf8(run.out).trimmed();
            outputs += run.err;
        } else {
            outputs += run.out + run.err;
        }
        return run;
    }

    QString profileId()
    {
        return cli({u"show"_s, u"p"_s, u"--json"_s}).json().value(u"id"_s).toString();
    }

    std::optional<QString> storedRefreshToken()
    {
        const std::optional<QString> token =
            secretToolLookup(profileId() + u":oauth-refresh-token"_s);
        if (token)
            tokensSeen << *token;
        return token;
    }

    QJsonObject post(const QString& path, const QStringList& form, bool asDovecot)
    {
        return provider.post(path, form, asDovecot);
    }

    QJsonObject introspect(const QString& token) { return provider.introspect(token); }

    // A connection to Dovecot's submission port (STARTTLS) that signs in at the test provider.
    void addProfile(const QString& mechanism = u"xoauth2"_s,
                    const QString& clientId = u"relaydeck-test"_s)
    {
        cli({u"remove"_s, u"p"_s});
        const CliRun add = cli(
            QStringList{u"add"_s, u"p"_s, u"--host"_s, dovecot.host(), u"--port"_s,
                        QString::number(dovecot.submissionPort()), u"--security"_s, u"starttls"_s,
                        u"--ca-file"_s, RealServer::caFile(), u"--auth"_s, mechanism, u"--user"_s,
                        u"tester@example.com"_s, u"--from"_s, u"tester@example.com"_s} +
            provider.cliOptions(clientId));
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
    }

    void signIn()
    {
        const CliRun login = cli({u"login"_s, u"p"_s});
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY2(login.out.contains("Signed 'p' in as tester@example.com."),
                 qPrintable(login.describe()));
    }

    void testPasses(const QString& mechanism)
    {
        const CliRun test = cli({u"test"_s, u"p"_s, u"--json"_s});
        QVERIFY2(test.exitCode == 0, qPrintable(test.describe() + dovecot.log().right(3000)));
        const QJsonObject report = test.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"mechanism"_s).toString(),
                 mechanism.toUpper());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(provider.start(work.path()), qPrintable(provider.errorString()));
        QVERIFY2(provider.startDovecot(dovecot), qPrintable(dovecot.errorString()));
        configDir = work.filePath(u"config"_s);
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"BROWSER"_s, oauthDir + u"/browser.py"_s);
        environment.insert(u"OAUTH_BROWSER_LOG"_s, work.filePath(u"browser.log"_s));
    }

    void cleanupTestCase()
    {
        dovecot.stop();
        provider.stop();
    }

    void signInThenTokenIsRealAndRotationIsSaved()
    {
        addProfile();
        signIn();
        const std::optional<QString> first = storedRefreshToken();
        QVERIFY(first && !first->isEmpty());

        // A new process: no token in memory, so the refresh token is exchanged (and rotated).
        const CliRun token = cli({u"token"_s, u"p"_s});
        QVERIFY2(token.exitCode == 0, qPrintable(token.describe()));
        QVERIFY(token.out.endsWith('\n'));
        const QString accessToken = QString::fromUtf8(token.out).trimmed();
        QVERIFY(!accessToken.isEmpty() && !accessToken.contains(u'\n'));
        const QJsonObject info = introspect(accessToken);
        QVERIFY2(info.value(u"active"_s).toBool(), QJsonDocument(info).toJson().constData());
        QCOMPARE(info.value(u"sub"_s).toString(), u"tester@example.com"_s);
        QCOMPARE(info.value(u"client_id"_s).toString(), u"relaydeck-test"_s);

        const std::optional<QString> rotated = storedRefreshToken();
        QVERIFY(rotated && !rotated->isEmpty());
        QVERIFY2(*rotated != *first, "the rotated refresh token was not saved");
        // The old refresh token is spent; the saved one keeps working.
        const CliRun again = cli({u"token"_s, u"p"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QVERIFY(introspect(QString::fromUtf8(again.out).trimmed()).value(u"active"_s).toBool());

        // No token or refresh token in the profile file.
        QFile profiles(configDir + u"/connections.json"_s);
        QVERIFY(profiles.open(QIODevice::ReadOnly));
        const QByteArray file = profiles.readAll();
        QVERIFY(!file.contains(accessToken.toUtf8()));
        QVERIFY(!file.contains(storedRefreshToken()->toUtf8()));
    }

    void revokedRefreshTokenNeedsSignIn()
    {
        addProfile();
        signIn();
        const std::optional<QString> refresh = storedRefreshToken();
        QVERIFY(refresh);
        post(u"/token/revocation"_s,
             {u"token="_s + *refresh, u"token_type_hint=refresh_token"_s,
              u"client_id=relaydeck-test"_s},
             false);
        const CliRun token = cli({u"token"_s, u"p"_s});
        QCOMPARE(token.exitCode, 1);
        QVERIFY(token.out.isEmpty());
        QVERIFY2(token.err.contains("oauth-sign-in-required"), qPrintable(token.describe()));

        const CliRun test = cli({u"test"_s, u"p"_s, u"--json"_s});
        QCOMPARE(test.exitCode, 1);
        const QJsonObject error = test.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"oauth-sign-in-required"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"auth"_s);
        // The hint in relaydeck-cli's words, naming this profile.
        QVERIFY2(error.value(u"hint"_s).toString().contains(u"relaydeck-cli login p"_s),
                 qPrintable(test.describe()));
        QVERIFY2(token.err.contains("relaydeck-cli login p"), qPrintable(token.describe()));
    }

    void deniedConsentFails()
    {
        addProfile();
        environment.insert(u"OAUTH_TEST_DENY"_s, u"1"_s);
        const CliRun login = cli({u"login"_s, u"p"_s});
        environment.remove(u"OAUTH_TEST_DENY"_s);
        QVERIFY2(login.exitCode == 1, qPrintable(login.describe()));
        QVERIFY2(login.err.contains("access_denied"), qPrintable(login.describe()));
        QVERIFY(!storedRefreshToken().has_value());
    }

    void logoutForgetsTheSignIn()
    {
        addProfile();
        signIn();
        // show tells whether the profile is signed in, never the token.
        const auto signInState = [this] {
            return cli({u"show"_s, u"p"_s, u"--json"_s}).json().value(u"oauthSignIn"_s).toObject();
        };
        QCOMPARE(signInState().value(u"signedIn"_s), QJsonValue(true));
        QVERIFY(signInState().value(u"accessTokenValidUntil"_s).isNull());
        const CliRun show = cli({u"show"_s, u"p"_s});
        QVERIFY2(show.out.contains("yes (refresh token in the keychain)"),
                 qPrintable(show.describe()));
        QVERIFY(!show.out.contains(storedRefreshToken()->toUtf8()));
        QCOMPARE(cli({u"logout"_s, u"p"_s}).exitCode, 0);
        QVERIFY(!storedRefreshToken().has_value());
        QCOMPARE(signInState().value(u"signedIn"_s), QJsonValue(false));
        QVERIFY(cli({u"show"_s, u"p"_s}).out.contains("no: sign in with 'relaydeck-cli login p'"));
        const CliRun token = cli({u"token"_s, u"p"_s});
        QCOMPARE(token.exitCode, 1);
        QVERIFY(token.err.contains("oauth-sign-in-required"));
    }

    void stateMismatchIsRejectedAndListenerIsLoopbackOnly()
    {
        addProfile();
        QProcess login;
        login.setProcessEnvironment(environment);
        login.start(QStringLiteral(RELAYDECK_CLI_PATH),
                    {u"--config-dir"_s, configDir, u"login"_s, u"p"_s, u"--no-browser"_s});
        QVERIFY(login.waitForStarted());
        QByteArray out;
        static const QRegularExpression redirect(
            u"redirect_uri=http%3A%2F%2F127\\.0\\.0\\.1%3A(\\d+)"_s);
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT((out += login.readAllStandardOutput(),
                                  (match = redirect.match(QString::fromUtf8(out))).hasMatch()),
                                 20000);
        const quint16 listenerPort = match.captured(1).toUShort();
        // Bound to 127.0.0.1 only: ss lists exactly that local address for the port.
        QProcess ss;
        ss.start(u"ss"_s, {u"-Hltn"_s, u"sport = :%1"_s.arg(listenerPort)});
        ss.waitForFinished(5000);
        const QStringList sockets =
            QString::fromUtf8(ss.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(sockets.size(), 1);
        // State, Recv-Q, Send-Q, local address:port, peer.
        QCOMPARE(sockets.first().simplified().split(u' ').value(3),
                 u"127.0.0.1:%1"_s.arg(listenerPort));
        // A redirect with another state: rejected, nothing exchanged, the login fails.
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, listenerPort);
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /?code=forged&state=not-the-one HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(socket.waitForReadyRead(5000));
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 400"));
        QVERIFY(login.waitForFinished(20000));
        QCOMPARE(login.exitCode(), 1);
        QVERIFY(login.readAllStandardError().contains("state"));
        QVERIFY(!storedRefreshToken().has_value());
    }

    // Dovecot accepts the token only after the provider's introspection says it is active.
    void testPassesAgainstDovecot_data()
    {
        QTest::addColumn<QString>("mechanism");
        QTest::newRow("xoauth2") << u"xoauth2"_s;
        QTest::newRow("oauthbearer") << u"oauthbearer"_s;
    }

    void testPassesAgainstDovecot()
    {
        QFETCH(QString, mechanism);
        addProfile(mechanism);
        signIn();
        testPasses(mechanism);
        // The transcript names the mechanism but never shows the token (checked by the sweep).
        const CliRun transcript = cli({u"test"_s, u"p"_s, u"--transcript"_s});
        QVERIFY2(transcript.exitCode == 0, qPrintable(transcript.describe()));
        QVERIFY(transcript.out.contains(QByteArray("AUTH " + mechanism.toUpper().toUtf8())));
        storedRefreshToken();
    }

    // The access token from the sign-in era expires; the next test refreshes it without asking
    // and passes, and the rotated refresh token is saved.
    void expiredAccessTokenIsRefreshedSilently()
    {
        addProfile();
        signIn();
        const CliRun token = cli({u"token"_s, u"p"_s});
        QVERIFY2(token.exitCode == 0, qPrintable(token.describe()));
        const QString accessToken = QString::fromUtf8(token.out).trimmed();
        const std::optional<QString> before = storedRefreshToken();
        QVERIFY(before);
        QVERIFY(introspect(accessToken).value(u"active"_s).toBool());
        // The provider issues 30-second access tokens.
        QTRY_VERIFY_WITH_TIMEOUT(!introspect(accessToken).value(u"active"_s).toBool(), 45000);
        testPasses(u"xoauth2"_s);
        const std::optional<QString> after = storedRefreshToken();
        QVERIFY(after && !after->isEmpty());
        QVERIFY2(*after != *before, "the test did not refresh (or did not save the rotation)");
    }

    // The msmtp export as-is, run by the real msmtp: its passwordeval is 'relaydeck-cli token
    // NAME', whose output Dovecot accepts; the message arrives behind Dovecot.
    void msmtpExportSendsWithTheTokenCommand()
    {
        addProfile();
        signIn();
        const QString exported = work.filePath(u"msmtprc"_s);
        const CliRun run =
            cli({u"export"_s, u"p"_s, u"--format"_s, u"msmtp"_s, u"--output"_s, exported});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray config = file.readAll();
        outputs += config;
        QVERIFY2(config.contains("passwordeval relaydeck-cli token 'p'"), config.constData());
        QVERIFY(config.contains("auth xoauth2"));
        QVERIFY(QFile::setPermissions(exported, QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        QProcessEnvironment msmtpEnvironment = environment;
        msmtpEnvironment.insert(u"PATH"_s, QFileInfo(QStringLiteral(RELAYDECK_CLI_PATH)).path() +
                                               u':' + environment.value(u"PATH"_s));
        msmtpEnvironment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir);
        const int before = dovecot.messages().size();
        QProcess msmtp;
        msmtp.setProcessEnvironment(msmtpEnvironment);
        msmtp.start(u"msmtp"_s, {u"-C"_s, exported, u"-a"_s, u"p"_s, u"rcpt@example.com"_s});
        QVERIFY2(msmtp.waitForStarted(10000), "msmtp is missing (Debian package msmtp)");
        msmtp.write("From: <tester@example.com>\r\nTo: <rcpt@example.com>\r\n"
                    "Subject: OAuth msmtp export test\r\n\r\nSent by msmtp.\r\n");
        msmtp.closeWriteChannel();
        QVERIFY(msmtp.waitForFinished(60000));
        const QByteArray errors = msmtp.readAllStandardError();
        outputs += errors;
        QVERIFY2(msmtp.exitCode() == 0,
                 qPrintable(QString::fromUtf8(errors + config) + dovecot.log().right(3000)));
        const QStringList messages = dovecot.messages();
        QCOMPARE(messages.size(), before + 1);
        QFile message(messages.last());
        QVERIFY(message.open(QIODevice::ReadOnly));
        QVERIFY(message.readAll().contains("Subject: OAuth msmtp export test"));
        storedRefreshToken();
    }

    // RFC 8628: the CLI prints the code and URL; the scripted browser enters the code elsewhere.
    void deviceFlowSignsIn()
    {
        addProfile(u"oauthbearer"_s);
        QProcess login;
        login.setProcessEnvironment(environment);
        login.start(QStringLiteral(RELAYDECK_CLI_PATH),
                    {u"--config-dir"_s, configDir, u"login"_s, u"p"_s, u"--device"_s});
        QVERIFY(login.waitForStarted());
        QByteArray out;
        static const QRegularExpression complete(u"(http://\\S+/device\\?user_code=\\S+)"_s);
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT((out += login.readAllStandardOutput(),
                                  (match = complete.match(QString::fromUtf8(out))).hasMatch()),
                                 20000);
        QVERIFY(out.contains("enter the code"));
        QProcess browser;
        browser.setProcessEnvironment(environment);
        browser.start(oauthDir + u"/browser.py"_s, {match.captured(1)});
        QVERIFY(browser.waitForFinished(30000));
        QCOMPARE(browser.exitCode(), 0);
        QVERIFY(login.waitForFinished(30000));
        out += login.readAllStandardOutput();
        outputs += out + login.readAllStandardError();
        QCOMPARE(login.exitCode(), 0);
        QVERIFY2(out.contains("Signed 'p' in as tester@example.com."), out.constData());
        testPasses(u"oauthbearer"_s);
        storedRefreshToken();
    }

    void wrongClientIdFails()
    {
        addProfile(u"xoauth2"_s, u"not-registered"_s);
        const CliRun login = cli({u"login"_s, u"p"_s, u"--device"_s});
        QVERIFY2(login.exitCode == 1, qPrintable(login.describe()));
        QVERIFY2(login.err.contains("invalid_client"), qPrintable(login.describe()));
        QVERIFY2(login.err.contains("Hint:"), qPrintable(login.describe()));
        QVERIFY(!storedRefreshToken().has_value());
    }

    // Last: no token seen during the run is in any output, transcript or file of the run (the
    // config folder, the browser log, the msmtp export, Dovecot's folder with its log and mail),
    // neither as is nor in the base64 of a SASL XOAUTH2/OAUTHBEARER message.
    void zzNoTokenInAnyOutputOrFile()
    {
        tokensSeen.removeAll(QString());
        tokensSeen.removeDuplicates();
        QVERIFY2(tokensSeen.size() >= 10, qPrintable(tokensSeen.join(u' ')));
        QByteArray everything = outputs + dovecot.log().toUtf8();
        for (const QString& root : {work.path(), QFileInfo(dovecot.maildir()).path()}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                if (file.open(QIODevice::ReadOnly))
                    everything += file.readAll();
            }
        }
        QVERIFY(everything.size() > 10000);
        for (const QString& token : std::as_const(tokensSeen)) {
            const QByteArray user = "tester@example.com";
            const QByteArray bearer = "auth=Bearer " + token.toUtf8() + "\x01\x01";
            const QByteArray sasl[] = {
                token.toUtf8(),
                QByteArray("user=" + user + '\x01' + bearer).toBase64(),
                QByteArray("n,a=" + user + ",\x01" + bearer).toBase64(),
            };
            for (const QByteArray& form : sasl)
                QVERIFY2(!everything.contains(form), qPrintable(u"found "_s + token));
        }
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::Required))
        return *code;
    QCoreApplication app(argc, argv);
    TestOAuthProvider test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_oauth_provider.moc"
