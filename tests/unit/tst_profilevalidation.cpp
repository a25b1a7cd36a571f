#include "profile/ProfileValidation.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile validProfile()
{
    ConnectionProfile profile;
    profile.id = QUuid::createUuid();
    profile.name = u"Office relay"_s;
    profile.host = u"smtp.example.com"_s;
    return profile;
}

QStringList fieldsOf(const ValidationIssues& issues)
{
    QStringList fields;
    for (const ValidationIssue& issue : issues)
        fields << issue.field;
    return fields;
}

void writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(data);
}

} // namespace

class TestProfileValidation : public QObject
{
    Q_OBJECT

private slots:
    void validProfileHasNoIssues()
    {
        QCOMPARE(ProfileValidation::validate(validProfile()), ValidationIssues());
    }

    void nameIsRequired()
    {
        ConnectionProfile profile = validProfile();
        profile.name = u"   "_s;
        const ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"name"_s});
        QVERIFY(!issues.first().message.isEmpty());
        profile.name = u"two\nlines"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"name"_s});
        profile.name = u" padded"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"name"_s});
    }

    void host_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("valid");
        QTest::newRow("name") << u"smtp.example.com"_s << true;
        QTest::newRow("single label") << u"mailhost"_s << true;
        QTest::newRow("trailing dot") << u"smtp.example.com."_s << true;
        QTest::newRow("ipv4") << u"192.0.2.10"_s << true;
        QTest::newRow("ipv6") << u"2001:db8::1"_s << true;
        QTest::newRow("ipv6 brackets") << u"[2001:db8::1]"_s << true;
        QTest::newRow("idn") << u"mail.bücher.example"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("space") << u"smtp example.com"_s << false;
        QTest::newRow("scheme") << u"smtp://smtp.example.com"_s << false;
        QTest::newRow("with port") << u"smtp.example.com:587"_s << false;
        QTest::newRow("bad ipv4") << u"192.0.2.300"_s << false;
        QTest::newRow("leading hyphen") << u"-smtp.example.com"_s << false;
        QTest::newRow("empty label") << u"smtp..example.com"_s << false;
        QTest::newRow("long label") << QString(64, u'a') + u".com"_s << false;
        QTest::newRow("newline") << u"smtp.example.com\r\nMAIL"_s << false;
        // Found by fuzzing connections.json: the ACE conversion dropped these line breaks.
        QTest::newRow("CRLF inside an address") << u"127.0.0.\r\n1"_s << false;
        QTest::newRow("CRLF inside a name") << u"smtp.exa\r\nmple.com"_s << false;
        QTest::newRow("tab inside") << u"smtp.exa\tmple.com"_s << false;
        QTest::newRow("soft hyphen")
            << QString(u"smtp.exa"_s + QChar(0xad) + u"mple.com"_s) << false;
    }

    void host()
    {
        QFETCH(QString, host);
        QFETCH(bool, valid);
        ConnectionProfile profile = validProfile();
        profile.host = host;
        const ValidationIssues issues = ProfileValidation::validateField(profile, u"host"_s);
        QCOMPARE(issues.isEmpty(), valid);
        if (!valid)
            QVERIFY(issues.first().message.contains(u"host"_s, Qt::CaseInsensitive));
    }

    void portFollowsSecurityWhenZero()
    {
        ConnectionProfile profile = validProfile();
        profile.port = 0;
        QVERIFY(ProfileValidation::validateField(profile, u"port"_s).isEmpty());
        profile.security = Security::ImplicitTls;
        QCOMPARE(profile.effectivePort(), 465);
        profile.security = Security::None;
        QCOMPARE(profile.effectivePort(), 25);
        profile.port = 65536;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"port"_s});
        profile.port = -1;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"port"_s});
        profile.port = 2525;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
    }

    void timeoutRange()
    {
        ConnectionProfile profile = validProfile();
        for (int seconds : {1, 30, 600}) {
            profile.timeoutSeconds = seconds;
            QVERIFY(ProfileValidation::validate(profile).isEmpty());
        }
        for (int seconds : {0, -5, 601}) {
            profile.timeoutSeconds = seconds;
            const ValidationIssues issues = ProfileValidation::validate(profile);
            QCOMPARE(fieldsOf(issues), QStringList{u"timeout"_s});
            QVERIFY(issues.first().message.contains(u"600"_s));
        }
    }

    void senderAndHelo()
    {
        ConnectionProfile profile = validProfile();
        profile.sender = u"alerts@example.com"_s;
        profile.heloName = u"client.example.com"_s;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.sender = u"alerts@example.com\r\nRCPT TO:<x@y>"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"sender"_s});
        profile.sender = u"no at sign"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"sender"_s});
        profile.sender.clear();
        profile.heloName = u"client\r\nQUIT"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"heloName"_s});
    }

    void charset()
    {
        ConnectionProfile profile = validProfile();
        profile.charset = u"windows-1252"_s;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.charset = u"utf 8"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"charset"_s});
    }

    void usernameNeededForExplicitMechanism()
    {
        ConnectionProfile profile = validProfile();
        profile.auth.mechanism = AuthMechanism::Auto;
        QVERIFY(!profile.usesAuthentication()); // blank user: no authentication
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.auth.mechanism = AuthMechanism::Plain;
        const ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"auth.username"_s});
        QVERIFY(issues.first().message.contains(u"PLAIN"_s));
        profile.auth.username = u"alice"_s;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.auth.username = u"alice\nbob"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"auth.username"_s});
        profile.auth.username.clear();
        profile.auth.mechanism = AuthMechanism::Anonymous;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.auth.mechanism = AuthMechanism::External;
        QCOMPARE(
            fieldsOf(ProfileValidation::validate(profile, ProfileValidation::Check::WithoutFiles)),
            QStringList{u"tls.clientCertificate"_s});
        // The Kerberos ticket needs no user name, and goes with auto or gssapi only.
        profile.auth.mechanism = AuthMechanism::Gssapi;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.auth.mechanism = AuthMechanism::Auto;
        profile.auth.useKerberosTicket = true;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.auth.mechanism = AuthMechanism::Plain;
        profile.auth.username = u"alice"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)),
                 QStringList{u"auth.useKerberosTicket"_s});
    }

    void pins()
    {
        ConnectionProfile profile = validProfile();
        const QString hex = u"ab"_s.repeated(32);
        QCOMPARE(ProfileValidation::normalisePin(hex.toUpper()), hex);
        QStringList pairs;
        for (int i = 0; i < 32; ++i)
            pairs << u"AB"_s;
        QCOMPARE(ProfileValidation::normalisePin(pairs.join(u':')), hex);
        QVERIFY(!ProfileValidation::normalisePin(hex.left(62)));
        QVERIFY(!ProfileValidation::normalisePin(u"zz"_s.repeated(32)));
        profile.tls.pinnedSha256 = {hex};
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.tls.pinnedSha256 = {hex, u"1234"_s};
        const ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"tls.pinnedSha256"_s});
        QVERIFY(issues.first().message.contains(u"1234"_s));
    }

    void tlsMaximumNotBelowMinimum()
    {
        ConnectionProfile profile = validProfile();
        profile.tls.maximumVersion = TlsMinimumVersion::Tls12;
        QVERIFY(ProfileValidation::validate(profile).isEmpty()); // exactly TLS 1.2
        profile.tls.minimumVersion = TlsMinimumVersion::Tls13;
        const ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"tls.maxVersion"_s});
        QVERIFY(issues.first().message.contains(u"1.2"_s));
        profile.tls.maximumVersion = TlsMinimumVersion::Tls13;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
    }

    void caFile()
    {
        QTemporaryDir dir;
        ConnectionProfile profile = validProfile();
        profile.tls.caFile = dir.filePath(u"missing.pem"_s);
        ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"tls.caFile"_s});
        QVERIFY(issues.first().message.contains(u"missing.pem"_s));
        // Not checked when files are not to be looked at (imports from another machine).
        QVERIFY(
            ProfileValidation::validate(profile, ProfileValidation::Check::WithoutFiles).isEmpty());

        writeFile(dir.filePath(u"junk.pem"_s), "not a certificate\n");
        profile.tls.caFile = dir.filePath(u"junk.pem"_s);
        issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"tls.caFile"_s});
        QVERIFY(issues.first().message.contains(u"PEM"_s));

        profile.tls.caFile = dir.path(); // a folder
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"tls.caFile"_s});
    }

    void caFileWithRealCertificate()
    {
        // A certificate generated by openssl at test time, so the PEM is surely well-formed.
        QTemporaryDir dir;
        const QString certificate = dir.filePath(u"ca.pem"_s);
        const QString key = dir.filePath(u"key.pem"_s);
        const int status = QProcess::execute(
            u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                           u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s, key,
                           u"-out"_s, certificate, u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=test"_s});
        if (status != 0)
            QSKIP("openssl is not available");
        ConnectionProfile profile = validProfile();
        profile.tls.caFile = certificate;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());

        profile.tls.clientCertificateFile = certificate;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"tls.clientKey"_s});
        profile.tls.clientKeyFile = key;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.tls.clientKeyFile = certificate; // a certificate is not a key
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"tls.clientKey"_s});
        profile.tls.clientCertificateFile.clear();
        profile.tls.clientKeyFile = key;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)),
                 QStringList{u"tls.clientCertificate"_s});
    }

    void proxy()
    {
        ConnectionProfile profile = validProfile();
        profile.proxy.type = ProxyType::System;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.proxy.type = ProxyType::Socks5;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)),
                 (QStringList{u"proxy.host"_s, u"proxy.port"_s}));
        profile.proxy.host = u"proxy.example.com"_s;
        profile.proxy.port = 1080;
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.proxy.type = ProxyType::Http;
        profile.proxy.host = u"bad host"_s;
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"proxy.host"_s});
    }

    void options()
    {
        ConnectionProfile profile = validProfile();
        profile.options = {{u"restart_threshold"_s, u"100"_s}, {u"ping_threshold"_s, u"10"_s}};
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        profile.options.insert(u"bad key"_s, u"1"_s);
        ValidationIssues issues = ProfileValidation::validate(profile);
        QCOMPARE(fieldsOf(issues), QStringList{u"options"_s});
        QVERIFY(issues.first().message.contains(u"bad key"_s));
        profile.options.remove(u"bad key"_s);
        profile.options.insert(u"x"_s, u"a\nb"_s);
        QCOMPARE(fieldsOf(ProfileValidation::validate(profile)), QStringList{u"options"_s});
    }

    void everyReportedFieldIsAKnownKey()
    {
        ConnectionProfile profile;
        profile.name = u" "_s;
        profile.timeoutSeconds = 0;
        profile.port = -3;
        profile.sender = u"x"_s;
        profile.heloName = u"a b"_s;
        profile.charset.clear();
        profile.auth.mechanism = AuthMechanism::Login;
        profile.tls.pinnedSha256 = {u"x"_s};
        profile.tls.clientKeyFile = u"/nonexistent/key.pem"_s;
        profile.tls.caFile = u"/nonexistent/ca.pem"_s;
        profile.proxy.type = ProxyType::Http;
        profile.options.insert(u"?"_s, u""_s);
        const ValidationIssues issues = ProfileValidation::validate(profile);
        QVERIFY(issues.size() >= 12);
        for (const ValidationIssue& issue : issues) {
            QVERIFY2(ProfileValidation::fieldKeys().contains(issue.field), qPrintable(issue.field));
            QVERIFY(!issue.message.isEmpty());
        }
        QVERIFY(formatIssues(issues).contains(u"timeout: "_s));
    }
};

QTEST_GUILESS_MAIN(TestProfileValidation)
#include "tst_profilevalidation.moc"
