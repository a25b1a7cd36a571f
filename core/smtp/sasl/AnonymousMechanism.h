#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// ANONYMOUS (RFC 4505): one message, the trace information: the user name (e.g. an e-mail
// address) when one is set, otherwise empty (sent as "=" by the session).
class AnonymousMechanism : public SaslMechanism
{
public:
    explicit AnonymousMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

private:
    QByteArray m_trace;
    bool m_sent = false;
};

} // namespace relaydeck
