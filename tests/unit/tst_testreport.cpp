#include "smtp/TestReport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

// A report with every field set, as after a full test over STARTTLS with AUTH and an error
// (so nothing is null).
TestReport fullReport()
{
    TestReport r;
    r.ok = false;
    r.profile = u"Corp relay"_s;
    r.target = {u"mail.example.com"_s, 587, u"starttls"_s, u"192.0.2.10"_s, u"none"_s};
    r.stages = {
        {u"resolve"_s, true, 3, u"192.0.2.10"_s},
        {u"connect"_s, true, 12, QString()},
        {u"auth"_s, false, 40, u"PLAIN refused"_s},
    };
    r.server.greeting = u"220 mail.example.com ESMTP"_s;
    r.server.capabilities = {u"PIPELINING"_s, u"SIZE 10240000"_s, u"AUTH PLAIN LOGIN"_s};
    r.server.authMechanisms = {u"PLAIN"_s, u"LOGIN"_s};
    r.server.maxSize = 10240000;
    r.tls.used = true;
    r.tls.protocol = u"TLSv1.3"_s;
    r.tls.cipher = u"TLS_AES_256_GCM_SHA384"_s;
    r.tls.verified = true;
    r.tls.errors = {u"The certificate is self-signed, and untrusted"_s};
    CertificateInfo leaf;
    leaf.subject = u"CN=mail.example.com"_s;
    leaf.issuer = u"CN=Example CA"_s;
    // Given in UTC+2 on purpose: the report must say UTC.
    leaf.notBefore = QDateTime(QDate(2024, 1, 1), QTime(2, 0, 0), Qt::OffsetFromUTC, 7200);
    leaf.notAfter = QDateTime(QDate(2026, 6, 30), QTime(23, 59, 59), Qt::UTC);
    leaf.sha256 = u"AB:CD:EF"_s;
    leaf.subjectAltNames = {u"mail.example.com"_s, u"smtp.example.com"_s};
    CertificateInfo ca;
    ca.subject = u"CN=Example CA"_s;
    ca.issuer = u"CN=Example CA"_s;
    ca.notBefore = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    ca.notAfter = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
    ca.sha256 = u"01:02"_s;
    r.tls.chain = {leaf, ca};
    r.auth.mechanism = u"PLAIN"_s;
    r.auth.attempted = true;
    r.auth.ok = false;
    r.error = {u"auth-failed"_s, u"auth"_s, u"The server refused the credentials"_s,
               u"535 5.7.8 Authentication credentials invalid"_s, u"Check the password"_s};
    r.transcript = {
        {0, u'S', u"220 mail.example.com ESMTP"_s},
        {5, u'C', u"EHLO client.test"_s},
        {30, u'C', u"AUTH PLAIN <redacted>"_s},
        {41, u'*', u"TLS established"_s},
    };
    return r;
}

QSet<QString> keysOf(const QJsonObject& object)
{
    const QStringList keys = object.keys();
    return QSet<QString>(keys.cbegin(), keys.cend());
}

QSet<QString> set(std::initializer_list<QString> keys)
{
    return QSet<QString>(keys);
}

// Survives a trip through text, as a script reading `test --json` would see it.
QJsonObject viaText(const QJsonObject& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QJsonDocument(json).toJson(), &error);
    return doc.object();
}

} // namespace

class TestReportTest : public QObject
{
    Q_OBJECT

private slots:
    void topLevelKeysAreExactlyTheSchema()
    {
        const QJsonObject json = fullReport().toJson(true);
        QCOMPARE(keysOf(json),
                 set({u"ok"_s, u"profile"_s, u"target"_s, u"stages"_s, u"server"_s, u"tls"_s,
                      u"auth"_s, u"error"_s, u"warnings"_s, u"transcript"_s}));
        QCOMPARE(keysOf(fullReport().toJson(false)),
                 set({u"ok"_s, u"profile"_s, u"target"_s, u"stages"_s, u"server"_s, u"tls"_s,
                      u"auth"_s, u"error"_s, u"warnings"_s}));
    }

