#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// EXTERNAL (RFC 4422 appendix A): the identity comes from outside SASL — here the TLS client
// certificate. The only message is the authorisation identity: empty (sent as "=", "act as the
// certificate's identity") unless the profile names a user to act as.
class ExternalMechanism : public SaslMechanism
{
public:
    explicit ExternalMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

private:
    QByteArray m_authzid;
    bool m_sent = false;
};

} // namespace relaydeck
