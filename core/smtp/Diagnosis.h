#pragma once

#include "common/AdviceWording.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QString>

namespace relaydeck {

// Turns a failure into a hint an admin can act on (docs/ARCHITECTURE.md engine rule 11):
// port/security mismatches (465 is implicit TLS, 587 is STARTTLS), DNS, refused connections,
// certificate problems (which check failed, the SHA-256 to pin), 535 with provider advice (app
// passwords, OAuth2, Microsoft 5.7.139), 530 "Must issue STARTTLS", no common mechanism, ...
// Strings are translatable (context "Diagnosis").
class Diagnosis
{
public:
    // `report` carries the error (id, stage, serverReply), server and TLS facts. The advice says
    // which setting to change; `wording` names it in the reader's front end (relaydeck-cli's
    // flag, the desktop editor's tab and field).
    static QString hint(const TestReport& report, const TestRequest& request,
                        const AdviceWording& wording = SettingIdWording::instance());
    // A one-line, human-readable message for an error id (used when the engine has no better
    // words of its own).
    static QString describe(const QString& errorId);
    // The report of a test that ended before it connected, at stage auth (e.g. a password from
    // the environment or a command could not be read): `message` in the stage and the error,
    // hint() in `wording`.
    static TestReport reportBeforeConnecting(const ConnectionProfile& profile,
                                             const QString& errorId, const QString& message,
                                             const AdviceWording& wording);
};

} // namespace relaydeck