    // Security auto: what it resolved to, in the JSON and in words; warnings as strings.
    void autoSecurityAndWarnings()
    {
        TestReport r = fullReport();
        r.target.security = u"auto"_s;
        QCOMPARE(r.target.securityText(), u"auto (not resolved)"_s);
        const QList<std::pair<QString, QString>> words = {
            {u"tls"_s, u"auto -> implicit TLS"_s},
            {u"starttls"_s, u"auto -> STARTTLS"_s},
            {u"none"_s, u"auto -> none (opportunistic)"_s}};
        for (const auto& [resolved, text] : words) {
            r.target.resolvedSecurity = resolved;
            QCOMPARE(r.target.securityText(), text);
            QCOMPARE(viaText(r.toJson(false))[u"target"_s][u"resolvedSecurity"_s].toString(),
                     resolved);
        }
        r.warnings = {u"encryption: none (opportunistic): x"_s};
        QCOMPARE(viaText(r.toJson(false))[u"warnings"_s].toArray(),
                 QJsonArray{u"encryption: none (opportunistic): x"_s});
        // Any other security is shown as its word.
        r.target.security = u"starttls"_s;
        QCOMPARE(r.target.securityText(), u"starttls"_s);
    }

    void everyFieldHasItsValueAndType()
    {
        const QJsonObject json = viaText(fullReport().toJson(true));

        QVERIFY(json.value(u"ok"_s).isBool());
        QCOMPARE(json.value(u"ok"_s).toBool(), false);
        QCOMPARE(json.value(u"profile"_s).toString(), u"Corp relay"_s);

        const QJsonObject target = json.value(u"target"_s).toObject();
        QCOMPARE(keysOf(target), set({u"host"_s, u"port"_s, u"security"_s, u"address"_s, u"proxy"_s,
                                      u"attempts"_s, u"resolvedSecurity"_s}));
        QVERIFY(target.value(u"resolvedSecurity"_s).isNull()); // not set in this report
        QVERIFY(json.value(u"warnings"_s).toArray().isEmpty());
        QCOMPARE(target.value(u"host"_s).toString(), u"mail.example.com"_s);
        QVERIFY(target.value(u"port"_s).isDouble());
        QCOMPARE(target.value(u"port"_s).toInt(), 587);
        QCOMPARE(target.value(u"security"_s).toString(), u"starttls"_s);
        QCOMPARE(target.value(u"address"_s).toString(), u"192.0.2.10"_s);
        QCOMPARE(target.value(u"proxy"_s).toString(), u"none"_s);
        QVERIFY(target.value(u"attempts"_s).isArray());

        const QJsonArray stages = json.value(u"stages"_s).toArray();
        QCOMPARE(stages.size(), 3);
        for (const QJsonValue& stage : stages)
            QCOMPARE(keysOf(stage.toObject()), set({u"id"_s, u"ok"_s, u"ms"_s, u"detail"_s}));
        QCOMPARE(stages.at(0).toObject().value(u"id"_s).toString(), u"resolve"_s);
        QCOMPARE(stages.at(0).toObject().value(u"detail"_s).toString(), u"192.0.2.10"_s);
        QCOMPARE(stages.at(1).toObject().value(u"ms"_s).toInteger(), 12);
        QCOMPARE(stages.at(1).toObject().value(u"ok"_s).toBool(), true);
        QCOMPARE(stages.at(2).toObject().value(u"id"_s).toString(), u"auth"_s);
        QCOMPARE(stages.at(2).toObject().value(u"ok"_s).toBool(), false);
        QCOMPARE(stages.at(2).toObject().value(u"ms"_s).toInteger(), 40);

        const QJsonObject server = json.value(u"server"_s).toObject();
        QCOMPARE(keysOf(server),
                 set({u"greeting"_s, u"capabilities"_s, u"authMechanisms"_s, u"maxSize"_s}));
        QCOMPARE(server.value(u"greeting"_s).toString(), u"220 mail.example.com ESMTP"_s);
        QCOMPARE(server.value(u"capabilities"_s).toArray().toVariantList(),
                 QVariantList({u"PIPELINING"_s, u"SIZE 10240000"_s, u"AUTH PLAIN LOGIN"_s}));
        QCOMPARE(server.value(u"authMechanisms"_s).toArray().toVariantList(),
                 QVariantList({u"PLAIN"_s, u"LOGIN"_s}));
        QCOMPARE(server.value(u"maxSize"_s).toInteger(), 10240000);

        const QJsonObject tls = json.value(u"tls"_s).toObject();
        QCOMPARE(keysOf(tls),
                 set({u"protocol"_s, u"cipher"_s, u"verified"_s, u"errors"_s, u"chain"_s}));
        QCOMPARE(tls.value(u"protocol"_s).toString(), u"TLSv1.3"_s);
        QCOMPARE(tls.value(u"cipher"_s).toString(), u"TLS_AES_256_GCM_SHA384"_s);
        QCOMPARE(tls.value(u"verified"_s).toBool(), true);
        QCOMPARE(tls.value(u"errors"_s).toArray().toVariantList(),
                 QVariantList({u"The certificate is self-signed, and untrusted"_s}));
        const QJsonArray chain = tls.value(u"chain"_s).toArray();
        QCOMPARE(chain.size(), 2);
        const QJsonObject leaf = chain.at(0).toObject();
        QCOMPARE(keysOf(leaf), set({u"subject"_s, u"issuer"_s, u"notBefore"_s, u"notAfter"_s,
                                    u"sha256"_s, u"subjectAltNames"_s}));
        QCOMPARE(leaf.value(u"subject"_s).toString(), u"CN=mail.example.com"_s);
        QCOMPARE(leaf.value(u"issuer"_s).toString(), u"CN=Example CA"_s);
        QCOMPARE(leaf.value(u"sha256"_s).toString(), u"AB:CD:EF"_s);
        QCOMPARE(leaf.value(u"subjectAltNames"_s).toArray().toVariantList(),
                 QVariantList({u"mail.example.com"_s, u"smtp.example.com"_s}));
        QCOMPARE(chain.at(1).toObject().value(u"sha256"_s).toString(), u"01:02"_s);
        QCOMPARE(chain.at(1).toObject().value(u"subjectAltNames"_s).toArray().size(), 0);

        const QJsonObject auth = json.value(u"auth"_s).toObject();
        QCOMPARE(keysOf(auth), set({u"mechanism"_s, u"ok"_s}));
        QCOMPARE(auth.value(u"mechanism"_s).toString(), u"PLAIN"_s);
        QVERIFY(auth.value(u"ok"_s).isBool());
        QCOMPARE(auth.value(u"ok"_s).toBool(), false);

        const QJsonObject error = json.value(u"error"_s).toObject();
        QCOMPARE(keysOf(error),
                 set({u"id"_s, u"stage"_s, u"message"_s, u"serverReply"_s, u"hint"_s}));
        QCOMPARE(error.value(u"id"_s).toString(), u"auth-failed"_s);
        QCOMPARE(error.value(u"stage"_s).toString(), u"auth"_s);
        QCOMPARE(error.value(u"message"_s).toString(), u"The server refused the credentials"_s);
        QCOMPARE(error.value(u"serverReply"_s).toString(),
                 u"535 5.7.8 Authentication credentials invalid"_s);
        QCOMPARE(error.value(u"hint"_s).toString(), u"Check the password"_s);
    }

