#pragma once

#include "secrets/SecretStore.h"

#include <QMap>
#include <QString>

namespace relaydeck {

// Secrets in memory, for tests (and the GUI's "this session only" fallback when the keychain
// fails — nothing is ever written to disk). Callbacks run asynchronously like the real keychain
// (queued on `context`'s thread), so callers cannot come to rely on synchronous answers.
class MemorySecretStore : public SecretStore
{
public:
    void read(const QString& key, QObject* context, Callback done) override;
    void write(const QString& key, const QString& value, QObject* context, Callback done) override;
    void remove(const QString& key, QObject* context, Callback done) override;

    // Test seam: while set, every operation fails with status Error and this message (like a
    // locked or missing keyring). Empty: work normally.
    void setFailure(const QString& message) { m_failure = message; }

    // Synchronous inspection for tests.
    const QMap<QString, QString>& entries() const { return m_entries; }
    bool contains(const QString& key) const { return m_entries.contains(key); }
    int operationCount() const { return m_operations; }

private:
    void answer(QObject* context, Callback done, const SecretResult& result);

    QMap<QString, QString> m_entries;
    QString m_failure;
    int m_operations = 0;
};

} // namespace relaydeck
