// relaydeck-cli test through real proxies from Debian's packages: dante's danted (SOCKS5 with
// username/password) and tinyproxy (HTTP CONNECT with Basic authentication), each in front of a
// real aiosmtpd with STARTTLS and AUTH PLAIN, all on free loopback ports. The proxies run in a
// private mount namespace with their own passwd/shadow and /etc/hosts (servers/proxy_sandbox.py),
// so no system user is created and "smtp.proxy-only.test" resolves for the proxies only.
//
// Every run checks that the proxy's log counts exactly the tunnels the run should have opened
// (so a test cannot pass by connecting directly) and that no password, or its Basic/PLAIN
// encoding, is in the CLI's output. The stored-profile test uses the real keychain: like
// tst_keychain, this test re-runs itself in a private D-Bus session with an unlocked
// gnome-keyring when dbus-run-session and gnome-keyring-daemon are installed.
#include "CliTesting.h"
#include "PrivateKeyringSession.h"
#include "ProxyServers.h"
#include "RealServers.h"
#include "ServerLaunch.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString smtpUser = u"mailer@example.test"_s;
const QString smtpPassword = u"Sm-s3cret:%1"_s.arg(QCoreApplication::applicationPid());
const QString proxyUser = u"alice"_s;
// tinyproxy's configuration takes only [-A-Za-z0-9._] in a BasicAuth password.
const QString proxyPassword = u"Px-s3cret.%1"_s.arg(QCoreApplication::applicationPid());
const QString unknownProxyUser = u"mallory"_s;
const QString wrongProxyPassword = u"Px-wrong-%1"_s.arg(QCoreApplication::applicationPid());
// A name no resolver of this machine knows (.test is reserved, RFC 2606); the proxies' private
// /etc/hosts maps it to 127.0.0.1, and the named server's certificate carries it.
const QString proxyOnlyHost = u"smtp.proxy-only.test"_s;
const QString unknownHost = u"nowhere.proxy-only.test"_s; // not even the proxies know it

using Kind = ProxyServer::Kind;

QString kindName(Kind kind)
{
    return kind == Kind::Socks5 ? u"socks5"_s : u"http"_s;
}

QStringList stageIdsBeforeQuit(const QJsonObject& report)
{
    QStringList ids = stageIds(report);
    if (ids.endsWith(u"quit"_s)) // printed with the verdict; QUIT may still be under way
        ids.removeLast();
    return ids;
}

} // namespace

