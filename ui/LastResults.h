#pragma once

#include "LastTestResult.h"

#include <QCoreApplication>
#include <QUuid>

#include <optional>

class QSettings;

namespace relaydeck {
struct TestReport;
}

namespace relaydeck::ui {

// The last test result of each connection, kept across sessions in the window's settings file
// (group "lastTest/<profile-id>": status, finishedAt in UTC, summary). Running results are not
// kept; one read back as running counts as untested.
class LastResults
{
    Q_DECLARE_TR_FUNCTIONS(LastResults)

public:
    // `settings` must outlive this object.
    explicit LastResults(QSettings& settings);

    // Keeps `result` unless it is Running.
    void record(const QUuid& id, const LastTestResult& result);
    std::optional<LastTestResult> read(const QUuid& id) const;
    void forget(const QUuid& id);

    // What the list keeps for a finished report: passed or failed, now, and a one-line summary.
    static LastTestResult fromReport(const TestReport& report);
    // A test the user stopped.
    static LastTestResult cancelled();

private:
    QSettings& m_settings;
};

} // namespace relaydeck::ui
