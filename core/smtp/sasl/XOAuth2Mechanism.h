#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// XOAUTH2 (Google/Microsoft): "user=U\x01auth=Bearer TOKEN\x01\x01" as the initial response;
// the token is the credentials' password. When the token is refused the server sends a JSON
// error as a challenge; the client answers with an empty response and the server then says 535.
class XOAuth2Mechanism : public SaslMechanism
{
public:
    explicit XOAuth2Mechanism(const SaslCredentials& credentials);

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
