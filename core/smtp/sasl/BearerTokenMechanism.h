#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// What XOAUTH2 and OAUTHBEARER share: the token (the credentials' password) goes in one message,
// sent as the initial response; a refused token comes back as a JSON error challenge, which is
// kept for diagnosis and acknowledged so that the server can finish with its failure reply.
class BearerTokenMechanism : public SaslMechanism
{
public:
    explicit BearerTokenMechanism(const SaslCredentials& credentials);

    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

    // The server's JSON error challenge, if one came (holds no secret).
    QByteArray serverError() const override { return m_serverError; }

protected:
    // The message carrying the token.
    virtual QByteArray message() const = 0;
    // The answer to the error challenge.
    virtual QByteArray errorAcknowledgement() const = 0;

    const SaslCredentials& credentials() const { return m_credentials; }

private:
    SaslCredentials m_credentials;
    bool m_sent = false;
    bool m_errorAnswered = false;
    QByteArray m_serverError;
};

} // namespace relaydeck
