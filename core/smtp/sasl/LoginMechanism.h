#pragma once

#include "smtp/sasl/SaslMechanism.h"

namespace relaydeck {

// LOGIN (draft-murchison-sasl-login): the user name as the initial response, then the password
// for the server's "Password:" prompt. A server that ignores the initial response and asks
// "Username:" first gets the user name again.
class LoginMechanism : public SaslMechanism
{
public:
    explicit LoginMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;

private:
    SaslCredentials m_credentials;
    bool m_usernameSent = false;
    bool m_passwordSent = false;
};

} // namespace relaydeck
