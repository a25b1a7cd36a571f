#include "profile/AutoSecurity.h"
#include "profile/DsnProfileFormat.h"
#include "profile/MsmtpProfileFormat.h"
#include "profile/Presets.h"
#include "profile/ProfileFormats.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

// relaydeck::toString (found by ADL) returns a QString, which QCOMPARE cannot use for enums:
// compare the CLI words instead, which also makes failures readable.
#define COMPARE_WORDS(actual, expected)                                                            \
    QCOMPARE(relaydeck::toString(actual), relaydeck::toString(expected))
using namespace relaydeck;

namespace {

const QString pinA = u"0123456789abcdef"_s.repeated(4);
const QString pinB = u"fedcba9876543210"_s.repeated(4);

ConnectionProfile corpRelay()
{
    ConnectionProfile p;
    p.id = QUuid(u"11111111-2222-4333-8444-555555555555"_s);
    p.name = u"Corp relay"_s;
    p.description = u"Exchange, basement"_s;
    p.host = u"mail.corp.example.com"_s;
    p.security = Security::StartTls;
    p.timeoutSeconds = 30;
    p.sender = u"ops@corp.example.com"_s;
    p.heloName = u"ops-host.corp.example.com"_s;
    p.auth.username = u"ops@corp.example.com"_s;
    p.tls.caFile = u"/etc/ssl/corp ca.pem"_s;
    p.tls.pinnedSha256 = {pinA, pinB};
    p.options = {{u"restart_threshold"_s, u"100"_s},
                 {u"restart_threshold_sleep"_s, u"5"_s},
                 {u"ping_threshold"_s, u"10"_s}};
    return p;
}

ConnectionProfile localRelay()
{
    ConnectionProfile p;
    p.id = QUuid(u"22222222-3333-4444-8555-666666666666"_s);
    p.name = u"local"_s;
    p.host = u"localhost"_s;
    p.security = Security::None;
    p.timeoutSeconds = 10;
    p.tls.verifyPeer = false;
    return p;
}

ConnectionProfile gmail()
{
    ConnectionProfile p;
    p.id = QUuid(u"33333333-4444-4555-8666-777777777777"_s);
    p.name = u"gmail"_s;
    p.host = u"smtp.gmail.com"_s;
    p.security = Security::ImplicitTls;
    p.auth.mechanism = AuthMechanism::Plain;
    p.auth.username = u"someone+tag@gmail.com"_s;
    p.sender = u"someone@gmail.com"_s;
    p.tls.minimumVersion = TlsMinimumVersion::Tls13;
    p.proxy.type = ProxyType::Socks5;
    p.proxy.host = u"127.0.0.1"_s;
    p.proxy.port = 9050;
    return p;
}

QList<ConnectionProfile> samples()
{
    return {corpRelay(), localRelay(), gmail()};
}

QByteArray readTestData(const QString& name)
{
    QFile file(QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/tests/data/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

const ConnectionProfile* byName(const QList<ConnectionProfile>& profiles, const QString& name)
{
    for (const ConnectionProfile& p : profiles) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

void dumpOnRequest(const QByteArray& text)
{
    if (qEnvironmentVariableIsSet("RELAYDECK_DUMP_EXPORTS"))
        qInfo().noquote() << QString::fromUtf8(text);
}

} // namespace

class ProfileFormatsTest : public QObject
{
    Q_OBJECT

private slots:
    void formatWords()
    {
        for (const auto format : {ProfileFormat::Json, ProfileFormat::Msmtp, ProfileFormat::Dsn})
            QVERIFY(profileFormatFromString(toString(format)) == format);
        QVERIFY(!profileFormatFromString(u"yaml"_s).has_value());
    }

    // ---- JSON ----

    void jsonRoundTripCarriesEverything()
    {
        const QByteArray text = ProfileFormats::exportProfiles(samples(), ProfileFormat::Json);
        QVERIFY(text.contains("\"format\": \"relaydeck-profiles\""));
        QVERIFY(text.contains("\"version\": 1"));
        QVERIFY(ProfileFormats::detect(text) == ProfileFormat::Json);
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        COMPARE_WORDS(result->detectedFormat, ProfileFormat::Json);
        QCOMPARE(result->profiles.size(), 3);
        QVERIFY(result->unmapped.isEmpty());
        // The id too: it keys the keychain entries (ProfileStore gives a new one if it is taken).
        for (qsizetype i = 0; i < samples().size(); ++i)
            QVERIFY(result->profiles.at(i) == samples().at(i));
    }

    void jsonRefusesOtherFormatsAndNewerVersions_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("format") << QByteArray(R"({"format":"other","version":1,"profiles":[]})")
                                << u"format: "_s;
        QTest::newRow("version")
            << QByteArray(R"({"format":"relaydeck-profiles","version":2,"profiles":[]})")
            << u"version: "_s;
        QTest::newRow("profiles")
            << QByteArray(R"({"format":"relaydeck-profiles","version":1,"profiles":{}})")
            << u"profiles: "_s;
        QTest::newRow("bad profile")
            << QByteArray(
                   R"({"format":"relaydeck-profiles","version":1,"profiles":[{"name":"ok"},{"auth":{"mechanism":"foo"}}]})")
            << u"profiles[1].auth.mechanism: unknown mechanism 'foo'"_s;
        QTest::newRow("syntax")
            << QByteArray(
                   "{\"format\": \"relaydeck-profiles\",\n\"version\": 1,\n\"profiles\": [,]}")
            << u"line 3: "_s;
    }

    void jsonRefusesOtherFormatsAndNewerVersions()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const Result<ImportedProfiles> result =
            ProfileFormats::importProfiles(json, ProfileFormat::Json);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().id, FailureId::ParseFailed);
        QVERIFY2(result.failure().message.startsWith(expected),
                 qPrintable(result.failure().message));
    }