    void certificateDatesAreIso8601Utc()
    {
        const QJsonObject leaf = fullReport()
                                     .toJson(false)
                                     .value(u"tls"_s)
                                     .toObject()
                                     .value(u"chain"_s)
                                     .toArray()
                                     .at(0)
                                     .toObject();
        // 02:00 at UTC+2 is midnight UTC.
        QCOMPARE(leaf.value(u"notBefore"_s).toString(), u"2024-01-01T00:00:00Z"_s);
        QCOMPARE(leaf.value(u"notAfter"_s).toString(), u"2026-06-30T23:59:59Z"_s);
        const QDateTime parsed =
            QDateTime::fromString(leaf.value(u"notBefore"_s).toString(), Qt::ISODate);
        QCOMPARE(parsed, fullReport().tls.chain.at(0).notBefore);
    }

    void transcriptOnlyOnRequest()
    {
        const TestReport report = fullReport();
        QVERIFY(!report.toJson(false).contains(u"transcript"_s));

        const QJsonArray lines = viaText(report.toJson(true)).value(u"transcript"_s).toArray();
        QCOMPARE(lines.size(), 4);
        for (const QJsonValue& line : lines)
            QCOMPARE(keysOf(line.toObject()), set({u"t"_s, u"dir"_s, u"line"_s}));
        const QJsonObject first = lines.at(0).toObject();
        QCOMPARE(first.value(u"t"_s).toInteger(), 0);
        QCOMPARE(first.value(u"dir"_s).toString(), u"S"_s);
        QCOMPARE(first.value(u"line"_s).toString(), u"220 mail.example.com ESMTP"_s);
        QCOMPARE(lines.at(1).toObject().value(u"dir"_s).toString(), u"C"_s);
        QCOMPARE(lines.at(1).toObject().value(u"t"_s).toInteger(), 5);
        QCOMPARE(lines.at(3).toObject().value(u"dir"_s).toString(), u"*"_s);
        QCOMPARE(lines.at(3).toObject().value(u"line"_s).toString(), u"TLS established"_s);
    }

