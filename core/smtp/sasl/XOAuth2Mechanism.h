#pragma once

#include "smtp/sasl/BearerTokenMechanism.h"

namespace relaydeck {

// XOAUTH2 (Google/Microsoft): "user=U\x01auth=Bearer TOKEN\x01\x01" as the initial response;
// the token is the credentials' password. When the token is refused the server sends a JSON
// error as a challenge; the client answers with an empty response and the server then says 535.
class XOAuth2Mechanism : public BearerTokenMechanism
{
public:
    using BearerTokenMechanism::BearerTokenMechanism;

    QString name() const override;

protected:
    QByteArray message() const override;
    QByteArray errorAcknowledgement() const override { return {}; }
};

} // namespace relaydeck