    // ---- msmtp ----

    void msmtpExportExactText()
    {
        const QByteArray text = ProfileFormats::exportProfiles(samples(), ProfileFormat::Msmtp);
        dumpOnRequest(text);
        const QString expected =
            u"# msmtp configuration generated by Relaydeck.\n"
            "# No password is stored here: msmtp reads each one from the OS keychain through\n"
            "# passwordeval (secret-tool), where Relaydeck keeps it.\n"
            "\n"
            "# Relaydeck profile: Corp relay\n"
            "# Exchange, basement\n"
            "account Corp-relay\n"
            "host mail.corp.example.com\n"
            "port 587\n"
            "tls on\n"
            "tls_starttls on\n"
            "tls_trust_file /etc/ssl/corp ca.pem\n"
            "tls_fingerprint "_s +
            u"01:23:45:67:89:AB:CD:EF:"_s.repeated(4).chopped(1) +
            u"\n"
            "# msmtp accepts one fingerprint; also pinned in Relaydeck: "_s +
            u"FE:DC:BA:98:76:54:32:10:"_s.repeated(4).chopped(1) +
            u"\n"
            "tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2\n"
            "auth on\n"
            "user ops@corp.example.com\n"
            "passwordeval secret-tool lookup server relaydeck user "
            "11111111-2222-4333-8444-555555555555:smtp-password\n"
            "from ops@corp.example.com\n"
            "domain ops-host.corp.example.com\n"
            "timeout 30\n"
            "\n"
            "account local\n"
            "host localhost\n"
            "port 25\n"
            "tls off\n"
            "auth off\n"
            "timeout 10\n"
            "\n"
            "account gmail\n"
            "host smtp.gmail.com\n"
            "port 465\n"
            "tls on\n"
            "tls_starttls off\n"
            "tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.3\n"
            "auth plain\n"
            "user someone+tag@gmail.com\n"
            "passwordeval secret-tool lookup server relaydeck user "
            "33333333-4444-4555-8666-777777777777:smtp-password\n"
            "from someone@gmail.com\n"
            "timeout 30\n"
            "proxy_host 127.0.0.1\n"
            "proxy_port 9050\n"
            "\n"
            "account default : Corp-relay\n"_s;
        QCOMPARE(QString::fromUtf8(text), expected);
    }

