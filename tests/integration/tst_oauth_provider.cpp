#include "PrivateKeyringSession.h"
#include "RealServers.h"

#include <QCoreApplication>
#include <QDir>
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
// introspection endpoint, so a passing test proves they are real.
class TestOAuthProvider : public QObject
{
    Q_OBJECT

    const QString oauthDir = QStringLiteral(RELAYDECK_SOURCE_DIR "/tests/support/oauth");
    QTemporaryDir work;
    QProcess provider;
    int port = 0;
    QString configDir;
    QProcessEnvironment environment;

    QString base() const { return u"http://127.0.0.1:%1"_s.arg(port); }

    CliRun cli(const QStringList& arguments, int timeoutMs = 60000)
    {
        return runCli(QStringList{u"--config-dir"_s, configDir} + arguments, environment, {},
                      timeoutMs);
    }

    QString profileId()
    {
        return cli({u"show"_s, u"p"_s, u"--json"_s}).json().value(u"id"_s).toString();
    }

    std::optional<QString> storedRefreshToken()
    {
        return secretToolLookup(profileId() + u":oauth-refresh-token"_s);
    }

    // POSTs a form to the provider with curl (the dovecot client authenticates introspection).
    QJsonObject post(const QString& path, const QStringList& form, bool asDovecot)
    {
        QStringList arguments{u"-s"_s, u"--max-time"_s, u"10"_s};
        if (asDovecot)
            arguments << u"-u"_s << u"dovecot:dovecot-introspection-secret"_s;
        for (const QString& field : form)
            arguments << u"--data-urlencode"_s << field;
        arguments << base() + path;
        QProcess curl;
        curl.start(u"curl"_s, arguments);
        curl.waitForFinished(15000);
        return QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
    }

    QJsonObject introspect(const QString& token)
    {
        return post(u"/token/introspection"_s, {u"token="_s + token}, true);
    }

    void addProfile()
    {
        cli({u"remove"_s, u"p"_s});
        const CliRun add = cli({u"add"_s,
                                u"p"_s,
                                u"--host"_s,
                                u"127.0.0.1"_s,
                                u"--port"_s,
                                u"2525"_s,
                                u"--security"_s,
                                u"none"_s,
                                u"--user"_s,
                                u"tester@example.com"_s,
                                u"--oauth-provider"_s,
                                u"custom"_s,
                                u"--oauth-client-id"_s,
                                u"relaydeck-test"_s,
                                u"--oauth-authorize-url"_s,
                                base() + u"/auth"_s,
                                u"--oauth-token-url"_s,
                                base() + u"/token"_s,
                                u"--oauth-device-url"_s,
                                base() + u"/device/auth"_s,
                                u"--oauth-scope"_s,
                                u"openid offline_access smtp"_s});
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
    }

    void signIn()
    {
        const CliRun login = cli({u"login"_s, u"p"_s});
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY2(login.out.contains("Signed 'p' in as tester@example.com."),
                 qPrintable(login.describe()));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(oauthDir + u"/node_modules/oidc-provider/package.json"_s),
                 "run 'npm ci' in tests/support/oauth (scripts/test does)");
        const QString ready = work.filePath(u"provider.ready"_s);
        provider.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        provider.setWorkingDirectory(oauthDir);
        // The issuer names its port, so the port is chosen before the provider starts.
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        provider.start(u"node"_s, {u"provider.mjs"_s, u"--port"_s, QString::number(port),
                                   u"--ready-file"_s, ready, u"--access-ttl"_s, u"30"_s});
        QVERIFY2(provider.waitForStarted(10000), "node did not start");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ready), 20000);
        const auto announced = [&ready] {
            QFile file(ready);
            return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toInt() : 0;
        };
        QTRY_COMPARE_WITH_TIMEOUT(announced(), port, 5000);
        configDir = work.filePath(u"config"_s);
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"BROWSER"_s, oauthDir + u"/browser.py"_s);
        environment.insert(u"OAUTH_BROWSER_LOG"_s, work.filePath(u"browser.log"_s));
    }

    void cleanupTestCase()
    {
        provider.terminate();
        provider.waitForFinished(5000);
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
        QCOMPARE(cli({u"logout"_s, u"p"_s}).exitCode, 0);
        QVERIFY(!storedRefreshToken().has_value());
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
