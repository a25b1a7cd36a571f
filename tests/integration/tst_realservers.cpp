// relaydeck-cli test against real SMTP servers from Debian's packages, started on free loopback
// ports for this test: aiosmtpd (STARTTLS, implicit TLS, plaintext) and Dovecot's submission
// server (STARTTLS and implicit TLS, relaying to aiosmtpd). The CLI runs as a separate process,
// exactly as users run it; the password reaches it through --password-env.
#include "CliTesting.h"
#include "RealServers.h"
#include "ServerLaunch.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"alice@example.test"_s;
// Spaces, punctuation and a non-ASCII letter: the SASL encodings must carry them unchanged.
const QString password = u"Corr3ct horse:b\u00e4ttery-%1"_s.arg(QCoreApplication::applicationPid());
const QString senderAddress = u"senderAddress@example.test"_s;
const QString recipientAddress = u"rcpt@example.test"_s;

// A message's header fields (unfolded), names lower-cased; the body after the blank line.
struct ParsedMessage
{
    QMultiMap<QString, QString> headers;
    QByteArray body;
    bool crlfOnly = true;
};

ParsedMessage parseMessage(const QByteArray& data)
{
    ParsedMessage message;
    // Every line must end in CRLF: no bare LF, no bare CR.
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            message.crlfOnly = false;
        if (data[i] == '\r' && (i + 1 >= data.size() || data[i + 1] != '\n'))
            message.crlfOnly = false;
    }
    const qsizetype end = data.indexOf("\r\n\r\n");
    const QByteArray head = end < 0 ? data : data.left(end);
    message.body = end < 0 ? QByteArray() : data.mid(end + 4);
    QString name;
    QString value;
    const auto flush = [&] {
        if (!name.isEmpty())
            message.headers.insert(name.toLower(), value.trimmed());
    };
    for (const QByteArray& line : head.split('\n')) {
        const QString text = QString::fromUtf8(line).chopped(line.endsWith('\r') ? 1 : 0);
        if (text.startsWith(u' ') || text.startsWith(u'\t')) {
            value += u' ' + text.trimmed();
            continue;
        }
        flush();
        name = text.section(u':', 0, 0);
        value = text.section(u':', 1);
    }
    flush();
    return message;
}

} // namespace

