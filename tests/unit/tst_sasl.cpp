#include "smtp/sasl/AnonymousMechanism.h"
#include "smtp/sasl/CramMd5Mechanism.h"
#include "smtp/sasl/ExternalMechanism.h"
#include "smtp/sasl/GssapiMechanism.h"
#include "smtp/sasl/LoginMechanism.h"
#include "smtp/sasl/NtlmMechanism.h"
#include "smtp/sasl/OAuthBearerMechanism.h"
#include "smtp/sasl/PlainMechanism.h"
#include "smtp/sasl/SaslMechanismFactory.h"
#include "smtp/sasl/ScramMechanism.h"
#include "smtp/sasl/XOAuth2Mechanism.h"

#include <QtEndian>

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

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text));
}

// [MS-NLMP] 4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example (server challenge
// 0123456789abcdef, target "Server", AV pairs NbDomainName "Domain" and NbComputerName "Server").
QByteArray msNlmpChallenge()
{
    return hex("4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
               "00000000000000002400240044000000060070170000000f5300650072007600"
               "650072000200"
               "0c0044006f006d00610069006e0001000c005300650072007600"
               "6500720000000000");
}

QByteArray msNlmpTargetInfo()
{
    return hex("02000c0044006f006d00610069006e0001000c00530065007200760065007200"
               "00000000");
}

// The payload of the AUTHENTICATE_MESSAGE's security buffer number `index` (0 LM, 1 NT,
// 2 domain, 3 user, 4 workstation, 5 session key).
QByteArray authenticateField(const QByteArray& message, int index)
{
    const qsizetype at = 12 + 8 * index;
    if (message.size() < at + 8)
        return "<no field>";
    const quint16 length = qFromLittleEndian<quint16>(message.constData() + at);
    const quint32 offset = qFromLittleEndian<quint32>(message.constData() + at + 4);
    if (offset + length > static_cast<quint32>(message.size()))
        return "<out of bounds>";
    return message.mid(offset, length);
}