    // The real msmtp (Debian package) accepts every line we write. Profiles without a username
    // so that msmtp --pretend does not run passwordeval (that needs a keyring).
    void msmtpAcceptsTheExport()
    {
        const QString msmtp = QStandardPaths::findExecutable(u"msmtp"_s);
        if (msmtp.isEmpty())
            QSKIP("msmtp is not installed");
        QList<ConnectionProfile> profiles = samples();
        for (ConnectionProfile& p : profiles)
            p.auth.username.clear();
        profiles[0].tls.clientCertificateFile = u"/tmp/client cert.pem"_s;
        profiles[0].tls.clientKeyFile = u"/tmp/client.key"_s;
        profiles[1].tls.verifyPeer = false;
        profiles[1].security = Security::StartTls;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u"msmtprc"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ProfileFormats::exportProfiles(profiles, ProfileFormat::Msmtp));
        file.close();
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        for (const QString& account : {u"Corp-relay"_s, u"local"_s, u"gmail"_s, u"default"_s}) {
            QProcess process;
            QSignalSpy finished(&process, &QProcess::finished);
            process.start(msmtp, {u"-C"_s, file.fileName(), u"-a"_s, account, u"--pretend"_s});
            process.closeWriteChannel(); // --pretend still reads the (empty) mail
            QVERIFY(finished.wait(10000));
            const QString output =
                QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
            QVERIFY2(process.exitCode() == 0, qPrintable(output));
            QVERIFY2(output.contains(u"using account "_s), qPrintable(output));
        }
    }

    void msmtpAccountNamesAreSafeAndUnique()
    {
        ConnectionProfile a = localRelay();
        a.name = u"Office 365: #1"_s;
        ConnectionProfile b = a;
        ConnectionProfile c = a;
        c.name = u"default"_s;
        const QString text =
            QString::fromUtf8(ProfileFormats::exportProfiles({a, b, c}, ProfileFormat::Msmtp));
        QVERIFY(text.contains(u"\naccount Office-365-1\n"_s));
        QVERIFY(text.contains(u"\naccount Office-365-1-2\n"_s));
        QVERIFY(text.contains(u"\naccount default-account\n"_s));
        QVERIFY(text.contains(u"\naccount default : Office-365-1\n"_s));
        const Result<ImportedProfiles> back =
            ProfileFormats::importProfiles(text.toUtf8(), std::nullopt);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.size(), 3);
        QCOMPARE(back->profiles.at(0).name, a.name);
        QCOMPARE(back->profiles.at(1).name, b.name);
        QCOMPARE(back->profiles.at(2).name, u"default"_s);
    }

    // A comma is msmtp's inheritance separator ("account default : a,b"): an account named
    // "Work,-EU" made both msmtp and our importer look for the accounts "Work" and "-EU".
    void msmtpCommaInNameRoundTrips()
    {
        ConnectionProfile work = localRelay();
        work.name = u"Work, EU"_s;
        const QByteArray text = ProfileFormats::exportProfiles({work}, ProfileFormat::Msmtp);
        const QString exported = QString::fromUtf8(text);
        QVERIFY2(exported.contains(u"\naccount Work-EU\n"_s), qPrintable(exported));
        QVERIFY2(exported.contains(u"\naccount default : Work-EU\n"_s), qPrintable(exported));
        QVERIFY2(!exported.contains(u"account Work,"_s), qPrintable(exported));

        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.size(), 1);
        QCOMPARE(back->profiles.at(0).name, work.name);
        QCOMPARE(back->profiles.at(0).host, work.host);

        const QString msmtp = QStandardPaths::findExecutable(u"msmtp"_s);
        if (msmtp.isEmpty())
            QSKIP("msmtp is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u"msmtprc"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
        file.close();
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        for (const QString& account : {u"Work-EU"_s, u"default"_s}) {
            QProcess process;
            QSignalSpy finished(&process, &QProcess::finished);
            process.start(msmtp, {u"-C"_s, file.fileName(), u"-a"_s, account, u"--pretend"_s});
            process.closeWriteChannel();
            QVERIFY(finished.wait(10000));
            const QString output =
                QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
            QVERIFY2(process.exitCode() == 0, qPrintable(output));
            QVERIFY2(output.contains(u"using account "_s), qPrintable(output));
        }
    }

    void msmtpRoundTrip()
    {
        const QByteArray text = ProfileFormats::exportProfiles(samples(), ProfileFormat::Msmtp);
        QVERIFY(ProfileFormats::detect(text) == ProfileFormat::Msmtp);
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        COMPARE_WORDS(result->detectedFormat, ProfileFormat::Msmtp);
        QCOMPARE(result->profiles.size(), 3);
        for (qsizetype i = 0; i < 3; ++i) {
            const ConnectionProfile original = samples().at(i);
            const ConnectionProfile& imported = result->profiles.at(i);
            // Our passwordeval line names the id whose keychain entry holds the password.
            QCOMPARE(imported.id == original.id, original.usesAuthentication());
            QCOMPARE(imported.host, original.host);
            QCOMPARE(imported.effectivePort(), original.effectivePort());
            COMPARE_WORDS(imported.security, original.security);
            QCOMPARE(imported.timeoutSeconds, original.timeoutSeconds);
            QCOMPARE(imported.sender, original.sender);
            QCOMPARE(imported.heloName, original.heloName);
            QCOMPARE(imported.auth.username, original.auth.username);
            COMPARE_WORDS(imported.auth.mechanism, original.auth.mechanism);
            QCOMPARE(imported.tls.caFile, original.tls.caFile);
            QCOMPARE(imported.tls.pinnedSha256.value(0), original.tls.pinnedSha256.value(0));
            COMPARE_WORDS(imported.tls.minimumVersion, original.tls.minimumVersion);
            if (original.security != Security::None)
                QCOMPARE(imported.tls.verifyPeer, original.tls.verifyPeer);
            QVERIFY(imported.proxy == original.proxy);
        }
        QCOMPARE(result->profiles.at(0).name,
                 u"Corp relay"_s); // from our "# Relaydeck profile:" note
        QCOMPARE(result->profiles.at(2).name, u"gmail"_s);
        // Nothing of our own export is unmapped: not its passwordeval lines (they map back to
        // the keychain entry), not its "account default" alias.
        QVERIFY2(result->unmapped.isEmpty(), qPrintable(result->unmapped.join(u'\n')));
        // Presets found by their server (the samples name none).
        QCOMPARE(result->profiles.at(2).preset, u"gmail"_s);
        QCOMPARE(result->profiles.at(0).preset, QString());
    }

    // Only the exact line our export writes maps back to a keychain entry; anything else is a
    // command someone wrote: kept as a password command, disabled until the admin enables it.
    void msmtpForeignPasswordEvalIsNotTrusted_data()
    {
        QTest::addColumn<QString>("command");
        const QString ours = MsmtpProfileFormat::passwordEvalCommand(corpRelay().id);
        QTest::newRow("chained") << ours + u"; curl evil.example"_s;
        QTest::newRow("other slot")
            << QString(ours).replace(u"smtp-password"_s, u"proxy-password"_s);
        QTest::newRow("other service")
            << QString(ours).replace(u"server relaydeck"_s, u"server other"_s);
        QTest::newRow("braced id") << u"secret-tool lookup server relaydeck user "_s +
                                          corpRelay().id.toString() + u":smtp-password"_s;
        QTest::newRow("pass") << u"pass show mail/corp"_s;
    }

    void msmtpForeignPasswordEvalIsNotTrusted()
    {
        QFETCH(QString, command);
        const QByteArray text = "account corp\nhost mail.corp.example.com\nuser ops\nauth on\n"
                                "passwordeval " +
                                command.toUtf8() + "\n";
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QCOMPARE(result->profiles.size(), 1);
        QVERIFY(result->profiles.at(0).id != corpRelay().id);
        const SecretSource& source = result->profiles.at(0).auth.passwordSource;
        QVERIFY(source.kind == SecretSourceKind::Command);
        QVERIFY(!source.enabled);
        QCOMPARE(MsmtpProfileFormat::commandOf(source), command);
        QVERIFY(!MsmtpProfileFormat::profileIdOfPasswordEval(command).has_value());
        QCOMPARE(MsmtpProfileFormat::profileIdOfPasswordEval(
                     MsmtpProfileFormat::passwordEvalCommand(corpRelay().id)),
                 std::optional(corpRelay().id));
    }

    // Our export of a connection that signs in with OAuth ("passwordeval relaydeck-cli token
    // NAME", auth xoauth2/oauthbearer) comes back signing in, with its provider settings and
    // without a word about a password to enter again.
    void msmtpOAuthSignInRoundTrips_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("provider");
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QString>("scope");
        QTest::newRow("microsoft") << u"Office relay"_s << int(OAuthProvider::Microsoft)
                                   << int(AuthMechanism::XOAuth2) << QString();
        QTest::newRow("custom, scope with blanks and a quote in the name")
            << u"Bob's IdP"_s << int(OAuthProvider::Custom) << int(AuthMechanism::OAuthBearer)
            << u"openid email https://mail.example/smtp?x=1&y=2"_s;
    }

    void msmtpOAuthSignInRoundTrips()
    {
        QFETCH(QString, name);
        QFETCH(int, provider);
        QFETCH(int, mechanism);
        QFETCH(QString, scope);
        ConnectionProfile profile;
        profile.id = QUuid::createUuid();
        profile.name = name;
        profile.host = u"smtp.office365.com"_s;
        profile.security = Security::StartTls;
        profile.auth.mechanism = AuthMechanism(mechanism);
        profile.auth.username = u"ops@example.org"_s;
        profile.oauth.provider = OAuthProvider(provider);
        profile.oauth.tenant = u"organizations"_s;
        profile.oauth.clientId = u"1b2c3d4e-0000-4000-8000-00000000abcd"_s;
        if (profile.oauth.provider == OAuthProvider::Custom) {
            profile.oauth.authorizationUrl = u"https://idp.example/authorize"_s;
            profile.oauth.tokenUrl = u"https://idp.example/token"_s;
            profile.oauth.deviceAuthorizationUrl = u"https://idp.example/device"_s;
        }
        profile.oauth.scope = scope;
        QVERIFY(profile.usesOAuthSignIn());

        const QByteArray text = ProfileFormats::exportProfiles({profile}, ProfileFormat::Msmtp);
        QVERIFY2(text.contains("\npasswordeval relaydeck-cli token '"), text.constData());
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QCOMPARE(result->profiles.size(), 1);
        const ConnectionProfile& imported = result->profiles.first();
        QVERIFY2(result->unmapped.isEmpty(), qPrintable(result->unmapped.join(u'\n')));
        QCOMPARE(imported.name, name);
        COMPARE_WORDS(imported.auth.mechanism, profile.auth.mechanism);
        QVERIFY(imported.oauth == profile.oauth);
        QVERIFY(imported.usesOAuthSignIn());
    }

    // Without our note the preset's provider is taken; a token command of someone else's, or ours
    // with anything added, is never trusted, and a connection that cannot sign in says so.
    void msmtpTokenEvalWithoutNote()
    {
        const QByteArray presetOnly = "# Relaydeck preset: office365\naccount o\n"
                                      "host smtp.office365.com\nport 587\ntls on\n"
                                      "auth xoauth2\nuser ops@example.org\n"
                                      "passwordeval \"relaydeck-cli token 'o'\"\n";
        Result<ImportedProfiles> result = ProfileFormats::importProfiles(presetOnly, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QVERIFY2(result->unmapped.isEmpty(), qPrintable(result->unmapped.join(u'\n')));
        COMPARE_WORDS(result->profiles.first().oauth.provider, OAuthProvider::Microsoft);

        const QByteArray noProvider = "account x\nhost smtp.example.org\ntls on\nauth xoauth2\n"
                                      "user ops\npasswordeval \"relaydeck-cli token 'x'\"\n";
        result = ProfileFormats::importProfiles(noProvider, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QVERIFY2(result->unmapped.join(u'\n').contains(u"OAuth sign-in"_s),
                 qPrintable(result->unmapped.join(u'\n')));

        QVERIFY(MsmtpProfileFormat::isTokenEvalCommand(u"relaydeck-cli token 'a'\\''b'"_s));
        QVERIFY(!MsmtpProfileFormat::isTokenEvalCommand(u"relaydeck-cli token 'a'; rm x"_s));
        QVERIFY(!MsmtpProfileFormat::isTokenEvalCommand(u"relaydeck-cli token 'a' 'b'"_s));
        QVERIFY(!MsmtpProfileFormat::isTokenEvalCommand(u"relaydeck-cli token a"_s));
        const QByteArray chained = "account x\nhost smtp.office365.com\ntls on\nauth xoauth2\n"
                                   "user ops\npasswordeval \"relaydeck-cli token 'x'; id\"\n";
        result = ProfileFormats::importProfiles(chained, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        // Not our token command: someone's shell command line, kept but disabled.
        QVERIFY(!result->profiles.first().usesOAuthSignIn());
        QVERIFY(result->profiles.first().auth.passwordSource.kind == SecretSourceKind::Command);
        QVERIFY(!result->profiles.first().auth.passwordSource.enabled);
        QCOMPARE(result->profiles.first().auth.passwordSource.arguments,
                 (QStringList{u"-c"_s, u"relaydeck-cli token 'x'; id"_s}));
    }

    // Preset display names become readable account names, and come back unchanged.
    void msmtpAccountNamesAreReadable_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("account");
        QTest::newRow("slash") << u"Microsoft 365 / Office 365"_s << u"Microsoft-365-Office-365"_s;
        QTest::newRow("parentheses") << u"Brevo (Sendinblue)"_s << u"Brevo-(Sendinblue)"_s;
        QTest::newRow("ampersand") << u"Sales & Ops"_s << u"Sales-Ops"_s;
        QTest::newRow("umlaut") << u"Büro Köln"_s << u"Büro-Köln"_s;
        QTest::newRow("only punctuation") << u"/ &"_s << u"account"_s;
    }

    void msmtpAccountNamesAreReadable()
    {
        QFETCH(QString, name);
        QFETCH(QString, account);
        QCOMPARE(MsmtpProfileFormat::accountNameFor(name), account);
        ConnectionProfile profile = localRelay();
        profile.name = name;
        const QByteArray text = ProfileFormats::exportProfiles({profile}, ProfileFormat::Msmtp);
        QVERIFY(QString::fromUtf8(text).contains(u"\naccount "_s + account + u'\n'));
        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.value(0).name, name);
    }

    // Every preset's profile keeps its preset (and so its notes) through every format: JSON and
    // msmtp say it; a DSN cannot, so the server has to match the preset's.
    void presetSurvivesEveryFormat_data()
    {
        QTest::addColumn<ProfileFormat>("format");
        QTest::newRow("json") << ProfileFormat::Json;
        QTest::newRow("msmtp") << ProfileFormat::Msmtp;
        QTest::newRow("dsn") << ProfileFormat::Dsn;
    }

    void presetSurvivesEveryFormat()
    {
        QFETCH(ProfileFormat, format);
        QVERIFY(!Presets::all().isEmpty());
        for (const Preset& preset : Presets::all()) {
            const Result<ConnectionProfile> applied = Presets::apply(preset.id);
            QVERIFY(applied.ok());
            std::optional<ConnectionProfile> profile = applied.value();
            profile->id = QUuid::createUuid();
            profile->name = preset.displayName;
            if (profile->host.isEmpty())
                profile->host = u"mail.corp.example.com"_s; // Exchange: the user's own server
            const QByteArray text = ProfileFormats::exportProfiles({*profile}, format);
            const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, format);
            QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
            QCOMPARE(back->profiles.size(), 1);
            const bool knowable = format != ProfileFormat::Dsn || !preset.host.isEmpty();
            QCOMPARE(back->profiles.at(0).preset, knowable ? preset.id : QString());
        }
    }

    void presetNoteNamesAnUnknownPreset()
    {
        const QByteArray text =
            "# Relaydeck preset: nosuchpreset\naccount x\nhost smtp.gmail.com\n";
        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.value(0).preset, u"gmail"_s); // then the server decides
    }

    void tlsMaximumRoundTrips_data()
    {
        QTest::addColumn<ProfileFormat>("format");
        QTest::newRow("json") << ProfileFormat::Json;
        QTest::newRow("msmtp") << ProfileFormat::Msmtp;
    }

    void tlsMaximumRoundTrips()
    {
        QFETCH(ProfileFormat, format);
        ConnectionProfile exactly12 = corpRelay();
        exactly12.tls.maximumVersion = TlsMinimumVersion::Tls12;
        ConnectionProfile upTo13 = gmail();
        upTo13.tls.minimumVersion = TlsMinimumVersion::Tls12;
        upTo13.tls.maximumVersion = TlsMinimumVersion::Tls13;
        const QByteArray text = ProfileFormats::exportProfiles({exactly12, upTo13}, format);
        if (format == ProfileFormat::Msmtp)
            QVERIFY(text.contains("\ntls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.2\n"));
        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, format);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.size(), 2);
        QVERIFY(back->profiles.at(0).tls.maximumVersion == TlsMinimumVersion::Tls12);
        COMPARE_WORDS(back->profiles.at(0).tls.minimumVersion, TlsMinimumVersion::Tls12);
        // 1.3 is the newest there is: at most 1.3 is the same as no maximum in msmtp.
        if (format == ProfileFormat::Json)
            QVERIFY(back->profiles.at(1).tls.maximumVersion == TlsMinimumVersion::Tls13);
        else
            QVERIFY(!back->profiles.at(1).tls.maximumVersion.has_value());
    }

    // The legacy opt-in (TLS 1.0/1.1) round-trips; msmtp's GnuTLS priorities name each version
    // of the range and allow the SHA-1 signatures 1.0/1.1 need; a gap is not a range.
    void tlsLegacyRangeRoundTrips()
    {
        QFETCH(ProfileFormat, format);
        ConnectionProfile legacy = corpRelay();
        legacy.tls.minimumVersion = TlsMinimumVersion::Tls10;
        legacy.tls.maximumVersion = TlsMinimumVersion::Tls12;
        ConnectionProfile from11 = gmail();
        from11.tls.minimumVersion = TlsMinimumVersion::Tls11;
        const QByteArray text = ProfileFormats::exportProfiles({legacy, from11}, format);
        if (format == ProfileFormat::Msmtp) {
            QVERIFY2(text.contains("\ntls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:"
                                   "+VERS-TLS1.0:%VERIFY_ALLOW_SIGN_WITH_SHA1\n"),
                     text.constData());
        }
        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text, format);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back->profiles.size(), 2);
        COMPARE_WORDS(back->profiles.at(0).tls.minimumVersion, TlsMinimumVersion::Tls10);
        QVERIFY(back->profiles.at(0).tls.maximumVersion == TlsMinimumVersion::Tls12);
        COMPARE_WORDS(back->profiles.at(1).tls.minimumVersion, TlsMinimumVersion::Tls11);
        QVERIFY(!back->profiles.at(1).tls.maximumVersion.has_value());
        QVERIFY2(!back->unmapped.join(u'\n').contains(u"tls_priorities"_s),
                 qPrintable(back->unmapped.join(u'\n')));

        if (format == ProfileFormat::Msmtp) {
            const Result<ImportedProfiles> gap = ProfileFormats::importProfiles(
                "account a\nhost a.example.org\nauth off\n"
                "tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.0\n",
                format);
            QVERIFY(gap.ok());
            QCOMPARE(gap->unmapped.size(), 1);
            COMPARE_WORDS(gap->profiles.at(0).tls.minimumVersion, TlsMinimumVersion::Tls12);
        }
    }
    void tlsLegacyRangeRoundTrips_data() { tlsMaximumRoundTrips_data(); }

    void keepOnlySelectsByName()
    {
        Result<ImportedProfiles> read = ProfileFormats::importProfiles(
            ProfileFormats::exportProfiles(samples(), ProfileFormat::Json), std::nullopt);
        QVERIFY(read.ok());
        ImportedProfiles all = read.value();
        QVERIFY(ProfileFormats::keepOnly(all, {}).ok());
        QCOMPARE(all.profiles.size(), 3);
        ImportedProfiles some = read.value();
        QVERIFY(ProfileFormats::keepOnly(some, {u"CORP RELAY"_s, u"gmail"_s}).ok());
        QCOMPARE(some.profiles.size(), 2);
        QCOMPARE(some.profiles.at(0).name, u"Corp relay"_s);
        QCOMPARE(some.profiles.at(1).name, u"gmail"_s);
        ImportedProfiles wrong = read.value();
        const Result<void> missing = ProfileFormats::keepOnly(wrong, {u"gmail"_s, u"nope"_s});
        QVERIFY(!missing.ok());
        QCOMPARE(missing.failure().id, FailureId::NotFound);
        QVERIFY(missing.failure().message.contains(u"nope"_s));
        QCOMPARE(wrong.profiles.size(), 3); // unchanged
    }

    void msmtpRealWorldFile()
    {
        const QByteArray data = readTestData(u"msmtprc-realworld"_s);
        QVERIFY(ProfileFormats::detect(data) == ProfileFormat::Msmtp);
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(data, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        const QString unmapped = result->unmapped.join(u'\n');
        QCOMPARE(result->profiles.size(), 4); // work, gmail, gmail-alias, local; not the alias

        const ConnectionProfile* work = byName(result->profiles, u"work"_s);
        QVERIFY(work);
        QCOMPARE(work->host, u"mail.corp.example.com"_s);
        QCOMPARE(work->effectivePort(), 587);
        COMPARE_WORDS(work->security, Security::StartTls);
        COMPARE_WORDS(work->auth.mechanism, AuthMechanism::Auto);
        QCOMPARE(work->auth.username, u"ops@corp.example.com"_s);
        QCOMPARE(work->sender, u"ops@corp.example.com"_s);
        QCOMPARE(work->heloName, u"ops-laptop.corp.example.com"_s);
        QCOMPARE(work->timeoutSeconds, 20);  // from defaults
        QVERIFY(work->tls.caFile.isEmpty()); // tls_trust_file system
        QVERIFY(work->tls.verifyPeer);
        // The gpg passwordeval (with ~, so through sh as msmtp runs it): kept, disabled.
        QVERIFY(work->auth.passwordSource.kind == SecretSourceKind::Command);
        QVERIFY(!work->auth.passwordSource.enabled);
        QCOMPARE(work->auth.passwordSource.program, u"sh"_s);
        QCOMPARE(work->auth.passwordSource.arguments,
                 (QStringList{u"-c"_s, u"gpg --quiet --for-your-eyes-only --no-tty --decrypt "
                                       "~/.msmtp-work.gpg"_s}));

        const ConnectionProfile* gmail = byName(result->profiles, u"gmail"_s);
        QVERIFY(gmail);
        COMPARE_WORDS(gmail->security, Security::ImplicitTls);
        QCOMPARE(gmail->effectivePort(), 465);
        QCOMPARE(
            gmail->tls.pinnedSha256,
            QStringList{u"4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f506172839"_s});

        const ConnectionProfile* alias = byName(result->profiles, u"gmail-alias"_s);
        QVERIFY(alias);
        QCOMPARE(alias->host, u"smtp.gmail.com"_s); // inherited
        COMPARE_WORDS(alias->security, Security::ImplicitTls);
        QCOMPARE(alias->sender, u"alias@gmail.com"_s);
        COMPARE_WORDS(alias->proxy.type, ProxyType::Socks5);
        QCOMPARE(alias->proxy.port, 9050);

        const ConnectionProfile* local = byName(result->profiles, u"local"_s);
        QVERIFY(local);
        COMPARE_WORDS(local->security, Security::None);
        QCOMPARE(local->effectivePort(), 25);
        QVERIFY(!local->usesAuthentication());

        QSet<QUuid> ids;
        for (const ConnectionProfile& p : result->profiles)
            ids.insert(p.id);
        QCOMPARE(ids.size(), 4);

        // Listed, never silently dropped; the plaintext password never copied anywhere.
        QVERIFY2(unmapped.contains(u"line 7: 'logfile'"_s), qPrintable(unmapped));
        QVERIFY2(!unmapped.contains(u"line 16"_s), qPrintable(unmapped));
        QVERIFY2(unmapped.contains(u"line 26: password"_s), qPrintable(unmapped));
        QVERIFY2(unmapped.contains(u"'syslog'"_s), qPrintable(unmapped));
        QVERIFY2(unmapped.contains(u"account default : work"_s), qPrintable(unmapped));
        QVERIFY(!unmapped.contains(u"hunter2"_s));
        for (const ConnectionProfile& p : result->profiles) {
            const QByteArray json = ProfileFormats::exportProfiles({p}, ProfileFormat::Json);
            QVERIFY(!json.contains("hunter2"));
        }
    }

    void msmtpMalformed_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("expected");
        QTest::newRow("option before account")
            << QByteArray("# comment\nhost smtp.example.com\naccount a\n") << u"line 2: "_s;
        QTest::newRow("unknown command")
            << QByteArray("account a\nhost h\nfrobnicate yes\n") << u"line 3: "_s;
        QTest::newRow("bad port") << QByteArray("defaults\nport abc\naccount a\nhost h\n")
                                  << u"line 2: "_s;
        QTest::newRow("unknown parent")
            << QByteArray("account a\nhost h\n\naccount b : nope\n") << u"line 4: "_s;
        QTest::newRow("twice") << QByteArray("account a\nhost h\naccount a\nhost i\n")
                               << u"line 3: "_s;
    }

    void msmtpMalformed()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, expected);
        const Result<ImportedProfiles> result =
            ProfileFormats::importProfiles(data, ProfileFormat::Msmtp);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().id, FailureId::ParseFailed);
        QVERIFY2(result.failure().message.startsWith(expected),
                 qPrintable(result.failure().message));
    }

    // ---- DSN ----

    void dsnExportExactText()
    {
        const QByteArray text = ProfileFormats::exportProfiles(samples(), ProfileFormat::Dsn);
        dumpOnRequest(text);
        const QString expected =
            u"# Generated by Relaydeck: Symfony Mailer DSNs, one per line. Passwords are not "
            "included.\n"
            "# Corp relay\n"
            "smtp://ops%40corp.example.com@mail.corp.example.com:587?require_tls=true"
            "&local_domain=ops-host.corp.example.com&restart_threshold=100"
            "&restart_threshold_sleep=5&ping_threshold=10&peer_fingerprint="_s +
            pinA +
            u"\n"
            "# local\n"
            "smtp://localhost:25?verify_peer=0&auto_tls=false\n"
            "# gmail\n"
            "smtps://someone%2Btag%40gmail.com@smtp.gmail.com:465\n"_s;
        QCOMPARE(QString::fromUtf8(text), expected);
    }

    void dsnRoundTrip()
    {
        const QByteArray text = ProfileFormats::exportProfiles(samples(), ProfileFormat::Dsn);
        QVERIFY(ProfileFormats::detect(text) == ProfileFormat::Dsn);
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(text, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        COMPARE_WORDS(result->detectedFormat, ProfileFormat::Dsn);
        QCOMPARE(result->profiles.size(), 3);
        QVERIFY(result->unmapped.isEmpty());
        for (qsizetype i = 0; i < 3; ++i) {
            const ConnectionProfile original = samples().at(i);
            const ConnectionProfile& imported = result->profiles.at(i);
            QVERIFY(imported.id != original.id);
            QCOMPARE(imported.name, original.host);
            QCOMPARE(imported.host, original.host);
            QCOMPARE(imported.effectivePort(), original.effectivePort());
            COMPARE_WORDS(imported.security, original.security);
            QCOMPARE(imported.auth.username, original.auth.username);
            QCOMPARE(imported.heloName, original.heloName);
            QCOMPARE(imported.tls.verifyPeer, original.tls.verifyPeer);
            QCOMPARE(imported.tls.pinnedSha256.value(0), original.tls.pinnedSha256.value(0));
            QCOMPARE(imported.options, original.options);
        }
    }

    void dsnImportOfForeignLines()
    {
        const QByteArray data =
            "# app settings\n"
            "\n"
            "smtp://mailer:S3cretPass@relay.example.org?verify_peer=false\n"
            "gmail+smtp://USER:PASS@default\n"
            "smtp://relay.example.org:465\n"
            "MAILER_DSN=\"smtps://app%40example.org@mx.example.org?local_domain=web1\"\n";
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(data, std::nullopt);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QCOMPARE(result->profiles.size(), 3);
        QCOMPARE(result->profiles.at(0).auth.username, u"mailer"_s);
        QCOMPARE(result->profiles.at(2).auth.username, u"app@example.org"_s);
        QCOMPARE(result->profiles.at(2).heloName, u"web1"_s);
        COMPARE_WORDS(result->profiles.at(2).security, Security::ImplicitTls);
        QCOMPARE(result->profiles.at(0).effectivePort(), 25); // Symfony's smtp:// default
        // smtp:// is Symfony's automatic TLS: security auto (opportunistic on port 25).
        COMPARE_WORDS(result->profiles.at(0).security, Security::Auto);
        QVERIFY(!result->profiles.at(0).tls.verifyPeer);
        COMPARE_WORDS(result->profiles.at(1).security, Security::Auto); // auto on 465: TLS
        QCOMPARE(result->profiles.at(1).effectivePort(), 465);
        COMPARE_WORDS(AutoSecurity::planned(result->profiles.at(1)), Security::ImplicitTls);
        const QString unmapped = result->unmapped.join(u'\n');
        QVERIFY2(unmapped.contains(u"line 3: the password was not copied"_s), qPrintable(unmapped));
        QVERIFY2(unmapped.contains(u"line 4: 'gmail+smtp://'"_s), qPrintable(unmapped));
        QVERIFY(!unmapped.contains(u"S3cretPass"_s));
        QVERIFY(!unmapped.contains(u"PASS"_s));
    }

    // Security auto and the DSN: smtp:// means auto; require_tls and auto_tls pick the others.
    void dsnSecurityAuto_data()
    {
        QTest::addColumn<QString>("dsn");
        QTest::addColumn<int>("security");
        QTest::addColumn<int>("port");
        const int none = int(Security::None), starttls = int(Security::StartTls),
                  tls = int(Security::ImplicitTls), automatic = int(Security::Auto);
        QTest::newRow("smtp:// 587") << u"smtp://mx.example.org:587"_s << automatic << 587;
        QTest::newRow("smtp:// no port") << u"smtp://mx.example.org"_s << automatic << 25;
        QTest::newRow("smtp:// 465") << u"smtp://mx.example.org:465"_s << automatic << 465;
        QTest::newRow("require_tls")
            << u"smtp://mx.example.org:587?require_tls=true"_s << starttls << 587;
        QTest::newRow("require_tls 465")
            << u"smtp://mx.example.org:465?require_tls=1"_s << tls << 465;
        QTest::newRow("require_tls=false")
            << u"smtp://mx.example.org:2525?require_tls=false"_s << automatic << 2525;
        QTest::newRow("auto_tls=false")
            << u"smtp://mx.example.org:25?auto_tls=false"_s << none << 25;
        QTest::newRow("smtps://") << u"smtps://mx.example.org"_s << tls << 465;
    }

    void dsnSecurityAuto()
    {
        QFETCH(QString, dsn);
        QFETCH(int, security);
        QFETCH(int, port);
        const Result<ImportedProfiles> result =
            ProfileFormats::importProfiles(dsn.toUtf8(), ProfileFormat::Dsn);
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        QCOMPARE(result->profiles.size(), 1);
        const ConnectionProfile& imported = result->profiles.first();
        COMPARE_WORDS(imported.security, static_cast<Security>(security));
        QCOMPARE(imported.effectivePort(), port);
        // And back: the same security and port.
        const Result<ImportedProfiles> again = ProfileFormats::importProfiles(
            ProfileFormats::exportProfiles({imported}, ProfileFormat::Dsn), ProfileFormat::Dsn);
        QVERIFY2(again.ok(), qPrintable(again.failureMessage()));
        COMPARE_WORDS(again->profiles.first().security, imported.security);
        QCOMPARE(again->profiles.first().effectivePort(), port);
    }

    void dsnExportOfAuto()
    {
        ConnectionProfile p = corpRelay();
        p.security = Security::Auto;
        p.auth.username.clear();
        p.heloName.clear();
        p.options.clear();
        p.tls.pinnedSha256.clear();
        QCOMPARE(DsnProfileFormat::toDsn(p), u"smtp://mail.corp.example.com:587"_s);
        p.port = 465;
        QCOMPARE(DsnProfileFormat::toDsn(p), u"smtp://mail.corp.example.com:465"_s);
    }

    // ---- security auto in msmtp: no automatic mode there ----

    void msmtpSecurityAuto_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("tlsStartTls");
        QTest::addColumn<QString>("note");
        QTest::newRow("587") << 587 << u"on"_s
                             << u"# Relaydeck security: auto (exported as STARTTLS required: msmtp "
                                "cannot go on unencrypted when the server does not offer "
                                "STARTTLS)"_s;
        QTest::newRow("25") << 25 << u"on"_s
                            << u"# Relaydeck security: auto (exported as STARTTLS required"_s;
        QTest::newRow("465") << 465 << u"off"_s
                             << u"# Relaydeck security: auto (implicit TLS on port 465)"_s;
    }

    void msmtpSecurityAuto()
    {
        QFETCH(int, port);
        QFETCH(QString, tlsStartTls);
        QFETCH(QString, note);
        ConnectionProfile p = corpRelay();
        p.security = Security::Auto;
        p.port = port;
        const QString text =
            QString::fromUtf8(ProfileFormats::exportProfiles({p}, ProfileFormat::Msmtp));
        dumpOnRequest(text.toUtf8());
        QVERIFY2(text.contains(u"\ntls on\n"_s), qPrintable(text));
        QVERIFY2(text.contains(u"\ntls_starttls "_s + tlsStartTls + u'\n'), qPrintable(text));
        QVERIFY2(text.contains(note), qPrintable(text));
        // The note stands above the account line, so it belongs to this account.
        QVERIFY(text.indexOf(note) < text.indexOf(u"\naccount "_s));

        const Result<ImportedProfiles> back = ProfileFormats::importProfiles(text.toUtf8(), {});
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        COMPARE_WORDS(back->profiles.first().security, Security::Auto);
        QCOMPARE(back->profiles.first().effectivePort(), port);
        QVERIFY2(back->unmapped.isEmpty(), qPrintable(back->unmapped.join(u'\n')));

        // Someone turned TLS off in the file: it is no longer auto.
        QString edited = text;
        edited.replace(u"\ntls on\n"_s, u"\ntls off\n"_s);
        const Result<ImportedProfiles> off = ProfileFormats::importProfiles(edited.toUtf8(), {});
        QVERIFY2(off.ok(), qPrintable(off.failureMessage()));
        COMPARE_WORDS(off->profiles.first().security, Security::None);
    }

    void msmtpWithoutTheNoteIsNotAuto()
    {
        const QByteArray file = "account a\nhost mx.example.org\nport 587\ntls on\n"
                                "tls_starttls on\n";
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(file, {});
        QVERIFY2(result.ok(), qPrintable(result.failureMessage()));
        COMPARE_WORDS(result->profiles.first().security, Security::StartTls);
        // A note that names a plain word is not taken for more than it says either.
        const Result<ImportedProfiles> noted = ProfileFormats::importProfiles(
            "# Relaydeck security: auto\naccount a\nhost mx.example.org\nport 465\ntls on\n"
            "tls_starttls on\n",
            {});
        QVERIFY2(noted.ok(), qPrintable(noted.failureMessage()));
        // STARTTLS on port 465 is not what auto would do there: the file's word wins.
        COMPARE_WORDS(noted->profiles.first().security, Security::StartTls);
    }

    void dsnMalformed()
    {
        const Result<ImportedProfiles> result = ProfileFormats::importProfiles(
            "smtp://ok.example.org\nsmtp://[broken\n", ProfileFormat::Dsn);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().id, FailureId::ParseFailed);
        QVERIFY2(result.failure().message.startsWith(u"line 2: "_s),
                 qPrintable(result.failure().message));
    }

    // ---- all formats ----

    void undetectable()
    {
        QVERIFY(!ProfileFormats::detect("<xml/>").has_value());
        const Result<ImportedProfiles> result =
            ProfileFormats::importProfiles("<xml/>", std::nullopt);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().id, FailureId::ParseFailed);
        QVERIFY(!result.failure().message.isEmpty());
    }

    void noSecretInAnyExport()
    {
        // Profiles carry no secret fields; make sure nothing password-like is invented either,
        // and that msmtp gets its password only through the keychain command.
        for (const auto format : {ProfileFormat::Json, ProfileFormat::Msmtp, ProfileFormat::Dsn}) {
            const QString text =
                QString::fromUtf8(ProfileFormats::exportProfiles(samples(), format));
            const QStringList lines = text.split(u'\n');
            for (const QString& line : lines) {
                QVERIFY2(!line.startsWith(u"password "_s), qPrintable(line));
                QVERIFY2(!line.contains(u"\"password\""_s), qPrintable(line));
                QVERIFY2(!line.contains(u"hunter2"_s), qPrintable(line));
            }
            if (format == ProfileFormat::Dsn) {
                // user@host only: no "user:password@"
                QVERIFY(!text.contains(u"%40corp.example.com:"_s));
            }
        }
        QCOMPARE(MsmtpProfileFormat::passwordEvalCommand(corpRelay().id),
                 u"secret-tool lookup server relaydeck user "
                 "11111111-2222-4333-8444-555555555555:smtp-password"_s);
    }
};

QTEST_GUILESS_MAIN(ProfileFormatsTest)
#include "tst_profileformats.moc"
