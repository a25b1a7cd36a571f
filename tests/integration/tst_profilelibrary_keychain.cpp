// ProfileLibrary against the real OS keychain: QtKeychain on the Secret Service (gnome-keyring)
// in a private D-Bus session (rerunInPrivateKeyringSession), never the user's own keyring. The
// same operations tst_profilelibrary checks with MemorySecretStore, here with the keyring that
// users have, and the keychain-failure rule (ProfileLibrary.h) with the keyring missing and
// locked.
#include "FakeTokenEndpoint.h"
#include "LibraryTesting.h"
#include "PrivateKeyringSession.h"
#include "ProfileFiles.h"
#include "library/ProfileLibrary.h"
#include "oauth/OAuthTokenSource.h"
#include "profile/ProfileFormats.h"
#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// Set in the child run that finds no keyring (see keyringMissing()).
const char* const noKeyringVariable = "RELAYDECK_TEST_NO_KEYRING";

const QString password = u"Lib-s3cret_\u00e4-%1"_s.arg(QCoreApplication::applicationPid());

std::optional<QString> stored(const QUuid& id, SecretSlot slot)
{
    return secretToolLookup(secretKey(id, slot));
}

// The keychain may take a moment (and a locked one up to KeychainSecretStore's deadline).
constexpr int keychainWaitMs = 20000;

} // namespace

class TestProfileLibraryKeychain : public QObject
{
    Q_OBJECT

private:
    std::optional<QTemporaryDir> dir;
    std::optional<KeychainSecretStore> keychain;
    std::unique_ptr<ProfileLibrary> library;

    QString connectionsFile() const { return dir->filePath(u"connections.json"_s); }

    ProfileStore reread() const { return rereadProfiles(dir->path()); }

    // Saves `profile` with `secrets` and waits for the keychain's answer.
    Result<ConnectionProfile> save(const ConnectionProfile& profile,
                                   const QMap<SecretSlot, QString>& secrets)
    {
        LibraryAnswer<ConnectionProfile> answer;
        const Result<ConnectionProfile> first =
            library->save(profile, secrets, this, answer.callback());
        if (!first.ok())
            return first;
        if (!answer.wait(keychainWaitMs))
            return Failure{u"timeout"_s, u"save did not answer"_s};
        return *answer.result;
    }

    Result<ProfileSecretValues> secretsForTest(const ConnectionProfile& profile)
    {
        LibraryAnswer<ProfileSecretValues> answer;
        library->secretsForTest(profile, this, answer.callback());
        if (!answer.wait(keychainWaitMs))
            return Failure{u"timeout"_s, u"secretsForTest did not answer"_s};
        return *answer.result;
    }

    bool noKeyringRun() const { return qEnvironmentVariableIsSet(noKeyringVariable); }

private slots:
    void init()
    {
        dir.emplace();
        QVERIFY(dir->isValid());
        keychain.emplace();
        library = std::make_unique<ProfileLibrary>(dir->path(), *keychain);
        QVERIFY(library->load().ok());
    }

    void cleanup()
    {
        library.reset();
        keychain.reset();
        dir.reset();
    }

    void saveWritesTheSecretsAndTestsReadThem()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run");
        ConnectionProfile profile = profileNamed(u"Relay"_s, u"ops"_s);
        profile.proxy.type = ProxyType::Socks5;
        profile.proxy.host = u"proxy.example.com"_s;
        profile.proxy.port = 1080;
        profile.proxy.username = u"proxy-user"_s;
        const Result<ConnectionProfile> saved =
            save(profile, {{SecretSlot::SmtpPassword, password},
                           {SecretSlot::ProxyPassword, u"proxy-"_s + password}});
        QVERIFY2(saved.ok(), qPrintable(saved.failureMessage()));
        QCOMPARE(stored(saved->id, SecretSlot::SmtpPassword), password);
        QCOMPARE(stored(saved->id, SecretSlot::ProxyPassword), u"proxy-"_s + password);
        QVERIFY(reread().findById(saved->id));

        // A test reads the slots it uses: both passwords.
        const Result<ProfileSecretValues> read = secretsForTest(saved.value());
        QVERIFY2(read.ok(), qPrintable(read.failureMessage()));
        QCOMPARE(read->value(SecretSlot::SmtpPassword), password);
        QCOMPARE(read->value(SecretSlot::ProxyPassword), u"proxy-"_s + password);

