#include "smtp/SmtpReply.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString SmtpReply::text() const
{
    return QString::number(code) + u' ' + lines.join(u" / "_s);
}

} // namespace relaydeck
