// relaydeck-cli's profile commands, run as the real binary on a temporary config folder. The
// keychain is made unreachable on purpose: profiles without secrets must not need it, and
// anything needing it must fail cleanly (tst_keychain covers the working keychain). Only the
// export/import round trip of every preset uses the real keychain, in the private keyring
// session this test starts when dbus-run-session and gnome-keyring are there.
#include "PrivateKeyringSession.h"
#include "profile/Presets.h"
#include "profile/ProfileJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliProfiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QString configDir;
    QString filePath;
    bool useKeychain = false; // the private keyring session's, instead of an unreachable one

    CliRun cli(const QStringList& arguments, const QByteArray& input = {},
               const QMap<QString, QString>& variables = {})
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (auto it = variables.begin(); it != variables.end(); ++it)
            environment.insert(it.key(), it.value());
        environment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir);
        if (!useKeychain)
            environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
        environment.insert(u"RELAYDECK_TEST_SECRET"_s, u"pw-on-env"_s);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(RELAYDECK_CLI_PATH), arguments);
        process.write(input);
        process.closeWriteChannel();
        CliRun run;
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    QJsonObject shown(const QString& name)
    {
        return QJsonDocument::fromJson(cli({u"show"_s, name, u"--json"_s}).out.toUtf8()).object();
    }

