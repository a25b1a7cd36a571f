#pragma once

#include "secrets/SecretStore.h"

#include <QMap>
#include <QObject>

namespace relaydeck::ui {

// The GUI's secret store: the OS keychain, and when the keychain fails, this session's memory.
// After a failure the keychain is not asked again until retryKeychain() (a dead keyring would
// otherwise cost its full deadline on every click); keychainFailed() tells the window to show the
// banner. Secrets kept for the session are never written anywhere: no plaintext fallback.
class SessionSecretStore : public QObject, public SecretStore
{
    Q_OBJECT

public:
    explicit SessionSecretStore(SecretStore& keychain, QObject* parent = nullptr);

    void read(const QString& key, QObject* context, Callback done) override;
    void write(const QString& key, const QString& value, QObject* context, Callback done) override;
    void remove(const QString& key, QObject* context, Callback done) override;

    bool keychainAvailable() const { return !m_keychainFailed; }
    // Ask the keychain again from now on; secrets kept for this session stay until saved.
    void retryKeychain();
    // Keys whose secret is only in this session's memory.
    QStringList sessionOnlyKeys() const { return m_session.keys(); }

signals:
    // The first failure since start or since retryKeychain(). `message` says what happened.
    void keychainFailed(const QString& message);

private:
    void answer(QObject* context, const Callback& done, const SecretResult& result);
    void fail(const QString& message);

    SecretStore& m_keychain;
    QMap<QString, QString> m_session;
    bool m_keychainFailed = false;
};

} // namespace relaydeck::ui