QByteArray utf16le(const QString& text)
{
    QByteArray bytes;
    for (const QChar c : text) {
        bytes += static_cast<char>(c.unicode() & 0xff);
        bytes += static_cast<char>(c.unicode() >> 8);
    }
    return bytes;
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

    // RFC 5802 section 5.
    void scramSha1Rfc5802Example()
    {
        ScramMechanism scram(ScramMechanism::Hash::Sha1, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("fyko+d2lbbFgONRv9qkxdawL");
        QCOMPARE(scram.name(), u"SCRAM-SHA-1"_s);
        QVERIFY(scram.hasInitialResponse());
        QCOMPARE(scram.initialResponse(), QByteArray("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        // Asked twice (a session that could not fit it on the AUTH line): the same message.
        QCOMPARE(scram.initialResponse(), QByteArray("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        const SaslMechanism::Step final =
            scram.respond("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
        QVERIFY2(final.ok, qPrintable(final.error));
        QCOMPARE(final.response, QByteArray("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                                            "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        QVERIFY(!scram.acceptsSuccess()); // not before the server has proved itself
        const SaslMechanism::Step verified = scram.respond("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        QVERIFY2(verified.ok, qPrintable(verified.error));
        QVERIFY(verified.response.isEmpty());
        QVERIFY(scram.acceptsSuccess());
        QVERIFY(!scram.respond("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=").ok);
    }

    // RFC 7677 section 3.
    void scramSha256Rfc7677Example()
    {
        ScramMechanism scram(ScramMechanism::Hash::Sha256, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("rOprNGfwEbeRWgbNEkqO");
        QCOMPARE(scram.name(), u"SCRAM-SHA-256"_s);
        QCOMPARE(scram.initialResponse(), QByteArray("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        const SaslMechanism::Step final =
            scram.respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                          "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        QVERIFY2(final.ok, qPrintable(final.error));
        QCOMPARE(final.response,
                 QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        const SaslMechanism::Step verified =
            scram.respond("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QVERIFY2(verified.ok, qPrintable(verified.error));
        QVERIFY(scram.acceptsSuccess());
    }

    void scramWrongServerSignatureFails_data()
    {
        QTest::addColumn<QByteArray>("serverFinal");
        QTest::newRow("one bit off")
            << QByteArray("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QTest::newRow("sha-1 signature") << QByteArray("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        QTest::newRow("empty signature") << QByteArray("v=");
        QTest::newRow("not base64") << QByteArray("v=!!!!");
        QTest::newRow("no signature") << QByteArray("x=1");
        QTest::newRow("server error") << QByteArray("e=invalid-proof");
    }

    void scramWrongServerSignatureFails()
    {
        QFETCH(QByteArray, serverFinal);
        ScramMechanism scram(ScramMechanism::Hash::Sha256, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("rOprNGfwEbeRWgbNEkqO");
        scram.initialResponse();
        QVERIFY(scram
                    .respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                             "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
                    .ok);
        const SaslMechanism::Step step = scram.respond(serverFinal);
        QVERIFY(!step.ok);
        QVERIFY(!step.error.isEmpty());
        QVERIFY(!scram.acceptsSuccess());
    }

    void scramSuccessWithoutServerSignatureIsNotAccepted()
    {
        ScramMechanism scram(ScramMechanism::Hash::Sha1, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("fyko+d2lbbFgONRv9qkxdawL");
        scram.initialResponse();
        QVERIFY(
            scram.respond("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
                .ok);
        // The server says 235 here without ever sending v=...
        QVERIFY(!scram.acceptsSuccess());
    }

    void scramRejectsBadServerFirst_data()
    {
        QTest::addColumn<QByteArray>("serverFirst");
        QTest::newRow("foreign nonce")
            << QByteArray("r=somethingElse123,s=QSXCR+Q6sek8bf92,i=4096");
        QTest::newRow("nonce not extended")
            << QByteArray("r=clientnonce,s=QSXCR+Q6sek8bf92,i=4096");
        QTest::newRow("no salt") << QByteArray("r=clientnonceXYZ,i=4096");
        QTest::newRow("bad salt") << QByteArray("r=clientnonceXYZ,s=***,i=4096");
        QTest::newRow("no iterations") << QByteArray("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92");
        QTest::newRow("zero iterations") << QByteArray("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=0");
        QTest::newRow("text iterations")
            << QByteArray("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=many");
        QTest::newRow("too many iterations")
            << QByteArray("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=2000000000");
        QTest::newRow("mandatory extension")
            << QByteArray("m=ext,r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=4096");
        QTest::newRow("error") << QByteArray("e=unknown-user");
        QTest::newRow("empty") << QByteArray();
    }

    void scramRejectsBadServerFirst()
    {
        QFETCH(QByteArray, serverFirst);
        ScramMechanism scram(ScramMechanism::Hash::Sha256, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("clientnonce");
        scram.initialResponse();
        const SaslMechanism::Step step = scram.respond(serverFirst);
        QVERIFY(!step.ok);
        QVERIFY(!step.error.isEmpty());
        QVERIFY(!scram.acceptsSuccess());
    }

    void scramEscapesUserNameAndUsesRandomNonces()
    {
        ScramMechanism a(ScramMechanism::Hash::Sha256, credentials(u"a,b=c"_s, u"p"_s));
        const QByteArray first = a.initialResponse();
        QVERIFY2(first.startsWith("n,,n=a=2Cb=3Dc,r="), first.constData());
        const QByteArray nonce = first.mid(first.indexOf(",r=") + 3);
        QVERIFY(nonce.size() >= 16);
        QVERIFY(!nonce.contains(','));
        ScramMechanism b(ScramMechanism::Hash::Sha256, credentials(u"a,b=c"_s, u"p"_s));
        QVERIFY(b.initialResponse() != first);
    }

    void scramWithoutInitialResponse()
    {
        ScramMechanism scram(ScramMechanism::Hash::Sha1, credentials(u"user"_s, u"pencil"_s));
        scram.setClientNonce("fyko+d2lbbFgONRv9qkxdawL");
        const SaslMechanism::Step first = scram.respond({});
        QVERIFY(first.ok);
        QCOMPARE(first.response, QByteArray("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        QCOMPARE(scram
                     .respond("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
                              "i=4096")
                     .response,
                 QByteArray("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                            "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
    }

    // RFC 7628 section 4.1 (the IMAP example's initial client response).
    void oauthBearerRfc7628Example()
    {
        SaslCredentials c =
            credentials(u"user@example.com"_s, u"vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="_s);
        c.host = u"server.example.com"_s;
        c.port = 143;
        OAuthBearerMechanism bearer(c);
        QCOMPARE(bearer.name(), u"OAUTHBEARER"_s);
        QVERIFY(bearer.hasInitialResponse());
        const QByteArray response = bearer.initialResponse();
        QCOMPARE(response,
                 QByteArray("n,a=user@example.com,\x01"
                            "host=server.example.com\x01"
                            "port=143\x01"
                            "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"));
        QCOMPARE(response.toBase64(),
                 QByteArray("bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9"
                            "MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZ"
                            "Mjl0Q2c9PQEB"));
    }

    // RFC 7628 section 4.3: the JSON error challenge is answered with "\x01" (AQ==).
    void oauthBearerErrorChallenge()
    {
        SaslCredentials c = credentials(u"user@example.com"_s, u"expired-token"_s);
        c.host = u"server.example.com"_s;
        c.port = 587;
        OAuthBearerMechanism bearer(c);
        bearer.initialResponse();
        const QByteArray error = QByteArray::fromBase64(
            "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZp"
            "Z3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9u"
            "In0=");
        QVERIFY(error.startsWith("{\"status\":\"invalid_token\""));
        const SaslMechanism::Step step = bearer.respond(error);
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("\x01"));
        QCOMPARE(step.response.toBase64(), QByteArray("AQ=="));
        QCOMPARE(bearer.serverError(), error);
        QVERIFY(!bearer.respond(error).ok);
    }

    void oauthBearerEscapesAndOmitsUnknownHost()
    {
        OAuthBearerMechanism bearer(credentials(u"a,b=c"_s, u"t"_s));
        QCOMPARE(bearer.initialResponse(), QByteArray("n,a=a=2Cb=3Dc,\x01"
                                                      "auth=Bearer t\x01\x01"));
        OAuthBearerMechanism anonymous(credentials(QString(), u"t"_s));
        QCOMPARE(anonymous.initialResponse(), QByteArray("n,,\x01"
                                                         "auth=Bearer t\x01\x01"));
    }

    // RFC 4505 section 5: the trace "sirhc".
    void anonymousTrace()
    {
        AnonymousMechanism anonymous(credentials(u"sirhc"_s, {}));
        QCOMPARE(anonymous.name(), u"ANONYMOUS"_s);
        QVERIFY(anonymous.hasInitialResponse());
        QCOMPARE(anonymous.initialResponse().toBase64(), QByteArray("c2lyaGM="));
        QVERIFY(!anonymous.respond({}).ok);
        AnonymousMechanism empty(credentials({}, {}));
        QVERIFY(empty.initialResponse().isEmpty());
        AnonymousMechanism asked(credentials(u"ops@example.com"_s, {}));
        const SaslMechanism::Step step = asked.respond({});
        QVERIFY(step.ok);
        QCOMPARE(step.response, QByteArray("ops@example.com"));
    }

    void externalAuthzid()
    {
        ExternalMechanism external(credentials({}, {}));
        QCOMPARE(external.name(), u"EXTERNAL"_s);
        QVERIFY(external.hasInitialResponse());
        // Empty: act as the certificate's identity (the session sends "AUTH EXTERNAL =").
        QVERIFY(external.initialResponse().isEmpty());
        QVERIFY(!external.respond("anything").ok);
        ExternalMechanism as(credentials(u"relay-user"_s, u"ignored"_s));
        QCOMPARE(as.initialResponse(), QByteArray("relay-user"));
        ExternalMechanism asked(credentials({}, {}));
        const SaslMechanism::Step step = asked.respond({});
        QVERIFY(step.ok);
        QVERIFY(step.response.isEmpty());
        QVERIFY(!asked.respond({}).ok);
    }

    // [MS-NLMP] 4.2.4.1.1 and 4.2.4.2: NTOWFv2, NTProofStr, the NTLMv2 and LMv2 responses and the
    // session base key of the spec's example (User/Domain/Password, time 0, client challenge
    // aa*8, server challenge 0123456789abcdef).
    void ntlmV2KnownAnswers()
    {
        const QByteArray key = NtlmMechanism::ntowfV2(u"Password"_s, u"User"_s, u"Domain"_s);
        QCOMPARE(key.toHex(), QByteArray("0c868a403bfd7a93a3001ef22ef02e3f"));
        const NtlmMechanism::V2Response v2 = NtlmMechanism::computeV2Response(
            key, hex("0123456789abcdef"), hex("aaaaaaaaaaaaaaaa"), 0, msNlmpTargetInfo(), true);
        QCOMPARE(v2.ntProofStr.toHex(), QByteArray("68cd0ab851e51c96aabc927bebef6a1c"));
        QCOMPARE(v2.sessionBaseKey.toHex(), QByteArray("8de40ccadbc14a82f15cb0ad0de95ca3"));
        QCOMPARE(v2.lmChallengeResponse.toHex(),
                 QByteArray("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
        QCOMPARE(v2.ntChallengeResponse.toHex(),
                 QByteArray("68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000"
                            "aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c00"
                            "5300650072007600650072000000000000000000"));
    }

    void ntlmExchangeWithSpecChallenge()
    {
        SaslCredentials c = credentials(u"User"_s, u"Password"_s);
        c.domain = u"Domain"_s;
        NtlmMechanism ntlm(c);
        ntlm.setClientChallenge(hex("aaaaaaaaaaaaaaaa"));
        ntlm.setTimestamp(0);
        ntlm.setWorkstation(u"COMPUTER"_s);
        QCOMPARE(ntlm.name(), u"NTLM"_s);
        QVERIFY(ntlm.hasInitialResponse());

        const QByteArray negotiate = ntlm.initialResponse();
        QCOMPARE(negotiate.size(), 32);
        QVERIFY(negotiate.startsWith(QByteArray("NTLMSSP\0", 8)));
        QCOMPARE(qFromLittleEndian<quint32>(negotiate.constData() + 8), 1u);
        const quint32 flags = qFromLittleEndian<quint32>(negotiate.constData() + 12);
        QVERIFY(flags & 0x00000001); // Unicode
        QVERIFY(flags & 0x00000200); // NTLM
        QVERIFY(flags & 0x00080000); // extended session security (no LM keys)

        const SaslMechanism::Step step = ntlm.respond(msNlmpChallenge());
        QVERIFY2(step.ok, qPrintable(step.error));
        const QByteArray& authenticate = step.response;
        QVERIFY(authenticate.startsWith(QByteArray("NTLMSSP\0", 8)));
        QCOMPARE(qFromLittleEndian<quint32>(authenticate.constData() + 8), 3u);
        QCOMPARE(authenticateField(authenticate, 0).toHex(),
                 QByteArray("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
        QCOMPARE(authenticateField(authenticate, 1).toHex(),
                 QByteArray("68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000"
                            "aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c00"
                            "5300650072007600650072000000000000000000"));
        QCOMPARE(authenticateField(authenticate, 2), utf16le(u"Domain"_s));
        QCOMPARE(authenticateField(authenticate, 3), utf16le(u"User"_s));
        QCOMPARE(authenticateField(authenticate, 4), utf16le(u"COMPUTER"_s));
        QVERIFY(authenticateField(authenticate, 5).isEmpty());
        const quint32 authFlags = qFromLittleEndian<quint32>(authenticate.constData() + 60);
        QVERIFY(authFlags & 0x00000001);
        QVERIFY(!(authFlags & 0x40000000)); // no key exchange: nothing is signed or sealed
        QVERIFY(!ntlm.respond(msNlmpChallenge()).ok);
    }

    void ntlmUsesServerTimestampAndDomainFromUserName()
    {
        // Target info with MsvAvTimestamp (7): the LMv2 response must be zeros and the blob
        // carries the server's time.
        const QByteArray info = hex("02000c0044006f006d00610069006e00"
                                    "0700080011223344556677880000"
                                    "0000");
        QByteArray challenge = hex("4e544c4d53535000020000000000000030000000358289e2"
                                   "0123456789abcdef0000000000000000");
        QByteArray fields(8, '\0');
        qToLittleEndian<quint16>(static_cast<quint16>(info.size()), fields.data());
        qToLittleEndian<quint16>(static_cast<quint16>(info.size()), fields.data() + 2);
        qToLittleEndian<quint32>(48, fields.data() + 4);
        challenge += fields + info;
        NtlmMechanism ntlm(credentials(u"CORP\\alice"_s, u"secret"_s));
        ntlm.initialResponse();
        const SaslMechanism::Step step = ntlm.respond(challenge);
        QVERIFY2(step.ok, qPrintable(step.error));
        QCOMPARE(authenticateField(step.response, 0), QByteArray(24, '\0'));
        const QByteArray nt = authenticateField(step.response, 1);
        QCOMPARE(nt.mid(24, 8).toHex(), QByteArray("1122334455667788"));
        QCOMPARE(authenticateField(step.response, 2), utf16le(u"CORP"_s));
        QCOMPARE(authenticateField(step.response, 3), utf16le(u"alice"_s));
        // The proof matches an independent computation with the key of CORP\alice.
        const NtlmMechanism::V2Response expected = NtlmMechanism::computeV2Response(
            NtlmMechanism::ntowfV2(u"secret"_s, u"alice"_s, u"CORP"_s), hex("0123456789abcdef"),
            nt.mid(32, 8), 0x8877665544332211ULL, info, false);
        QCOMPARE(nt, expected.ntChallengeResponse);
    }

    void ntlmWithoutTargetInfoAnswersNtlmV2()
    {
        // Cyrus SASL's CHALLENGE_MESSAGE (as its NTLM plugin sends it): target name
        // "LOCALHOST", no target information. The answer is NTLMv2 with an empty AV_PAIR list
        // and an LMv2 response (no server timestamp), never NTLMv1 (a 24-byte NT response).
        const QByteArray challenge = QByteArray::fromBase64(
            "TlRMTVNTUAACAAAAEgASADAAAAAFggIARTIWRaO4qr4AAAAAAAAAAAAAAAAAAAAATABPAEMAQQBMAEgATwBTAF"
            "QA");
        NtlmMechanism ntlm(credentials(u"alice@example.test"_s, u"secret"_s));
        ntlm.setClientChallenge(hex("aaaaaaaaaaaaaaaa"));
        ntlm.setTimestamp(0x0102030405060708ULL);
        ntlm.initialResponse();
        const SaslMechanism::Step step = ntlm.respond(challenge);
        QVERIFY2(step.ok, qPrintable(step.error));
        const QByteArray key = NtlmMechanism::ntowfV2(u"secret"_s, u"alice@example.test"_s, {});
        const NtlmMechanism::V2Response expected = NtlmMechanism::computeV2Response(
            key, challenge.mid(24, 8), hex("aaaaaaaaaaaaaaaa"), 0x0102030405060708ULL, {}, true);
        const QByteArray nt = authenticateField(step.response, 1);
        QCOMPARE(nt.size(), 16 + 28 + 4);
        QCOMPARE(nt, expected.ntChallengeResponse);
        QCOMPARE(authenticateField(step.response, 0), expected.lmChallengeResponse);
    }

    void ntlmRejectsBadChallenges_data()
    {
        QTest::addColumn<QByteArray>("challenge");
        QTest::newRow("empty after negotiate") << QByteArray();
        QTest::newRow("garbage") << QByteArray("hello, this is not NTLM at all, not even close!!");
        QTest::newRow("truncated") << msNlmpChallenge().left(40);
        QByteArray wrongType = msNlmpChallenge();
        wrongType[8] = 3;
        QTest::newRow("wrong type") << wrongType;
        QByteArray outOfBounds = msNlmpChallenge();
        outOfBounds[44] = 0x7f; // target info offset far beyond the end
        QTest::newRow("target info out of bounds") << outOfBounds;
        QByteArray unterminated = msNlmpChallenge();
        unterminated[40] = 0x20; // the AV_PAIR list loses its MsvAvEol
        unterminated[42] = 0x20;
        QTest::newRow("target info without MsvAvEol") << unterminated;
        QByteArray oem = msNlmpChallenge();
        oem[20] = static_cast<char>(oem.at(20) & ~0x01);
        QTest::newRow("oem only") << oem;
    }

    void ntlmRejectsBadChallenges()
    {
        QFETCH(QByteArray, challenge);
        NtlmMechanism ntlm(credentials(u"User"_s, u"Password"_s));
        ntlm.initialResponse();
        const SaslMechanism::Step step = ntlm.respond(challenge);
        QVERIFY(!step.ok);
        QVERIFY(!step.error.isEmpty());
    }

    void factoryCreatesEachMechanism_data()
    {
        QTest::addColumn<AuthMechanism>("mechanism");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << AuthMechanism::Plain << u"PLAIN"_s;
        QTest::newRow("login") << AuthMechanism::Login << u"LOGIN"_s;
        QTest::newRow("cram-md5") << AuthMechanism::CramMd5 << u"CRAM-MD5"_s;
        QTest::newRow("xoauth2") << AuthMechanism::XOAuth2 << u"XOAUTH2"_s;
        QTest::newRow("scram-sha-1") << AuthMechanism::ScramSha1 << u"SCRAM-SHA-1"_s;
        QTest::newRow("scram-sha-256") << AuthMechanism::ScramSha256 << u"SCRAM-SHA-256"_s;
        QTest::newRow("oauthbearer") << AuthMechanism::OAuthBearer << u"OAUTHBEARER"_s;
        QTest::newRow("ntlm") << AuthMechanism::Ntlm << u"NTLM"_s;
        QTest::newRow("anonymous") << AuthMechanism::Anonymous << u"ANONYMOUS"_s;
        QTest::newRow("external") << AuthMechanism::External << u"EXTERNAL"_s;
        QTest::newRow("gssapi") << AuthMechanism::Gssapi << u"GSSAPI"_s;
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

    void chooseAutomatic_data()
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

    void chooseAutomatic()
    {
        QFETCH(QStringList, offered);
        QFETCH(AuthMechanism, expected);
        // Compared as the profile words, which QTest can print.
        QCOMPARE(toString(SaslMechanismFactory::chooseAutomatic(offered)), toString(expected));
    }

    // GSS-API statuses -> the report's error ids (the krb5 codes of MIT's com_err tables).
    void gssapiErrorIds_data()
    {
        QTest::addColumn<quint32>("major");
        QTest::addColumn<quint32>("minor");
        QTest::addColumn<QString>("errorId");
        constexpr quint32 failure = 13u << 16; // GSS_S_FAILURE
        QTest::newRow("no credentials") << (7u << 16) << 0u << u"kerberos-no-ticket"_s;
        QTest::newRow("no cache file")
            << failure << quint32(qint32(-1765328189)) << u"kerberos-no-ticket"_s;
        QTest::newRow("credentials expired") << (11u << 16) << 0u << u"kerberos-ticket-expired"_s;
        QTest::newRow("ticket expired")
            << failure << quint32(qint32(-1765328352)) << u"kerberos-ticket-expired"_s;
        QTest::newRow("service unknown")
            << failure << quint32(qint32(-1765328377)) << u"kerberos-service-unknown"_s;
        QTest::newRow("KDC unreachable")
            << failure << quint32(qint32(-1765328228)) << u"kerberos-failed"_s;
    }

    void gssapiErrorIds()
    {
        QFETCH(quint32, major);
        QFETCH(quint32, minor);
        QFETCH(QString, errorId);
        QCOMPARE(GssapiMechanism::errorIdFor(major, minor), errorId);
    }

    void gssapiServicePrincipalIsTheProfilesHostName()
    {
        QCOMPARE(GssapiMechanism::servicePrincipalFor(u"mail.example.com"_s),
                 u"smtp@mail.example.com"_s);
        GssapiMechanism mechanism(credentials(QString(), QString()));
        QCOMPARE(mechanism.name(), u"GSSAPI"_s);
        QVERIFY(mechanism.hasInitialResponse());
        QVERIFY(!mechanism.acceptsSuccess()); // nothing was established
    }

    void automaticRankingOrder()
    {
        QStringList words;
        for (const AuthMechanism mechanism : SaslMechanismFactory::automaticRanking())
            words << toString(mechanism);
        QCOMPARE(words, (QStringList{u"scram-sha-256"_s, u"scram-sha-1"_s, u"cram-md5"_s, u"ntlm"_s,
                                     u"plain"_s, u"login"_s}));
    }
};

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
