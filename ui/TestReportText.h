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
};

} // namespace relaydeck::ui
