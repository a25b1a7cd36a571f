// Engine against scripted servers: AUTH (docs/ARCHITECTURE.md engine rules 4, 7 and 10) — PLAIN,
// LOGIN, CRAM-MD5 and XOAUTH2 over STARTTLS with initial responses, auto choosing the strongest,
// 535, endless challenges, no AUTH offered, the plaintext rule, and a transcript without secrets.

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "common/Setting.h"
#include "smtp/ConnectionTest.h"
#include "smtp/ErrorIds.h"
#include "smtp/SecuritySuggestion.h"

#include <QSignalSpy>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray User = ScriptedUser;
const QByteArray Password = ScriptedPassword;
// RFC 2195's example.
const QByteArray CramUser = "tim";
const QByteArray CramPassword = "tanstaaftanstaaf";
const QByteArray CramChallenge = "<1896.697170952@postoffice.reston.mci.net>";
const QByteArray CramResponse = "tim b913a602c7eda7a495b4e6e7334d3890";
// Google's XOAUTH2 documentation example token.
const QByteArray Token = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";

QByteArray plainBlob(const QByteArray& user, const QByteArray& password)
{
    return QByteArray(1, '\0') + user + QByteArray(1, '\0') + password;
}

QByteArray xoauth2Blob(const QByteArray& user, const QByteArray& token)
{
    return "user=" + user + "\x01" + "auth=Bearer " + token + "\x01\x01";
}

} // namespace

