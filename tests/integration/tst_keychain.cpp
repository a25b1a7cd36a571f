// The real OS keychain: QtKeychain on the Secret Service (gnome-keyring) in a private D-Bus
// session. The test starts that session itself (dbus-run-session, a temporary HOME and an
// unlocked gnome-keyring-daemon), so it never touches the user's own keyring, then re-runs
// itself inside it.
#include "PrivateKeyringSession.h"
#include "RealServers.h"
#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString password = u"Kc-s3cret_\u00e4-%1"_s.arg(QCoreApplication::applicationPid());

template <typename Start> std::optional<SecretResult> await(Start&& start)
{
    std::optional<SecretResult> answer;
    QObject context;
    start(&context, [&answer](const SecretResult& result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 20000))
        return std::nullopt;
    return answer;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QString configDir;
    QProcessEnvironment environment;

    QString profileId(const QString& name)
    {
        const CliRun show = runCli({u"show"_s, name, u"--json"_s}, environment);
        return show.json().value(u"id"_s).toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        configDir = dir.filePath(u"config"_s);
        environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"RELAYDECK_CONFIG_DIR"_s, configDir);
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
    }

    void writeReadRemove()
    {
        KeychainSecretStore store;
        const QString key = u"tst-keychain:%1"_s.arg(QUuid::createUuid().toString());
        auto result = await([&](QObject* c, auto done) { store.read(key, c, done); });
        QVERIFY(result);
        QCOMPARE(result->status, SecretResult::Status::NotFound); // no entry = no password

        result = await([&](QObject* c, auto done) { store.write(key, password, c, done); });
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(secretToolLookup(key), password);

        result = await([&](QObject* c, auto done) { store.read(key, c, done); });
        QVERIFY(result && result->ok());
        QCOMPARE(result->value, password);

        result = await([&](QObject* c, auto done) { store.remove(key, c, done); });
        QVERIFY(result);
        QVERIFY2(result->status != SecretResult::Status::Error, qPrintable(result->message));
        QVERIFY(!secretToolLookup(key));
        result = await([&](QObject* c, auto done) { store.read(key, c, done); });
        QCOMPARE(result->status, SecretResult::Status::NotFound);
    }

    void passwordSetThroughTheCli()
    {
        CliRun add = runCli({u"add"_s, u"x"_s, u"--host"_s, u"h.example.com"_s, u"--user"_s, u"u"_s,
                             u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s},
                            environment);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        const QString id = profileId(u"x"_s);
        QVERIFY(!id.isEmpty());
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password);

        // --password-stdin stores it too (one trailing newline is not part of it).
        CliRun set = runCli({u"set"_s, u"x"_s, u"--password-stdin"_s}, environment,
                            (password + u"2\n"_s).toUtf8());
        QVERIFY2(set.exitCode == 0, qPrintable(set.describe()));
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password + u'2');
        set = runCli({u"set"_s, u"x"_s, u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s},
                     environment);
        QCOMPARE(set.exitCode, 0);
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password);
    }

    void passwordIsInNoFileAndNoExport()
    {
        const QStringList formats = {u"json"_s, u"msmtp"_s, u"dsn"_s};
        for (const QString& format : formats) {
            const CliRun exported = runCli({u"export"_s, u"--format"_s, format, u"--output"_s,
                                            QDir(configDir).filePath(u"export."_s + format)},
                                           environment);
            QVERIFY2(exported.exitCode == 0, qPrintable(exported.describe()));
            const CliRun toStdout = runCli({u"export"_s, u"--format"_s, format}, environment);
            QVERIFY(!toStdout.out.contains(password.toUtf8()));
        }
        const QByteArray needle = password.toUtf8();
        int files = 0;
        QDirIterator it(configDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray data = file.readAll();
            ++files;
            QVERIFY2(!data.contains(needle), qPrintable(file.fileName()));
            QVERIFY2(!data.contains(needle.toBase64()), qPrintable(file.fileName()));
        }
        QVERIFY(files >= 4); // connections.json (+ .bak) and the three exports
        // The msmtp export fetches the password with the very secret-tool command that works.
        QFile msmtp(QDir(configDir).filePath(u"export.msmtp"_s));
        QVERIFY(msmtp.open(QIODevice::ReadOnly));
        const QByteArray lookup = QByteArray("secret-tool lookup server relaydeck user ") +
                                  profileId(u"x"_s).toUtf8() + QByteArray(":smtp-password");
        QVERIFY(msmtp.readAll().contains(lookup));
    }

    void copyRenameRemoveFollowTheId()
    {
        const QString id = profileId(u"x"_s);
        CliRun run = runCli({u"copy"_s, u"x"_s, u"y"_s}, environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString copyId = profileId(u"y"_s);
        QVERIFY(copyId != id);
        QCOMPARE(secretToolLookup(copyId + u":smtp-password"_s), password);

        run = runCli({u"rename"_s, u"x"_s, u"z"_s}, environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(profileId(u"z"_s), id);
        QCOMPARE(secretToolLookup(id + u":smtp-password"_s), password);

        run = runCli({u"remove"_s, u"z"_s}, environment);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(!secretToolLookup(id + u":smtp-password"_s));
        QCOMPARE(secretToolLookup(copyId + u":smtp-password"_s),
                 password); // the copy keeps its own

        run = runCli({u"remove"_s, u"y"_s}, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(!secretToolLookup(copyId + u":smtp-password"_s));
    }

    void noDbusSessionFailsFastAndChangesNothing()
    {
        QProcessEnvironment broken = environment;
        broken.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
        QVERIFY(runCli({u"add"_s, u"stored"_s, u"--host"_s, u"h.example.com"_s, u"--user"_s, u"u"_s,
                        u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s},
                       environment)
                    .exitCode == 0);
        QFile file(QDir(configDir).filePath(u"connections.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();

        CliRun run = runCli({u"add"_s, u"new"_s, u"--host"_s, u"h.example.com"_s, u"--user"_s,
                             u"u"_s, u"--password-env"_s, u"RELAYDECK_TEST_PASSWORD"_s},
                            broken);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("keyring"), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("D-Bus"), qPrintable(run.describe()));
        QVERIFY(run.ms < 8000);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before); // nothing changed
        file.close();

        // test NAME needs the stored password: exit 2 with the reason, unless given for the run.
        run = runCli({u"test"_s, u"stored"_s}, broken);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("keyring"), qPrintable(run.describe()));
        QVERIFY(run.err.contains("--password-stdin"));
        QVERIFY(run.ms < 8000);

        // Profiles without secrets do not need the keychain at all.
        run = runCli({u"add"_s, u"plain"_s, u"--host"_s, u"h.example.com"_s}, broken);
        QCOMPARE(run.exitCode, 0);
        run = runCli({u"remove"_s, u"stored"_s}, broken);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--keep-secrets"));
        QVERIFY(runCli({u"show"_s, u"stored"_s}, environment).exitCode == 0); // still there
        QVERIFY(runCli({u"remove"_s, u"stored"_s}, environment).exitCode == 0);
    }

    // A keyring that accepts the connection but never answers (the daemon is stopped): the CLI
    // gives up after its deadline instead of hanging.
    void deadKeyringHitsTheDeadline()
    {
        const QString script =
            uR"SH(echo -n pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
for i in 1 2 3 4 5 6 7 8 9 10; do secret-tool search --all server nothing >/dev/null 2>&1 && break; sleep 0.3; done
kill -STOP $daemon
start=$(date +%s%N)
"$0" add dead --host h.example.com --user u --password-env RELAYDECK_TEST_PASSWORD
code=$?
end=$(date +%s%N)
kill -CONT $daemon; kill $daemon
echo "exit=$code ms=$(( (end - start) / 1000000 ))"
)SH"_s;
        QProcess process;
        QProcessEnvironment env = environment;
        QTemporaryDir home;
        env.insert(u"HOME"_s, home.path());
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        process.setProcessEnvironment(env);
        process.start(u"dbus-run-session"_s,
                      {u"--"_s, u"sh"_s, u"-c"_s, script, QStringLiteral(RELAYDECK_CLI_PATH)});
        QVERIFY(process.waitForFinished(60000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(out.contains(u"exit=2 "_s), qPrintable(out + err));
        QVERIFY2(err.contains(u"did not answer"_s), qPrintable(err));
        const int ms = out.section(u"ms="_s, 1).trimmed().toInt();
        QVERIFY2(ms >= 4000 && ms < 12000, qPrintable(out));
        QVERIFY(runCli({u"show"_s, u"dead"_s}, environment).exitCode == 2); // not added
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::Required))
        return *code;
    QCoreApplication app(argc, argv);
    TestKeychain test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychain.moc"
