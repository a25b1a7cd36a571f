#include "library/ProfileLibrary.h"
#include "secrets/MemorySecretStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

ConnectionProfile profileNamed(const QString& name, const QString& user = QString())
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = u"relay.example.com"_s;
    if (!user.isEmpty()) {
        profile.auth.mechanism = AuthMechanism::Plain;
        profile.auth.username = user;
    }
    return profile;
}

// Waits for one `done` answer of a ProfileLibrary operation.
template <typename T> struct Answer
{
    std::optional<Result<T>> result;
    ProfileLibrary::Done<T> callback()
    {
        return [this](const Result<T>& answer) { result = answer; };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, 2000);
    }
};

} // namespace

class TestProfileLibrary : public QObject
{
    Q_OBJECT

private:
    std::optional<QTemporaryDir> dir;
    std::optional<MemorySecretStore> keychain;
    std::unique_ptr<ProfileLibrary> library;

    ProfileStore reread() const
    {
        ProfileStore store(dir->path());
        store.load();
        return store;
    }

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
        Answer<ConnectionProfile> answer;
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
        Answer<ConnectionProfile> answer;
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
        Answer<ConnectionProfile> added;
        const ConnectionProfile original =
            library->save(profileNamed(u"Relay"_s, u"ops"_s), {}, this, added.callback()).value();
        QVERIFY(added.wait());
        keychain->setFailure(u"no keyring"_s);
        ConnectionProfile changed = original;
        changed.host = u"other.example.com"_s;
        Answer<ConnectionProfile> answer;
        QVERIFY(
            library->save(changed, {{SecretSlot::SmtpPassword, u"pw"_s}}, this, answer.callback())
                .ok());
        QVERIFY(answer.wait());
        QCOMPARE(answer.result->failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(original.id)->host, u"relay.example.com"_s);
    }

    void copyWithAndWithoutSecrets()
    {
        Answer<ConnectionProfile> added;
        const ConnectionProfile a =
            library
                ->save(profileNamed(u"A"_s, u"ops"_s), {{SecretSlot::SmtpPassword, u"pw"_s}}, this,
                       added.callback())
                .value();
        QVERIFY(added.wait());

        Answer<ConnectionProfile> copied;
        const Result<ConnectionProfile> copy =
            library->copy(a.id, u"B"_s, true, this, copied.callback());
        QVERIFY(copy.ok());
        QVERIFY(copied.wait());
        QVERIFY(copied.result->ok());
        QCOMPARE(keychain->entries().value(secretKey(copy->id, SecretSlot::SmtpPassword)), u"pw"_s);

        Answer<ConnectionProfile> bare;
        const Result<ConnectionProfile> plain =
            library->copy(a.id, u"C"_s, false, this, bare.callback());
        QVERIFY(bare.wait());
        QVERIFY(!keychain->contains(secretKey(plain->id, SecretSlot::SmtpPassword)));

        keychain->setFailure(u"no keyring"_s);
        Answer<ConnectionProfile> failed;
        QVERIFY(library->copy(a.id, u"D"_s, true, this, failed.callback()).ok());
        QVERIFY(failed.wait());
        QCOMPARE(failed.result->failure().id, FailureId::KeychainFailed);
        QVERIFY(!reread().findByName(u"D"_s)); // undone
    }

    void removeFollowsTheKeychainRule()
    {
        Answer<ConnectionProfile> added;
        const ConnectionProfile withUser =
            library->save(profileNamed(u"User"_s, u"ops"_s), {}, this, added.callback()).value();
        QVERIFY(added.wait());
        Answer<ConnectionProfile> addedPlain;
        const ConnectionProfile plain =
            library->save(profileNamed(u"Plain"_s), {}, this, addedPlain.callback()).value();
        QVERIFY(addedPlain.wait());

        keychain->setFailure(u"no keyring"_s);
        // May have secrets: the removal is undone.
        Answer<RemovedProfile> refused;
        QVERIFY(library->remove(withUser.id, false, this, refused.callback()).ok());
        QVERIFY(refused.wait());
        QCOMPARE(refused.result->failure().id, FailureId::KeychainFailed);
        QCOMPARE(reread().findById(withUser.id)->name, u"User"_s);
        // Cannot have secrets: removed, with a warning.
        Answer<RemovedProfile> warned;
        QVERIFY(library->remove(plain.id, false, this, warned.callback()).ok());
        QVERIFY(warned.wait());
        QVERIFY(warned.result->ok());
        QVERIFY(warned.result->value().keychainWarning.contains(u"no keyring"_s));
        QVERIFY(!reread().findById(plain.id));
        // keepSecrets: the keychain is not asked.
        const int operations = keychain->operationCount();
        Answer<RemovedProfile> kept;
        QVERIFY(library->remove(withUser.id, true, this, kept.callback()).ok());
        QVERIFY(kept.wait());
        QVERIFY(kept.result->ok());
        QCOMPARE(keychain->operationCount(), operations);
        QVERIFY(!reread().findById(withUser.id));
    }

    void renameAndImport()
    {
        Answer<ConnectionProfile> added;
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
        Answer<ProfileSecretValues> none;
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
        Answer<ProfileSecretValues> read;
        library->secretsForTest(user, this, read.callback());
        QVERIFY(read.wait());
        QVERIFY(read.result->value().values.keys() == QList<SecretSlot>{SecretSlot::SmtpPassword});
        QCOMPARE(read.result->value().value(SecretSlot::SmtpPassword), u"pw"_s);

        // Given for this run: not read.
        const int operations = keychain->operationCount();
        Answer<ProfileSecretValues> given;
        library->secretsForTest(user, this, given.callback(), {SecretSlot::SmtpPassword});
        QVERIFY(given.wait());
        QCOMPARE(keychain->operationCount(), operations);

        keychain->setFailure(u"locked"_s);
        Answer<ProfileSecretValues> failed;
        library->secretsForTest(user, this, failed.callback());
        QVERIFY(failed.wait());
        QCOMPARE(failed.result->failure().id, FailureId::KeychainFailed);
    }
};

QTEST_GUILESS_MAIN(TestProfileLibrary)
#include "tst_profilelibrary.moc"
