#include "secrets/MemorySecretStore.h"
#include "secrets/ProfileSecrets.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

// Runs an asynchronous SecretStore call and waits for its answer.
template <typename Start> std::optional<SecretResult> await(Start&& start)
{
    std::optional<SecretResult> answer;
    QObject context;
    start(&context, [&answer](const SecretResult& result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 2000))
        return std::nullopt;
    return answer;
}

template <typename Start> std::optional<Result<ProfileSecretValues>> awaitAll(Start&& start)
{
    std::optional<Result<ProfileSecretValues>> answer;
    QObject context;
    start(&context, [&answer](const Result<ProfileSecretValues>& result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 2000))
        return std::nullopt;
    return answer;
}

} // namespace

class TestMemorySecretStore : public QObject
{
    Q_OBJECT

private slots:
    void slotWordsAndKeys()
    {
        QCOMPARE(toString(SecretSlot::SmtpPassword), u"smtp-password"_s);
        QCOMPARE(toString(SecretSlot::ProxyPassword), u"proxy-password"_s);
        QCOMPARE(toString(SecretSlot::ClientKeyPassphrase), u"client-key-passphrase"_s);
        QCOMPARE(toString(SecretSlot::OAuthRefreshToken), u"oauth-refresh-token"_s);
        const QUuid id = QUuid::fromString(u"{0b8f2f5e-54b4-4c3e-9f57-3f1d3f0a4c11}"_s);
        QCOMPARE(secretKey(id, SecretSlot::SmtpPassword),
                 u"0b8f2f5e-54b4-4c3e-9f57-3f1d3f0a4c11:smtp-password"_s);
    }

    void answersAreAsynchronous()
    {
        MemorySecretStore store;
        QObject context;
        bool called = false;
        store.write(u"k"_s, u"v"_s, &context, [&called](const SecretResult&) { called = true; });
        QVERIFY(!called); // never synchronously, like the real keychain
        QTRY_VERIFY(called);
    }

    void writeReadRemove()
    {
        MemorySecretStore store;
        auto result = await([&](QObject* c, auto done) { store.read(u"k"_s, c, done); });
        QVERIFY(result);
        QCOMPARE(result->status, SecretResult::Status::NotFound);

        result = await([&](QObject* c, auto done) { store.write(u"k"_s, u"s3cret"_s, c, done); });
        QVERIFY(result && result->ok());
        result = await([&](QObject* c, auto done) { store.read(u"k"_s, c, done); });
        QVERIFY(result && result->ok());
        QCOMPARE(result->value, u"s3cret"_s);

        result = await([&](QObject* c, auto done) { store.write(u"k"_s, u"other"_s, c, done); });
        QCOMPARE(store.entries().value(u"k"_s), u"other"_s);

        result = await([&](QObject* c, auto done) { store.remove(u"k"_s, c, done); });
        QVERIFY(result && result->ok());
        QVERIFY(!store.contains(u"k"_s));
        result = await([&](QObject* c, auto done) { store.remove(u"k"_s, c, done); });
        QCOMPARE(result->status, SecretResult::Status::NotFound); // removing nothing is fine
    }

    void failureSeam()
    {
        MemorySecretStore store;
        store.setFailure(u"The keychain is locked."_s);
        auto result = await([&](QObject* c, auto done) { store.write(u"k"_s, u"v"_s, c, done); });
        QCOMPARE(result->status, SecretResult::Status::Error);
        QCOMPARE(result->message, u"The keychain is locked."_s);
        QVERIFY(store.entries().isEmpty()); // nothing kept anywhere on failure
        result = await([&](QObject* c, auto done) { store.read(u"k"_s, c, done); });
        QCOMPARE(result->status, SecretResult::Status::Error);
        store.setFailure({});
        result = await([&](QObject* c, auto done) { store.read(u"k"_s, c, done); });
        QCOMPARE(result->status, SecretResult::Status::NotFound);
    }

    void callbackDroppedWhenContextDies()
    {
        MemorySecretStore store;
        bool called = false;
        {
            QObject context;
            store.write(u"k"_s, u"v"_s, &context,
                        [&called](const SecretResult&) { called = true; });
        }
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void profileSecretsLoadCopyRemove()
    {
        MemorySecretStore store;
        const QUuid a = QUuid::createUuid();
        const QUuid b = QUuid::createUuid();
        auto result = awaitAll([&](QObject* c, auto done) {
            ProfileSecrets::save(
                store, a,
                {{SecretSlot::SmtpPassword, u"pw"_s}, {SecretSlot::ProxyPassword, u"proxy"_s}}, c,
                done);
        });
        QVERIFY(result && result->ok());
        QCOMPARE(store.entries().size(), 2);
        QVERIFY(store.contains(secretKey(a, SecretSlot::SmtpPassword)));

        result = awaitAll([&](QObject* c, auto done) { ProfileSecrets::load(store, a, c, done); });
        QVERIFY(result && result->ok());
        QCOMPARE(result->value().values.size(), 2);
        const ConnectionSecrets secrets = result->value().connectionSecrets();
        QCOMPARE(secrets.smtpPassword, u"pw"_s);
        QCOMPARE(secrets.proxyPassword, u"proxy"_s);
        QVERIFY(secrets.clientKeyPassphrase.isEmpty());

        result =
            awaitAll([&](QObject* c, auto done) { ProfileSecrets::copy(store, a, b, c, done); });
        QVERIFY(result && result->ok());
        QCOMPARE(store.entries().value(secretKey(b, SecretSlot::SmtpPassword)), u"pw"_s);
        QCOMPARE(store.entries().value(secretKey(b, SecretSlot::ProxyPassword)), u"proxy"_s);

        result =
            awaitAll([&](QObject* c, auto done) { ProfileSecrets::remove(store, a, c, done); });
        QVERIFY(result && result->ok());
        QVERIFY(!store.contains(secretKey(a, SecretSlot::SmtpPassword)));
        QVERIFY(!store.contains(secretKey(a, SecretSlot::ProxyPassword)));
        QCOMPARE(store.entries().size(), 2); // b's copies remain

        // An empty value removes the slot.
        result = awaitAll([&](QObject* c, auto done) {
            ProfileSecrets::save(store, b, {{SecretSlot::SmtpPassword, QString()}}, c, done);
        });
        QVERIFY(result && result->ok());
        QVERIFY(!store.contains(secretKey(b, SecretSlot::SmtpPassword)));
    }

    void profileSecretsReportTheFailingSlot()
    {
        MemorySecretStore store;
        store.setFailure(u"No keyring is running."_s);
        const auto result = awaitAll([&](QObject* c, auto done) {
            ProfileSecrets::load(store, QUuid::createUuid(), c, done);
        });
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->failure().id, FailureId::KeychainFailed);
        QVERIFY(result->failure().message.contains(u"SMTP password"_s));
        QVERIFY(result->failure().message.contains(u"No keyring is running."_s));
        QCOMPARE(store.operationCount(), 1); // stops at the first error
    }
};

QTEST_GUILESS_MAIN(TestMemorySecretStore)
#include "tst_memorysecretstore.moc"
