#include "secrets/MemorySecretStore.h"

#include <QTimer>

namespace relaydeck {

void MemorySecretStore::answer(QObject* context, Callback done, const SecretResult& result)
{
    ++m_operations;
    // Asynchronous like the real keychain; dropped if the context dies first.
    if (context)
        QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
    else
        QTimer::singleShot(0, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::read(const QString& key, QObject* context, Callback done)
{
    SecretResult result;
    if (!m_failure.isEmpty()) {
        result.status = SecretResult::Status::Error;
        result.message = m_failure;
    } else if (const auto it = m_entries.constFind(key); it != m_entries.cend()) {
        result.value = *it;
    } else {
        result.status = SecretResult::Status::NotFound;
    }
    answer(context, std::move(done), result);
}

void MemorySecretStore::write(const QString& key, const QString& value, QObject* context,
                              Callback done)
{
    SecretResult result;
    if (!m_failure.isEmpty()) {
        result.status = SecretResult::Status::Error;
        result.message = m_failure;
    } else {
        m_entries.insert(key, value);
    }
    answer(context, std::move(done), result);
}

void MemorySecretStore::remove(const QString& key, QObject* context, Callback done)
{
    SecretResult result;
    if (!m_failure.isEmpty()) {
        result.status = SecretResult::Status::Error;
        result.message = m_failure;
    } else if (m_entries.remove(key) == 0) {
        result.status = SecretResult::Status::NotFound;
    }
    answer(context, std::move(done), result);
}

} // namespace relaydeck
