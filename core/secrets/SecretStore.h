#pragma once

#include <QObject>
#include <QString>
#include <QUuid>

#include <functional>

namespace relaydeck {

// The slots a profile can keep in the keychain. Key: "<profile-id>:<slot word>".
enum class SecretSlot
{
    SmtpPassword,
    ProxyPassword,
    ClientKeyPassphrase,
    OAuthRefreshToken,
    OAuthClientSecret
};

// smtp-password|proxy-password|client-key-passphrase|oauth-refresh-token|oauth-client-secret
QString toString(SecretSlot slot);
QString secretKey(const QUuid& profileId, SecretSlot slot);

struct SecretResult
{
    enum class Status
    {
        Ok,       // value holds the secret (read) / the operation succeeded (write, remove)
        NotFound, // no such entry: for a read this simply means "no password stored"
        Error     // the keychain failed; message says what happened and what to do
    };
    Status status = Status::Ok;
    QString value;
    QString message;

    bool ok() const { return status == Status::Ok; }
};

// Where secrets live. Asynchronous because the OS keychain is: the callback runs later on the
// caller's thread, and is dropped if `context` is destroyed first. No implementation ever falls
// back to storing a secret in plaintext.
class SecretStore
{
public:
    using Callback = std::function<void(const SecretResult&)>;

    virtual ~SecretStore() = default;

    virtual void read(const QString& key, QObject* context, Callback done) = 0;
    virtual void write(const QString& key, const QString& value, QObject* context,
                       Callback done) = 0;
    // Removing a missing entry succeeds (status Ok or NotFound).
    virtual void remove(const QString& key, QObject* context, Callback done) = 0;
};

} // namespace relaydeck
