#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace relaydeck {

// "Switch to ..." for a failed test whose port and security mode do not match: 465 speaks TLS
// from the first byte, 587 and 25 start in plain text and upgrade with STARTTLS.
// The hint text comes from Diagnosis; this decides which switch to offer, so a front end only
// shows it (the GUI as a button that changes the profile and tests again). A test that passed
// without encryption against a server that offers STARTTLS gets the switch too, with a warning.
struct SecuritySuggestion
{
    Q_DECLARE_TR_FUNCTIONS(SecuritySuggestion)

public:
    Security security = Security::StartTls;
    int port = 0;
    // Set when the test passed in plain text although the server offers STARTTLS: the warning
    // to show next to the passed verdict.
    QString warning;

    // The button text, e.g. "Switch to implicit TLS (port 465)".
    QString label() const;

    static std::optional<SecuritySuggestion> forReport(const TestReport& report,
                                                       const ConnectionProfile& profile);
};

} // namespace relaydeck
