#include "SessionSecretStore.h"

#include <QPointer>
#include <QTimer>

namespace relaydeck::ui {

SessionSecretStore::SessionSecretStore(SecretStore& keychain, QObject* parent)
    : QObject(parent)
    , m_keychain(keychain)
{}

void SessionSecretStore::answer(QObject* context, const Callback& done, const SecretResult& result)
{
    // Asynchronous like the keychain, so callers never see two different behaviours.
    QTimer::singleShot(0, context ? context : this, [done, result] { done(result); });
}

void SessionSecretStore::fail(const QString& message)
{
    if (m_keychainFailed)
        return;
    m_keychainFailed = true;
    emit keychainFailed(message);
}

void SessionSecretStore::retryKeychain()
{
    m_keychainFailed = false;
}

void SessionSecretStore::read(const QString& key, QObject* context, Callback done)
{
    if (const auto it = m_session.constFind(key); it != m_session.cend()) {
        answer(context, done, SecretResult{SecretResult::Status::Ok, *it, {}});
        return;
    }
    if (m_keychainFailed) {
        answer(context, done, SecretResult{SecretResult::Status::NotFound, {}, {}});
        return;
    }
    QPointer<SessionSecretStore> self(this);
    m_keychain.read(key, context, [self, done](const SecretResult& result) {
        if (result.status != SecretResult::Status::Error || !self) {
            done(result);
            return;
        }
        self->fail(result.message);
        // The user can still type the password; it is then kept for this session.
        done(SecretResult{SecretResult::Status::NotFound, {}, {}});
    });
}

void SessionSecretStore::write(const QString& key, const QString& value, QObject* context,
                               Callback done)
{
    if (m_keychainFailed) {
        m_session.insert(key, value);
        answer(context, done, SecretResult{});
        return;
    }
    QPointer<SessionSecretStore> self(this);
    m_keychain.write(key, value, context, [self, key, value, done](const SecretResult& result) {
        if (self) {
            if (result.status == SecretResult::Status::Error) {
                self->fail(result.message);
                self->m_session.insert(key, value);
            } else {
                self->m_session.remove(key);
            }
        }
        done(SecretResult{});
    });
}

void SessionSecretStore::remove(const QString& key, QObject* context, Callback done)
{
    m_session.remove(key);
    if (m_keychainFailed) {
        answer(context, done, SecretResult{});
        return;
    }
    QPointer<SessionSecretStore> self(this);
    m_keychain.remove(key, context, [self, done](const SecretResult& result) {
        if (result.status == SecretResult::Status::Error && self)
            self->fail(result.message);
        done(SecretResult{});
    });
}

} // namespace relaydeck::ui
