// AuthExchange without a socket: PLAIN with its initial response (RFC 4616), LOGIN's two
// challenges, more than five challenges cancelled with "*", a 535, an initial response too long
// for the AUTH command (sent in the first 334 reply instead), and the mechanism choice.

#include "smtp/AuthExchange.h"
#include "smtp/ErrorIds.h"
#include "smtp/SmtpReply.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

using Action = AuthExchange::Next::Action;

namespace {

SaslCredentials credentials(const QString& user, const QString& password)
{
    SaslCredentials c;
    c.username = user;
    c.password = password;
    c.host = u"mail.example.org"_s;
    c.port = 587;
    return c;
}

SmtpReply reply(int code, const QString& text, const QString& enhanced = {})
{
    SmtpReply r;
    r.code = code;
    r.enhancedStatus = enhanced;
    r.lines = {enhanced.isEmpty() ? text : enhanced + u' ' + text};
    return r;
}

// A 334 carrying `challenge` base64-encoded.
SmtpReply challenge(const QByteArray& raw)
{
    return reply(334, QString::fromLatin1(raw.toBase64()));
}

} // namespace

class TestAuthExchange : public QObject
{
    Q_OBJECT

private slots:
    void plainSendsTheInitialResponseWithTheCommand()
    {
        AuthExchange exchange;
        const AuthExchange::Next first =
            exchange.start(AuthMechanism::Plain, credentials(u"tim"_s, u"tanstaaftanstaaf"_s));
        QCOMPARE(first.action, Action::Send);
        // RFC 4616 section 4: "\0tim\0tanstaaftanstaaf" (no authorisation identity).
        QCOMPARE(first.line, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        QCOMPARE(QByteArray::fromBase64(first.line.mid(11)),
                 QByteArray("\0tim\0tanstaaftanstaaf", 21));
        QCOMPARE(first.shown, u"AUTH PLAIN <redacted>"_s);
        QCOMPARE(exchange.mechanismName(), u"PLAIN"_s);

        const AuthExchange::Next done =
            exchange.onReply(reply(235, u"Authentication successful"_s, u"2.7.0"_s));
        QCOMPARE(done.action, Action::Succeed);
        QCOMPARE(done.message, u"PLAIN accepted"_s);
        QVERIFY(done.line.isEmpty());
        QVERIFY(done.errorId.isEmpty());
    }

    void loginAnswersTwoChallenges()
    {
        // LOGIN's initial response is the user name; then the server asks "Username:" again
        // (some ignore the initial response) and "Password:".
        AuthExchange exchange;
        const AuthExchange::Next first =
            exchange.start(AuthMechanism::Login, credentials(u"alice"_s, u"s3cret"_s));
        QCOMPARE(first.action, Action::Send);
        QCOMPARE(first.line, "AUTH LOGIN " + QByteArray("alice").toBase64());
        QCOMPARE(first.shown, u"AUTH LOGIN <redacted>"_s);

        const AuthExchange::Next user = exchange.onReply(challenge("Username:"));
        QCOMPARE(user.action, Action::Send);
        QCOMPARE(user.line, QByteArray("alice").toBase64());
        QCOMPARE(user.shown, u"<redacted>"_s);

        const AuthExchange::Next password = exchange.onReply(challenge("Password:"));
        QCOMPARE(password.action, Action::Send);
        QCOMPARE(password.line, QByteArray("s3cret").toBase64());
        QCOMPARE(password.shown, u"<redacted>"_s);

        QCOMPARE(exchange.onReply(reply(235, u"ok"_s)).action, Action::Succeed);
    }

    void moreThanFiveChallengesAreCancelled()
    {
        AuthExchange exchange;
        QCOMPARE(exchange.start(AuthMechanism::Login, credentials(u"alice"_s, u"s3cret"_s)).action,
                 Action::Send);
        const SmtpReply prompt = challenge("Username:");
        for (int i = 0; i < AuthExchange::MaxChallenges; ++i) {
            const AuthExchange::Next next = exchange.onReply(prompt);
            QCOMPARE(next.action, Action::Send);
            QCOMPARE(next.line, QByteArray("alice").toBase64());
        }
        const AuthExchange::Next sixth = exchange.onReply(prompt);
        QCOMPARE(sixth.action, Action::CancelThenFail);
        QCOMPARE(sixth.errorId, ErrorId::ProtocolError);
        QCOMPARE(sixth.message, u"the server sent more than 5 authentication challenges"_s);
        QCOMPARE(sixth.serverReply, prompt.text());
        QVERIFY(sixth.line.isEmpty());
    }

    void rejectedLoginFails()
    {
        AuthExchange exchange;
        QCOMPARE(exchange.start(AuthMechanism::Plain, credentials(u"alice"_s, u"wrong"_s)).action,
                 Action::Send);
        const SmtpReply refused = reply(535, u"Authentication credentials invalid"_s, u"5.7.8"_s);
        const AuthExchange::Next next = exchange.onReply(refused);
        QCOMPARE(next.action, Action::Fail);
        QCOMPARE(next.errorId, ErrorId::AuthFailed);
        QCOMPARE(next.message, u"the server refused the login: %1"_s.arg(refused.text()));
        QCOMPARE(next.serverReply, refused.text());
    }

    void refusedMechanismFails()
    {
        AuthExchange exchange;
        QCOMPARE(exchange.start(AuthMechanism::Plain, credentials(u"alice"_s, u"pw"_s)).action,
                 Action::Send);
        const SmtpReply refused = reply(504, u"Unrecognized authentication type"_s, u"5.5.4"_s);
        const AuthExchange::Next next = exchange.onReply(refused);
        QCOMPARE(next.action, Action::Fail);
        QCOMPARE(next.errorId, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(next.message, u"the server refused the mechanism PLAIN: %1"_s.arg(refused.text()));
    }

    void undecodableChallengeIsCancelled()
    {
        AuthExchange exchange;
        QCOMPARE(exchange.start(AuthMechanism::Login, credentials(u"alice"_s, u"pw"_s)).action,
                 Action::Send);
        const AuthExchange::Next next = exchange.onReply(reply(334, u"not base64!"_s));
        QCOMPARE(next.action, Action::CancelThenFail);
        QCOMPARE(next.errorId, ErrorId::ProtocolError);
        QCOMPARE(next.message, u"the server's authentication challenge is not base64"_s);
    }

    void tooLongInitialResponseWaitsForTheFirstChallenge()
    {
        // "AUTH PLAIN " + base64 would exceed the 12288 octets of RFC 4954 section 4.
        const QString password(10000, u'p');
        AuthExchange exchange;
        const AuthExchange::Next first =
            exchange.start(AuthMechanism::Plain, credentials(u"alice"_s, password));
        QCOMPARE(first.action, Action::Send);
        QCOMPARE(first.line, "AUTH PLAIN");
        QCOMPARE(first.shown, u"AUTH PLAIN"_s);

        // The server's empty challenge gets the initial response.
        const AuthExchange::Next response = exchange.onReply(reply(334, QString()));
        QCOMPARE(response.action, Action::Send);
        QCOMPARE(response.shown, u"<redacted>"_s);
        QVERIFY(response.line.size() > AuthExchange::MaxCommandLength);
        QCOMPARE(QByteArray::fromBase64(response.line), "\0alice\0"_ba + password.toUtf8());

        QCOMPARE(exchange.onReply(reply(235, u"ok"_s)).action, Action::Succeed);
    }

    void initialResponseAtTheLimit()
    {
        // "AUTH PLAIN " is 11 octets. "\0a\0" plus 9204 octets of password are 9207 bytes,
        // 12276 of base64: 12287 octets in all, which fit the 12288. One octet more makes 12280
        // of base64 (12291 in all), which must wait for the 334.
        const QString password(9204, u'p');
        AuthExchange exchange;
        const AuthExchange::Next first =
            exchange.start(AuthMechanism::Plain, credentials(u"a"_s, password));
        QCOMPARE(first.line.size(), 12287);
        QCOMPARE(first.shown, u"AUTH PLAIN <redacted>"_s);

        AuthExchange longer;
        const AuthExchange::Next tooLong =
            longer.start(AuthMechanism::Plain, credentials(u"a"_s, password + u'p'));
        QCOMPARE(tooLong.line, "AUTH PLAIN");
        QCOMPARE(tooLong.shown, u"AUTH PLAIN"_s);
    }

    void unusableMechanismFailsAtStart()
    {
        AuthExchange exchange;
        const AuthExchange::Next next =
            exchange.start(AuthMechanism::Auto, credentials(u"alice"_s, u"pw"_s));
        QCOMPARE(next.action, Action::Fail);
        QCOMPARE(next.errorId, ErrorId::AuthMechanismUnavailable);
        QVERIFY(next.serverReply.isEmpty());
        QVERIFY(exchange.mechanismName().isEmpty());
    }

    void choice()
    {
        const AuthExchange::Choice none = AuthExchange::choose(AuthMechanism::Auto, {});
        QVERIFY(!none.ok());
        QCOMPARE(none.errorId, ErrorId::AuthNotOffered);
        QVERIFY(none.mechanism == AuthMechanism::None);

        const AuthExchange::Choice automatic =
            AuthExchange::choose(AuthMechanism::Auto, {u"LOGIN"_s, u"PLAIN"_s, u"CRAM-MD5"_s});
        QVERIFY(automatic.ok());
        QVERIFY(automatic.mechanism == AuthMechanism::CramMd5);

        const AuthExchange::Choice nothingInCommon =
            AuthExchange::choose(AuthMechanism::Auto, {u"XOAUTH2"_s});
        QCOMPARE(nothingInCommon.errorId, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(nothingInCommon.message, u"no mechanism in common: the server offers XOAUTH2"_s);

        const AuthExchange::Choice notOffered =
            AuthExchange::choose(AuthMechanism::Login, {u"PLAIN"_s, u"CRAM-MD5"_s});
        QCOMPARE(notOffered.errorId, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(notOffered.message,
                 u"the server does not offer LOGIN; it offers PLAIN CRAM-MD5"_s);

        const AuthExchange::Choice configured =
            AuthExchange::choose(AuthMechanism::Plain, {u"PLAIN"_s});
        QVERIFY(configured.ok());
        QVERIFY(configured.mechanism == AuthMechanism::Plain);
    }

    // Auto takes GSSAPI only for a profile that uses the Kerberos ticket, and then nothing else.
    void choiceWithKerberosTicket()
    {
        const QStringList offered = {u"PLAIN"_s, u"SCRAM-SHA-256"_s, u"GSSAPI"_s};
        QVERIFY(AuthExchange::choose(AuthMechanism::Auto, offered).mechanism ==
                AuthMechanism::ScramSha256);
        QVERIFY(AuthExchange::choose(AuthMechanism::Auto, offered, true).mechanism ==
                AuthMechanism::Gssapi);
        const AuthExchange::Choice withoutGssapi =
            AuthExchange::choose(AuthMechanism::Auto, {u"PLAIN"_s, u"LOGIN"_s}, true);
        QCOMPARE(withoutGssapi.errorId, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(withoutGssapi.message,
                 u"the server does not offer GSSAPI; it offers PLAIN LOGIN"_s);
    }

    // A GSSAPI start without any Kerberos ticket fails before anything is sent, with its own
    // error id and the service principal it would have asked for.
    void gssapiWithoutTicketSendsNothing()
    {
        qputenv("KRB5CCNAME", "FILE:/nonexistent/relaydeck-no-such-cache");
        SaslCredentials credentials;
        credentials.host = u"mail.example.com"_s;
        AuthExchange exchange;
        const AuthExchange::Next next = exchange.start(AuthMechanism::Gssapi, credentials);
        qunsetenv("KRB5CCNAME");
        QCOMPARE(next.action, Action::Fail);
        QCOMPARE(next.errorId, ErrorId::KerberosNoTicket);
        QVERIFY(next.line.isEmpty());
        QVERIFY2(next.message.contains(u"No Kerberos ticket"_s), qPrintable(next.message));
        QCOMPARE(exchange.parties().service, u"smtp@mail.example.com"_s);
        QVERIFY(next.notes.contains(u"service ticket for smtp@mail.example.com"_s));
    }
};

QTEST_GUILESS_MAIN(TestAuthExchange)
#include "tst_authexchange.moc"