class TestProxies : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QProcessEnvironment environment; // ad-hoc runs: passwords in variables, no keychain
    RealServer smtp;                 // localhost / 127.0.0.1, RealServer's CA
    NamedSmtpServer named;           // also proxyOnlyHost, its own CA
    ProxyServer socks;
    ProxyServer http;
    // A loopback port that accepts connections but no proxy may tunnel to.
    QTcpServer forbiddenTarget;

    ProxyServer& proxy(Kind kind) { return kind == Kind::Socks5 ? socks : http; }

    // False when this proxy cannot run here at all (its tests then skip, saying why).
    bool available(Kind kind) { return !proxy(kind).isUnavailable() && proxy(kind).isRunning(); }

    // What must never be in any output: the passwords and what a careless client would log of
    // them (HTTP Basic's base64("user:password"), SASL PLAIN's base64("\0user\0password")).
    static QList<QByteArray> secretForms()
    {
        QList<QByteArray> forms;
        for (const QString& secret : {proxyPassword, wrongProxyPassword, smtpPassword}) {
            forms << secret.toUtf8() << secret.toUtf8().toBase64();
            for (const QString& user : {proxyUser, unknownProxyUser})
                forms << (user + u':' + secret).toUtf8().toBase64();
        }
        forms << (u"\0"_s + smtpUser + u"\0"_s + smtpPassword).toUtf8().toBase64();
        return forms;
    }

    static void verifyNoSecrets(const CliRun& run)
    {
        for (const QByteArray& secret : secretForms()) {
            QVERIFY2(!run.out.contains(secret) && !run.err.contains(secret),
                     "a password (or its encoding) is in the CLI's output");
        }
    }

    // relaydeck-cli test --json --transcript of an ad-hoc STARTTLS + AUTH PLAIN connection.
    CliRun testThrough(const QString& proxyUrl, const QString& host, int port,
                       const QString& caFile, const QStringList& extra = {})
    {
        QStringList arguments = {u"test"_s,
                                 u"--host"_s,
                                 host,
                                 u"--port"_s,
                                 QString::number(port),
                                 u"--security"_s,
                                 u"starttls"_s,
                                 u"--auth"_s,
                                 u"plain"_s,
                                 u"--user"_s,
                                 smtpUser,
                                 u"--password-env"_s,
                                 u"RELAYDECK_TEST_SMTP_PASSWORD"_s,
                                 u"--ca-file"_s,
                                 caFile,
                                 u"--helo"_s,
                                 u"client.test"_s,
                                 u"--timeout"_s,
                                 u"10"_s,
                                 u"--json"_s,
                                 u"--transcript"_s};
        if (!proxyUrl.isEmpty())
            arguments << u"--proxy"_s << proxyUrl;
        arguments << extra;
        return runCli(arguments, environment);
    }

    QString describe(const CliRun& run, Kind kind)
    {
        return run.describe() + u"\n--- proxy log (end):\n"_s + proxy(kind).log().right(3000);
    }

    // A run through the proxy that must fail at the connect stage with errorId; the proxy
    // must have opened no tunnel.
    void verifyProxyFailure(const CliRun& run, Kind kind, int tunnelsBefore, const QString& errorId)
    {
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run, kind)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(true), false);
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"stage"_s).toString(), u"connect"_s);
        QVERIFY(!error.value(u"hint"_s).toString().isEmpty());
        QVERIFY(report.value(u"tls"_s).isNull());
        QCOMPARE(proxy(kind).tunnelsOpened(), tunnelsBefore);
        verifyNoSecrets(run);
        QVERIFY2(
            error.value(u"id"_s).toString() == errorId,
            qPrintable(u"expected %1, got %2: %3"_s.arg(errorId, error.value(u"id"_s).toString(),
                                                        error.value(u"message"_s).toString())));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid());
        QVERIFY2(!RealServer::caFile().isEmpty(), qPrintable(RealServer::certificatesError()));
        environment = cliEnvironmentWithoutKeychain(configDir.path());
        environment.insert(u"RELAYDECK_TEST_SMTP_PASSWORD"_s, smtpPassword);
        environment.insert(u"RELAYDECK_TEST_PROXY_PASSWORD"_s, proxyPassword);
        environment.insert(u"RELAYDECK_TEST_WRONG_PROXY_PASSWORD"_s, wrongProxyPassword);

        RealServerOptions smtpOptions;
        smtpOptions.security = u"starttls"_s;
        smtpOptions.user = smtpUser;
        smtpOptions.password = smtpPassword;
        smtpOptions.mechanisms = {u"PLAIN"_s};
        smtpOptions.requireStartTls = true;
        QVERIFY2(smtp.startAiosmtpd(smtpOptions), qPrintable(smtp.errorString()));
        QVERIFY2(named.start({proxyOnlyHost}, smtpOptions), qPrintable(named.errorString()));
        QVERIFY(forbiddenTarget.listen(QHostAddress::LocalHost));

        ProxyServerOptions proxyOptions;
        proxyOptions.user = proxyUser;
        proxyOptions.password = proxyPassword;
        proxyOptions.allowedPorts = {smtp.port(), named.port()};
        proxyOptions.hosts = {{proxyOnlyHost, u"127.0.0.1"_s}};
        for (Kind kind : {Kind::Socks5, Kind::Http}) {
            ProxyServer& server = proxy(kind);
            if (!server.start(kind, proxyOptions) && !server.isUnavailable())
                QFAIL(qPrintable(server.errorString()));
            if (server.isUnavailable())
                qWarning("%s proxy unavailable here, its tests skip: %s",
                         qPrintable(kindName(kind)), qPrintable(server.errorString()));
        }
    }

    void cleanupTestCase()
    {
        // The launchers' own promise: the proxies log connections, never a credential.
        for (Kind kind : {Kind::Socks5, Kind::Http}) {
            const QByteArray log = proxy(kind).log().toUtf8();
            for (const QByteArray& secret : secretForms())
                QVERIFY2(!log.contains(secret), qPrintable(kindName(kind) + u" log: a password"_s));
        }
    }

    void passesThroughProxy_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("host");
        for (Kind kind : {Kind::Socks5, Kind::Http}) {
            // An address, and a name the proxy resolves (its private hosts has localhost).
            QTest::addRow("%s/127.0.0.1", qPrintable(kindName(kind))) << kind << u"127.0.0.1"_s;
            QTest::addRow("%s/localhost", qPrintable(kindName(kind))) << kind << u"localhost"_s;
        }
    }

    void passesThroughProxy()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, host);
        if (!available(kind))
            QSKIP(qPrintable(proxy(kind).errorString()));
        const QString url = proxy(kind).url(proxyUser);
        const int tunnels = proxy(kind).tunnelsOpened();

        const CliRun run =
            testThrough(url, host, smtp.port(), RealServer::caFile(),
                        {u"--proxy-password-env"_s, u"RELAYDECK_TEST_PROXY_PASSWORD"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run, kind) + smtp.log().right(2000)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        QVERIFY(report.value(u"error"_s).isNull());
        const QJsonObject target = report.value(u"target"_s).toObject();
        QCOMPARE(target.value(u"proxy"_s).toString(), url);
        QCOMPARE(target.value(u"host"_s).toString(), host);
        QCOMPARE(target.value(u"port"_s).toInt(), smtp.port());

        // The whole dialogue: STARTTLS, a verified certificate, then AUTH PLAIN.
        const QStringList expected = {u"resolve"_s,  u"connect"_s, u"greeting"_s, u"ehlo"_s,
                                      u"starttls"_s, u"tls"_s,     u"ehlo"_s,     u"auth"_s};
        QCOMPARE(stageIdsBeforeQuit(report), expected);
        const QJsonArray stages = report.value(u"stages"_s).toArray();
        for (const QJsonValue& stage : stages)
            QVERIFY2(stage.toObject().value(u"ok"_s).toBool(),
                     QJsonDocument(stage.toObject()).toJson().constData());
        const QJsonObject tls = report.value(u"tls"_s).toObject();
        QCOMPARE(tls.value(u"verified"_s).toBool(), true);
        QVERIFY(tls.value(u"errors"_s).toArray().isEmpty());
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), u"PLAIN"_s);
        QCOMPARE(auth.value(u"ok"_s).toBool(), true);
        QVERIFY(report.value(u"server"_s)
                    .toObject()
                    .value(u"greeting"_s)
                    .toString()
                    .contains(u"aiosmtpd"_s));

        // Through the proxy, exactly once (Qt retries an HTTP CONNECT with credentials after
        // the 407, but only the authenticated attempt opens a tunnel).
        QCOMPARE(proxy(kind).tunnelsOpened(), tunnels + 1);
        verifyNoSecrets(run);
    }

    // Remote DNS: a host name only the proxy can resolve works, with the certificate checked
    // against that name.
    void proxyResolvesTheHost_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::newRow("socks5") << Kind::Socks5;
        QTest::newRow("http") << Kind::Http;
    }

    void proxyResolvesTheHost()
    {
        QFETCH(Kind, kind);
        if (!available(kind))
            QSKIP(qPrintable(proxy(kind).errorString()));
        // The premise: this machine cannot resolve the name, so the CLI cannot either.
        const QHostInfo local = QHostInfo::fromName(proxyOnlyHost);
        QVERIFY2(local.error() != QHostInfo::NoError,
                 qPrintable(u"this machine resolves %1; the test needs a name only the proxy "
                            u"knows"_s.arg(proxyOnlyHost)));
        const CliRun direct = testThrough({}, proxyOnlyHost, named.port(), named.caFile());
        QCOMPARE(direct.exitCode, 1);
        QCOMPARE(direct.json().value(u"error"_s).toObject().value(u"id"_s).toString(),
                 u"dns-failed"_s);

        const int tunnels = proxy(kind).tunnelsOpened();
        const QString url = proxy(kind).url(proxyUser);
        const CliRun run =
            testThrough(url, proxyOnlyHost, named.port(), named.caFile(),
                        {u"--proxy-password-env"_s, u"RELAYDECK_TEST_PROXY_PASSWORD"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run, kind) + named.log().right(2000)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        QCOMPARE(report.value(u"target"_s).toObject().value(u"proxy"_s).toString(), url);
        QCOMPARE(report.value(u"target"_s).toObject().value(u"host"_s).toString(), proxyOnlyHost);
        const QJsonObject tls = report.value(u"tls"_s).toObject();
        QCOMPARE(tls.value(u"verified"_s).toBool(), true);
        const QJsonObject leaf = tls.value(u"chain"_s).toArray().first().toObject();
        QVERIFY2(leaf.value(u"subjectAltNames"_s)
                     .toArray()
                     .toVariantList()
                     .contains(QString(u"DNS:"_s + proxyOnlyHost)),
                 QJsonDocument(leaf).toJson().constData());
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);
        QCOMPARE(proxy(kind).tunnelsOpened(), tunnels + 1);
        verifyNoSecrets(run);
    }

    // A name not even the proxy resolves: SOCKS5 reports "host unreachable" (reply 4), which
    // the engine reports as dns-failed; tinyproxy answers "500 Unable to connect", a proxy
    // failure.
    void proxyCannotResolve_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("errorId");
        QTest::newRow("socks5") << Kind::Socks5 << u"dns-failed"_s;
        QTest::newRow("http") << Kind::Http << u"proxy-failed"_s;
    }

    void proxyCannotResolve()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, errorId);
        if (!available(kind))
            QSKIP(qPrintable(proxy(kind).errorString()));
        const int tunnels = proxy(kind).tunnelsOpened();
        const CliRun run =
            testThrough(proxy(kind).url(proxyUser), unknownHost, named.port(), named.caFile(),
                        {u"--proxy-password-env"_s, u"RELAYDECK_TEST_PROXY_PASSWORD"_s});
        verifyProxyFailure(run, kind, tunnels, errorId);
        QVERIFY(run.json()
                    .value(u"error"_s)
                    .toObject()
                    .value(u"message"_s)
                    .toString()
                    .contains(kind == Kind::Socks5 ? unknownHost : u"proxy"_s));
    }

    void wrongCredentials_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("passwordVariable"); // empty: no --proxy-password-env
        for (Kind kind : {Kind::Socks5, Kind::Http}) {
            const QString name = kindName(kind);
            QTest::addRow("%s/wrong password", qPrintable(name))
                << kind << proxyUser << u"RELAYDECK_TEST_WRONG_PROXY_PASSWORD"_s;
            QTest::addRow("%s/unknown user", qPrintable(name))
                << kind << unknownProxyUser << u"RELAYDECK_TEST_PROXY_PASSWORD"_s;
            QTest::addRow("%s/no credentials", qPrintable(name)) << kind << QString() << QString();
        }
    }

    void wrongCredentials()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, user);
        QFETCH(QString, passwordVariable);
        if (!available(kind))
            QSKIP(qPrintable(proxy(kind).errorString()));
        const int tunnels = proxy(kind).tunnelsOpened();
        const QString url = proxy(kind).url(user);
        QStringList extra;
        if (!passwordVariable.isEmpty())
            extra << u"--proxy-password-env"_s << passwordVariable;
        const CliRun run =
            testThrough(url, u"127.0.0.1"_s, smtp.port(), RealServer::caFile(), extra);
        QCOMPARE(run.json().value(u"target"_s).toObject().value(u"proxy"_s).toString(), url);
        // tinyproxy 1.11 rejects wrong credentials with 401, not 407: Relaydeck speaks
        // CONNECT itself and maps both.
        verifyProxyFailure(run, kind, tunnels, u"proxy-auth-failed"_s);
    }

    // The proxy is down: nothing listens on its port.
    void proxyDown_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::newRow("socks5") << Kind::Socks5;
        QTest::newRow("http") << Kind::Http;
    }

    void proxyDown()
    {
        QFETCH(Kind, kind);
        int closedPort = 0;
        {
            QTcpServer probe; // a port the kernel just handed out, closed again
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        const QString url =
            u"%1://%2@127.0.0.1:%3"_s.arg(kindName(kind), proxyUser).arg(closedPort);
        const CliRun run =
            testThrough(url, u"127.0.0.1"_s, smtp.port(), RealServer::caFile(),
                        {u"--proxy-password-env"_s, u"RELAYDECK_TEST_PROXY_PASSWORD"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"target"_s).toObject().value(u"proxy"_s).toString(), url);
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"proxy-failed"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"connect"_s);
        QVERIFY(error.value(u"hint"_s).toString().contains(url));
        verifyNoSecrets(run);
    }

    // A destination the proxy refuses (not an allowed port), although it accepts connections.
    void proxyRefusesTarget_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::newRow("socks5") << Kind::Socks5;
        QTest::newRow("http") << Kind::Http;
    }

    void proxyRefusesTarget()
    {
        QFETCH(Kind, kind);
        if (!available(kind))
            QSKIP(qPrintable(proxy(kind).errorString()));
        // The premise: the target itself accepts connections.
        {
            QTcpSocket direct;
            direct.connectToHost(QHostAddress::LocalHost, forbiddenTarget.serverPort());
            QVERIFY(direct.waitForConnected(5000));
            QVERIFY(forbiddenTarget.waitForNewConnection(5000));
            delete forbiddenTarget.nextPendingConnection();
        }
        const int tunnels = proxy(kind).tunnelsOpened();
        const CliRun run = testThrough(
            proxy(kind).url(proxyUser), u"127.0.0.1"_s, forbiddenTarget.serverPort(),
            RealServer::caFile(), {u"--proxy-password-env"_s, u"RELAYDECK_TEST_PROXY_PASSWORD"_s});
        verifyProxyFailure(run, kind, tunnels, u"proxy-failed"_s);
        // The proxy, not the target, said no: nothing reached the target.
        QVERIFY(!forbiddenTarget.waitForNewConnection(200));
        QVERIFY(!forbiddenTarget.hasPendingConnections());
    }

    // The text report names the proxy and explains, without any password.
    void textReport()
    {
        if (!available(Kind::Socks5))
            QSKIP(qPrintable(socks.errorString()));
        const QString url = socks.url(proxyUser);
        const CliRun run = runCli({u"test"_s,
                                   u"--host"_s,
                                   u"127.0.0.1"_s,
                                   u"--port"_s,
                                   QString::number(smtp.port()),
                                   u"--security"_s,
                                   u"starttls"_s,
                                   u"--auth"_s,
                                   u"plain"_s,
                                   u"--user"_s,
                                   smtpUser,
                                   u"--password-env"_s,
                                   u"RELAYDECK_TEST_SMTP_PASSWORD"_s,
                                   u"--ca-file"_s,
                                   RealServer::caFile(),
                                   u"--timeout"_s,
                                   u"10"_s,
                                   u"--proxy"_s,
                                   url,
                                   u"--proxy-password-env"_s,
                                   u"RELAYDECK_TEST_WRONG_PROXY_PASSWORD"_s,
                                   u"--transcript"_s},
                                  environment);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QString text = QString::fromUtf8(run.out + run.err);
        QVERIFY2(text.contains(url), qPrintable(text));
        QVERIFY2(text.contains(u"proxy"_s, Qt::CaseInsensitive), qPrintable(text));
        QVERIFY2(text.contains(u"--proxy-password-env"_s), qPrintable(text)); // the hint
        verifyNoSecrets(run);
    }

    // A stored profile: the proxy in connections.json, its password in the real keychain
    // (slot proxy-password), used by `test NAME` without any password variable.
    void storedProfileWithKeychainPassword()
    {
        if (!inPrivateKeyringSession())
            QSKIP("no private D-Bus session with gnome-keyring (dbus-run-session and "
                  "gnome-keyring-daemon are needed)");
        if (!available(Kind::Socks5) || !available(Kind::Http))
            QSKIP("needs both proxies");
        QTemporaryDir storeDir;
        QVERIFY(storeDir.isValid());
        QProcessEnvironment session = QProcessEnvironment::systemEnvironment();
        session.insert(u"RELAYDECK_CONFIG_DIR"_s, storeDir.path());
        QProcessEnvironment giving = session;
        giving.insert(u"RELAYDECK_TEST_SMTP_PASSWORD"_s, smtpPassword);
        giving.insert(u"RELAYDECK_TEST_PROXY_PASSWORD"_s, proxyPassword);
        giving.insert(u"RELAYDECK_TEST_WRONG_PROXY_PASSWORD"_s, wrongProxyPassword);

        const CliRun added = runCli({u"add"_s,
                                     u"proxied"_s,
                                     u"--host"_s,
                                     u"localhost"_s,
                                     u"--port"_s,
                                     QString::number(smtp.port()),
                                     u"--security"_s,
                                     u"starttls"_s,
                                     u"--auth"_s,
                                     u"plain"_s,
                                     u"--user"_s,
                                     smtpUser,
                                     u"--password-env"_s,
                                     u"RELAYDECK_TEST_SMTP_PASSWORD"_s,
                                     u"--ca-file"_s,
                                     RealServer::caFile(),
                                     u"--helo"_s,
                                     u"client.test"_s,
                                     u"--timeout"_s,
                                     u"10"_s,
                                     u"--proxy"_s,
                                     socks.url(proxyUser),
                                     u"--proxy-password-env"_s,
                                     u"RELAYDECK_TEST_PROXY_PASSWORD"_s},
                                    giving);
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        verifyNoSecrets(added);

        const CliRun shown = runCli({u"show"_s, u"proxied"_s, u"--json"_s}, session);
        QVERIFY2(shown.exitCode == 0, qPrintable(shown.describe()));
        const QJsonObject profile = shown.json();
        const QJsonObject proxySettings = profile.value(u"proxy"_s).toObject();
        QCOMPARE(proxySettings.value(u"type"_s).toString(), u"socks5"_s);
        QCOMPARE(proxySettings.value(u"port"_s).toInt(), socks.port());
        QCOMPARE(proxySettings.value(u"username"_s).toString(), proxyUser);
        const QString id = profile.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(secretToolLookup(id + u":proxy-password"_s), std::optional(proxyPassword));
        const QByteArray file =
            readWholeFile(QDir(storeDir.path()).filePath(u"connections.json"_s));
        QVERIFY(file.contains("proxied"));
        for (const QByteArray& secret : secretForms())
            QVERIFY2(!file.contains(secret), "a password is in connections.json");

        // Through dante, then (the same stored password) through tinyproxy.
        for (Kind kind : {Kind::Socks5, Kind::Http}) {
            if (kind == Kind::Http) {
                const CliRun changed =
                    runCli({u"set"_s, u"proxied"_s, u"--proxy"_s, http.url(proxyUser)}, session);
                QVERIFY2(changed.exitCode == 0, qPrintable(changed.describe()));
            }
            const int tunnels = proxy(kind).tunnelsOpened();
            const CliRun run =
                runCli({u"test"_s, u"proxied"_s, u"--json"_s, u"--transcript"_s}, session);
            QVERIFY2(run.exitCode == 0, qPrintable(describe(run, kind)));
            const QJsonObject report = run.json();
            QCOMPARE(report.value(u"ok"_s).toBool(), true);
            QCOMPARE(report.value(u"profile"_s).toString(), u"proxied"_s);
            QCOMPARE(report.value(u"target"_s).toObject().value(u"proxy"_s).toString(),
                     proxy(kind).url(proxyUser));
            QCOMPARE(proxy(kind).tunnelsOpened(), tunnels + 1);
            verifyNoSecrets(run);
        }

        // A wrong stored proxy password is the proxy's complaint, not the SMTP server's.
        const CliRun changed =
            runCli({u"set"_s, u"proxied"_s, u"--proxy"_s, socks.url(proxyUser),
                    u"--proxy-password-env"_s, u"RELAYDECK_TEST_WRONG_PROXY_PASSWORD"_s},
                   giving);
        QVERIFY2(changed.exitCode == 0, qPrintable(changed.describe()));
        QCOMPARE(secretToolLookup(id + u":proxy-password"_s), std::optional(wrongProxyPassword));
        const int tunnels = socks.tunnelsOpened();
        const CliRun rejected = runCli({u"test"_s, u"proxied"_s, u"--json"_s}, session);
        verifyProxyFailure(rejected, Kind::Socks5, tunnels, u"proxy-auth-failed"_s);

        const CliRun removed = runCli({u"remove"_s, u"proxied"_s}, session);
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.describe()));
        QCOMPARE(secretToolLookup(id + u":proxy-password"_s), std::nullopt);
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), std::nullopt);
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::IfInstalled))
        return *code;
    QCoreApplication app(argc, argv);
    TestProxies test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_proxies.moc"
