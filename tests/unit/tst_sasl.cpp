#include "smtp/sasl/CramMd5Mechanism.h"
#include "smtp/sasl/LoginMechanism.h"
#include "smtp/sasl/PlainMechanism.h"
#include "smtp/sasl/SaslMechanismFactory.h"
#include "smtp/sasl/XOAuth2Mechanism.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

SaslCredentials credentials(const QString& user, const QString& password)
{
    SaslCredentials c;
    c.username = user;
    c.password = password;
    return c;
}

} // namespace

class TestSasl : public QObject
{
    Q_OBJECT

private slots:
    // RFC 4616 section 4: authcid "tim", password "tanstaaftanstaaf", no authzid.
    void plainRfc4616Example()
    {
        PlainMechanism plain(credentials(u"tim"_s, u"tanstaaftanstaaf"_s));
        QCOMPARE(plain.name(), u"PLAIN"_s);
        QVERIFY(plain.hasInitialResponse());
        const QByteArray response = plain.initialResponse();
        QCOMPARE(response, QByteArray("\0tim\0tanstaaftanstaaf", 21));
        QCOMPARE(response.toBase64(), QByteArray("AHRpbQB0YW5zdGFhZnRhbnN0YWFm"));
        // After the initial response any challenge is an error.
        QVERIFY(!plain.respond({}).ok);
        QVERIFY(plain.acceptsSuccess());
    }