class TestRealServers : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QProcessEnvironment environment;
    RealServer starttls;
    RealServer implicitTls;
    RealServer plaintext;
    RealServer dovecot;

    RealServer& aiosmtpd(const QString& security)
    {
        return security == u"tls"_s ? implicitTls : security == u"none"_s ? plaintext : starttls;
    }

    // relaydeck-cli test with an ad-hoc connection to 127.0.0.1:port.
    CliRun test(int port, const QString& security, const QStringList& extra,
                const QString& passwordVariable = u"RELAYDECK_TEST_PASSWORD"_s)
    {
        return runCli(adHocTestArguments(u"127.0.0.1"_s, port, security,
                                         withoutAuthUnlessChosen(extra), passwordVariable),
                      environment);
    }

    QStringList login(const QString& mechanism)
    {
        return {u"--auth"_s, mechanism, u"--user"_s, user, u"--ca-file"_s, RealServer::caFile()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid());
        QVERIFY2(!RealServer::caFile().isEmpty(), qPrintable(RealServer::certificatesError()));
        environment = cliEnvironmentWithoutKeychain(configDir.path());
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        environment.insert(u"RELAYDECK_WRONG_PASSWORD"_s, password + u"x"_s);

        const QStringList modes = {u"starttls"_s, u"tls"_s, u"none"_s};
        for (const QString& security : modes) {
            RealServerOptions options;
            options.security = security;
            options.user = user;
            options.password = password;
            RealServer& server = aiosmtpd(security);
            QVERIFY2(server.startAiosmtpd(options), qPrintable(server.errorString()));
        }
        RealServerOptions options;
        options.user = user;
        options.password = password;
        QVERIFY2(dovecot.startDovecot(options), qPrintable(dovecot.errorString()));
    }

    void aiosmtpdLogin_data()
    {
        QTest::addColumn<QString>("security");
        QTest::addColumn<QString>("mechanism");
        const QStringList modes = {u"starttls"_s, u"tls"_s, u"none"_s};
        for (const QString& security : modes) {
            QTest::addRow("%s/plain", qPrintable(security)) << security << u"plain"_s;
            QTest::addRow("%s/login", qPrintable(security)) << security << u"login"_s;
        }
    }

    void aiosmtpdLogin()
    {
        QFETCH(QString, security);
        QFETCH(QString, mechanism);
        RealServer& server = aiosmtpd(security);
        const CliRun run = test(server.port(), security, login(mechanism) << u"--json"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + server.log().right(3000)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        QVERIFY(report.value(u"error"_s).isNull());
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), mechanism.toUpper());
        QCOMPARE(auth.value(u"ok"_s).toBool(), true);

        QStringList expected = {u"resolve"_s, u"connect"_s};
        if (security == u"tls"_s)
            expected << u"tls"_s;
        expected << u"greeting"_s << u"ehlo"_s;
        if (security == u"starttls"_s)
            expected << u"starttls"_s << u"tls"_s << u"ehlo"_s;
        expected << u"auth"_s;
        // The JSON report is printed with the verdict; QUIT may still be under way then.
        QStringList ids = stageIds(report);
        if (ids.endsWith(u"quit"_s))
            ids.removeLast();
        QCOMPARE(ids, expected);

        if (security == u"none"_s) {
            QVERIFY(report.value(u"tls"_s).isNull());
        } else {
            const QJsonObject tls = report.value(u"tls"_s).toObject();
            QCOMPARE(tls.value(u"verified"_s).toBool(), true);
            QVERIFY(tls.value(u"errors"_s).toArray().isEmpty());
            QVERIFY(tls.value(u"protocol"_s).toString().startsWith(u"TLS"_s));
        }
        // aiosmtpd's own EHLO reply (after TLS) as the report saw it.
        const QJsonObject serverInfo = report.value(u"server"_s).toObject();
        QVERIFY(serverInfo.value(u"greeting"_s).toString().contains(u"aiosmtpd"_s));
        const QVariantList capabilities =
            serverInfo.value(u"capabilities"_s).toArray().toVariantList();
        QVERIFY(capabilities.contains(u"PIPELINING"_s));
        QVERIFY(!capabilities.contains(u"STARTTLS"_s)); // post-TLS (or never offered)
        QCOMPARE(serverInfo.value(u"maxSize"_s).toInteger(), 10 * 1024 * 1024);
        QCOMPARE(serverInfo.value(u"authMechanisms"_s).toArray().toVariantList(),
                 (QVariantList{u"LOGIN"_s, u"PLAIN"_s}));
        QVERIFY(
            server.log().contains(u"AUTH %1 for '%2': accepted"_s.arg(mechanism.toUpper(), user)));
    }

    // aiosmtpd (Python's ssl, OpenSSL) offers TLS 1.3; --tls-max 1.2 makes the handshake use
    // TLS 1.2, and a maximum below the minimum is refused before connecting.
    void tlsMaximumAgainstAiosmtpd_data()
    {
        QTest::addColumn<QString>("security");
        QTest::newRow("starttls") << u"starttls"_s;
        QTest::newRow("tls") << u"tls"_s;
    }

    void tlsMaximumAgainstAiosmtpd()
    {
        QFETCH(QString, security);
        RealServer& server = aiosmtpd(security);
        const QStringList trust{u"--ca-file"_s, RealServer::caFile(), u"--json"_s};
        auto protocolOf = [](const CliRun& run) {
            return run.json().value(u"tls"_s).toObject().value(u"protocol"_s).toString();
        };
        CliRun run = test(server.port(), security, trust);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(protocolOf(run), u"TLSv1.3"_s); // what the server chooses when allowed

        run = test(server.port(), security, trust + QStringList{u"--tls-max"_s, u"1.2"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(protocolOf(run), u"TLSv1.2"_s);

        run = test(server.port(), security,
                   trust + QStringList{u"--tls-min"_s, u"1.3"_s, u"--tls-max"_s, u"1.2"_s});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("(1.2)") && run.err.contains("(1.3)"),
                 qPrintable(run.describe()));
        QVERIFY(run.json().isEmpty()); // refused before connecting: no report
    }

    // A legacy server (aiosmtpd speaking only TLS 1.0 or 1.1, implicit TLS): refused by default
    // with a hint that names the opt-in; allowed with --tls-min 1.0/1.1, with a warning in the
    // report; the opt-in never lowers what a modern server negotiates.
    void legacyTlsOnlyOnOptIn_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("1.0") << u"1.0"_s;
        QTest::newRow("1.1") << u"1.1"_s;
    }

    void legacyTlsOnlyOnOptIn()
    {
        QFETCH(QString, version);
        RealServer legacy;
        RealServerOptions options;
        options.security = u"tls"_s;
        options.tlsVersions = version + u'-' + version;
        QVERIFY2(legacy.startAiosmtpd(options), qPrintable(legacy.errorString() + legacy.log()));
        const QStringList trust{u"--ca-file"_s, RealServer::caFile(), u"--json"_s};

        CliRun run = test(legacy.port(), u"tls"_s, trust);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject error = run.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"tls-handshake-failed"_s);
        const QString hint = error.value(u"hint"_s).toString();
        QVERIFY2(hint.contains(u"TLS 1.0 or 1.1"_s) && hint.contains(u"--tls-min 1.0"_s),
                 qPrintable(hint));

        run = test(legacy.port(), u"tls"_s, trust + QStringList{u"--tls-min"_s, version});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"tls"_s).toObject().value(u"protocol"_s).toString(),
                 u"TLSv"_s + version);
        bool warned = false;
        for (const QJsonValue& stage : report.value(u"stages"_s).toArray())
            warned = warned || stage.toObject().value(u"detail"_s).toString().contains(
                                   u"obsolete, insecure"_s);
        QVERIFY2(warned, run.out.constData());
        QVERIFY2(report.value(u"warnings"_s).toArray().first().toString().contains(u"obsolete"_s),
                 run.out.constData());

        // The same opt-in against a modern server still gets TLS 1.3.
        run = test(implicitTls.port(), u"tls"_s, trust + QStringList{u"--tls-min"_s, version});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value(u"tls"_s).toObject().value(u"protocol"_s).toString(),
                 u"TLSv1.3"_s);
    }

    void aiosmtpdReceivesTheTestMessage_data()
    {
        QTest::addColumn<QString>("security");
        QTest::newRow("starttls") << u"starttls"_s;
        QTest::newRow("tls") << u"tls"_s;
        QTest::newRow("none") << u"none"_s;
    }

    void aiosmtpdReceivesTheTestMessage()
    {
        QFETCH(QString, security);
        RealServer& server = aiosmtpd(security);
        const int before = server.messages().size();
        const QString subject = u"Relaydeck real-server test (%1)"_s.arg(security);
        const CliRun run =
            test(server.port(), security,
                 login(u"plain"_s) << u"--from"_s << senderAddress << u"--send-to"_s
                                   << recipientAddress << u"--subject"_s << subject << u"--json"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + server.log().right(3000)));
        QVERIFY(stageIds(run.json()).contains(u"send"_s));

        const QStringList messages = server.messages();
        QCOMPARE(messages.size(), before + 1);
        const QJsonObject envelope = RealServer::envelope(messages.last());
        QCOMPARE(envelope.value(u"mail_from"_s).toString(), senderAddress);
        QCOMPARE(envelope.value(u"rcpt_tos"_s).toArray().toVariantList(),
                 QVariantList{recipientAddress});
        QCOMPARE(envelope.value(u"authenticated_as"_s).toString(), user);
        QCOMPARE(envelope.value(u"helo"_s).toString(), u"client.test"_s);

        const QByteArray data = readWholeFile(messages.last());
        const ParsedMessage message = parseMessage(data);
        QVERIFY2(message.crlfOnly, data.constData());
        QVERIFY(data.endsWith("\r\n"));
        const QStringList required = {u"date"_s, u"message-id"_s, u"from"_s, u"to"_s, u"subject"_s};
        for (const QString& name : required)
            QVERIFY2(message.headers.count(name) == 1,
                     qPrintable(name + u'\n' + QString::fromUtf8(data)));
        QVERIFY(QDateTime::fromString(message.headers.value(u"date"_s), Qt::RFC2822Date).isValid());
        QVERIFY(QRegularExpression(u"^<[^<>@\\s]+@[^<>@\\s]+>$"_s)
                    .match(message.headers.value(u"message-id"_s))
                    .hasMatch());
        QVERIFY(message.headers.value(u"from"_s).contains(senderAddress));
        QVERIFY(message.headers.value(u"to"_s).contains(recipientAddress));
        QCOMPARE(message.headers.value(u"subject"_s), subject);
        QVERIFY(!message.body.trimmed().isEmpty());
    }

    void wrongPasswordIsAuthFailed_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("security");
        QTest::addColumn<QString>("mechanism");
        QTest::newRow("aiosmtpd/starttls/plain") << u"aiosmtpd"_s << u"starttls"_s << u"plain"_s;
        QTest::newRow("aiosmtpd/tls/login") << u"aiosmtpd"_s << u"tls"_s << u"login"_s;
        QTest::newRow("dovecot/starttls/plain") << u"dovecot"_s << u"starttls"_s << u"plain"_s;
        QTest::newRow("dovecot/tls/cram-md5") << u"dovecot"_s << u"tls"_s << u"cram-md5"_s;
        QTest::newRow("dovecot/starttls/scram-sha-256")
            << u"dovecot"_s << u"starttls"_s << u"scram-sha-256"_s;
        QTest::newRow("dovecot/tls/scram-sha-1") << u"dovecot"_s << u"tls"_s << u"scram-sha-1"_s;
    }

    void wrongPasswordIsAuthFailed()
    {
        QFETCH(QString, server);
        QFETCH(QString, security);
        QFETCH(QString, mechanism);
        const bool isDovecot = server == u"dovecot"_s;
        const int port = isDovecot ? (security == u"tls"_s ? dovecot.submissionsPort()
                                                           : dovecot.submissionPort())
                                   : aiosmtpd(security).port();
        const CliRun run =
            test(port, security, login(mechanism) << u"--json"_s, u"RELAYDECK_WRONG_PASSWORD"_s);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), false);
        const QJsonObject error = report.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"auth-failed"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"auth"_s);
        QVERIFY2(error.value(u"serverReply"_s).toString().contains(u"535"_s),
                 qPrintable(run.describe()));
        QVERIFY(!error.value(u"hint"_s).toString().isEmpty());
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), mechanism.toUpper());
        QCOMPARE(auth.value(u"ok"_s).toBool(), false);
    }

    void dovecotLogin_data()
    {
        QTest::addColumn<QString>("security");
        QTest::addColumn<QString>("mechanism");
        const QStringList modes = {u"starttls"_s, u"tls"_s};
        const QStringList mechanisms = {u"plain"_s,       u"login"_s,         u"cram-md5"_s,
                                        u"scram-sha-1"_s, u"scram-sha-256"_s, u"auto"_s};
        for (const QString& security : modes) {
            for (const QString& mechanism : mechanisms) {
                QTest::addRow("%s/%s", qPrintable(security), qPrintable(mechanism))
                    << security << mechanism;
            }
        }
    }

    void dovecotLogin()
    {
        QFETCH(QString, security);
        QFETCH(QString, mechanism);
        const int port =
            security == u"tls"_s ? dovecot.submissionsPort() : dovecot.submissionPort();
        const CliRun run = test(port, security, login(mechanism) << u"--json"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + dovecot.log().right(3000)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"ok"_s).toBool(), true);
        const QString used = auth.value(u"mechanism"_s).toString();
        const QVariantList offered = report.value(u"server"_s)
                                         .toObject()
                                         .value(u"authMechanisms"_s)
                                         .toArray()
                                         .toVariantList();
        QVERIFY(offered.contains(u"CRAM-MD5"_s));
        QVERIFY(offered.contains(u"SCRAM-SHA-256"_s));
        if (mechanism == u"auto"_s) {
            // The strongest both sides support: Dovecot offers SCRAM-SHA-256.
            QCOMPARE(used, u"SCRAM-SHA-256"_s);
        } else {
            QCOMPARE(used, mechanism.toUpper());
        }
        QCOMPARE(report.value(u"tls"_s).toObject().value(u"verified"_s).toBool(), true);
        // Dovecot announces SIZE without a number (no limit of its own): 0, not null.
        QCOMPARE(report.value(u"server"_s).toObject().value(u"maxSize"_s).toInteger(-1), 0);
        QVERIFY(report.value(u"server"_s)
                    .toObject()
                    .value(u"greeting"_s)
                    .toString()
                    .contains(u"Dovecot"_s));
        QVERIFY(dovecot.log().contains(u"Login: user=<%1>, method=%2"_s.arg(user, used)));
    }

    void dovecotRelaysTheTestMessage()
    {
        const int before = dovecot.messages().size();
        const CliRun run = test(dovecot.submissionPort(), u"starttls"_s,
                                login(u"plain"_s) << u"--from"_s << senderAddress << u"--send-to"_s
                                                  << recipientAddress << u"--json"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + dovecot.log().right(3000)));
        const QStringList messages = dovecot.messages();
        QCOMPARE(messages.size(), before + 1);
        const QJsonObject envelope = RealServer::envelope(messages.last());
        QCOMPARE(envelope.value(u"mail_from"_s).toString(), senderAddress);
        QCOMPARE(envelope.value(u"rcpt_tos"_s).toArray().toVariantList(),
                 QVariantList{recipientAddress});
        const ParsedMessage message = parseMessage(readWholeFile(messages.last()));
        QVERIFY(message.crlfOnly);
        QCOMPARE(message.headers.count(u"message-id"_s), 1);
        QCOMPARE(message.headers.count(u"date"_s), 1);
    }

    // Every key of the report (docs/ARCHITECTURE.md, "File formats"), from a real STARTTLS session
    // with a transcript.
    void jsonReportHasTheDocumentedShape()
    {
        const CliRun run = test(starttls.port(), u"starttls"_s,
                                login(u"plain"_s) << u"--json"_s << u"--transcript"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError,
                 qPrintable(parseError.errorString()));
        const QJsonObject report = document.object();
        const auto hasKeys = [](const QJsonObject& object, const QStringList& keys) {
            for (const QString& key : keys) {
                if (!object.contains(key))
                    return key;
            }
            return QString();
        };
        QCOMPARE(hasKeys(report, {u"ok"_s, u"profile"_s, u"target"_s, u"stages"_s, u"server"_s,
                                  u"tls"_s, u"auth"_s, u"error"_s, u"transcript"_s}),
                 QString());
        QVERIFY(report.value(u"profile"_s).isNull()); // ad hoc
        const QJsonObject target = report.value(u"target"_s).toObject();
        QCOMPARE(hasKeys(target, {u"host"_s, u"port"_s, u"security"_s, u"address"_s, u"proxy"_s}),
                 QString());
        QCOMPARE(target.value(u"host"_s).toString(), u"127.0.0.1"_s);
        QCOMPARE(target.value(u"port"_s).toInt(), starttls.port());
        QCOMPARE(target.value(u"security"_s).toString(), u"starttls"_s);
        QCOMPARE(target.value(u"address"_s).toString(), u"127.0.0.1"_s);
        const QJsonArray stages = report.value(u"stages"_s).toArray();
        QVERIFY(!stages.isEmpty());
        for (const QJsonValue& stage : stages) {
            QCOMPARE(hasKeys(stage.toObject(), {u"id"_s, u"ok"_s, u"ms"_s, u"detail"_s}),
                     QString());
            QVERIFY(stage.toObject().value(u"ok"_s).toBool());
            QVERIFY(stage.toObject().value(u"ms"_s).toDouble() >= 0);
        }
        QCOMPARE(hasKeys(report.value(u"server"_s).toObject(),
                         {u"greeting"_s, u"capabilities"_s, u"authMechanisms"_s, u"maxSize"_s}),
                 QString());
        const QJsonObject tls = report.value(u"tls"_s).toObject();
        QCOMPARE(hasKeys(tls, {u"protocol"_s, u"cipher"_s, u"verified"_s, u"errors"_s, u"chain"_s}),
                 QString());
        const QJsonArray chain = tls.value(u"chain"_s).toArray();
        QVERIFY(!chain.isEmpty());
        const QJsonObject leaf = chain.first().toObject();
        QCOMPARE(hasKeys(leaf, {u"subject"_s, u"issuer"_s, u"notBefore"_s, u"notAfter"_s,
                                u"sha256"_s, u"subjectAltNames"_s}),
                 QString());
        // The report's fingerprint form: upper-case hex pairs joined by colons.
        QString expected = RealServer::serverCertificateSha256().toUpper();
        for (qsizetype i = expected.size() - 2; i > 0; i -= 2)
            expected.insert(i, u':');
        QCOMPARE(leaf.value(u"sha256"_s).toString(), expected);
        QVERIFY(leaf.value(u"issuer"_s).toString().contains(u"Relaydeck Test CA"_s));
        QVERIFY(leaf.value(u"subjectAltNames"_s)
                    .toArray()
                    .toVariantList()
                    .contains(u"DNS:localhost"_s));
        QCOMPARE(hasKeys(report.value(u"auth"_s).toObject(), {u"mechanism"_s, u"ok"_s}), QString());
        QVERIFY(report.value(u"error"_s).isNull());

        const QJsonArray transcript = report.value(u"transcript"_s).toArray();
        QVERIFY(transcript.size() >= 8);
        QStringList clientLines;
        for (const QJsonValue& value : transcript) {
            const QJsonObject line = value.toObject();
            QCOMPARE(hasKeys(line, {u"t"_s, u"dir"_s, u"line"_s}), QString());
            QVERIFY(
                QStringList({u"C"_s, u"S"_s, u"*"_s}).contains(line.value(u"dir"_s).toString()));
            if (line.value(u"dir"_s).toString() == u"C"_s)
                clientLines << line.value(u"line"_s).toString();
        }
        QCOMPARE(clientLines.count(u"EHLO client.test"_s), 2); // before and after STARTTLS
        QVERIFY(clientLines.contains(u"STARTTLS"_s));
        QVERIFY(clientLines.contains(u"QUIT"_s));
    }

    // Trust by pin instead of a CA; no trust at all fails before any credential is sent.
    void certificateTrust()
    {
        const QStringList plain = {u"--auth"_s, u"plain"_s, u"--user"_s, user, u"--json"_s};
        CliRun run =
            test(starttls.port(), u"starttls"_s,
                 QStringList(plain) << u"--pin"_s << RealServer::serverCertificateSha256());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

        const qsizetype authLines = starttls.log().count(u"AUTH PLAIN"_s);
        const qsizetype tlsAuthLines = implicitTls.log().count(u"AUTH PLAIN"_s);
        run = test(starttls.port(), u"starttls"_s, plain);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"id"_s).toString(),
                 u"certificate-untrusted"_s);
        const QString pinWrong = QString(64, u'a');
        run = test(implicitTls.port(), u"tls"_s, QStringList(plain) << u"--pin"_s << pinWrong);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"id"_s).toString(),
                 u"certificate-pin-mismatch"_s);
        // Neither server saw an AUTH command: no credential goes over an untrusted session.
        QCOMPARE(starttls.log().count(u"AUTH PLAIN"_s), authLines);
        QCOMPARE(implicitTls.log().count(u"AUTH PLAIN"_s), tlsAuthLines);
    }

    // The wrong mode for a port: the verdict names the other mode.
    void securityModeMismatch()
    {
        CliRun run =
            test(starttls.port(), u"tls"_s,
                 {u"--ca-file"_s, RealServer::caFile(), u"--json"_s, u"--timeout"_s, u"3"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QJsonObject error = run.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"tls-handshake-failed"_s);
        QVERIFY2(error.value(u"hint"_s).toString().contains(u"STARTTLS"_s),
                 qPrintable(run.describe()));

        run = test(dovecot.submissionsPort(), u"starttls"_s,
                   {u"--ca-file"_s, RealServer::caFile(), u"--json"_s, u"--timeout"_s, u"2"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        error = run.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"greeting-timeout"_s);
        QVERIFY2(error.value(u"hint"_s).toString().contains(u"465"_s), qPrintable(run.describe()));
    }

    // --security auto (engine rule 13) against aiosmtpd on loopback: with STARTTLS offered it is
    // STARTTLS; without, the session goes on unencrypted (loopback) and the report warns. Both
    // the JSON and the text output say what auto resolved to.
    void autoAgainstAiosmtpd_data()
    {
        QTest::addColumn<QString>("offered");
        QTest::addColumn<QString>("resolved");
        QTest::addColumn<QString>("shown");
        QTest::newRow("with STARTTLS") << u"starttls"_s << u"starttls"_s << u"auto -> STARTTLS"_s;
        QTest::newRow("without STARTTLS")
            << u"none"_s << u"none"_s << u"auto -> none (opportunistic)"_s;
    }

    void autoAgainstAiosmtpd()
    {
        QFETCH(QString, offered);
        QFETCH(QString, resolved);
        QFETCH(QString, shown);
        RealServer& server = aiosmtpd(offered);
        const qsizetype accepted = server.log().count(u"AUTH PLAIN for"_s);
        CliRun run = test(server.port(), u"auto"_s, login(u"plain"_s) << u"--json"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + server.log().right(3000)));
        const QJsonObject report = run.json();
        const QJsonObject target = report.value(u"target"_s).toObject();
        QCOMPARE(target.value(u"security"_s).toString(), u"auto"_s);
        QCOMPARE(target.value(u"resolvedSecurity"_s).toString(), resolved);
        QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);
        QCOMPARE(server.log().count(u"AUTH PLAIN for"_s), accepted + 1);
        const QJsonArray warnings = report.value(u"warnings"_s).toArray();
        QStringList ids = stageIds(report);
        if (offered == u"starttls"_s) {
            QVERIFY(ids.contains(u"starttls"_s));
            QVERIFY(report.value(u"tls"_s).toObject().value(u"verified"_s).toBool());
            QVERIFY(warnings.isEmpty());
        } else {
            QVERIFY(!ids.contains(u"starttls"_s));
            QVERIFY(report.value(u"tls"_s).isNull());
            QCOMPARE(warnings.size(), 1);
            QVERIFY2(warnings.first().toString().startsWith(
                         u"encryption: none (opportunistic): the server (a loopback host) does "
                         "not offer STARTTLS"_s),
                     qPrintable(run.describe()));
        }

        run = test(server.port(), u"auto"_s, login(u"plain"_s));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(u"Security:      "_s + shown + u'\n'), qPrintable(out));
        QVERIFY2(out.contains(u"(%1)"_s.arg(shown)), qPrintable(out)); // the Server line
        QCOMPARE(out.contains(u"Warning: encryption: none (opportunistic)"_s),
                 offered == u"none"_s);
    }

    // The default, human-readable output of a passing test.
    void humanOutput()
    {
        const CliRun run = test(dovecot.submissionPort(), u"starttls"_s, login(u"login"_s));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(u"\u2713"_s), qPrintable(out));
        QVERIFY2(!out.contains(u"\u2717"_s), qPrintable(out));
        QVERIFY2(out.contains(u"TLS"_s), qPrintable(out));
        // The verdict is the last word: nothing of the polite QUIT comes after it.
        const qsizetype verdict = out.indexOf(u"Test passed."_s);
        QVERIFY2(verdict > 0, qPrintable(out));
        QVERIFY2(!out.mid(verdict).contains(u"quit"_s), qPrintable(out));
        QVERIFY2(out.indexOf(u"auth"_s) < verdict, qPrintable(out));
    }

    void cleanupTestCase()
    {
        // Stopping is part of the contract too: every launcher ends cleanly on SIGTERM.
        for (RealServer* server : {&starttls, &implicitTls, &plaintext, &dovecot}) {
            server->stop();
            QVERIFY(!server->isRunning());
        }
    }
};

QTEST_GUILESS_MAIN(TestRealServers)

#include "tst_realservers.moc"
