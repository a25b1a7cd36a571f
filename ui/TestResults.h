#pragma once

#include "LastResults.h"

#include "smtp/TestReport.h"

#include <QHash>
#include <QList>

#include <optional>

class QSettings;

namespace relaydeck {
struct ConnectionProfile;
}

namespace relaydeck::ui {

class ConnectionListModel;
class TestPanel;

// What the window knows about tests: this session's last report per profile, and the last
// result the list shows (kept across sessions by LastResults).
class TestResults
{
public:
    // `model` and `settings` must outlive this object.
    TestResults(ConnectionListModel& model, QSettings& settings);

    // Reads the kept results of `profiles` into the list.
    void load(const QList<ConnectionProfile>& profiles);

    void started(const QUuid& id);
    void finished(const QUuid& id, const TestReport& report);
    void cancelled(const QUuid& id, const TestReport& report);
    // Keeps this session's report, if any (see dropReport).
    void skipped(const QUuid& id, const QString& reason);
    void dropReport(const QUuid& id) { m_reports.remove(id); }
    void forget(const QUuid& id);

    std::optional<TestReport> report(const QUuid& id) const;
    // Shows in `panel` what is known of `profile`'s last test: this session's report, why Test
    // all could not test it, or nothing.
    void showLast(const ConnectionProfile& profile, TestPanel& panel) const;

private:
    void record(const QUuid& id, const LastTestResult& result);

    ConnectionListModel& m_model;
    LastResults m_kept;
    QHash<QUuid, TestReport> m_reports;
};

} // namespace relaydeck::ui
