// relaydeck-cli test against a real Postfix (Debian's postfix package, servers/postfix.py) on
// free loopback ports with a private configuration, with both SASL back ends users meet: Cyrus
// SASL with a sasldb and Dovecot SASL. Covers issue 13's Postfix items: NTLMv2 against Cyrus
// (whose challenge carries no target information), Postfix's delayed rejection of the sender at
// RCPT, and hints that agree with the EHLO reply. Needs root (Postfix's master); skipped
// otherwise.
#include "CliTesting.h"
#include "RealServers.h"
#include "ServerLaunch.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString user = u"alice@example.test"_s;
// Spaces and punctuation, but ASCII only: Cyrus SASL's NTLM plugin widens each byte of the
// stored password to UTF-16 (it does not decode UTF-8), so a non-ASCII password can never pass
// NTLM there, with any client.
const QString password = u"Corr3ct horse:battery-%1"_s.arg(QCoreApplication::applicationPid());
const QString senderAddress = u"sender@example.test"_s;
const QString recipientAddress = u"rcpt@example.test"_s;

} // namespace

class TestPostfix : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir configDir;
    QProcessEnvironment environment;
    RealServer postfix;

    // relaydeck-cli test --json with an ad-hoc connection to a Postfix listener.
    CliRun test(const QString& listener, const QString& security, const QStringList& extra,
                const QString& passwordVariable = u"RELAYDECK_TEST_PASSWORD"_s)
    {
        return runCli(
            adHocTestArguments(postfix.host(), postfix.postfixPort(listener), security,
                               withoutAuthUnlessChosen(extra) +
                                   QStringList{u"--ca-file"_s, RealServer::caFile(), u"--json"_s},
                               passwordVariable),
            environment);
    }

    static QStringList login(const QString& mechanism)
    {
        return {u"--auth"_s, mechanism, u"--user"_s, user};
    }

    QStringList delivered() const
    {
        return QDir(postfix.maildir() + u"/new"_s).entryList(QDir::Files, QDir::Name);
    }

    QString context(const CliRun& run) const
    {
        return run.describe() + u"\n--- server log (tail):\n"_s + postfix.log().right(3000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(configDir.isValid());
        QVERIFY2(!RealServer::caFile().isEmpty(), qPrintable(RealServer::certificatesError()));
        environment = cliEnvironmentWithoutKeychain(configDir.path());
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        environment.insert(u"RELAYDECK_WRONG_PASSWORD"_s, password + u"x"_s);

        RealServerOptions options;
        options.user = user;
        options.password = password;
        if (!postfix.startPostfix(options)) {
            if (postfix.unavailable())
                QSKIP(qPrintable(u"Postfix cannot run here: "_s + postfix.errorString()));
            QFAIL(qPrintable(postfix.errorString()));
        }
    }

    // Every mechanism each back end offers, right and wrong password, over STARTTLS.
    void login_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("mechanism");
        QTest::addColumn<bool>("right");
        const QStringList common = {u"plain"_s, u"login"_s, u"cram-md5"_s, u"scram-sha-1"_s,
                                    u"scram-sha-256"_s};
        const QStringList backends = {u"cyrus"_s, u"dovecot"_s};
        for (const QString& backend : backends) {
            // Debian's Dovecot is built without NTLM; Cyrus offers it.
            const QStringList mechanisms =
                backend == u"cyrus"_s ? common + QStringList{u"ntlm"_s} : common;
            for (const QString& mechanism : mechanisms) {
                for (const bool right : {true, false})
                    QTest::addRow("%s/%s/%s", qPrintable(backend), qPrintable(mechanism),
                                  right ? "right" : "wrong")
                        << backend << mechanism << right;
            }
        }
    }

    void login()
    {
        QFETCH(QString, backend);
        QFETCH(QString, mechanism);
        QFETCH(bool, right);
        const CliRun run =
            test(backend, u"starttls"_s, login(mechanism),
                 right ? u"RELAYDECK_TEST_PASSWORD"_s : u"RELAYDECK_WRONG_PASSWORD"_s);
        const QJsonObject report = run.json();
        QVERIFY2(run.exitCode == (right ? 0 : 1), qPrintable(context(run)));
        QCOMPARE(report.value(u"ok"_s).toBool(), right);
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), mechanism.toUpper());
        QCOMPARE(auth.value(u"ok"_s).toBool(), right);
        QVERIFY(report.value(u"tls"_s).toObject().value(u"verified"_s).toBool());
        if (!right) {
            // The server saw the credentials and refused them: auth-failed with its 535.
            QCOMPARE(errorField(report, u"id"_s), u"auth-failed"_s);
            QVERIFY2(errorField(report, u"serverReply"_s).startsWith(u"535"_s),
                     qPrintable(context(run)));
        }
        QVERIFY(!postfix.log().contains(password));
    }

    void deliveredMessageLandsInTheMaildir_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("mechanism");
        QTest::newRow("cyrus/ntlm") << u"cyrus"_s << u"ntlm"_s;
        QTest::newRow("dovecot/scram-sha-256") << u"dovecot"_s << u"scram-sha-256"_s;
    }

    void deliveredMessageLandsInTheMaildir()
    {
        QFETCH(QString, backend);
        QFETCH(QString, mechanism);
        const QStringList before = delivered();
        const QString subject =
            u"Relaydeck Postfix test %1 %2"_s.arg(backend).arg(QDateTime::currentMSecsSinceEpoch());
        const CliRun run = test(backend, u"starttls"_s,
                                login(mechanism) << u"--from"_s << senderAddress << u"--send-to"_s
                                                 << recipientAddress << u"--subject"_s << subject);
        QVERIFY2(run.exitCode == 0, qPrintable(context(run)));
        // Postfix queues, then virtual(8) delivers: wait (bounded) for the file.
        QStringList added;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                added = delivered();
                for (const QString& name : before)
                    added.removeAll(name);
                return !added.isEmpty();
            }(),
            20000);
        QCOMPARE(added.size(), 1);
        const QByteArray data = readWholeFile(postfix.maildir() + u"/new/"_s + added.first());
        QVERIFY2(data.contains(QByteArray("Subject: " + subject.toUtf8())), data.constData());
        QVERIFY2(data.contains(QByteArray("Return-Path: <" + senderAddress.toUtf8() + '>')),
                 data.constData());
        QVERIFY2(data.contains(QByteArray("Delivered-To: " + recipientAddress.toUtf8())),
                 data.constData());
        // Postfix's Received header records the authenticated TLS submission.
        QVERIFY2(data.contains("with ESMTPSA"), data.constData());
    }

    // Postfix's default smtpd_delay_reject = yes: the sender restrictions answer RCPT.
    void delayedSenderRejection_data()
    {
        QTest::addColumn<QString>("listener");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("advice");
        QTest::newRow("not fully qualified")
            << u"cyrus"_s << u"a@localhost"_s << u"504 5.5.2"_s << u"complete address"_s;
        QTest::newRow("domain not found")
            << u"cyrus"_s << u"a@nonexistent.invalid"_s << u"450 4.1.8"_s << u"--from"_s;
        QTest::newRow("server configuration error")
            << u"broken"_s << senderAddress << u"451 4.3.5"_s << u"its own configuration"_s;
    }

    void delayedSenderRejection()
    {
        QFETCH(QString, listener);
        QFETCH(QString, sender);
        QFETCH(QString, reply);
        QFETCH(QString, advice);
        const QStringList before = delivered();
        const CliRun run =
            test(listener, u"starttls"_s,
                 login(u"plain"_s) << u"--from"_s << sender << u"--send-to"_s << recipientAddress);
        QVERIFY2(run.exitCode == 1, qPrintable(context(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"sender-rejected"_s);
        QCOMPARE(errorField(report, u"stage"_s), u"send"_s);
        const QString serverReply = errorField(report, u"serverReply"_s);
        QVERIFY2(serverReply.startsWith(reply), qPrintable(context(run)));
        QVERIFY2(serverReply.contains(u"Sender address rejected"_s), qPrintable(serverReply));
        const QString hint = errorField(report, u"hint"_s);
        QVERIFY2(hint.contains(advice), qPrintable(hint));
        QCOMPARE(hint.contains(u"temporary (4xx)"_s), reply.startsWith(u'4'));
        // Never the relay-denied advice: the recipient is fine and the client authenticated.
        QVERIFY2(!hint.contains(u"relay"_s, Qt::CaseInsensitive), qPrintable(hint));
        QVERIFY2(!hint.contains(u"--user"_s), qPrintable(hint));
        QCOMPARE(delivered(), before);
    }

    // --auth plain where the EHLO reply has neither AUTH nor STARTTLS: no "switch to STARTTLS"
    // (it would fail with starttls-not-offered).
    void noStartTlsNoAuthHintsNoStartTls()
    {
        const CliRun run = test(u"notls"_s, u"none"_s, login(u"plain"_s));
        QVERIFY2(run.exitCode == 1, qPrintable(context(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"auth-not-offered"_s);
        const QVariantList capabilities =
            report.value(u"server"_s).toObject().value(u"capabilities"_s).toArray().toVariantList();
        QVERIFY(!capabilities.contains(u"STARTTLS"_s));
        const QString hint = errorField(report, u"hint"_s);
        QVERIFY2(!hint.contains(u"--security starttls"_s), qPrintable(hint));
        QVERIFY2(hint.contains(u"--auth none"_s), qPrintable(hint));
    }

    // Cyrus listener without TLS: PLAIN and LOGIN are withheld (noplaintext) while STARTTLS is
    // advertised: the way is STARTTLS, not CRAM-MD5.
    void plainWithheldBeforeTlsHintsStartTls()
    {
        const CliRun run = test(u"cyrus"_s, u"none"_s, login(u"plain"_s));
        QVERIFY2(run.exitCode == 1, qPrintable(context(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"auth-mechanism-unavailable"_s);
        const QVariantList offered = report.value(u"server"_s)
                                         .toObject()
                                         .value(u"authMechanisms"_s)
                                         .toArray()
                                         .toVariantList();
        QVERIFY(offered.contains(u"CRAM-MD5"_s));
        QVERIFY(!offered.contains(u"PLAIN"_s));
        const QString hint = errorField(report, u"hint"_s);
        QVERIFY2(hint.contains(u"--security starttls"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"--auth cram-md5"_s), qPrintable(hint));

        // Following the hint works.
        const CliRun followed = test(u"cyrus"_s, u"starttls"_s, login(u"plain"_s));
        QVERIFY2(followed.exitCode == 0, qPrintable(context(followed)));
    }

    // smtpd_tls_security_level = encrypt, tested without encryption: MAIL gets 530 5.7.0 Must
    // issue a STARTTLS command first. One cause, one hint.
    void mustIssueStartTlsFirstGetsOneHint()
    {
        const CliRun run = test(u"encrypt"_s, u"none"_s,
                                {u"--from"_s, senderAddress, u"--send-to"_s, recipientAddress});
        QVERIFY2(run.exitCode == 1, qPrintable(context(run)));
        const QJsonObject report = run.json();
        QVERIFY2(errorField(report, u"serverReply"_s).startsWith(u"530 5.7.0"_s),
                 qPrintable(context(run)));
        const QString hint = errorField(report, u"hint"_s);
        QVERIFY2(hint.contains(u"--security starttls"_s), qPrintable(hint));
        QCOMPARE(hint.count(u"--"_s), 1);
        QVERIFY2(!hint.contains(u"username"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"may send as"_s), qPrintable(hint));
    }
};

QTEST_GUILESS_MAIN(TestPostfix)
#include "tst_postfix.moc"
