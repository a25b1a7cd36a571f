#include "smtp/sasl/XOAuth2Mechanism.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString XOAuth2Mechanism::name() const
{
    return u"XOAUTH2"_s;
}

QByteArray XOAuth2Mechanism::message() const
{
    return "user=" + credentials().username.toUtf8() + "\x01" + "auth=Bearer " +
           credentials().password.toUtf8() + "\x01\x01";
}

} // namespace relaydeck
