#include "profile/AutoSecurity.h"
#include "profile/ProfileJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;

// relaydeck::toString (found by ADL) returns a QString, which QCOMPARE cannot use for enums:
// compare the CLI words instead, which also makes failures readable.
#define COMPARE_WORDS(actual, expected)                                                            \
    QCOMPARE(relaydeck::toString(actual), relaydeck::toString(expected))
using namespace relaydeck;

namespace {

ConnectionProfile fullyPopulated()
{
    ConnectionProfile p;
    p.id = QUuid(u"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"_s);
    p.name = u"Corp relay"_s;
    p.description = u"Exchange in the basement"_s;
    p.host = u"mail.corp.example.com"_s;
    p.port = 2525;
    p.security = Security::ImplicitTls;
    p.timeoutSeconds = 45;
    p.sender = u"ops@corp.example.com"_s;
    p.heloName = u"ops-host.corp.example.com"_s;
    p.charset = u"ISO-8859-15"_s;
    p.auth.mechanism = AuthMechanism::ScramSha256;
    p.auth.username = u"ops@corp.example.com"_s;
    p.auth.allowPlaintext = true;
    p.tls.verifyPeer = false;
    p.tls.minimumVersion = TlsMinimumVersion::Tls13;
    p.tls.caFile = u"/etc/ssl/corp-ca.pem"_s;
    p.tls.pinnedSha256 = {QString(64, u'a'), QString(64, u'0')};
    p.tls.clientCertificateFile = u"/home/ops/client.pem"_s;
    p.tls.clientKeyFile = u"/home/ops/client.key"_s;
    p.proxy.type = ProxyType::Http;
    p.proxy.host = u"proxy.corp.example.com"_s;
    p.proxy.port = 3128;
    p.proxy.username = u"proxyuser"_s;
    p.proxy.domain = u"CORP"_s;
    p.options = {{u"restart_threshold"_s, u"100"_s}, {u"ping_threshold"_s, u"10"_s}};
    p.preset = u"exchange"_s;
    return p;
}

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

class ProfileJsonTest : public QObject
{
    Q_OBJECT

private slots:
    void roundTripKeepsEveryField()
    {
        const ConnectionProfile original = fullyPopulated();
        const QJsonObject json = ProfileJson::toJson(original);
        const auto back = ProfileJson::fromJson(json);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QVERIFY(*back == original);
        // Also through the serialised text, as in connections.json.
        const auto reparsed =
            ProfileJson::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY(reparsed.ok());
        QVERIFY(*reparsed == original);
    }

