#pragma once

#include "secrets/SecretStore.h"

#include <QString>

namespace relaydeck {

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows): service "relaydeck", key "<profile-id>:<slot>".
//
// Every QtKeychain outcome becomes a SecretResult with a message saying what to do: entry not
// found is NotFound (no password stored); no keyring running, locked, access denied and other
// failures are Error. Each operation has an overall deadline so a dead keyring cannot hang the
// caller: when it expires the callback gets Error ("the keychain did not answer") and the late
// answer is ignored. Jobs delete themselves when they finish; they are never deleted in flight.
// There is no plaintext fallback.
class KeychainSecretStore : public SecretStore
{
public:
    static constexpr int defaultDeadlineMs = 5000;

    explicit KeychainSecretStore(const QString& service = QStringLiteral("relaydeck"),
                                 int deadlineMs = defaultDeadlineMs);

    void read(const QString& key, QObject* context, Callback done) override;
    void write(const QString& key, const QString& value, QObject* context, Callback done) override;
    void remove(const QString& key, QObject* context, Callback done) override;

    QString service() const { return m_service; }

private:
    QString m_service;
    int m_deadlineMs;
};

} // namespace relaydeck