private slots:
    void init()
    {
        static int counter = 0;
        configDir = dir.filePath(u"config%1"_s.arg(++counter));
        filePath = QDir(configDir).filePath(u"connections.json"_s);
        useKeychain = false;
    }

    // Every preset, exported and imported again into another config folder on the same machine
    // (same keychain): the preset (and so its notes) stays, our own msmtp passwordeval lines and
    // JSON ids keep the link to the password already in the keychain (no "set the password"
    // advice, nothing unmapped), and names come back as they were. A DSN cannot carry an id, a
    // name or a preset: its preset is found by the server, and the password is asked for.
    void presetsRoundTripWithTheirKeychainEntries_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("json") << u"json"_s;
        QTest::newRow("msmtp") << u"msmtp"_s;
        QTest::newRow("dsn") << u"dsn"_s;
    }

    void presetsRoundTripWithTheirKeychainEntries()
    {
        if (!inPrivateKeyringSession())
            QSKIP("needs dbus-run-session and gnome-keyring (scripts/test installs them)");
        QFETCH(QString, format);
        useKeychain = true;
        const QString secret = u"pw-on-env"_s; // RELAYDECK_TEST_SECRET
        QMap<QString, QString> hostOf;
        int signInPresets = 0;
        for (const Preset& preset : Presets::all()) {
            QStringList add{u"add"_s, preset.displayName, u"--preset"_s, preset.id};
            hostOf[preset.id] = preset.hostFor();
            if (preset.host.isEmpty()) {
                hostOf[preset.id] = u"mail.corp.example"_s;
                add << u"--host"_s << hostOf[preset.id];
            }
            const bool signsIn = preset.mechanism == AuthMechanism::XOAuth2 ||
                                 preset.mechanism == AuthMechanism::OAuthBearer;
            if (signsIn)
                ++signInPresets; // no password: a browser sign-in, later
            if (preset.mechanism != AuthMechanism::None)
                add << u"--user"_s
                    << (preset.username.isEmpty() ? u"me@example.com"_s : preset.username);
            if (preset.mechanism != AuthMechanism::None && !signsIn)
                add << u"--password-env"_s << u"RELAYDECK_TEST_SECRET"_s;
            const CliRun added = cli(add);
            QVERIFY2(added.exitCode == 0, qPrintable(preset.id + u": "_s + added.err));
        }
        const QString exportFile = dir.filePath(u"presets-%1.%2"_s.arg(configDir.right(2), format));
        CliRun run = cli({u"export"_s, u"--format"_s, format, u"--output"_s, exportFile});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        init(); // another config folder, the same keychain
        useKeychain = true;
        run = cli({u"import"_s, exportFile});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(signInPresets > 0);
        if (format != u"dsn"_s) {
            // An OAuth account's msmtprc asks relaydeck-cli for the token (passwordeval): our own
            // line, recognised, so it keeps signing in and nothing is reported lost.
            QVERIFY2(!run.err.contains(u"Not imported"_s), qPrintable(run.err));
            QVERIFY2(!run.out.contains(u"set NAME --password-stdin"_s), qPrintable(run.out));
        }
        for (const Preset& preset : Presets::all()) {
            const bool dsn = format == u"dsn"_s;
            const QString name = dsn ? hostOf[preset.id] : preset.displayName;
            const QJsonObject profile = shown(name);
            QVERIFY2(!profile.isEmpty(), qPrintable(name + u" missing after import: "_s + run.out));
            QCOMPARE(profile.value(u"host"_s).toString(), hostOf[preset.id]);
            QCOMPARE(profile.value(u"preset"_s).toString(),
                     dsn && preset.host.isEmpty() ? QString() : preset.id);
            if (preset.mechanism == AuthMechanism::None)
                continue;
            const QString key = profile.value(u"id"_s).toString() + u":smtp-password"_s;
            if (preset.mechanism == AuthMechanism::XOAuth2 ||
                preset.mechanism == AuthMechanism::OAuthBearer) {
                QVERIFY(!secretToolLookup(key).has_value()); // signs in; no password
                if (!dsn)
                    QCOMPARE(profile.value(u"oauth"_s).toObject().value(u"provider"_s).toString(),
                             toString(preset.oauth.provider));
                continue;
            }
            if (dsn) {
                QVERIFY(!secretToolLookup(key).has_value());
                QVERIFY2(run.out.contains(name), qPrintable(run.out)); // asked for
            } else {
                QCOMPARE(secretToolLookup(key), std::optional(secret));
            }
        }
    }

    // --only picks connections by their names in the file; an unknown name changes nothing.
    void importOnlySomeConnections()
    {
        QCOMPARE(cli({u"add"_s, u"one"_s, u"--host"_s, u"one.example"_s}).exitCode, 0);
        QCOMPARE(cli({u"add"_s, u"two"_s, u"--host"_s, u"two.example"_s}).exitCode, 0);
        QCOMPARE(cli({u"add"_s, u"three"_s, u"--host"_s, u"three.example"_s}).exitCode, 0);
        const QString exportFile = dir.filePath(u"only%1.json"_s.arg(configDir.right(2)));
        QCOMPARE(cli({u"export"_s, u"--output"_s, exportFile}).exitCode, 0);

        init();
        CliRun run = cli({u"import"_s, exportFile, u"--only"_s, u"ONE,three"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList names;
        for (const QJsonValue& p :
             QJsonDocument::fromJson(cli({u"list"_s, u"--json"_s}).out.toUtf8()).array())
            names << p.toObject().value(u"name"_s).toString();
        QCOMPARE(names, (QStringList{u"one"_s, u"three"_s}));

        const QByteArray before = readAll(filePath);
        run = cli({u"import"_s, exportFile, u"--only"_s, u"two"_s, u"--only"_s, u"four"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"four"_s), qPrintable(run.err));
        QCOMPARE(readAll(filePath), before);
    }

    void helpForEveryCommand()
    {
        CliRun run = cli({u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        const QStringList commands = {u"list"_s, u"show"_s,   u"presets"_s, u"add"_s,
                                      u"set"_s,  u"rename"_s, u"copy"_s,    u"remove"_s,
                                      u"test"_s, u"export"_s, u"import"_s};
        for (const QString& command : commands) {
            QVERIFY2(run.out.contains(u"  "_s + command + u' '), qPrintable(command));
            const CliRun help = cli({command, u"--help"_s});
            QCOMPARE(help.exitCode, 0);
            QVERIFY2(help.out.contains(u"relaydeck-cli [--config-dir DIR] "_s + command),
                     qPrintable(help.out));
        }
        QVERIFY(cli({u"add"_s, u"--help"_s}).out.contains(u"--password-env"_s));
        QVERIFY(cli({u"test"_s, u"--help"_s}).out.contains(u"--send-to"_s));
    }

    void badUsageExitsTwo()
    {
        QCOMPARE(cli({}).exitCode, 2);
        CliRun run = cli({u"frobnicate"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"frobnicate"_s));
        QCOMPARE(cli({u"show"_s}).exitCode, 2);
        QCOMPARE(cli({u"list"_s, u"--bogus"_s}).exitCode, 2);
        QCOMPARE(cli({u"rename"_s, u"a"_s}).exitCode, 2);
        // There is no option taking a secret on the command line.
        run = cli({u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--password"_s, u"secret"_s});
        QCOMPARE(run.exitCode, 2);
        run = cli({u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--proxy"_s,
                   u"socks5://user:secret@proxy:1080"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"--proxy-password-env"_s));
        QVERIFY(!QFile::exists(filePath));
        QCOMPARE(cli({u"test"_s}).exitCode, 2); // neither NAME nor --host
        // Test all tests the stored connections as they are.
        run = cli({u"test"_s, u"--all"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"no connections to test"_s), qPrintable(run.err));
        QVERIFY(cli({u"add"_s, u"x"_s, u"--host"_s, u"h.example"_s}).exitCode == 0);
        run = cli({u"test"_s, u"--all"_s, u"--host"_s, u"other.example"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"not --host"_s), qPrintable(run.err));
        QCOMPARE(cli({u"test"_s, u"x"_s, u"--all"_s}).exitCode, 2);
        QCOMPARE(cli({u"test"_s, u"x"_s, u"--parallel"_s, u"2"_s}).exitCode, 2);
        QCOMPARE(cli({u"test"_s, u"--all"_s, u"--parallel"_s, u"0"_s}).exitCode, 2);
    }

    // relaydeck-cli speaks the user's language (the desktop app's German translation); the
    // JSON keys and error ids do not change with it.
    void speaksTheUsersLanguage()
    {
        const QMap<QString, QString> german{{u"LANGUAGE"_s, u"de"_s},
                                            {u"LC_ALL"_s, u"de_DE.UTF-8"_s}};
        const QMap<QString, QString> english{{u"LANGUAGE"_s, u""_s}, {u"LC_ALL"_s, u"C.UTF-8"_s}};
        CliRun run = cli({u"test"_s, u"--all"_s}, {}, german);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"gibt es keine Verbindungen zum Testen"_s), qPrintable(run.err));
        run = cli({u"test"_s, u"--all"_s}, {}, english);
        QVERIFY2(run.err.contains(u"there are no connections to test"_s), qPrintable(run.err));
        QVERIFY2(cli({u"test"_s, u"--help"_s}, {}, german)
                     .out.contains(u"Den Testbericht als JSON ausgeben."_s),
                 "the help is not in German");

        QCOMPARE(cli({u"add"_s, u"closed"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"1"_s,
                      u"--security"_s, u"none"_s},
                     {}, german)
                     .exitCode,
                 0);
        run = cli({u"test"_s, u"closed"_s, u"--json"_s}, {}, german);
        QCOMPARE(run.exitCode, 1);
        const QJsonObject error =
            QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"id"_s).toString(), u"connection-refused"_s);
        const CliRun inEnglish = cli({u"test"_s, u"closed"_s, u"--json"_s}, {}, english);
        const QString englishHint = QJsonDocument::fromJson(inEnglish.out.toUtf8())
                                        .object()
                                        .value(u"error"_s)
                                        .toObject()
                                        .value(u"hint"_s)
                                        .toString();
        QVERIFY(!englishHint.isEmpty());
        QVERIFY2(error.value(u"hint"_s).toString() != englishHint, qPrintable(englishHint));
    }

    void configDirOption()
    {
        const QString other = dir.filePath(u"explicit"_s);
        QCOMPARE(
            cli({u"--config-dir"_s, other, u"add"_s, u"a"_s, u"--host"_s, u"h.example"_s}).exitCode,
            0);
        QVERIFY(QFile::exists(QDir(other).filePath(u"connections.json"_s)));
        QVERIFY(!QFile::exists(filePath));
        // After the command too.
        QCOMPARE(cli({u"list"_s, u"--config-dir"_s, other}).out.count(u"h.example"_s), 1);
    }

    void addShowListAsInTheFile()
    {
        CliRun run = cli({u"list"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(cli({u"list"_s, u"--json"_s}).out.trimmed(), u"[\n]"_s);

        run = cli({u"add"_s,
                   u"Office Relay"_s,
                   u"--host"_s,
                   u"relay.example.com"_s,
                   u"--security"_s,
                   u"none"_s,
                   u"--helo"_s,
                   u"client.example.com"_s,
                   u"--from"_s,
                   u"alerts@example.com"_s,
                   u"--timeout"_s,
                   u"20"_s,
                   u"--pin"_s,
                   u"AB:"_s.repeated(31) + u"AB"_s,
                   u"--no-verify"_s,
                   u"--tls-min"_s,
                   u"1.3"_s,
                   u"--option"_s,
                   u"restart_threshold=100"_s,
                   u"--proxy"_s,
                   u"http://bob@proxy.example.com:3128"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        const QJsonObject object = shown(u"office relay"_s);
        const QJsonArray inFile =
            QJsonDocument::fromJson(readAll(filePath)).object().value(u"profiles"_s).toArray();
        QCOMPARE(inFile.size(), 1);
        QCOMPARE(object, inFile.first().toObject());  // exactly as in the file
        QCOMPARE(object.value(u"port"_s).toInt(), 0); // follows the security mode
        QCOMPARE(object.value(u"security"_s).toString(), u"none"_s);
        QCOMPARE(object.value(u"timeout"_s).toInt(), 20);
        QCOMPARE(object.value(u"tls"_s).toObject().value(u"pinnedSha256"_s).toArray().first(),
                 QJsonValue(u"ab"_s.repeated(32)));
        QCOMPARE(object.value(u"tls"_s).toObject().value(u"verify"_s).toBool(), false);
        QCOMPARE(object.value(u"proxy"_s).toObject().value(u"type"_s).toString(), u"http"_s);
        QCOMPARE(object.value(u"proxy"_s).toObject().value(u"username"_s).toString(), u"bob"_s);
        QCOMPARE(object.value(u"options"_s).toObject().value(u"restart_threshold"_s).toString(),
                 u"100"_s);

        const QJsonArray listed =
            QJsonDocument::fromJson(cli({u"list"_s, u"--json"_s}).out.toUtf8()).array();
        QCOMPARE(listed, inFile);
        run = cli({u"list"_s});
        QVERIFY(run.out.contains(u"Office Relay"_s));
        QVERIFY(run.out.contains(u"relay.example.com:25"_s));
        run = cli({u"show"_s, u"OFFICE RELAY"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(u"client.example.com"_s));
        run = cli({u"show"_s, u"nope"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"Office Relay"_s)); // names the known ones
    }

    // --security auto: stored as "auto", port 587 when none is given, shown with what it does
    // on that port, exported as smtp:// (DSN) and as STARTTLS/implicit TLS with a note (msmtp),
    // and imported back as auto.
    void securityAuto()
    {
        CliRun run = cli(
            {u"add"_s, u"auto"_s, u"--host"_s, u"mx.example.com"_s, u"--security"_s, u"auto"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonObject object = shown(u"auto"_s);
        QCOMPARE(object.value(u"security"_s).toString(), u"auto"_s);
        QCOMPARE(object.value(u"port"_s).toInt(), 0);
        run = cli({u"show"_s, u"auto"_s});
        QVERIFY2(run.out.contains(u"mx.example.com:587 (default port)"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"auto (STARTTLS, required unless the host is loopback)"_s),
                 qPrintable(run.out));
        run = cli({u"list"_s});
        QVERIFY2(run.out.contains(u"auto"_s), qPrintable(run.out));

        run = cli({u"set"_s, u"auto"_s, u"--port"_s, u"25"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(cli({u"show"_s, u"auto"_s})
                    .out.contains(u"auto (port 25: STARTTLS when offered, else unencrypted with a "
                                  "warning)"_s));
        run = cli({u"export"_s, u"auto"_s, u"--format"_s, u"dsn"_s});
        QVERIFY2(run.out.contains(u"\nsmtp://mx.example.com:25\n"_s), qPrintable(run.out));
        run = cli({u"export"_s, u"auto"_s, u"--format"_s, u"msmtp"_s});
        QVERIFY2(run.out.contains(u"# Relaydeck security: auto (exported as STARTTLS required"_s),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(u"\ntls_starttls on\n"_s), qPrintable(run.out));

        run = cli({u"set"_s, u"auto"_s, u"--port"_s, u"465"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(cli({u"show"_s, u"auto"_s}).out.contains(u"auto (port 465: implicit TLS)"_s));
        const QString msmtp = cli({u"export"_s, u"auto"_s, u"--format"_s, u"msmtp"_s}).out;
        QVERIFY2(msmtp.contains(u"\ntls_starttls off\n"_s), qPrintable(msmtp));
        const QString exported = dir.filePath(u"auto.msmtprc"_s);
        QVERIFY(cli({u"export"_s, u"auto"_s, u"--format"_s, u"msmtp"_s, u"--output"_s, exported})
                    .exitCode == 0);
        QVERIFY(cli({u"remove"_s, u"auto"_s}).exitCode == 0);
        run = cli({u"import"_s, exported});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        object = shown(u"auto"_s);
        QCOMPARE(object.value(u"security"_s).toString(), u"auto"_s);
        QCOMPARE(object.value(u"port"_s).toInt(), 465);

        // A word that is not one is refused, naming the words there are.
        run = cli({u"set"_s, u"auto"_s, u"--security"_s, u"automatic"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"expected none, starttls, tls or auto"_s), qPrintable(run.err));
        run = cli({u"test"_s, u"--help"_s});
        QVERIFY2(
            run.out.simplified().contains(u"or auto (implicit TLS on port 465, else STARTTLS;"_s),
            qPrintable(run.out));
    }

    void addRefusesInvalidAndDuplicateNames()
    {
        QCOMPARE(cli({u"add"_s, u"a"_s, u"--host"_s, u"h.example"_s}).exitCode, 0);
        const QByteArray before = readAll(filePath);
        CliRun run = cli({u"add"_s, u"A"_s, u"--host"_s, u"h.example"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"name"_s));
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"bad host"_s, u"--port"_s, u"70000"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"--port"_s));
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"bad host"_s, u"--timeout"_s, u"0"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"host:"_s));
        QVERIFY(run.err.contains(u"timeout:"_s));
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h"_s, u"--pin"_s, u"xyz"_s});
        QCOMPARE(run.exitCode, 2);
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h"_s, u"--security"_s, u"ssl"_s});
        QCOMPARE(run.exitCode, 2);
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h"_s, u"--ca-file"_s, u"/nonexistent.pem"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"tls.caFile"_s));
        QCOMPARE(readAll(filePath), before);
    }

    void presets()
    {
        CliRun run = cli({u"presets"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        QStringList ids;
        for (const QJsonValue& value : QJsonDocument::fromJson(run.out.toUtf8()).array())
            ids << value.toObject().value(u"id"_s).toString();
        QCOMPARE(ids,
                 (QStringList{u"exchange"_s, u"office365"_s, u"gmail"_s, u"ses"_s, u"outlook"_s,
                              u"yahoo"_s, u"icloud"_s, u"fastmail"_s, u"zoho"_s, u"sendgrid"_s,
                              u"mailgun"_s, u"postmark"_s, u"brevo"_s, u"local"_s}));
        run = cli({u"presets"_s});
        QVERIFY(run.out.contains(u"smtp.office365.com:587 starttls"_s));
        QVERIFY(run.out.contains(u"eu-west-1"_s));

        run = cli({u"add"_s, u"ses"_s, u"--preset"_s, u"ses"_s, u"--region"_s, u"eu-west-1"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(u"IAM"_s)); // the preset's note is shown
        QJsonObject object = shown(u"ses"_s);
        QCOMPARE(object.value(u"host"_s).toString(), u"email-smtp.eu-west-1.amazonaws.com"_s);
        QCOMPARE(object.value(u"security"_s).toString(), u"tls"_s);
        QCOMPARE(object.value(u"preset"_s).toString(), u"ses"_s);

        // Gmail's alternative: switch the security, the port follows.
        run = cli({u"add"_s, u"gm"_s, u"--preset"_s, u"gmail"_s, u"--security"_s, u"starttls"_s,
                   u"--user"_s, u"me@gmail.com"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(cli({u"list"_s}).out.contains(u"smtp.gmail.com:587"_s));

        QCOMPARE(
            cli({u"add"_s, u"x"_s, u"--preset"_s, u"ses"_s, u"--region"_s, u"mars-1"_s}).exitCode,
            2);
        QCOMPARE(cli({u"add"_s, u"x"_s, u"--preset"_s, u"nope"_s}).exitCode, 2);
        QCOMPARE(
            cli({u"add"_s, u"x"_s, u"--region"_s, u"eu-west-1"_s, u"--host"_s, u"h"_s}).exitCode,
            2);
        // Exchange is "your server": the host must be given.
        run = cli({u"add"_s, u"x"_s, u"--preset"_s, u"exchange"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"host"_s));
    }

    void setRenameCopyRemove()
    {
        QCOMPARE(cli({u"add"_s, u"a"_s, u"--host"_s, u"h.example"_s}).exitCode, 0);
        const QString id = shown(u"a"_s).value(u"id"_s).toString();

        CliRun run = cli({u"set"_s, u"A"_s, u"--port"_s, u"2525"_s, u"--description"_s, u"d"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(shown(u"a"_s).value(u"port"_s).toInt(), 2525);
        QCOMPARE(shown(u"a"_s).value(u"host"_s).toString(), u"h.example"_s); // untouched
        run = cli({u"set"_s, u"a"_s, u"--timeout"_s, u"9999"_s});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(shown(u"a"_s).value(u"timeout"_s).toInt(), 30);

        QCOMPARE(cli({u"rename"_s, u"a"_s, u"b"_s}).exitCode, 0);
        QCOMPARE(shown(u"b"_s).value(u"id"_s).toString(), id);
        QCOMPARE(cli({u"copy"_s, u"b"_s, u"c"_s}).exitCode, 0);
        QVERIFY(shown(u"c"_s).value(u"id"_s).toString() != id);
        QCOMPARE(shown(u"c"_s).value(u"port"_s).toInt(), 2525);
        QCOMPARE(cli({u"copy"_s, u"b"_s, u"C"_s}).exitCode, 2);
        QCOMPARE(cli({u"rename"_s, u"b"_s, u"c"_s}).exitCode, 2);

        // No secrets, so no keychain is needed to remove it.
        run = cli({u"remove"_s, u"b"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(cli({u"show"_s, u"b"_s}).exitCode, 2);
        QCOMPARE(cli({u"remove"_s, u"b"_s}).exitCode, 2);
    }

    void passwordWithoutKeychainChangesNothing()
    {
        QCOMPARE(cli({u"add"_s, u"a"_s, u"--host"_s, u"h.example"_s}).exitCode, 0);
        const QByteArray before = readAll(filePath);
        CliRun run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h.example"_s, u"--user"_s, u"u"_s,
                          u"--password-env"_s, u"RELAYDECK_TEST_SECRET"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"keyring"_s));
        QVERIFY(!run.err.contains(u"pw-on-env"_s));
        run = cli({u"set"_s, u"a"_s, u"--user"_s, u"u"_s, u"--password-stdin"_s}, "pw\n");
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(readAll(filePath), before);
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h"_s, u"--password-env"_s, u"UNSET_VAR_X"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"UNSET_VAR_X"_s));
        run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h"_s, u"--password-env"_s,
                   u"RELAYDECK_TEST_SECRET"_s});
        QCOMPARE(run.exitCode, 2); // a password without a user name
        QCOMPARE(readAll(filePath), before);
    }

    void exportImportRoundTrip()
    {
        QCOMPARE(cli({u"add"_s, u"one"_s, u"--host"_s, u"one.example"_s}).exitCode, 0);
        QCOMPARE(cli({u"add"_s, u"two"_s, u"--host"_s, u"two.example"_s, u"--security"_s, u"tls"_s})
                     .exitCode,
                 0);
        const QString exportFile = dir.filePath(u"export%1.json"_s).arg(configDir.right(2));
        CliRun run = cli({u"export"_s, u"--output"_s, exportFile});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        run = cli({u"export"_s, u"two"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8())
                     .object()
                     .value(u"profiles"_s)
                     .toArray()
                     .size(),
                 1);
        QVERIFY(cli({u"export"_s, u"--format"_s, u"dsn"_s}).out.contains(u"smtps://"_s));
        QCOMPARE(cli({u"export"_s, u"--format"_s, u"xml"_s}).exitCode, 2);
        QCOMPARE(cli({u"export"_s, u"missing"_s}).exitCode, 2);

        // Default policy fail: nothing changes at all.
        const QByteArray before = readAll(filePath);
        run = cli({u"import"_s, exportFile});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(readAll(filePath), before);

        run = cli({u"import"_s, exportFile, u"--on-conflict"_s, u"rename"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(shown(u"one (2)"_s).value(u"host"_s).toString(), u"one.example"_s);
        QVERIFY(shown(u"one (2)"_s).value(u"id"_s) != shown(u"one"_s).value(u"id"_s));

        run = cli({u"import"_s, exportFile, u"--on-conflict"_s, u"skip"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(cli({u"list"_s, u"--json"_s}).out.toUtf8()).array().size(),
                 4);

        QCOMPARE(cli({u"set"_s, u"one"_s, u"--host"_s, u"changed.example"_s}).exitCode, 0);
        const QString id = shown(u"one"_s).value(u"id"_s).toString();
        run = cli({u"import"_s, exportFile, u"--on-conflict"_s, u"replace"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(shown(u"one"_s).value(u"host"_s).toString(), u"one.example"_s);
        QCOMPARE(shown(u"one"_s).value(u"id"_s).toString(), id); // keeps id and secrets

        // msmtp and DSN through stdin, detected by content.
        run = cli({u"import"_s, u"-"_s},
                  "account relay\nhost mail.example.net\nport 587\ntls on\ntls_starttls on\n");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(u"msmtp"_s));
        run = cli({u"import"_s, u"-"_s, u"--format"_s, u"dsn"_s},
                  "smtps://user@dsn.example.org:465?verify_peer=0\n");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        const QByteArray beforeBad = readAll(filePath);
        run = cli({u"import"_s, u"-"_s, u"--format"_s, u"json"_s}, "{ not json");
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"line"_s));
        QCOMPARE(readAll(filePath), beforeBad);
        QCOMPARE(cli({u"import"_s, dir.filePath(u"missing.json"_s)}).exitCode, 2);
        QCOMPARE(cli({u"import"_s, exportFile, u"--on-conflict"_s, u"merge"_s}).exitCode, 2);
    }

    void corruptFileIsRefusedAndKept()
    {
        QVERIFY(QDir().mkpath(configDir));
        const QByteArray corrupt = "{\"format\": \"relaydeck-profiles\", \"version\": 1,\n"
                                   "  \"profiles\": [ oops ]\n}\n";
        QFile file(filePath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(corrupt);
        file.close();
        for (const QStringList& arguments :
             {QStringList{u"list"_s}, QStringList{u"add"_s, u"a"_s, u"--host"_s, u"h"_s},
              QStringList{u"export"_s}}) {
            const CliRun run = cli(arguments);
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(filePath), qPrintable(run.err));
            QVERIFY2(run.err.contains(u"line 2"_s), qPrintable(run.err));
        }
        QCOMPARE(readAll(filePath), corrupt);

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"format": "relaydeck-profiles", "version": 7, "profiles": []})");
        file.close();
        const CliRun run = cli({u"add"_s, u"a"_s, u"--host"_s, u"h"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"newer"_s));
    }

    void lockHeldByAnotherProcess()
    {
        QCOMPARE(cli({u"add"_s, u"a"_s, u"--host"_s, u"h.example"_s}).exitCode, 0);
        QLockFile lock(filePath + u".lock"_s);
        QVERIFY(lock.tryLock(0));
        const CliRun run = cli({u"add"_s, u"b"_s, u"--host"_s, u"h.example"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(
            run.err.contains(u"another Relaydeck is changing the profiles"_s, Qt::CaseInsensitive),
            qPrintable(run.err));
        QCOMPARE(cli({u"list"_s}).exitCode, 0); // reading still works
        lock.unlock();
        QCOMPARE(cli({u"add"_s, u"b"_s, u"--host"_s, u"h.example"_s}).exitCode, 0);
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::IfInstalled))
        return *code;
    QCoreApplication app(argc, argv);
    TestCliProfiles test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_cli_profiles.moc"
