#pragma once

#include "smtp/sasl/BearerTokenMechanism.h"

namespace relaydeck {

// OAUTHBEARER (RFC 7628): the GS2 header "n,a=user," then "\x01host=H\x01port=P\x01auth=Bearer
// TOKEN\x01\x01" as the initial response; the token is the credentials' password. A refused
// token comes back as a JSON error challenge, which the client must answer with a single
// "\x01" (base64 "AQ==") so that the server can finish with its failure reply.
class OAuthBearerMechanism : public BearerTokenMechanism
{
public:
    using BearerTokenMechanism::BearerTokenMechanism;

    QString name() const override;

protected:
    QByteArray message() const override;
    // RFC 7628 section 3.2.3: a single "\x01".
    QByteArray errorAcknowledgement() const override { return QByteArray("\x01"); }
};

} // namespace relaydeck
