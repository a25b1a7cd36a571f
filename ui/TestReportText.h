#pragma once

#include "smtp/TestReport.h"

#include <QCoreApplication>
#include <QString>

namespace relaydeck::ui {

// A test report as readable text for "Copy report" and "Save report" (text). JSON uses
// TestReport::toJson. Neither ever contains a secret: the engine redacts the transcript.
class TestReportText
{
    Q_DECLARE_TR_FUNCTIONS(TestReportText)

public:
    static QString format(const TestReport& report, bool includeTranscript = true);
    // "AB:CD:..." (the report's form) -> "abcd..." (the form stored in profiles).
    static QString pinForm(const QString& sha256);
    static QString verdict(const TestReport& report);
    static QString transcriptLine(const TranscriptLine& line);
    // An error message for people: the engine's words without the TLS library's own text
    // ("error:0A00010B:SSL routines::wrong version number"), which libraryText() returns (for
    // the details). A message that is only library text reads "The TLS library reported an
    // error."
    static QString humanMessage(const QString& message);
    static QString libraryText(const QString& message);
};

} // namespace relaydeck::ui
