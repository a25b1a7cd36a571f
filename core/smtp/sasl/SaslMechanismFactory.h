#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/sasl/SaslMechanism.h"

#include <QStringList>

#include <memory>

namespace relaydeck {

// Creates mechanisms and picks one for AuthMechanism::Auto.
class SaslMechanismFactory
{
public:
    // nullptr for Auto/None or a mechanism not implemented.
    static std::unique_ptr<SaslMechanism> create(AuthMechanism mechanism,
                                                 const SaslCredentials& credentials);

    // The SASL name of a mechanism ("CRAM-MD5"); empty for Auto/None.
    static QString saslName(AuthMechanism mechanism);

    // The strongest mechanism both sides support for Auto (never the OAuth ones, never
    // ANONYMOUS/EXTERNAL, never GSSAPI: AuthExchange::choose takes it for a Kerberos profile):
    // SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5 > NTLM > PLAIN > LOGIN. `offered` are the server's
    // AUTH words (any case). Returns AuthMechanism::None when no mechanism is usable.
    static AuthMechanism chooseAutomatic(const QStringList& offered);

    // The mechanisms Auto considers, strongest first (for messages that say what the profile
    // would have accepted).
    static QList<AuthMechanism> automaticRanking();
};

} // namespace relaydeck