        // An update changes one secret; an empty value deletes the slot.
        ConnectionProfile changed = saved.value();
        changed.host = u"other.example.com"_s;
        const Result<ConnectionProfile> updated =
            save(changed, {{SecretSlot::SmtpPassword, u"new-"_s + password},
                           {SecretSlot::ProxyPassword, QString()}});
        QVERIFY2(updated.ok(), qPrintable(updated.failureMessage()));
        QCOMPARE(stored(saved->id, SecretSlot::SmtpPassword), u"new-"_s + password);
        QVERIFY(!stored(saved->id, SecretSlot::ProxyPassword));
        QCOMPARE(reread().findById(saved->id)->host, u"other.example.com"_s);
        // No secret in connections.json.
        QVERIFY(!fileContents(connectionsFile()).contains(password.toUtf8()));
    }

    void copyRenameRemoveFollowTheId()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run");
        const Result<ConnectionProfile> a =
            save(profileNamed(u"A"_s, u"ops"_s), {{SecretSlot::SmtpPassword, password}});
        QVERIFY2(a.ok(), qPrintable(a.failureMessage()));

        LibraryAnswer<ConnectionProfile> copied;
        const Result<ConnectionProfile> withSecrets =
            library->copy(a->id, u"B"_s, true, this, copied.callback());
        QVERIFY(withSecrets.ok());
        QVERIFY(copied.wait(keychainWaitMs));
        QVERIFY2(copied.result->ok(), qPrintable(copied.result->failureMessage()));
        QCOMPARE(stored(withSecrets->id, SecretSlot::SmtpPassword), password);

        LibraryAnswer<ConnectionProfile> bare;
        const Result<ConnectionProfile> withoutSecrets =
            library->copy(a->id, u"C"_s, false, this, bare.callback());
        QVERIFY(bare.wait(keychainWaitMs));
        QVERIFY(bare.result->ok());
        QVERIFY(!stored(withoutSecrets->id, SecretSlot::SmtpPassword));

        // A rename keeps the id, and with it the keychain entry.
        const Result<ConnectionProfile> renamed = library->rename(a->id, u"Alpha"_s);
        QVERIFY(renamed.ok());
        QCOMPARE(renamed->id, a->id);
        const Result<ProfileSecretValues> read = secretsForTest(renamed.value());
        QVERIFY2(read.ok(), qPrintable(read.failureMessage()));
        QCOMPARE(read->value(SecretSlot::SmtpPassword), password);

        // remove with keepSecrets leaves the entry; without, it goes.
        LibraryAnswer<RemovedProfile> kept;
        QVERIFY(library->remove(a->id, true, this, kept.callback()).ok());
        QVERIFY(kept.wait(keychainWaitMs));
        QVERIFY(kept.result->ok());
        QVERIFY(!reread().findById(a->id));
        QCOMPARE(stored(a->id, SecretSlot::SmtpPassword), password);

        LibraryAnswer<RemovedProfile> gone;
        QVERIFY(library->remove(withSecrets->id, false, this, gone.callback()).ok());
        QVERIFY(gone.wait(keychainWaitMs));
        QVERIFY2(gone.result->ok(), qPrintable(gone.result->failureMessage()));
        QVERIFY(gone.result->value().keychainWarning.isEmpty());
        QVERIFY(!stored(withSecrets->id, SecretSlot::SmtpPassword));
        QVERIFY(!reread().findById(withSecrets->id));
    }

    // Our own JSON export names the id: importing it after a remove that kept the secrets links
    // the keychain entry again. Imports carry no secrets.
    void importKeepsTheKeychainLink()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run");
        const Result<ConnectionProfile> a =
            save(profileNamed(u"A"_s, u"ops"_s), {{SecretSlot::SmtpPassword, password}});
        QVERIFY2(a.ok(), qPrintable(a.failureMessage()));
        const QByteArray exported =
            ProfileFormats::exportProfiles({a.value()}, ProfileFormat::Json);
        QVERIFY(!exported.contains(password.toUtf8()));

        LibraryAnswer<RemovedProfile> kept;
        QVERIFY(library->remove(a->id, true, this, kept.callback()).ok());
        QVERIFY(kept.wait(keychainWaitMs));

        const Result<ImportReport> imported =
            library->import(exported, std::nullopt, ConflictPolicy::Fail);
        QVERIFY2(imported.ok(), qPrintable(imported.failureMessage()));
        QCOMPARE(imported->outcome.added.size(), 1);
        const std::optional<ConnectionProfile> back = reread().findByName(u"A"_s);
        QVERIFY(back);
        QCOMPARE(back->id, a->id);
        const Result<ProfileSecretValues> read = secretsForTest(*back);
        QVERIFY2(read.ok(), qPrintable(read.failureMessage()));
        QCOMPARE(read->value(SecretSlot::SmtpPassword), password);
    }

    // An OAuth profile's test: the refresh token from the keyring is exchanged for an access
    // token, and a rotated refresh token goes back into the keyring.
    void secretsForTestRefreshesTheOAuthToken()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run");
        FakeTokenEndpoint endpoint(R"({"access_token":"AT-fresh","token_type":"Bearer",)"
                                   R"("expires_in":3600,"refresh_token":"RT-2"})");
        ConnectionProfile profile = profileNamed(u"Mail"_s, u"me@example.com"_s);
        profile.auth.mechanism = AuthMechanism::XOAuth2;
        profile.oauth.provider = OAuthProvider::Custom;
        profile.oauth.clientId = u"relaydeck-test"_s;
        profile.oauth.authorizationUrl = u"http://127.0.0.1:1/auth"_s;
        profile.oauth.tokenUrl = endpoint.url();
        profile.oauth.scope = u"smtp"_s;

        const Result<ConnectionProfile> saved = save(profile, {});
        QVERIFY2(saved.ok(), qPrintable(saved.failureMessage()));
        OAuthTokenSource::forget(saved->id);
        const Result<ProfileSecretValues> none = secretsForTest(saved.value());
        QVERIFY(!none.ok());
        QCOMPARE(none.failure().id, u"oauth-sign-in-required"_s);
        QVERIFY(endpoint.bodies.isEmpty());

        QVERIFY(save(saved.value(), {{SecretSlot::OAuthRefreshToken, u"RT-1"_s}}).ok());
        const Result<ProfileSecretValues> signedIn = secretsForTest(saved.value());
        QVERIFY2(signedIn.ok(), qPrintable(signedIn.failureMessage()));
        QCOMPARE(signedIn->value(SecretSlot::SmtpPassword), u"AT-fresh"_s);
        QVERIFY(!signedIn->values.contains(SecretSlot::OAuthRefreshToken));
        QCOMPARE(endpoint.bodies.size(), 1);
        QVERIFY(endpoint.bodies.first().contains("refresh_token=RT-1"));
        QTRY_COMPARE_WITH_TIMEOUT(stored(saved->id, SecretSlot::OAuthRefreshToken),
                                  std::optional<QString>(u"RT-2"_s), 10000);
        OAuthTokenSource::forget(saved->id);
    }

    // No keyring at all (no D-Bus session; QtKeychain 0.13 reports it as OtherError): the same
    // program again, in an environment without one, runs keyringMissingInside().
    void keyringMissing()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run itself");
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QString::fromLatin1(noKeyringVariable), u"1"_s);
        environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {u"keyringMissingInside"_s});
        QVERIFY(child.waitForFinished(120000));
        const QString output = QString::fromUtf8(child.readAll());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 qPrintable(output));
        QVERIFY2(output.contains(u"PASS   : TestProfileLibraryKeychain::keyringMissingInside()"_s),
                 qPrintable(output));
    }

    void keyringMissingInside()
    {
        if (!noKeyringRun())
            QSKIP("runs in keyringMissing()'s child");
        // Profiles without secret changes never ask the keychain.
        const Result<ConnectionProfile> user = save(profileNamed(u"User"_s, u"ops"_s), {});
        QVERIFY2(user.ok(), qPrintable(user.failureMessage()));
        const Result<ConnectionProfile> plain = save(profileNamed(u"Plain"_s), {});
        QVERIFY2(plain.ok(), qPrintable(plain.failureMessage()));
        const QByteArray before = fileContents(connectionsFile());

        // Adding with a secret: undone, keychain-failed with the keychain's words.
        const Result<ConnectionProfile> added =
            save(profileNamed(u"New"_s, u"ops"_s), {{SecretSlot::SmtpPassword, password}});
        QVERIFY(!added.ok());
        QCOMPARE(added.failure().id, FailureId::KeychainFailed);
        QVERIFY2(added.failure().message.contains(u"keyring"_s),
                 qPrintable(added.failureMessage()));
        QCOMPARE(fileContents(connectionsFile()), before);

        // Updating with a secret: undone.
        ConnectionProfile changed = user.value();
        changed.host = u"other.example.com"_s;
        const Result<ConnectionProfile> updated =
            save(changed, {{SecretSlot::SmtpPassword, password}});
        QCOMPARE(updated.failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(user->id)->host, u"relay.example.com"_s);

        // Copying with secrets: undone.
        LibraryAnswer<ConnectionProfile> copied;
        QVERIFY(library->copy(user->id, u"Copy"_s, true, this, copied.callback()).ok());
        QVERIFY(copied.wait(keychainWaitMs));
        QCOMPARE(copied.result->failure().id, FailureId::KeychainFailed);
        QVERIFY(!reread().findByName(u"Copy"_s));

        // Removing a profile that may have secrets: undone.
        LibraryAnswer<RemovedProfile> refused;
        QVERIFY(library->remove(user->id, false, this, refused.callback()).ok());
        QVERIFY(refused.wait(keychainWaitMs));
        QCOMPARE(refused.result->failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(user->id)->name, u"User"_s);

        // Removing one that cannot have any: removed, with the keychain's words as a warning.
        LibraryAnswer<RemovedProfile> warned;
        QVERIFY(library->remove(plain->id, false, this, warned.callback()).ok());
        QVERIFY(warned.wait(keychainWaitMs));
        QVERIFY2(warned.result->ok(), qPrintable(warned.result->failureMessage()));
        QVERIFY(warned.result->value().keychainWarning.contains(u"keyring"_s));
        QVERIFY(!reread().findById(plain->id));

        // keepSecrets, rename and a test of a profile without secrets need no keychain.
        QVERIFY(library->rename(user->id, u"Renamed"_s).ok());
        QVERIFY(secretsForTest(profileNamed(u"Plain"_s)).ok());
        // A test that needs the password: keychain-failed.
        const Result<ProfileSecretValues> read =
            secretsForTest(reread().findById(user->id).value());
        QCOMPARE(read.failure().id, FailureId::KeychainFailed);
        LibraryAnswer<RemovedProfile> kept;
        QVERIFY(library->remove(user->id, true, this, kept.callback()).ok());
        QVERIFY(kept.wait(keychainWaitMs));
        QVERIFY(kept.result->ok());
        QVERIFY(reread().profiles().isEmpty());
    }

    // Last: the keyring stays locked for the rest of this session. Writing into a locked
    // collection needs an unlock prompt that nobody can answer here: the change is undone.
    void keyringLocked()
    {
        if (noKeyringRun())
            QSKIP("the keyring-missing run");
        const Result<ConnectionProfile> user = save(profileNamed(u"User"_s, u"ops"_s), {});
        QVERIFY2(user.ok(), qPrintable(user.failureMessage()));
        const QByteArray before = fileContents(connectionsFile());

        // Lock every collection of the Secret Service (as a screen lock does).
        QProcess lock;
        lock.start(u"gdbus"_s,
                   {u"call"_s, u"--session"_s, u"--dest"_s, u"org.freedesktop.secrets"_s,
                    u"--object-path"_s, u"/org/freedesktop/secrets"_s, u"--method"_s,
                    u"org.freedesktop.Secret.Service.Lock"_s,
                    u"['/org/freedesktop/secrets/collection/login']"_s});
        QVERIFY(lock.waitForFinished(10000));
        QVERIFY2(lock.exitCode() == 0, lock.readAllStandardError().constData());

        ConnectionProfile changed = user.value();
        changed.host = u"other.example.com"_s;
        const Result<ConnectionProfile> updated =
            save(changed, {{SecretSlot::SmtpPassword, password}});
        QVERIFY(!updated.ok());
        QCOMPARE(updated.failure().id, FailureId::KeychainFailed);
        QVERIFY(!updated.failure().message.isEmpty());
        QCOMPARE(fileContents(connectionsFile()), before);
        QVERIFY(!stored(user->id, SecretSlot::SmtpPassword));
    }
};

int main(int argc, char* argv[])
{
    if (const auto code = rerunInPrivateKeyringSession(argc, argv, KeyringSession::Required))
        return *code;
    QCoreApplication app(argc, argv);
    TestProfileLibraryKeychain test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profilelibrary_keychain.moc"
