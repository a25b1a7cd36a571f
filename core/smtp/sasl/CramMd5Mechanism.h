#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// CRAM-MD5 (RFC 2195): no initial response; the answer to the server's challenge is
// "user " + hex(HMAC-MD5(password, challenge)).
class CramMd5Mechanism : public SaslMechanism
{
public:
    explicit CramMd5Mechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return false; }
    QByteArray initialResponse() override { return {}; }
    Step respond(const QByteArray& challenge) override;

private:
    SaslCredentials m_credentials;
    bool m_answered = false;
};

} // namespace relaydeck
