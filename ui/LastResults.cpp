#include "LastResults.h"
#include "TestReportText.h"

#include "smtp/TestReport.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

QString groupOf(const QUuid& id)
{
    return u"lastTest/"_s + id.toString(QUuid::WithoutBraces);
}

} // namespace

LastResults::LastResults(QSettings& settings)
    : m_settings(settings)
{}

void LastResults::record(const QUuid& id, const LastTestResult& result)
{
    if (result.status == LastTestResult::Status::Running)
        return;
    m_settings.beginGroup(groupOf(id));
    m_settings.setValue(u"status"_s, int(result.status));
    m_settings.setValue(u"finishedAt"_s, result.finishedAt.toUTC());
    m_settings.setValue(u"summary"_s, result.summary);
    m_settings.endGroup();
}

std::optional<LastTestResult> LastResults::read(const QUuid& id) const
{
    std::optional<LastTestResult> result;
    m_settings.beginGroup(groupOf(id));
    if (m_settings.contains(u"status"_s)) {
        result.emplace();
        result->status = static_cast<LastTestResult::Status>(m_settings.value(u"status"_s).toInt());
        if (result->status == LastTestResult::Status::Running)
            result->status = LastTestResult::Status::Untested;
        result->finishedAt = m_settings.value(u"finishedAt"_s).toDateTime().toLocalTime();
        result->summary = m_settings.value(u"summary"_s).toString();
    }
    m_settings.endGroup();
    return result;
}

void LastResults::forget(const QUuid& id)
{
    m_settings.remove(groupOf(id));
}

LastTestResult LastResults::fromReport(const TestReport& report)
{
    const QDateTime now = QDateTime::currentDateTime();
    if (report.ok)
        return {LastTestResult::Status::Passed, now,
                report.auth.attempted ? tr("Authenticated with %1.").arg(report.auth.mechanism)
                                      : tr("Connected; no authentication configured.")};
    return {LastTestResult::Status::Failed, now,
            report.error.message.isEmpty() ? report.error.id
                                           : TestReportText::humanMessage(report.error.message)};
}

LastTestResult LastResults::cancelled()
{
    return {LastTestResult::Status::Skipped, QDateTime::currentDateTime(), tr("Test cancelled.")};
}

} // namespace relaydeck::ui