    void writesTheDocumentedShape()
    {
        const QJsonObject json = ProfileJson::toJson(fullyPopulated());
        QCOMPARE(json.value(u"id"_s).toString(), u"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"_s);
        QCOMPARE(json.value(u"security"_s).toString(), u"tls"_s);
        QCOMPARE(json.value(u"timeout"_s).toInt(), 45);
        QCOMPARE(json.value(u"port"_s).toInt(), 2525);
        const QJsonObject auth = json.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), u"scram-sha-256"_s);
        QCOMPARE(auth.value(u"allowPlaintext"_s).toBool(), true);
        const QJsonObject tls = json.value(u"tls"_s).toObject();
        QCOMPARE(tls.value(u"verify"_s).toBool(), false);
        QCOMPARE(tls.value(u"minVersion"_s).toString(), u"1.3"_s);
        QCOMPARE(tls.value(u"pinnedSha256"_s).toArray().size(), 2);
        QCOMPARE(tls.value(u"clientCertificate"_s).toString(), u"/home/ops/client.pem"_s);
        QCOMPARE(tls.value(u"clientKey"_s).toString(), u"/home/ops/client.key"_s);
        QCOMPARE(json.value(u"proxy"_s).toObject().value(u"type"_s).toString(), u"http"_s);
        QCOMPARE(json.value(u"options"_s).toObject().value(u"restart_threshold"_s).toString(),
                 u"100"_s);
        QCOMPARE(json.value(u"preset"_s).toString(), u"exchange"_s);
        // No key that could hold a secret.
        const QByteArray text = QJsonDocument(json).toJson();
        QVERIFY(!text.contains("password"));
        QVERIFY(!text.contains("secret"));
    }

    void minimalObjectTakesDefaults()
    {
        const auto p = ProfileJson::fromJson(parse(R"({"name":"x","host":"h.example"})"));
        QVERIFY2(p.ok(), qPrintable(p.failureMessage()));
        ConnectionProfile expected;
        expected.name = u"x"_s;
        expected.host = u"h.example"_s;
        QVERIFY(*p == expected);
        COMPARE_WORDS(p->security, Security::StartTls);
        QCOMPARE(p->effectivePort(), 587);
        QVERIFY(p->tls.verifyPeer);
        QCOMPARE(p->charset, u"UTF-8"_s);
    }

    void pinsAreNormalised()
    {
        const QString colons = QStringList(32, u"AB"_s).join(u':');
        const auto p = ProfileJson::fromJson(
            QJsonObject{{u"tls"_s, QJsonObject{{u"pinnedSha256"_s, QJsonArray{colons}}}}});
        QVERIFY2(p.ok(), qPrintable(p.failureMessage()));
        QCOMPARE(p->tls.pinnedSha256, QStringList{u"ab"_s.repeated(32)});
    }

    void badInputNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("mechanism") << QByteArray(R"({"auth":{"mechanism":"foo"}})")
                                   << u"auth.mechanism: unknown mechanism 'foo'"_s;
        QTest::newRow("security") << QByteArray(R"({"security":"ssl"})") << u"security: "_s;
        QTest::newRow("port type") << QByteArray(R"({"port":"25"})") << u"port: "_s;
        QTest::newRow("port range") << QByteArray(R"({"port":70000})") << u"port: "_s;
        QTest::newRow("port fraction") << QByteArray(R"({"port":25.5})") << u"port: "_s;
        QTest::newRow("timeout") << QByteArray(R"({"timeout":true})") << u"timeout: "_s;
        QTest::newRow("name") << QByteArray(R"({"name":5})") << u"name: "_s;
        QTest::newRow("id") << QByteArray(R"({"id":"not-a-uuid"})") << u"id: "_s;
        QTest::newRow("verify") << QByteArray(R"({"tls":{"verify":"no"}})") << u"tls.verify: "_s;
        QTest::newRow("minVersion")
            << QByteArray(R"({"tls":{"minVersion":"0.9"}})") << u"tls.minVersion: "_s;
        QTest::newRow("pin") << QByteArray(R"({"tls":{"pinnedSha256":["abc"]}})")
                             << u"tls.pinnedSha256[0]: "_s;
        QTest::newRow("pins type")
            << QByteArray(R"({"tls":{"pinnedSha256":"abc"}})") << u"tls.pinnedSha256: "_s;
        QTest::newRow("proxy type")
            << QByteArray(R"({"proxy":{"type":"socks4"}})") << u"proxy.type: "_s;
        QTest::newRow("proxy port") << QByteArray(R"({"proxy":{"port":-1}})") << u"proxy.port: "_s;
        QTest::newRow("auth object") << QByteArray(R"({"auth":"plain"})") << u"auth: "_s;
        QTest::newRow("option value")
            << QByteArray(R"({"options":{"ping_threshold":10}})") << u"options.ping_threshold: "_s;
        QTest::newRow("allowPlaintext")
            << QByteArray(R"({"auth":{"allowPlaintext":1}})") << u"auth.allowPlaintext: "_s;
    }

    void badInputNamesTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const auto p = ProfileJson::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!p.ok());
        QCOMPARE(p.failure().id, FailureId::ParseFailed);
        QVERIFY2(p.failure().message.startsWith(expected), qPrintable(p.failure().message));
    }

    // auth.useKerberosTicket: written only when set, read back, and type-checked.
    void kerberosTicketFlag()
    {
        ConnectionProfile profile;
        profile.host = u"mail.example.com"_s;
        QVERIFY(
            !ProfileJson::toJson(profile)[u"auth"_s].toObject().contains(u"useKerberosTicket"_s));
        profile.auth.useKerberosTicket = true;
        const QJsonObject json = ProfileJson::toJson(profile);
        QCOMPARE(json[u"auth"_s].toObject()[u"useKerberosTicket"_s].toBool(), true);
        const auto read = ProfileJson::fromJson(json);
        QVERIFY2(read.ok(), qPrintable(read.failureMessage()));
        QVERIFY(read->auth.useKerberosTicket);
        QVERIFY(read->usesKerberosTicket());
        const auto wrong = ProfileJson::fromJson(
            QJsonObject{{u"auth"_s, QJsonObject{{u"useKerberosTicket"_s, u"yes"_s}}}});
        QVERIFY(!wrong.ok());
    }

    void enumerationsUseCliWords()
    {
        for (const QString& word : allAuthMechanismWords()) {
            const auto p = ProfileJson::fromJson(
                QJsonObject{{u"auth"_s, QJsonObject{{u"mechanism"_s, word}}}});
            QVERIFY2(p.ok(), qPrintable(p.failureMessage()));
            QCOMPARE(ProfileJson::toJson(*p)[u"auth"_s].toObject()[u"mechanism"_s].toString(),
                     word);
        }
        QCOMPARE(allSecurityWords(), (QStringList{u"none"_s, u"starttls"_s, u"tls"_s, u"auto"_s}));
        for (const QString& word : allSecurityWords()) {
            const auto p = ProfileJson::fromJson(QJsonObject{{u"security"_s, word}});
            QVERIFY2(p.ok(), qPrintable(p.failureMessage()));
            QCOMPARE(toString(p->security), word);
            QCOMPARE(ProfileJson::toJson(*p)[u"security"_s].toString(), word);
        }
    }

    // Security auto: the word, the default port (587, the submission port: there auto means
    // STARTTLS required), and a round trip through the file format.
    void securityAuto()
    {
        QVERIFY(securityFromString(u"auto"_s) == Security::Auto);
        QVERIFY(securityFromString(u" AUTO "_s) == Security::Auto);
        QCOMPARE(ConnectionProfile::defaultPort(Security::Auto), 587);
        ConnectionProfile p;
        p.name = u"auto"_s;
        p.host = u"mx.example.org"_s;
        p.security = Security::Auto;
        QCOMPARE(p.effectivePort(), 587);
        COMPARE_WORDS(AutoSecurity::planned(p), Security::StartTls);
        p.port = 465;
        COMPARE_WORDS(AutoSecurity::planned(p), Security::ImplicitTls);
        QVERIFY(!AutoSecurity::opportunisticPort(p));
        p.port = 25;
        COMPARE_WORDS(AutoSecurity::planned(p), Security::StartTls);
        QVERIFY(AutoSecurity::opportunisticPort(p));
        const QJsonObject json = ProfileJson::toJson(p);
        QCOMPARE(json[u"security"_s].toString(), u"auto"_s);
        const auto back = ProfileJson::fromJson(json);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QVERIFY(*back == p);
        const auto bad = ProfileJson::fromJson(QJsonObject{{u"security"_s, u"automatic"_s}});
        QVERIFY(!bad.ok());
        QVERIFY2(bad.failureMessage().contains(u"none, starttls, tls or auto"_s),
                 qPrintable(bad.failureMessage()));
    }
};

QTEST_GUILESS_MAIN(ProfileJsonTest)
#include "tst_profilejson.moc"
