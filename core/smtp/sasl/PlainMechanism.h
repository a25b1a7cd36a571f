#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// PLAIN (RFC 4616): "\0user\0password" as the initial response, no authorisation identity.
// User name and password go as raw UTF-8, as servers compare them byte for byte.
class PlainMechanism : public SaslMechanism
{
public:
    explicit PlainMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

private:
    QByteArray message() const;

    SaslCredentials m_credentials;
    bool m_sent = false;
};

} // namespace relaydeck
