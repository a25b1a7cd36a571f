#include "smtp/sasl/OAuthBearerMechanism.h"

#include "smtp/sasl/SaslText.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString OAuthBearerMechanism::name() const
{
    return u"OAUTHBEARER"_s;
}

QByteArray OAuthBearerMechanism::message() const
{
    // The authorisation identity is optional; the escaping keeps a ',' or '=' in the user name
    // from ending the GS2 header early (RFC 5801 section 4).
    QByteArray message = "n,";
    if (!credentials().username.isEmpty())
        message += "a=" + sasl::escapeSaslName(credentials().username.toUtf8());
    message += ',';
    // host and port are optional key/value pairs; sent when known so that the server can check
    // the token was meant for it.
    if (!credentials().host.isEmpty())
        message += "\x01"
                   "host=" +
                   credentials().host.toUtf8();
    if (credentials().port > 0)
        message += "\x01"
                   "port=" +
                   QByteArray::number(credentials().port);
    message += "\x01"
               "auth=Bearer " +
               credentials().password.toUtf8() + "\x01\x01";
    return message;
}

} // namespace relaydeck
