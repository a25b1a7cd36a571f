#pragma once

#include "common/Result.h"

#include <QString>

namespace relaydeck {

// Checks for what goes on the wire (docs/ARCHITECTURE.md engine rule 8): CR or LF anywhere is
// refused.
class SmtpInputValidation
{
public:
    // Ok when `address` is a usable envelope address (local@domain, no CR/LF/space/<>);
    // otherwise FailureId::Invalid with a translated message saying what is wrong.
    static Result<void> checkAddress(const QString& address);
    // Ok when `name` is a usable EHLO name (a domain or an address literal like [192.0.2.1]);
    // otherwise FailureId::Invalid with a translated message.
    static Result<void> checkHeloName(const QString& name);
};

} // namespace relaydeck
