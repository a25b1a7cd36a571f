#pragma once

#include <QString>

#include <optional>

namespace relaydeck {

// Checks for what goes on the wire (docs/ARCHITECTURE.md engine rule 8): CR or LF anywhere is
// refused.
class SmtpInputValidation
{
public:
    // nullopt when `address` is a usable envelope address (local@domain, no CR/LF/space/<>);
    // otherwise a translated message saying what is wrong.
    static std::optional<QString> checkAddress(const QString& address);
    // nullopt when `name` is a usable EHLO name (a domain or an address literal like
    // [192.0.2.1]); otherwise a translated message.
    static std::optional<QString> checkHeloName(const QString& name);
};

} // namespace relaydeck
