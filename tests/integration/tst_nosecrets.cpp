// No secret in any output: after real logins (aiosmtpd; PLAIN, LOGIN and CRAM-MD5; STARTTLS and
// plaintext loopback; with and without a test message; right and wrong password; password from
// the environment and from stdin), relaydeck-cli's stdout and stderr — JSON with transcript,
// and the human-readable output with transcript — contain neither the password nor any base64
// form of it: not base64 of "\0user\0password" (AUTH PLAIN), not base64 of the password alone
// (AUTH LOGIN), and not the password's base64 at any of the three byte alignments it can have
// inside a longer base64 stream.
#include "RealServers.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"bob@example.test"_s;
const QString password = u"N0-Secret%1\u00df leaks!"_s.arg(QCoreApplication::applicationPid());
const QString wrongPassword = password + u"-typo"_s;

// Base64 characters that depend only on the secret's bytes when the secret starts `offset`
// bytes into a base64-encoded stream: whatever comes before or after it, these appear.
QByteArray alignedBase64(const QByteArray& secret, int offset)
{
    const QByteArray encoded = QByteArray(QByteArray(offset, '\x01') + secret).toBase64();
    const qsizetype first = (8 * offset + 5) / 6;             // first character all secret
    const qsizetype end = (8 * (offset + secret.size())) / 6; // one past the last such one
    return encoded.mid(first, end - first);
}

// Every form of the secret that must never be printed.
QList<QPair<QString, QByteArray>> forbiddenForms(const QString& secret)
{
    const QByteArray bytes = secret.toUtf8();
    QList<QPair<QString, QByteArray>> forms = {
        {u"the password"_s, bytes},
        {u"base64(password)"_s, bytes.toBase64()},
        {u"base64(\\0user\\0password)"_s,
         QByteArray(QByteArray(1, '\0') + user.toUtf8() + '\0' + bytes).toBase64()},
        {u"base64(user\\0user\\0password)"_s,
         QByteArray(user.toUtf8() + '\0' + user.toUtf8() + '\0' + bytes).toBase64()},
        {u"base64url(password)"_s, bytes.toBase64(QByteArray::Base64UrlEncoding)},
        {u"hex(password)"_s, bytes.toHex()},
    };
    for (int offset = 0; offset < 3; ++offset)
        forms.append({u"base64 at alignment %1"_s.arg(offset), alignedBase64(bytes, offset)});
    return forms;
}

// The name of the first forbidden form of the secret found in the text, else empty.
QString findSecret(const QByteArray& text, const QString& secret)
{
    for (const auto& [name, form] : forbiddenForms(secret)) {
        if (text.contains(form))
            return name;
    }
    return {};
}

} // namespace

class TestNoSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QProcessEnvironment environment;
    RealServer starttls;
    RealServer plaintext;

    void verifyNoSecret(const CliRun& run, const QString& secret)
    {
        QString found = findSecret(run.out, secret);
        QVERIFY2(found.isEmpty(),
                 qPrintable(found + u" is in stdout:\n"_s + QString::fromUtf8(run.out)));
        found = findSecret(run.err, secret);
        QVERIFY2(found.isEmpty(),
                 qPrintable(found + u" is in stderr:\n"_s + QString::fromUtf8(run.err)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid());
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir.path());
        environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        environment.insert(u"RELAYDECK_WRONG_PASSWORD"_s, wrongPassword);

        RealServerOptions options;
        options.user = user;
        options.password = password;
        options.mechanisms = {u"PLAIN"_s, u"LOGIN"_s, u"CRAM-MD5"_s};
        QVERIFY2(starttls.startAiosmtpd(options), qPrintable(starttls.errorString()));
        options.security = u"none"_s;
        QVERIFY2(plaintext.startAiosmtpd(options), qPrintable(plaintext.errorString()));
    }

    // The needles themselves: each alignment is really found inside a base64 stream that
    // carries the password at that offset (else the search below could never fail).
    void needlesMatchRealEncodings()
    {
        const QByteArray bytes = password.toUtf8();
        for (int offset = 0; offset < 3; ++offset) {
            for (int prefix = offset; prefix < offset + 9; prefix += 3) {
                const QByteArray stream =
                    QByteArray(QByteArray(prefix, 'u') + bytes + QByteArray("\x02\x03")).toBase64();
                QVERIFY2(stream.contains(alignedBase64(bytes, offset)),
                         qPrintable(u"offset %1, prefix %2"_s.arg(offset).arg(prefix)));
            }
        }
        const QByteArray plainPayload =
            QByteArray(QByteArray(1, '\0') + user.toUtf8() + '\0' + bytes).toBase64();
        bool found = false;
        for (int offset = 0; offset < 3; ++offset)
            found = found || plainPayload.contains(alignedBase64(bytes, offset));
        QVERIFY(found);
    }

    // The detector finds what a leaking client would print: the AUTH PLAIN and AUTH LOGIN
    // payloads, the password inside any base64 stream, and the password itself.
    void detectorFindsPlantedSecrets()
    {
        for (const auto& [name, form] : forbiddenForms(password))
            QVERIFY2(form.size() >= 12, qPrintable(name)); // long enough to mean something
        const QByteArray bytes = password.toUtf8();
        const QList<QByteArray> leaks = {
            "C: AUTH PLAIN " +
                QByteArray(QByteArray(1, '\0') + user.toUtf8() + '\0' + bytes).toBase64(),
            "C: " + bytes.toBase64(),
            "{\"line\": \"" + bytes + "\"}",
            QByteArray(QByteArray("x") + bytes).toBase64(),
            QByteArray(QByteArray("xy") + bytes + "z").toBase64(),
            QByteArray(QByteArray("user=u\x01auth=Bearer ") + bytes + "\x01\x01").toBase64(),
        };
        for (const QByteArray& leak : leaks)
            QVERIFY2(!findSecret("before " + leak + " after", password).isEmpty(),
                     leak.constData());
        QVERIFY(findSecret("AUTH PLAIN <redacted>", password).isEmpty());
    }

    void noSecretInOutput_data()
    {
        QTest::addColumn<QString>("security");
        QTest::addColumn<QString>("mechanism");
        QTest::addColumn<bool>("send");
        QTest::addColumn<bool>("json");
        QTest::addColumn<bool>("stdinPassword");
        QTest::addColumn<bool>("wrong");
        const QStringList modes = {u"starttls"_s, u"none"_s};
        const QStringList mechanisms = {u"plain"_s, u"login"_s, u"cram-md5"_s};
        for (const QString& security : modes) {
            for (const QString& mechanism : mechanisms) {
                const QByteArray name = (security + u'/' + mechanism).toUtf8();
                QTest::addRow("%s/json", name.constData())
                    << security << mechanism << false << true << false << false;
                QTest::addRow("%s/json/send", name.constData())
                    << security << mechanism << true << true << false << false;
                QTest::addRow("%s/text", name.constData())
                    << security << mechanism << false << false << false << false;
                QTest::addRow("%s/json/stdin", name.constData())
                    << security << mechanism << false << true << true << false;
                QTest::addRow("%s/json/wrong", name.constData())
                    << security << mechanism << false << true << false << true;
                QTest::addRow("%s/text/wrong", name.constData())
                    << security << mechanism << false << false << false << true;
            }
        }
    }

    void noSecretInOutput()
    {
        QFETCH(QString, security);
        QFETCH(QString, mechanism);
        QFETCH(bool, send);
        QFETCH(bool, json);
        QFETCH(bool, stdinPassword);
        QFETCH(bool, wrong);
        RealServer& server = security == u"none"_s ? plaintext : starttls;
        QStringList arguments = {u"test"_s,
                                 u"--host"_s,
                                 u"127.0.0.1"_s,
                                 u"--port"_s,
                                 QString::number(server.port()),
                                 u"--security"_s,
                                 security,
                                 u"--auth"_s,
                                 mechanism,
                                 u"--user"_s,
                                 user,
                                 u"--ca-file"_s,
                                 RealServer::caFile(),
                                 u"--helo"_s,
                                 u"client.test"_s,
                                 u"--timeout"_s,
                                 u"15"_s,
                                 u"--transcript"_s};
        QByteArray input;
        if (stdinPassword) {
            arguments << u"--password-stdin"_s;
            input = (wrong ? wrongPassword : password).toUtf8() + '\n';
        } else {
            arguments << u"--password-env"_s
                      << (wrong ? u"RELAYDECK_WRONG_PASSWORD"_s : u"RELAYDECK_TEST_PASSWORD"_s);
        }
        if (json)
            arguments << u"--json"_s;
        if (send)
            arguments << u"--from"_s << u"s@example.test"_s << u"--send-to"_s
                      << u"r@example.test"_s;

        const CliRun run = runCli(arguments, environment, input);
        QVERIFY2(run.exitCode == (wrong ? 1 : 0), qPrintable(run.describe()));

        // The run really went through AUTH and printed its transcript: the search below is
        // over real output, not an empty string.
        if (json) {
            const QJsonObject report = run.json();
            QCOMPARE(report.value(u"auth"_s).toObject().value(u"mechanism"_s).toString(),
                     mechanism.toUpper());
            QCOMPARE(report.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), !wrong);
            bool authLine = false;
            const QJsonArray transcript = report.value(u"transcript"_s).toArray();
            for (const QJsonValue& line : transcript) {
                const QString text = line.toObject().value(u"line"_s).toString();
                authLine = authLine || text.startsWith(u"AUTH "_s + mechanism.toUpper());
            }
            QVERIFY2(authLine, qPrintable(run.describe()));
        } else {
            QVERIFY2(run.out.contains(QByteArray("AUTH " + mechanism.toUpper().toLatin1())),
                     qPrintable(run.describe()));
        }
        QVERIFY(run.out.contains("<redacted>"));

        verifyNoSecret(run, password);
        verifyNoSecret(run, wrongPassword);
    }
};

QTEST_GUILESS_MAIN(TestNoSecrets)

#include "tst_nosecrets.moc"
