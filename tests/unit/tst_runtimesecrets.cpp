// Secrets supplied at run time (issue 16): a password from an environment variable or a
// command, a user name from an environment variable, and the rules around them (an imported
// command stays disabled; no keychain is asked for them; stdout never shows in an error).
// Real processes (sh, printf, sleep) and no keychain at all: MemorySecretStore only.
#include "LibraryTesting.h"

#include "profile/CommandWords.h"
#include "profile/JsonProfileFormat.h"
#include "profile/MsmtpProfileFormat.h"
#include "profile/ProfileFormats.h"
#include "profile/ProfileJson.h"
#include "profile/ProfileValidation.h"
#include "secrets/MemorySecretStore.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/RuntimeSecretResolver.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile withCommand(const QString& program, const QStringList& arguments,
                              bool enabled = true)
{
    ConnectionProfile profile = profileNamed(u"relay"_s, u"alice"_s);
    profile.auth.passwordSource.kind = SecretSourceKind::Command;
    profile.auth.passwordSource.program = program;
    profile.auth.passwordSource.arguments = arguments;
    profile.auth.passwordSource.enabled = enabled;
    return profile;
}

ConnectionProfile withVariable(const QString& variable)
{
    ConnectionProfile profile = profileNamed(u"relay"_s, u"alice"_s);
    profile.auth.passwordSource.kind = SecretSourceKind::Environment;
    profile.auth.passwordSource.variable = variable;
    return profile;
}

// Runs the resolver and waits for its one answer.
std::optional<Result<RuntimeSecrets>> resolve(const ConnectionProfile& profile, int timeoutMs = 0,
                                              int waitMs = 5000)
{
    std::optional<Result<RuntimeSecrets>> answer;
    QObject context;
    RuntimeSecretResolver::resolve(
        profile, &context, [&answer](const Result<RuntimeSecrets>& r) { answer = r; }, timeoutMs);
    if (answer) // never inside the call
        return Failure{u"answered-synchronously"_s, QString()};
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, waitMs))
        return std::nullopt;
    return answer;
}

} // namespace

