#include "FakeTokenEndpoint.h"
#include "LibraryTesting.h"
#include "ProfileFiles.h"
#include "library/ProfileLibrary.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/MemorySecretStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::test;

class TestProfileLibrary : public QObject
{
    Q_OBJECT

private:
    std::optional<QTemporaryDir> dir;
    std::optional<MemorySecretStore> keychain;
    std::unique_ptr<ProfileLibrary> library;

    ProfileStore reread() const { return rereadProfiles(dir->path()); }

private slots:
    void init()
    {
        dir.emplace();
        keychain.emplace();
        library = std::make_unique<ProfileLibrary>(dir->path(), *keychain);
        QVERIFY(library->load().ok());
    }

    void saveWritesTheProfileThenItsSecrets()
    {
        LibraryAnswer<ConnectionProfile> answer;
        const Result<ConnectionProfile> stored =
            library->save(profileNamed(u"Relay"_s, u"ops"_s), {{SecretSlot::SmtpPassword, u"pw"_s}},
                          this, answer.callback());
        QVERIFY(stored.ok());
        QVERIFY(!stored->id.isNull());
        QVERIFY(reread().findById(stored->id)); // the file changes at once
        QVERIFY(!answer.result);                // done never runs inside the call
        QVERIFY(answer.wait());
        QVERIFY(answer.result->ok());
        QCOMPARE(keychain->entries().value(secretKey(stored->id, SecretSlot::SmtpPassword)),
                 u"pw"_s);
    }

