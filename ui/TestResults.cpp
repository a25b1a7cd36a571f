#include "TestResults.h"

#include "ConnectionListModel.h"
#include "TestPanel.h"

namespace relaydeck::ui {

TestResults::TestResults(ConnectionListModel& model, QSettings& settings)
    : m_model(model)
    , m_kept(settings)
{}

void TestResults::load(const QList<ConnectionProfile>& profiles)
{
    for (const ConnectionProfile& profile : profiles) {
        if (const std::optional<LastTestResult> result = m_kept.read(profile.id))
            m_model.setResult(profile.id, *result);
    }
}

void TestResults::record(const QUuid& id, const LastTestResult& result)
{
    m_model.setResult(id, result);
    m_kept.record(id, result);
}

void TestResults::started(const QUuid& id)
{
    record(id, LastTestResult{LastTestResult::Status::Running, {}, {}});
}

void TestResults::finished(const QUuid& id, const TestReport& report)
{
    m_reports.insert(id, report);
    record(id, LastResults::fromReport(report));
}

void TestResults::cancelled(const QUuid& id, const TestReport& report)
{
    m_reports.insert(id, report);
    record(id, LastResults::cancelled());
}

void TestResults::skipped(const QUuid& id, const QString& reason)
{
    record(id,
           LastTestResult{LastTestResult::Status::Skipped, QDateTime::currentDateTime(), reason});
}

void TestResults::forget(const QUuid& id)
{
    m_reports.remove(id);
    m_kept.forget(id);
}

std::optional<TestReport> TestResults::report(const QUuid& id) const
{
    if (!m_reports.contains(id))
        return std::nullopt;
    return m_reports.value(id);
}

void TestResults::showLast(const ConnectionProfile& profile, TestPanel& panel) const
{
    const LastTestResult last = m_model.result(profile.id);
    if (const std::optional<TestReport> kept = report(profile.id))
        panel.showReport(*kept, profile);
    else if (last.status == LastTestResult::Status::Skipped && !last.summary.isEmpty())
        panel.showProblem(last.summary); // why Test all could not test it
    else
        panel.clear();
}

} // namespace relaydeck::ui
