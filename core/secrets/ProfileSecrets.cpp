#include "secrets/ProfileSecrets.h"

#include <QCoreApplication>
#include <QPointer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "ProfileSecrets" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileSecrets)
};

QString slotName(SecretSlot slot)
{
    switch (slot) {
    case SecretSlot::SmtpPassword:
        return Text::tr("SMTP password");
    case SecretSlot::ProxyPassword:
        return Text::tr("proxy password");
    case SecretSlot::ClientKeyPassphrase:
        return Text::tr("client key passphrase");
    case SecretSlot::OAuthRefreshToken:
        return Text::tr("OAuth refresh token");
    case SecretSlot::OAuthClientSecret:
        return Text::tr("OAuth client secret");
    }
    return toString(slot);
}

// One keychain operation of a sequence.
struct Step
{
    enum class Kind
    {
        Read,
        Write,
        Remove
    };
    Kind kind;
    SecretSlot slot;
    QString key;
    QString value;
};

// Runs steps one after the other; stops at the first Error.
struct Sequence : std::enable_shared_from_this<Sequence>
{
    SecretStore* store = nullptr;
    QList<Step> steps;
    qsizetype next = 0;
    QPointer<QObject> context;
    bool hadContext = false;
    ProfileSecrets::Callback done;
    ProfileSecretValues values;
    std::optional<Failure> failure;

    void finish()
    {
        if (hadContext && !context)
            return;
        if (failure)
            done(*failure);
        else
            done(values);
    }

    void runNext()
    {
        if (next >= steps.size()) {
            finish();
            return;
        }
        const Step step = steps.at(next++);
        auto self = shared_from_this();
        auto handle = [self, step](const SecretResult& answer) {
            if (answer.status == SecretResult::Status::Error) {
                QString what;
                switch (step.kind) {
                case Step::Kind::Read:
                    what = Text::tr("Reading the %1 from the keychain failed: %2");
                    break;
                case Step::Kind::Write:
                    what = Text::tr("Saving the %1 in the keychain failed: %2");
                    break;
                case Step::Kind::Remove:
                    what = Text::tr("Removing the %1 from the keychain failed: %2");
                    break;
                }
                self->failure = Failure(FailureId::KeychainFailed,
                                        what.arg(slotName(step.slot), answer.message));
                self->finish();
                return;
            }
            if (step.kind == Step::Kind::Read && answer.ok() && !answer.value.isEmpty())
                self->values.values.insert(step.slot, answer.value);
            self->runNext();
        };
        QObject* receiver = context.data();
        switch (step.kind) {
        case Step::Kind::Read:
            store->read(step.key, receiver, handle);
            break;
        case Step::Kind::Write:
            store->write(step.key, step.value, receiver, handle);
            break;
        case Step::Kind::Remove:
            store->remove(step.key, receiver, handle);
            break;
        }
    }
};

void start(SecretStore& store, QList<Step> steps, QObject* context, ProfileSecrets::Callback done)
{
    auto sequence = std::make_shared<Sequence>();
    sequence->store = &store;
    sequence->steps = std::move(steps);
    sequence->context = context;
    sequence->hadContext = context != nullptr;
    sequence->done = std::move(done);
    sequence->runNext();
}

} // namespace

ConnectionSecrets ProfileSecretValues::connectionSecrets() const
{
    ConnectionSecrets secrets;
    secrets.smtpPassword = value(SecretSlot::SmtpPassword);
    secrets.proxyPassword = value(SecretSlot::ProxyPassword);
    secrets.clientKeyPassphrase = value(SecretSlot::ClientKeyPassphrase);
    secrets.username = username;
    return secrets;
}

QList<SecretSlot> ProfileSecrets::allSlots()
{
    return {SecretSlot::SmtpPassword, SecretSlot::ProxyPassword, SecretSlot::ClientKeyPassphrase,
            SecretSlot::OAuthRefreshToken, SecretSlot::OAuthClientSecret};
}

void ProfileSecrets::load(SecretStore& store, const QUuid& profileId, QObject* context,
                          Callback done)
{
    load(store, profileId, allSlots(), context, std::move(done));
}

void ProfileSecrets::load(SecretStore& store, const QUuid& profileId,
                          const QList<SecretSlot>& secretSlots, QObject* context, Callback done)
{
    QList<Step> steps;
    for (SecretSlot slot : secretSlots)
        steps << Step{Step::Kind::Read, slot, secretKey(profileId, slot), {}};
    start(store, std::move(steps), context, std::move(done));
}

void ProfileSecrets::save(SecretStore& store, const QUuid& profileId,
                          const QMap<SecretSlot, QString>& values, QObject* context, Callback done)
{
    QList<Step> steps;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const Step::Kind kind = it.value().isEmpty() ? Step::Kind::Remove : Step::Kind::Write;
        steps << Step{kind, it.key(), secretKey(profileId, it.key()), it.value()};
    }
    start(store, std::move(steps), context, std::move(done));
}

void ProfileSecrets::copy(SecretStore& store, const QUuid& fromId, const QUuid& toId,
                          QObject* context, Callback done)
{
    SecretStore* storePointer = &store;
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    load(store, fromId, context,
         [storePointer, toId, guard, hadContext,
          done = std::move(done)](const Result<ProfileSecretValues>& loaded) {
             if (!loaded.ok() || loaded->values.isEmpty()) {
                 done(loaded);
                 return;
             }
             if (hadContext && !guard)
                 return;
             save(*storePointer, toId, loaded->values, guard.data(),
                  [loaded, done](const Result<ProfileSecretValues>& saved) {
                      done(saved.ok() ? loaded : saved);
                  });
         });
}

void ProfileSecrets::remove(SecretStore& store, const QUuid& profileId, QObject* context,
                            Callback done)
{
    QList<Step> steps;
    for (SecretSlot slot : allSlots())
        steps << Step{Step::Kind::Remove, slot, secretKey(profileId, slot), {}};
    start(store, std::move(steps), context, std::move(done));
}

} // namespace relaydeck