    void emptyTranscriptIsAnEmptyArrayWhenRequested()
    {
        TestReport report = fullReport();
        report.transcript.clear();
        const QJsonValue lines = report.toJson(true).value(u"transcript"_s);
        QVERIFY(lines.isArray());
        QCOMPARE(lines.toArray().size(), 0);
    }

    void redactedLineStaysRedacted()
    {
        const QByteArray text = QJsonDocument(fullReport().toJson(true)).toJson();
        const QJsonArray lines =
            QJsonDocument::fromJson(text).object().value(u"transcript"_s).toArray();
        QCOMPARE(lines.at(2).toObject().value(u"line"_s).toString(), u"AUTH PLAIN <redacted>"_s);
        // Not escaped into something a reader would not recognise either.
        QVERIFY(text.contains("AUTH PLAIN <redacted>"));
    }

    void nullsWhereTheSchemaSaysSo()
    {
        // An ad-hoc test that failed to resolve: nothing learned, no TLS, no AUTH.
        TestReport report;
        report.ok = false;
        report.target = {u"nowhere.invalid"_s, 25, u"none"_s, QString(), u"none"_s};
        report.stages = {{u"resolve"_s, false, 4, QString()}};
        report.error = {u"dns-failed"_s, u"resolve"_s, u"Host not found"_s, QString(),
                        u"Check the name"_s};
        const QJsonObject json = viaText(report.toJson(false));

        QVERIFY(json.value(u"profile"_s).isNull());
        QVERIFY(json.value(u"tls"_s).isNull());
        QVERIFY(json.value(u"auth"_s).isNull());
        const QJsonObject server = json.value(u"server"_s).toObject();
        QVERIFY(server.value(u"maxSize"_s).isNull());
        QVERIFY(server.value(u"capabilities"_s).isArray());
        QCOMPARE(server.value(u"capabilities"_s).toArray().size(), 0);
        QVERIFY(server.value(u"authMechanisms"_s).isArray());
        QVERIFY(server.value(u"greeting"_s).isString());
        QVERIFY(json.value(u"error"_s).isObject());
        QCOMPARE(json.value(u"error"_s).toObject().value(u"id"_s).toString(), u"dns-failed"_s);
        // Nulls are present, not missing: a script can rely on every key.
        for (const QString& key : {u"profile"_s, u"tls"_s, u"auth"_s})
            QVERIFY2(json.contains(key), qPrintable(key));
        QVERIFY(server.contains(u"maxSize"_s));
    }

    void successHasNullErrorAndZeroMaxSizeIsANumber()
    {
        TestReport report = fullReport();
        report.ok = true;
        report.error = TestError();
        report.auth.ok = true;
        report.server.maxSize = 0; // SIZE announced without a limit
        const QJsonObject json = viaText(report.toJson(false));
        QCOMPARE(json.value(u"ok"_s).toBool(), true);
        QVERIFY(json.contains(u"error"_s));
        QVERIFY(json.value(u"error"_s).isNull());
        QCOMPARE(json.value(u"auth"_s).toObject().value(u"ok"_s).toBool(), true);
        const QJsonValue maxSize = json.value(u"server"_s).toObject().value(u"maxSize"_s);
        QVERIFY(maxSize.isDouble());
        QCOMPARE(maxSize.toInteger(), 0);
    }

    void unusedTlsIsNullEvenWithLeftovers()
    {
        // tls.used decides, not whether fields happen to be filled.
        TestReport report = fullReport();
        report.tls.used = false;
        QVERIFY(report.toJson(false).value(u"tls"_s).isNull());
        // An attempted but unnamed mechanism is still an attempt.
        report.auth = AuthInfo();
        QVERIFY(report.toJson(false).value(u"auth"_s).isNull());
        report.auth.attempted = true;
        QVERIFY(report.toJson(false).value(u"auth"_s).isObject());
    }

    void invalidCertificateDateIsNull()
    {
        TestReport report = fullReport();
        report.tls.chain[0].notBefore = QDateTime();
        const QJsonObject leaf = report.toJson(false)
                                     .value(u"tls"_s)
                                     .toObject()
                                     .value(u"chain"_s)
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QVERIFY(leaf.contains(u"notBefore"_s));
        QVERIFY(leaf.value(u"notBefore"_s).isNull());
    }
};

QTEST_GUILESS_MAIN(TestReportTest)
#include "tst_testreport.moc"