    void storeFailureCallsNothing()
    {
        QVERIFY(library->save(profileNamed(u"Relay"_s), {}, this, [](const auto&) {}).ok());
        bool called = false;
        const Result<ConnectionProfile> clash = library->save(
            profileNamed(u"relay"_s), {}, this, [&called](const auto&) { called = true; });
        QCOMPARE(clash.failure().id, FailureId::NameConflict);
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void failingKeychainUndoesAnAdd()
    {
        keychain->setFailure(u"The keyring is locked."_s);
        LibraryAnswer<ConnectionProfile> answer;
        const Result<ConnectionProfile> stored =
            library->save(profileNamed(u"Relay"_s, u"ops"_s), {{SecretSlot::SmtpPassword, u"pw"_s}},
                          this, answer.callback());
        QVERIFY(stored.ok());
        QVERIFY(answer.wait());
        QCOMPARE(answer.result->failure().id, FailureId::KeychainFailed);
        QVERIFY(answer.result->failure().message.contains(u"The keyring is locked."_s));
        QVERIFY(reread().profiles().isEmpty());
        QVERIFY(library->store().profiles().isEmpty());
    }

    void failingKeychainUndoesAnUpdate()
    {
        LibraryAnswer<ConnectionProfile> added;
        const ConnectionProfile original =
            library->save(profileNamed(u"Relay"_s, u"ops"_s), {}, this, added.callback()).value();
        QVERIFY(added.wait());
        keychain->setFailure(u"no keyring"_s);
        ConnectionProfile changed = original;
        changed.host = u"other.example.com"_s;
        LibraryAnswer<ConnectionProfile> answer;
        QVERIFY(
            library->save(changed, {{SecretSlot::SmtpPassword, u"pw"_s}}, this, answer.callback())
                .ok());
        QVERIFY(answer.wait());
        QCOMPARE(answer.result->failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(original.id)->host, u"relay.example.com"_s);
    }

    void copyWithAndWithoutSecrets()
    {
        LibraryAnswer<ConnectionProfile> added;
        const ConnectionProfile a =
            library
                ->save(profileNamed(u"A"_s, u"ops"_s), {{SecretSlot::SmtpPassword, u"pw"_s}}, this,
                       added.callback())
                .value();
        QVERIFY(added.wait());

        LibraryAnswer<ConnectionProfile> copied;
        const Result<ConnectionProfile> copy =
            library->copy(a.id, u"B"_s, true, this, copied.callback());
        QVERIFY(copy.ok());
        QVERIFY(copied.wait());
        QVERIFY(copied.result->ok());
        QCOMPARE(keychain->entries().value(secretKey(copy->id, SecretSlot::SmtpPassword)), u"pw"_s);

        LibraryAnswer<ConnectionProfile> bare;
        const Result<ConnectionProfile> plain =
            library->copy(a.id, u"C"_s, false, this, bare.callback());
        QVERIFY(bare.wait());
        QVERIFY(!keychain->contains(secretKey(plain->id, SecretSlot::SmtpPassword)));

        keychain->setFailure(u"no keyring"_s);
        LibraryAnswer<ConnectionProfile> failed;
        QVERIFY(library->copy(a.id, u"D"_s, true, this, failed.callback()).ok());
        QVERIFY(failed.wait());
        QCOMPARE(failed.result->failure().id, FailureId::KeychainFailed);
        QVERIFY(!reread().findByName(u"D"_s)); // undone
    }

    void removeFollowsTheKeychainRule()
    {
        LibraryAnswer<ConnectionProfile> added;
        const ConnectionProfile withUser =
            library->save(profileNamed(u"User"_s, u"ops"_s), {}, this, added.callback()).value();
        QVERIFY(added.wait());
        LibraryAnswer<ConnectionProfile> addedPlain;
        const ConnectionProfile plain =
            library->save(profileNamed(u"Plain"_s), {}, this, addedPlain.callback()).value();
        QVERIFY(addedPlain.wait());

        keychain->setFailure(u"no keyring"_s);
        // May have secrets: the removal is undone.
        LibraryAnswer<RemovedProfile> refused;
        QVERIFY(library->remove(withUser.id, false, this, refused.callback()).ok());
        QVERIFY(refused.wait());
        QCOMPARE(refused.result->failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(withUser.id)->name, u"User"_s);
        // Cannot have secrets: removed, with a warning.
        LibraryAnswer<RemovedProfile> warned;
        QVERIFY(library->remove(plain.id, false, this, warned.callback()).ok());
        QVERIFY(warned.wait());
        QVERIFY(warned.result->ok());
        QVERIFY(warned.result->value().keychainWarning.contains(u"no keyring"_s));
        QVERIFY(!reread().findById(plain.id));
        // keepSecrets: the keychain is not asked.
        const int operations = keychain->operationCount();
        LibraryAnswer<RemovedProfile> kept;
        QVERIFY(library->remove(withUser.id, true, this, kept.callback()).ok());
        QVERIFY(kept.wait());
        QVERIFY(kept.result->ok());
        QCOMPARE(keychain->operationCount(), operations);
        QVERIFY(!reread().findById(withUser.id));
    }

    void renameAndImport()
    {
        LibraryAnswer<ConnectionProfile> added;
        const ConnectionProfile a =
            library->save(profileNamed(u"A"_s), {}, this, added.callback()).value();
        QVERIFY(added.wait());
        QCOMPARE(library->rename(a.id, u" Alpha "_s)->name, u"Alpha"_s);
        QCOMPARE(library->rename(QUuid::createUuid(), u"x"_s).failure().id, FailureId::NotFound);

        const QByteArray dsn = "smtp://mailer@relay.example.org:587\n";
        const Result<ImportReport> imported =
            library->import(dsn, std::nullopt, ConflictPolicy::Fail);
        QVERIFY2(imported.ok(), qPrintable(imported.failureMessage()));
        QCOMPARE(toString(imported->detectedFormat), u"dsn"_s);
        QCOMPARE(imported->outcome.added.size(), 1);
        QCOMPARE(reread().profiles().size(), 2);
        QCOMPARE(library->import("{", ProfileFormat::Json, ConflictPolicy::Fail).failure().id,
                 FailureId::ParseFailed);
    }

    void secretsForTestReadsOnlyWhatTheTestUses()
    {
        const ConnectionProfile plain = profileNamed(u"Plain"_s);
        LibraryAnswer<ProfileSecretValues> none;
        library->secretsForTest(plain, this, none.callback());
        QVERIFY(!none.result);
        QVERIFY(none.wait());
        QVERIFY(none.result->ok());
        QCOMPARE(keychain->operationCount(), 0);

        ConnectionProfile user = profileNamed(u"User"_s, u"ops"_s);
        user.id = QUuid::createUuid();
        keychain->write(secretKey(user.id, SecretSlot::SmtpPassword), u"pw"_s, nullptr,
                        [](const SecretResult&) {});
        keychain->write(secretKey(user.id, SecretSlot::ProxyPassword), u"unused"_s, nullptr,
                        [](const SecretResult&) {});
        QTRY_COMPARE(keychain->entries().size(), 2);
        LibraryAnswer<ProfileSecretValues> read;
        library->secretsForTest(user, this, read.callback());
        QVERIFY(read.wait());
        QVERIFY(read.result->value().values.keys() == QList<SecretSlot>{SecretSlot::SmtpPassword});
        QCOMPARE(read.result->value().value(SecretSlot::SmtpPassword), u"pw"_s);

        // Given for this run: not read.
        const int operations = keychain->operationCount();
        LibraryAnswer<ProfileSecretValues> given;
        library->secretsForTest(user, this, given.callback(), {SecretSlot::SmtpPassword});
        QVERIFY(given.wait());
        QCOMPARE(keychain->operationCount(), operations);

        keychain->setFailure(u"locked"_s);
        LibraryAnswer<ProfileSecretValues> failed;
        library->secretsForTest(user, this, failed.callback());
        QVERIFY(failed.wait());
        QCOMPARE(failed.result->failure().id, FailureId::KeychainFailed);
    }

    // An OAuth profile's test gets a fresh access token from the stored refresh token; a rotated
    // refresh token is saved; without one the answer is oauth-sign-in-required.
    void secretsForTestSignsInWithTheRefreshToken()
    {
        FakeTokenEndpoint endpoint(R"({"access_token":"AT-fresh","token_type":"Bearer",)"
                                   R"("expires_in":3600,"refresh_token":"RT-2"})");
        ConnectionProfile profile = profileNamed(u"Mail"_s, u"me@example.com"_s);
        profile.id = QUuid::createUuid();
        profile.auth.mechanism = AuthMechanism::XOAuth2;
        profile.oauth.provider = OAuthProvider::Custom;
        profile.oauth.clientId = u"relaydeck-test"_s;
        profile.oauth.authorizationUrl = u"http://127.0.0.1:1/auth"_s;
        profile.oauth.tokenUrl = endpoint.url();
        profile.oauth.scope = u"smtp"_s;
        OAuthTokenSource::forget(profile.id);

        LibraryAnswer<ProfileSecretValues> none;
        library->secretsForTest(profile, this, none.callback());
        QVERIFY(none.wait());
        QVERIFY(!none.result->ok());
        QCOMPARE(none.result->failure().id, u"oauth-sign-in-required"_s);
        QVERIFY(endpoint.bodies.isEmpty());

        const QString refreshKey = secretKey(profile.id, SecretSlot::OAuthRefreshToken);
        keychain->write(refreshKey, u"RT-1"_s, nullptr, [](const SecretResult&) {});
        LibraryAnswer<ProfileSecretValues> signedIn;
        library->secretsForTest(profile, this, signedIn.callback());
        QVERIFY(signedIn.wait(10000));
        QVERIFY2(signedIn.result->ok(), qPrintable(signedIn.result->failureMessage()));
        QCOMPARE(signedIn.result->value().value(SecretSlot::SmtpPassword), u"AT-fresh"_s);
        QVERIFY(!signedIn.result->value().values.contains(SecretSlot::OAuthRefreshToken));
        QCOMPARE(endpoint.bodies.size(), 1);
        QVERIFY(endpoint.bodies.first().contains("grant_type=refresh_token"));
        QVERIFY(endpoint.bodies.first().contains("refresh_token=RT-1"));
        QTRY_COMPARE(keychain->entries().value(refreshKey), u"RT-2"_s);

        // A token given for the run: no sign-in.
        OAuthTokenSource::forget(profile.id);
        LibraryAnswer<ProfileSecretValues> given;
        library->secretsForTest(profile, this, given.callback(), {SecretSlot::SmtpPassword});
        QVERIFY(given.wait());
        QVERIFY(given.result->ok());
        QCOMPARE(endpoint.bodies.size(), 1);
        OAuthTokenSource::forget(profile.id);
    }
};

QTEST_GUILESS_MAIN(TestProfileLibrary)
#include "tst_profilelibrary.moc"
