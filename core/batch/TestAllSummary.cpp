#include "batch/TestAllSummary.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace relaydeck {

TestAllSummary::TestAllSummary(const QList<ConnectionProfile>& profiles)
    : m_profiles(profiles)
{}

void TestAllSummary::addReport(const QUuid& id, const TestReport& report)
{
    m_outcomes.insert(id, Outcome{report, {}});
}

void TestAllSummary::addNotTested(const QUuid& id, const QString& reason)
{
    m_outcomes.insert(id, Outcome{std::nullopt, reason});
}

int TestAllSummary::count(bool passed) const
{
    int n = 0;
    for (const Outcome& outcome : m_outcomes) {
        if (outcome.report && outcome.report->ok == passed)
            ++n;
    }
    return n;
}

QJsonObject TestAllSummary::toJson() const
{
    QJsonArray results;
    for (const ConnectionProfile& profile : m_profiles) {
        const Outcome outcome = m_outcomes.value(profile.id);
        if (outcome.report) {
            results.append(outcome.report->toJson(false));
        } else {
            results.append(QJsonObject{
                {u"profile"_s, profile.name},
                {u"ok"_s, false},
                {u"notTested"_s,
                 outcome.notTested.isEmpty() ? tr("not tested") : outcome.notTested},
            });
        }
    }
    return QJsonObject{{u"total"_s, total()},
                       {u"passed"_s, passed()},
                       {u"failed"_s, failed()},
                       {u"notTested"_s, notTested()},
                       {u"results"_s, results}};
}

} // namespace relaydeck