class TestEngineAuth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }

    void mechanisms_data()
    {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QByteArray>("offered");
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QString>("exchange"); // the server's script after the second EHLO
        QTest::addColumn<QString>("expectedMechanism");
        QTest::addColumn<int>("authLines"); // client lines of the AUTH exchange

        QTest::newRow("PLAIN, initial response")
            << int(AuthMechanism::Plain) << QByteArray("AUTH PLAIN LOGIN") << User << Password
            << u"C: AUTH PLAIN %1\nS: 235 2.7.0 Authentication successful\n"_s.arg(
                   QString::fromLatin1(plainBlob(User, Password).toBase64()))
            << u"PLAIN"_s << 1;
        QTest::newRow("auto picks PLAIN over LOGIN")
            << int(AuthMechanism::Auto) << QByteArray("AUTH LOGIN PLAIN") << User << Password
            << u"C: AUTH PLAIN %1\nS: 235 2.7.0 Authentication successful\n"_s.arg(
                   QString::fromLatin1(plainBlob(User, Password).toBase64()))
            << u"PLAIN"_s << 1;
        QTest::newRow("LOGIN, initial response")
            << int(AuthMechanism::Login) << QByteArray("AUTH PLAIN LOGIN") << User << Password
            << u"C: AUTH LOGIN %1\nS: 334 UGFzc3dvcmQ6\nC: %2\nS: 235 2.7.0 Accepted\n"_s.arg(
                   QString::fromLatin1(User.toBase64()), QString::fromLatin1(Password.toBase64()))
            << u"LOGIN"_s << 2;
        QTest::newRow("CRAM-MD5 (RFC 2195 example)")
            << int(AuthMechanism::CramMd5) << QByteArray("AUTH PLAIN CRAM-MD5") << CramUser
            << CramPassword
            << u"C: AUTH CRAM-MD5\nS: 334 %1\nC: %2\nS: 235 2.7.0 Accepted\n"_s.arg(
                   QString::fromLatin1(CramChallenge.toBase64()),
                   QString::fromLatin1(CramResponse.toBase64()))
            << u"CRAM-MD5"_s << 2;
        QTest::newRow("auto picks CRAM-MD5")
            << int(AuthMechanism::Auto) << QByteArray("AUTH LOGIN CRAM-MD5 PLAIN") << CramUser
            << CramPassword
            << u"C: AUTH CRAM-MD5\nS: 334 %1\nC: %2\nS: 235 2.7.0 Accepted\n"_s.arg(
                   QString::fromLatin1(CramChallenge.toBase64()),
                   QString::fromLatin1(CramResponse.toBase64()))
            << u"CRAM-MD5"_s << 2;
        QTest::newRow("XOAUTH2, initial response")
            << int(AuthMechanism::XOAuth2) << QByteArray("AUTH XOAUTH2 PLAIN") << User << Token
            << u"C: AUTH XOAUTH2 %1\nS: 235 2.7.0 Accepted\n"_s.arg(
                   QString::fromLatin1(xoauth2Blob(User, Token).toBase64()))
            << u"XOAUTH2"_s << 1;
    }

    void mechanisms()
    {
        QFETCH(int, mechanism);
        QFETCH(QByteArray, offered);
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, password);
        QFETCH(QString, exchange);
        QFETCH(QString, expectedMechanism);
        QFETCH(int, authLines);

        ScriptedSmtpServer server(startTlsPrefix({}, {"PIPELINING", offered})
                                      .append(SmtpScript::parse(exchange))
                                      .expect("QUIT")
                                      .send("221 2.0.0 Bye")
                                      .close());
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism(mechanism), user, password));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.scriptFinished());
        QCOMPARE(run.report.auth.mechanism, expectedMechanism);
        QVERIFY(run.report.auth.attempted);
        QVERIFY(run.report.auth.ok);
        // The fewest round trips: exactly the AUTH exchange between EHLO and QUIT.
        const QList<QByteArray> lines = server.tlsLines();
        QCOMPARE(lines.size(), 1 + authLines + 1);
        QVERIFY(server.plaintextLines() == (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));

        const QString leak = secretProblem(run, server, {password, plainBlob(user, password)});
        QVERIFY2(leak.isEmpty(), qPrintable(leak + u"\n"_s + explain(run, server)));
        QVERIFY(run.transcriptText().contains(u"<redacted>"_s));
    }

    void xoauth2ErrorChallengeEndsIn535()
    {
        const QByteArray error =
            R"({"status":"401","schemes":"bearer mac","scope":"https://mail.google.com/"})";
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH XOAUTH2"})
                .expect("AUTH XOAUTH2 " + xoauth2Blob(User, Token).toBase64())
                .send("334 " + error.toBase64())
                .expect("")
                .send("535-5.7.8 Username and Password not accepted.\r\n"
                      "535 5.7.8 https://support.google.com/mail/?p=BadCredentials"));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism::XOAuth2, User, Token));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY(run.report.error.serverReply.startsWith(u"535"_s));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        const QString leak = secretProblem(run, server, {Token, xoauth2Blob(User, Token)});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
    }

    void rejectedCredentials_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::newRow("535") << QByteArray("535 5.7.8 Authentication credentials invalid");
        QTest::newRow("535 5.7.139") << QByteArray(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for "
            "the Tenant.");
        QTest::newRow("multi-line 535") << QByteArray("535-5.7.8 Username and Password not "
                                                      "accepted.\r\n535 5.7.8 Learn more");
    }

    void rejectedCredentials()
    {
        QFETCH(QByteArray, reply);
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH PLAIN"})
                                      .expect("AUTH PLAIN " + plainBlob(User, Password).toBase64())
                                      .send(reply));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Auto));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY(run.report.error.serverReply.startsWith(u"535"_s));
        QVERIFY(!run.report.error.hint.isEmpty());
        QVERIFY(run.report.auth.attempted);
        QVERIFY(!run.report.auth.ok);
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        // A failed login is a sane state: the client says QUIT.
        QVERIFY(server.quitReceived());
        const QString leak = secretProblem(run, server, {Password, plainBlob(User, Password)});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
    }

    // Replies meaning "basic authentication is off" (Exchange Online 5.7.139 and 5.7.30, Google's
    // 534 5.7.9): the hint names the OAuth sign-in setting; other refusals do not.
    void basicAuthOffPointsToOAuthSignIn_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<bool>("pointsToSignIn");
        QTest::newRow("535 5.7.139") << QByteArray("535 5.7.139 Authentication unsuccessful, "
                                                   "SmtpClientAuthentication is disabled for the "
                                                   "Tenant.")
                                     << true;
        QTest::newRow("550 5.7.30") << QByteArray("550 5.7.30 Basic authentication is not "
                                                  "supported for Client Submission.")
                                    << true;
        QTest::newRow("534 5.7.9") << QByteArray("534-5.7.9 Application-specific password "
                                                 "required.\r\n534 5.7.9 Learn more")
                                   << true;
        QTest::newRow("535 5.7.8")
            << QByteArray("535 5.7.8 Authentication credentials invalid") << false;
    }

    void basicAuthOffPointsToOAuthSignIn()
    {
        QFETCH(QByteArray, reply);
        QFETCH(bool, pointsToSignIn);
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH PLAIN"})
                                      .expect("AUTH PLAIN " + plainBlob(User, Password).toBase64())
                                      .send(reply));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Auto));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QCOMPARE(run.report.error.serverReply.left(3).toUtf8(), reply.left(3));
        QCOMPARE(run.report.error.hint.contains(settingId(Setting::OAuthSignIn)), pointsToSignIn);
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
    }

    void endlessChallengesAreCancelled()
    {
        // LOGIN answers every "Username:" prompt; the server never stops asking.
        SmtpScript script = startTlsPrefix({}, {"AUTH LOGIN"});
        script.expect("AUTH LOGIN " + User.toBase64());
        for (int i = 0; i < 5; ++i)
            script.send("334 VXNlcm5hbWU6").expect(User.toBase64());
        script.send("334 VXNlcm5hbWU6").expect("*").send("501 5.7.0 Authentication cancelled");
        ScriptedSmtpServer server(script);
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Login));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.scriptFinished());
        QVERIFY(!server.tlsLines().contains(Password.toBase64()));
        // No PIPELINING: QUIT waits for the 501 to "*", so it arrives in a read of its own.
        QVERIFY(server.quitReceived());
        int cancelRead = -1, quitRead = -1;
        for (const auto& line : server.clientLines()) {
            if (line.line == "*")
                cancelRead = line.read;
            else if (line.line == "QUIT")
                quitRead = line.read;
        }
        QVERIFY(cancelRead >= 0);
        QVERIFY2(quitRead > cancelRead, "QUIT was sent together with * without PIPELINING");
    }

    // A challenge Relaydeck cancels ("*") after which the server garbles its reply or says
    // nothing: the test still ends, with its verdict, within its timeout (found by
    // fuzz_connectiontest: it waited forever, with no timer running).
    void cancelledExchangeEndsWhateverTheServerDoes_data()
    {
        QTest::addColumn<QByteArray>("afterCancel");
        QTest::newRow("garbled reply") << QByteArray("2x5 ok\r\n");
        QTest::newRow("no reply") << QByteArray();
    }

    void cancelledExchangeEndsWhateverTheServerDoes()
    {
        QFETCH(QByteArray, afterCancel);
        // No PIPELINING: QUIT waits for the reply to "*".
        SmtpScript script = startTlsPrefix({}, {"AUTH CRAM-MD5"});
        script.expect("AUTH CRAM-MD5").send("334 not*base64!").expect("*");
        if (!afterCancel.isEmpty())
            script.sendRaw(afterCancel);
        script.silent();
        ScriptedSmtpServer server(script);
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::CramMd5);
        request.profile.timeoutSeconds = 2;
        const EngineRun run = runConnectionTest(request, 10000);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.verdictCount, 1);
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(!run.report.ok);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(!server.tlsLines().contains("QUIT")); // never pipelined behind "*"
    }

    void noAuthOffered()
    {
        ScriptedSmtpServer server(startTlsPrefix({"AUTH PLAIN"}, {"PIPELINING", "SIZE 1000"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Auto));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::AuthNotOffered);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY(firstSensitiveLine(server).isEmpty());
        QVERIFY(!run.report.error.hint.isEmpty());
    }

    void chosenMechanismNotOffered()
    {
        ScriptedSmtpServer server(startTlsPrefix({"AUTH LOGIN"}, {"AUTH PLAIN"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Login));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        // Never silently another mechanism.
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(run.report.server.authMechanisms, QStringList{u"PLAIN"_s});
    }

    // Issue 13, item 4: the hint agrees with the EHLO reply the report shows. STARTTLS is
    // suggested only when the server advertises it (else it would fail with
    // starttls-not-offered); a mechanism withheld before TLS points to STARTTLS, not to another
    // mechanism.
    void hintsFollowTheEhloReply_data()
    {
        QTest::addColumn<QList<QByteArray>>("capabilities");
        QTest::addColumn<QString>("expectedId");
        QTest::addColumn<bool>("startTls");
        QTest::newRow("no STARTTLS, no AUTH")
            << QList<QByteArray>{"PIPELINING"} << ErrorId::AuthNotOffered << false;
        QTest::newRow("STARTTLS, no AUTH before it")
            << QList<QByteArray>{"PIPELINING", "STARTTLS"} << ErrorId::AuthNotOffered << true;
        QTest::newRow("STARTTLS, PLAIN withheld before it")
            << QList<QByteArray>{"STARTTLS", "AUTH CRAM-MD5 NTLM"}
            << ErrorId::AuthMechanismUnavailable << true;
        QTest::newRow("no STARTTLS, no PLAIN") << QList<QByteArray>{"AUTH CRAM-MD5 NTLM"}
                                               << ErrorId::AuthMechanismUnavailable << false;
    }

    void hintsFollowTheEhloReply()
    {
        QFETCH(QList<QByteArray>, capabilities);
        QFETCH(QString, expectedId);
        QFETCH(bool, startTls);
        ScriptedSmtpServer server(greetingAndEhlo(capabilities));
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Plain);
        request.profile.security = Security::None;
        const EngineRun run = runConnectionTest(request);
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, expectedId);
        QVERIFY(firstSensitiveLine(server).isEmpty());
        const QString hint = run.report.error.hint;
        // The setting change the hint asks for (SettingIdWording: "security starttls").
        QVERIFY2(hint.contains(u"security starttls"_s) == startTls, qPrintable(hint));
        // The mechanism the server offers is the advice only when STARTTLS is not the way.
        if (expectedId == ErrorId::AuthMechanismUnavailable)
            QCOMPARE(hint.contains(u"cram-md5"_s, Qt::CaseInsensitive), !startTls);
        const std::optional<SecuritySuggestion> suggestion =
            SecuritySuggestion::forReport(run.report, request.profile);
        QCOMPARE(suggestion.has_value(), startTls);
        if (suggestion)
            QVERIFY(suggestion->security == Security::StartTls);
    }

    void plaintextOnLoopbackIsAllowed()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"AUTH PLAIN"})
                                      .expect("AUTH PLAIN " + plainBlob(User, Password).toBase64())
                                      .send("235 2.7.0 Accepted"));
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Plain);
        request.profile.security = Security::None;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        const QString leak = secretProblem(run, server, {Password, plainBlob(User, Password)});
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
    }

    // Test all reads a password while the connection is set up (startAwaitingPassword): the
    // test gets through TLS and the second EHLO, sends nothing at all until the password comes,
    // and then logs in with it.
    void passwordArrivingLaterIsUsedAtAuth()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH PLAIN"})
                                      .expect("AUTH PLAIN " + plainBlob(User, Password).toBase64())
                                      .send("235 2.7.0 Authentication successful"));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Plain);
        request.secrets.smtpPassword.clear();
        ConnectionTest test;
        QSignalSpy finished(&test, &ConnectionTest::finished);
        test.startAwaitingPassword(request);
        QTRY_COMPARE(server.tlsLines().size(), 1); // the second EHLO
        QTest::qWait(200);
        QCOMPARE(server.tlsLines().size(), 1); // and nothing after it
        QVERIFY(test.isRunning());
        test.providePassword(QString::fromLatin1(Password));
        QVERIFY(finished.wait(10000));
        const TestReport report = finished.first().first().value<TestReport>();
        QVERIFY2(report.ok, qPrintable(report.error.message));
        QVERIFY(report.auth.ok);
        QCOMPARE(report.auth.mechanism, u"PLAIN"_s);
        QVERIFY2(server.failures().isEmpty(), qPrintable(server.log()));
    }

    // The password cannot come (none stored): cancelling the waiting test sends no credential.
    void cancelWhileWaitingForThePasswordSendsNoCredential()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH PLAIN"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Plain);
        request.secrets.smtpPassword.clear();
        ConnectionTest test;
        QSignalSpy finished(&test, &ConnectionTest::finished);
        test.startAwaitingPassword(request);
        QTRY_COMPARE(server.tlsLines().size(), 1);
        test.cancel();
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        const TestReport report = finished.first().first().value<TestReport>();
        QCOMPARE(report.error.id, u"cancelled"_s);
        QVERIFY(!report.auth.attempted);
        for (const QByteArray& line : server.tlsLines())
            QVERIFY2(!line.startsWith("AUTH"), line.constData());
    }

    // What fails before AUTH does not wait for the password.
    void failureBeforeAuthDoesNotWaitForThePassword()
    {
        ScriptedSmtpServer server(startTlsPrefix({"AUTH PLAIN"}, {"PIPELINING"}));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Plain);
        request.secrets.smtpPassword.clear();
        ConnectionTest test;
        QSignalSpy finished(&test, &ConnectionTest::finished);
        test.startAwaitingPassword(request);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().value<TestReport>().error.id, ErrorId::AuthNotOffered);
    }
};

QTEST_GUILESS_MAIN(TestEngineAuth)
#include "tst_engine_auth.moc"
