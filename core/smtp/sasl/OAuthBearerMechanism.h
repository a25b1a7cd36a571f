#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// OAUTHBEARER (RFC 7628): the GS2 header "n,a=user," then "\x01host=H\x01port=P\x01auth=Bearer
// TOKEN\x01\x01" as the initial response; the token is the credentials' password. A refused
// token comes back as a JSON error challenge, which the client must answer with a single
// "\x01" (base64 "AQ==") so that the server can finish with its failure reply.
class OAuthBearerMechanism : public SaslMechanism
{
public:
    explicit OAuthBearerMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

    // The server's JSON error challenge, if one came (for diagnosis; holds no secret).
    QByteArray serverError() const override { return m_serverError; }

private:
    QByteArray message() const;

    SaslCredentials m_credentials;
    bool m_sent = false;
    bool m_errorAnswered = false;
    QByteArray m_serverError;
};

} // namespace relaydeck