class RuntimeSecretsTest : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        qunsetenv("RELAYDECK_TEST_PW");
        qunsetenv("RELAYDECK_TEST_USER");
    }

    // --- The resolver ------------------------------------------------------------------------

    void passwordFromEnvironment()
    {
        qputenv("RELAYDECK_TEST_PW", "s3cret word");
        const auto answer = resolve(withVariable(u"RELAYDECK_TEST_PW"_s));
        QVERIFY(answer && answer->ok());
        QCOMPARE(answer->value().password, std::optional<QString>(u"s3cret word"_s));
        QVERIFY(!answer->value().username); // the profile's own field
    }

    void unsetOrEmptyVariableFails()
    {
        auto answer = resolve(withVariable(u"RELAYDECK_TEST_PW"_s));
        QVERIFY(answer && !answer->ok());
        QCOMPARE(answer->failure().id, ErrorId::PasswordSourceFailed);
        QVERIFY2(answer->failure().message.contains(u"RELAYDECK_TEST_PW"_s) &&
                     answer->failure().message.contains(u"not set"_s),
                 qPrintable(answer->failure().message));
        qputenv("RELAYDECK_TEST_PW", "");
        answer = resolve(withVariable(u"RELAYDECK_TEST_PW"_s));
        QVERIFY(answer && !answer->ok());
        QVERIFY(answer->failure().message.contains(u"empty"_s));
    }

    void usernameFromEnvironment()
    {
        ConnectionProfile profile = profileNamed(u"relay"_s);
        profile.auth.mechanism = AuthMechanism::Plain;
        profile.auth.usernameVariable = u"RELAYDECK_TEST_USER"_s;
        QVERIFY(profile.usesAuthentication());
        QVERIFY(ProfileValidation::validate(profile).isEmpty());
        QVERIFY(RuntimeSecretResolver::needed(profile));
        auto answer = resolve(profile);
        QVERIFY(answer && !answer->ok());
        QVERIFY(answer->failure().message.contains(u"user name"_s));
        qputenv("RELAYDECK_TEST_USER", "bob@example.com");
        answer = resolve(profile);
        QVERIFY(answer && answer->ok());
        QCOMPARE(answer->value().username, std::optional<QString>(u"bob@example.com"_s));
        QVERIFY(!answer->value().password); // still the keychain's
    }

    void commandFirstLineIsThePassword()
    {
        // Program and arguments as they are: no shell, so '$HOME' and '|' stay literal.
        const auto answer =
            resolve(withCommand(u"printf"_s, {u"%s\\r\\nsecond line\\n"_s, u"pw $HOME | x"_s}));
        QVERIFY(answer);
        QVERIFY2(answer->ok(), qPrintable(answer->failureMessage()));
        QCOMPARE(answer->value().password, std::optional<QString>(u"pw $HOME | x"_s));
    }

    void commandFailureShowsStderrNeverStdout()
    {
        // A script, so that the command line itself (which the message names) holds none of
        // the words checked.
        QTemporaryDir dir;
        QFile script(dir.filePath(u"password.sh"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("echo leaked-secret; echo 'vault is locked' >&2; echo 'try again' >&2\n"
                     "echo third >&2; echo fourth >&2; exit 3\n");
        script.close();
        const auto answer = resolve(withCommand(u"sh"_s, {script.fileName()}));
        QVERIFY(answer && !answer->ok());
        const QString message = answer->failure().message;
        QCOMPARE(answer->failure().id, ErrorId::PasswordSourceFailed);
        QVERIFY2(message.contains(u"exit status 3"_s), qPrintable(message));
        QVERIFY2(message.contains(u"vault is locked / try again / third"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"fourth"_s), qPrintable(message)); // the first lines only
        QVERIFY2(!message.contains(u"leaked-secret"_s), qPrintable(message));
    }

    void commandPrintingNothingFails()
    {
        const auto answer = resolve(withCommand(u"true"_s, {}));
        QVERIFY(answer && !answer->ok());
        QVERIFY2(answer->failure().message.contains(u"printed no password"_s),
                 qPrintable(answer->failure().message));
    }

    void commandTimeout()
    {
        QElapsedTimer clock;
        clock.start();
        const auto answer = resolve(withCommand(u"sleep"_s, {u"5"_s}), 300);
        QVERIFY(answer && !answer->ok());
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(answer->failure().message.contains(u"did not finish within 1 s"_s),
                 qPrintable(answer->failure().message));
    }

    void profileTimeoutBoundsTheCommand()
    {
        ConnectionProfile profile = withCommand(u"sleep"_s, {u"5"_s});
        profile.timeoutSeconds = 1;
        QElapsedTimer clock;
        clock.start();
        const auto answer = resolve(profile);
        QVERIFY(answer && !answer->ok());
        QVERIFY2(clock.elapsed() >= 900 && clock.elapsed() < 4000,
                 qPrintable(QString::number(clock.elapsed())));
    }

    void commandNotFound()
    {
        const auto answer = resolve(withCommand(u"/nonexistent/relaydeck-password"_s, {}));
        QVERIFY(answer && !answer->ok());
        QCOMPARE(answer->failure().id, ErrorId::PasswordSourceFailed);
        QVERIFY2(answer->failure().message.contains(u"could not be started"_s),
                 qPrintable(answer->failure().message));
    }

    void disabledCommandIsRefusedAndNotRun()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(u"ran"_s);
        const auto answer =
            resolve(withCommand(u"sh"_s, {u"-c"_s, u"touch '%1'; echo pw"_s.arg(marker)}, false));
        QVERIFY(answer && !answer->ok());
        QCOMPARE(answer->failure().id, ErrorId::PasswordCommandDisabled);
        QTest::qWait(200);
        QVERIFY(!QFile::exists(marker));
        // Enabled, the same command runs.
        const auto enabled =
            resolve(withCommand(u"sh"_s, {u"-c"_s, u"touch '%1'; echo pw"_s.arg(marker)}));
        QVERIFY(enabled && enabled->ok());
        QVERIFY(QFile::exists(marker));
    }

    void hintsNameEachFrontEndsWay()
    {
        const ConnectionProfile profile = withCommand(u"pass"_s, {u"show"_s, u"smtp"_s}, false);
        const TestReport report = Diagnosis::reportBeforeConnecting(
            profile, ErrorId::PasswordCommandDisabled, u"disabled"_s, SettingIdWording::instance());
        QCOMPARE(report.error.id, ErrorId::PasswordCommandDisabled);
        QCOMPARE(report.error.stage, StageId::Auth);
        QVERIFY(!report.ok);
        QVERIFY2(report.error.hint.contains(u"password-command-enabled relay"_s),
                 qPrintable(report.error.hint));
        QVERIFY(!Diagnosis::describe(ErrorId::PasswordSourceFailed).startsWith(u"Unknown"_s));
        QVERIFY(!Diagnosis::describe(ErrorId::PasswordCommandDisabled).startsWith(u"Unknown"_s));
        const QString note =
            RuntimeSecretResolver::disabledCommandNote(profile, SettingIdWording::instance());
        QVERIFY2(note.contains(u"pass show smtp"_s) && note.contains(u"password-command-enabled"_s),
                 qPrintable(note));
        QVERIFY(RuntimeSecretResolver::disabledCommandNote(withCommand(u"pass"_s, {}),
                                                           SettingIdWording::instance())
                    .isEmpty());
    }

    // --- Needs: a run-time password is supplied, and no keychain is asked for it ------------

    void runTimePasswordCountsAsSupplied()
    {
        const ConnectionProfile env = withVariable(u"X"_s);
        QVERIFY(ProfileSecretNeeds::passwordAtRunTime(env));
        QVERIFY(!ProfileSecretNeeds::slotsForTest(env).contains(SecretSlot::SmtpPassword));
        QVERIFY(!ProfileSecretNeeds::missingSecret(env, {}));
        const ConnectionProfile keychain = profileNamed(u"k"_s, u"alice"_s);
        QVERIFY(!ProfileSecretNeeds::passwordAtRunTime(keychain));
        QVERIFY(ProfileSecretNeeds::missingSecret(keychain, {}));
        // An OAuth sign-in fetches its token whatever the source says.
        ConnectionProfile oauth = withVariable(u"X"_s);
        oauth.auth.mechanism = AuthMechanism::XOAuth2;
        oauth.oauth.provider = OAuthProvider::Google;
        QVERIFY(!ProfileSecretNeeds::passwordAtRunTime(oauth));
    }

    void libraryReadsRunTimeSecretsWithoutAKeychain()
    {
        // A store that fails every read: the run-time password must not need it.
        MemorySecretStore store;
        store.setFailure(u"no keyring"_s);
        QTemporaryDir dir;
        ProfileLibrary library(dir.path(), store);
        QVERIFY(library.load().ok());
        qputenv("RELAYDECK_TEST_PW", "from-env");
        ConnectionProfile profile = withVariable(u"RELAYDECK_TEST_PW"_s);
        profile.auth.usernameVariable = u"RELAYDECK_TEST_USER"_s;
        qputenv("RELAYDECK_TEST_USER", "carol");
        LibraryAnswer<ProfileSecretValues> answer;
        library.secretsForTest(profile, this, answer.callback());
        QVERIFY(answer.wait());
        QVERIFY2(answer.result->ok(), qPrintable(answer.result->failureMessage()));
        QCOMPARE(answer.result->value().connectionSecrets().smtpPassword, u"from-env"_s);
        QCOMPARE(answer.result->value().connectionSecrets().username, u"carol"_s);

        // A password given for this run wins; the (missing) variable is not read.
        qunsetenv("RELAYDECK_TEST_PW");
        LibraryAnswer<ProfileSecretValues> given;
        library.secretsForTest(profile, this, given.callback(), {SecretSlot::SmtpPassword});
        QVERIFY(given.wait());
        QVERIFY2(given.result->ok(), qPrintable(given.result->failureMessage()));

        // The command's failure is the call's Failure.
        LibraryAnswer<ProfileSecretValues> disabled;
        library.secretsForTest(withCommand(u"echo"_s, {u"pw"_s}, false), this, disabled.callback());
        QVERIFY(disabled.wait());
        QVERIFY(!disabled.result->ok());
        QCOMPARE(disabled.result->failure().id, ErrorId::PasswordCommandDisabled);
        QCOMPARE(store.operationCount(), 0); // the keychain was never asked
    }

    // --- Files ---------------------------------------------------------------------------------

    void jsonRoundTrip()
    {
        ConnectionProfile command = withCommand(u"pass"_s, {u"show"_s, u"mail/smtp x"_s}, false);
        command.id = QUuid::createUuid();
        command.auth.usernameVariable = u"SMTP_USER"_s;
        const QJsonObject json = ProfileJson::toJson(command);
        QCOMPARE(json.value(u"auth"_s)[u"passwordSource"_s][u"kind"_s].toString(), u"command"_s);
        QCOMPARE(json.value(u"auth"_s)[u"passwordSource"_s][u"enabled"_s].toBool(true), false);
        const Result<ConnectionProfile> back = ProfileJson::fromJson(json);
        QVERIFY2(back.ok(), qPrintable(back.failureMessage()));
        QCOMPARE(back.value(), command);

        ConnectionProfile env = withVariable(u"SMTP_PASSWORD"_s);
        env.id = QUuid::createUuid();
        QCOMPARE(ProfileJson::fromJson(ProfileJson::toJson(env)).value(), env);

        // A keychain profile's JSON carries no new keys.
        const QJsonObject plain = ProfileJson::toJson(profileNamed(u"p"_s, u"alice"_s));
        QVERIFY(!plain.value(u"auth"_s).toObject().contains(u"passwordSource"_s));
        QVERIFY(!plain.value(u"auth"_s).toObject().contains(u"usernameVariable"_s));

        QJsonObject bad = json;
        QJsonObject auth = bad.value(u"auth"_s).toObject();
        auth.insert(u"passwordSource"_s, QJsonObject{{u"kind"_s, u"shell"_s}});
        bad.insert(u"auth"_s, auth);
        const Result<ConnectionProfile> refused = ProfileJson::fromJson(bad);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.failure().message.startsWith(u"auth.passwordSource.kind"_s),
                 qPrintable(refused.failure().message));
    }

    void validation()
    {
        const auto fieldsOf = [](const ConnectionProfile& profile) {
            QStringList fields;
            for (const ValidationIssue& issue : ProfileValidation::validate(profile))
                fields << issue.field;
            return fields;
        };
        for (const QString& field : {u"auth.passwordSource.variable"_s,
                                     u"auth.passwordSource.program"_s, u"auth.usernameVariable"_s})
            QVERIFY(ProfileValidation::fieldKeys().contains(field));
        QCOMPARE(fieldsOf(withVariable(QString())), QStringList{u"auth.passwordSource.variable"_s});
        QCOMPARE(fieldsOf(withVariable(u"1BAD-NAME"_s)),
                 QStringList{u"auth.passwordSource.variable"_s});
        QCOMPARE(fieldsOf(withCommand(u" "_s, {})), QStringList{u"auth.passwordSource.program"_s});
        ConnectionProfile user = profileNamed(u"u"_s, u"alice"_s);
        user.auth.usernameVariable = u"A B"_s;
        QCOMPARE(fieldsOf(user), QStringList{u"auth.usernameVariable"_s});
        QVERIFY(fieldsOf(withVariable(u"SMTP_PASSWORD"_s)).isEmpty());
        QVERIFY(fieldsOf(withCommand(u"pass"_s, {u"show"_s})).isEmpty());
    }

    void commandWords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<bool>("needsShell");
        QTest::newRow("plain") << u"pass show mail/smtp"_s
                               << QStringList{u"pass"_s, u"show"_s, u"mail/smtp"_s} << false;
        QTest::newRow("quotes") << u"gpg -d '/home/a b/pw.gpg' \"x\\\"y\""_s
                                << QStringList{u"gpg"_s, u"-d"_s, u"/home/a b/pw.gpg"_s, u"x\"y"_s}
                                << false;
        QTest::newRow("pipe") << u"gpg -d pw.gpg | head -1"_s
                              << QStringList{u"gpg"_s, u"-d"_s,   u"pw.gpg"_s,
                                             u"|"_s,   u"head"_s, u"-1"_s}
                              << true;
        QTest::newRow("variable") << u"cat $HOME/pw"_s << QStringList{u"cat"_s, u"$HOME/pw"_s}
                                  << true;
        QTest::newRow("quoted pipe")
            << u"echo 'a|b'"_s << QStringList{u"echo"_s, u"a|b"_s} << false;
        QTest::newRow("tilde") << u"cat ~/pw"_s << QStringList{u"cat"_s, u"~/pw"_s} << true;
    }

    void commandWords()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        QFETCH(bool, needsShell);
        QCOMPARE(CommandWords::split(text), std::optional<QStringList>(words));
        QCOMPARE(CommandWords::needsShell(text), needsShell);
        QCOMPARE(CommandWords::split(CommandWords::join(words)), std::optional<QStringList>(words));
        QVERIFY(!CommandWords::split(u"echo 'open"_s));
    }

    void msmtpImportOfForeignPasswordEvalIsADisabledCommand()
    {
        const QByteArray rc = "account work\nhost smtp.example.com\nauth on\nuser alice\n"
                              "passwordeval \"pass show mail/work\"\n\n"
                              "account piped\nhost smtp.example.org\nauth on\nuser bob\n"
                              "passwordeval gpg -q -d ~/.pw.gpg | head -n1\n\n"
                              "account env\nhost smtp.example.net\nauth on\nuser carol\n"
                              "passwordeval printenv SMTP_PW\n";
        const Result<ImportedProfiles> imported =
            ProfileFormats::importProfiles(rc, ProfileFormat::Msmtp);
        QVERIFY2(imported.ok(), qPrintable(imported.failureMessage()));
        QCOMPARE(imported->profiles.size(), 3);
        QVERIFY2(imported->unmapped.isEmpty(), qPrintable(imported->unmapped.join(u'\n')));

        const SecretSource& work = imported->profiles.at(0).auth.passwordSource;
        QVERIFY(work.kind == SecretSourceKind::Command);
        QCOMPARE(work.program, u"pass"_s);
        QCOMPARE(work.arguments, (QStringList{u"show"_s, u"mail/work"_s}));
        QVERIFY(!work.enabled);

        const SecretSource& piped = imported->profiles.at(1).auth.passwordSource;
        QVERIFY(piped.kind == SecretSourceKind::Command);
        QCOMPARE(piped.program, u"sh"_s);
        QCOMPARE(piped.arguments, (QStringList{u"-c"_s, u"gpg -q -d ~/.pw.gpg | head -n1"_s}));
        QVERIFY(!piped.enabled);

        const SecretSource& env = imported->profiles.at(2).auth.passwordSource;
        QVERIFY(env.kind == SecretSourceKind::Environment);
        QCOMPARE(env.variable, u"SMTP_PW"_s);

        // Exported again, each passwordeval is what it was.
        const QString exported =
            QString::fromUtf8(MsmtpProfileFormat::exportProfiles(imported->profiles));
        QVERIFY2(exported.contains(u"passwordeval \"pass show mail/work\""_s) ||
                     exported.contains(u"passwordeval pass show mail/work"_s),
                 qPrintable(exported));
        QVERIFY2(exported.contains(u"passwordeval gpg -q -d ~/.pw.gpg | head -n1"_s),
                 qPrintable(exported));
        QVERIFY2(exported.contains(u"passwordeval printenv SMTP_PW"_s), qPrintable(exported));
    }

    void msmtpOwnKeychainLineStaysKeychain()
    {
        ConnectionProfile profile = profileNamed(u"Ours"_s, u"alice"_s);
        profile.id = QUuid::createUuid();
        const Result<ImportedProfiles> imported = ProfileFormats::importProfiles(
            MsmtpProfileFormat::exportProfiles({profile}), ProfileFormat::Msmtp);
        QVERIFY(imported.ok());
        QCOMPARE(imported->profiles.size(), 1);
        QVERIFY(imported->profiles.first().auth.passwordSource.kind == SecretSourceKind::Keychain);
        QCOMPARE(imported->profiles.first().id, profile.id);
    }

    void everyImportDisablesCommands()
    {
        // Our own JSON export with an enabled command: imported, it is off.
        ConnectionProfile profile = withCommand(u"pass"_s, {u"show"_s});
        profile.id = QUuid::createUuid();
        const Result<ImportedProfiles> imported = ProfileFormats::importProfiles(
            JsonProfileFormat::exportProfiles({profile}), ProfileFormat::Json);
        QVERIFY(imported.ok());
        QVERIFY(imported->profiles.first().auth.passwordSource.kind == SecretSourceKind::Command);
        QVERIFY(!imported->profiles.first().auth.passwordSource.enabled);
    }

    void dsnExportSaysWhatItCannotCarry()
    {
        const QString dsn = QString::fromUtf8(
            ProfileFormats::exportProfiles({withVariable(u"SMTP_PW"_s)}, ProfileFormat::Dsn));
        QVERIFY2(dsn.contains(u"# The password comes from the environment variable SMTP_PW"_s),
                 qPrintable(dsn));
    }
};

QTEST_GUILESS_MAIN(RuntimeSecretsTest)
#include "tst_runtimesecrets.moc"