    void plainWithoutInitialResponse()
    {
        PlainMechanism plain(credentials(u"jörg"_s, u"pässword"_s));
        const SaslMechanism::Step step = plain.respond({});
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("\0j\xc3\xb6rg\0p\xc3\xa4ssword", 16));
        const SaslMechanism::Step again = plain.respond({});
        QVERIFY(!again.ok);
        QVERIFY(!again.error.isEmpty());
        PlainMechanism other(credentials(u"u"_s, u"p"_s));
        QVERIFY(!other.respond("garbage").ok);
    }

    void loginWithInitialResponse()
    {
        LoginMechanism login(credentials(u"tim"_s, u"tanstaaftanstaaf"_s));
        QCOMPARE(login.name(), u"LOGIN"_s);
        QVERIFY(login.hasInitialResponse());
        QCOMPARE(login.initialResponse().toBase64(), QByteArray("dGlt"));
        // 334 UGFzc3dvcmQ6 is "Password:".
        const SaslMechanism::Step step = login.respond(QByteArray::fromBase64("UGFzc3dvcmQ6"));
        QVERIFY(step.ok);
        QCOMPARE(step.response.toBase64(), QByteArray("dGFuc3RhYWZ0YW5zdGFhZg=="));
        QVERIFY(!login.respond(QByteArray::fromBase64("UGFzc3dvcmQ6")).ok);
    }

    void loginServerAsksUsernameFirst()
    {
        LoginMechanism login(credentials(u"tim"_s, u"secret"_s));
        // "Username:" then "Password:", without an initial response.
        SaslMechanism::Step step = login.respond(QByteArray::fromBase64("VXNlcm5hbWU6"));
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("tim"));
        step = login.respond("Password:");
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("secret"));
    }

    void loginServerIgnoresInitialResponse()
    {
        LoginMechanism login(credentials(u"tim"_s, u"secret"_s));
        QCOMPARE(login.initialResponse(), QByteArray("tim"));
        // Some servers ask for the user name anyway; "User Name\0" is another spelling.
        SaslMechanism::Step step = login.respond(QByteArray("User Name\0", 10));
        QCOMPARE(step.response, QByteArray("tim"));
        step = login.respond("Password:");
        QCOMPARE(step.response, QByteArray("secret"));
    }

    void loginWordlessPromptsFollowTheOrder()
    {
        LoginMechanism login(credentials(u"tim"_s, u"secret"_s));
        QCOMPARE(login.respond({}).response, QByteArray("tim"));
        QCOMPARE(login.respond({}).response, QByteArray("secret"));
        QVERIFY(!login.respond({}).ok);
    }

    // RFC 2195 section 2.
    void cramMd5Rfc2195Example()
    {
        CramMd5Mechanism cram(credentials(u"tim"_s, u"tanstaaftanstaaf"_s));
        QCOMPARE(cram.name(), u"CRAM-MD5"_s);
        QVERIFY(!cram.hasInitialResponse());
        const QByteArray challenge =
            QByteArray::fromBase64("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
        QCOMPARE(challenge, QByteArray("<1896.697170952@postoffice.reston.mci.net>"));
        const SaslMechanism::Step step = cram.respond(challenge);
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("tim b913a602c7eda7a495b4e6e7334d3890"));
        QCOMPARE(step.response.toBase64(),
                 QByteArray("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"));
        QVERIFY(!cram.respond(challenge).ok);
    }

    void cramMd5DependsOnPasswordAndChallenge()
    {
        CramMd5Mechanism a(credentials(u"tim"_s, u"tanstaaftanstaaF"_s));
        QVERIFY(a.respond("<1896.697170952@postoffice.reston.mci.net>").response !=
                "tim b913a602c7eda7a495b4e6e7334d3890");
        CramMd5Mechanism b(credentials(u"tim"_s, u"tanstaaftanstaaf"_s));
        QVERIFY(b.respond("<1897.697170952@postoffice.reston.mci.net>").response !=
                "tim b913a602c7eda7a495b4e6e7334d3890");
        CramMd5Mechanism empty(credentials(u"tim"_s, u"x"_s));
        QVERIFY(!empty.respond({}).ok);
    }

    // Google's documented example (developers.google.com/gmail/imap/xoauth2-protocol).
    void xoauth2GoogleExample()
    {
        XOAuth2Mechanism xoauth2(credentials(u"someuser@example.com"_s,
                                             u"ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"_s));
        QCOMPARE(xoauth2.name(), u"XOAUTH2"_s);
        QVERIFY(xoauth2.hasInitialResponse());
        const QByteArray response = xoauth2.initialResponse();
        QCOMPARE(response, QByteArray("user=someuser@example.com\x01"
                                      "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
                                      "\x01\x01"));
        QCOMPARE(response.toBase64(),
                 QByteArray("dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRx"
                            "bVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="));
    }

    void xoauth2ErrorChallengeGetsAnEmptyResponse()
    {
        XOAuth2Mechanism xoauth2(credentials(u"someuser@example.com"_s, u"expired"_s));
        xoauth2.initialResponse();
        const QByteArray error = QByteArray::fromBase64(
            "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xl"
            "LmNvbS8ifQ==");
        QVERIFY(error.startsWith("{\"status\":\"401\""));
        const SaslMechanism::Step step = xoauth2.respond(error);
        QVERIFY(step.ok);
        QVERIFY(step.response.isEmpty());
        QCOMPARE(xoauth2.serverError(), error);
        // A second challenge is not part of XOAUTH2.
        QVERIFY(!xoauth2.respond(error).ok);
    }

    void factoryCreatesEachMechanism_data()
    {
        QTest::addColumn<AuthMechanism>("mechanism");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << AuthMechanism::Plain << u"PLAIN"_s;
        QTest::newRow("login") << AuthMechanism::Login << u"LOGIN"_s;
        QTest::newRow("cram-md5") << AuthMechanism::CramMd5 << u"CRAM-MD5"_s;
        QTest::newRow("xoauth2") << AuthMechanism::XOAuth2 << u"XOAUTH2"_s;
    }

    void factoryCreatesEachMechanism()
    {
        QFETCH(AuthMechanism, mechanism);
        QFETCH(QString, name);
        const auto created = SaslMechanismFactory::create(mechanism, credentials(u"u"_s, u"p"_s));
        QVERIFY(created);
        QCOMPARE(created->name(), name);
        QCOMPARE(SaslMechanismFactory::saslName(mechanism), name);
    }

    void factoryAutoAndNone()
    {
        QVERIFY(!SaslMechanismFactory::create(AuthMechanism::Auto, {}));
        QVERIFY(!SaslMechanismFactory::create(AuthMechanism::None, {}));
        QVERIFY(SaslMechanismFactory::saslName(AuthMechanism::Auto).isEmpty());
        QVERIFY(SaslMechanismFactory::saslName(AuthMechanism::None).isEmpty());
    }

    void chooseAutomaticBasic_data()
    {
        QTest::addColumn<QStringList>("offered");
        QTest::addColumn<AuthMechanism>("expected");
        QTest::newRow("nothing") << QStringList() << AuthMechanism::None;
        QTest::newRow("only oauth")
            << QStringList{u"XOAUTH2"_s, u"OAUTHBEARER"_s} << AuthMechanism::None;
        QTest::newRow("anonymous external")
            << QStringList{u"ANONYMOUS"_s, u"EXTERNAL"_s} << AuthMechanism::None;
        QTest::newRow("login") << QStringList{u"LOGIN"_s} << AuthMechanism::Login;
        QTest::newRow("plain over login")
            << QStringList{u"LOGIN"_s, u"PLAIN"_s} << AuthMechanism::Plain;
        QTest::newRow("cram over plain")
            << QStringList{u"PLAIN"_s, u"LOGIN"_s, u"CRAM-MD5"_s, u"XOAUTH2"_s}
            << AuthMechanism::CramMd5;
        QTest::newRow("any case") << QStringList{u"login"_s, u"Plain"_s, u"cram-md5"_s}
                                  << AuthMechanism::CramMd5;
        QTest::newRow("unknown words")
            << QStringList{u"GSSAPI"_s, u"DIGEST-MD5"_s} << AuthMechanism::None;
    }

    void chooseAutomaticBasic()
    {
        QFETCH(QStringList, offered);
        QFETCH(AuthMechanism, expected);
        // Compared as the profile words, which QTest can print.
        QCOMPARE(toString(SaslMechanismFactory::chooseAutomatic(offered)), toString(expected));
    }
};

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
