#pragma once

#include "smtp/sasl/SaslMechanism.h"

#include <QCryptographicHash>

namespace relaydeck {

// SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) without channel binding ("n,,").
// The client proves it knows the password without sending it, and the server proves the same
// with its signature in the final challenge: a missing or wrong signature fails the exchange
// (acceptsSuccess() stays false, so a 235 from an impostor is not believed).
class ScramMechanism : public SaslMechanism
{
public:
    enum class Hash
    {
        Sha1,
        Sha256
    };

    ScramMechanism(Hash hash, const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    // client-first-message; the same bytes however often it is asked for.
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;
    bool acceptsSuccess() const override { return m_state == State::Verified; }

    // Test seam (RFC examples): the client nonce to use instead of a random one. Must be set
    // before the first message is built; printable ASCII without ','.
    void setClientNonce(const QByteArray& nonce) { m_clientNonce = nonce; }

    // More iterations than this are refused: the key derivation runs on the caller's thread
    // (the GUI's), and no real server needs more than a few thousand.
    static constexpr int maximumIterations = 100000;

private:
    enum class State
    {
        Start,
        SentClientFirst,
        SentClientFinal,
        Verified,
        Failed
    };

    QCryptographicHash::Algorithm algorithm() const;
    QByteArray clientFirstBare();
    Step clientFinal(const QByteArray& serverFirst);
    Step verifyServerFinal(const QByteArray& serverFinal);
    Step fail(const QString& error);

    Hash m_hash;
    SaslCredentials m_credentials;
    State m_state = State::Start;
    QByteArray m_clientNonce;
    QByteArray m_expectedServerSignature;
};

} // namespace relaydeck
