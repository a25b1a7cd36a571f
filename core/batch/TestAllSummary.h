#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace relaydeck {

// The outcome of one "Test all" run, for both front ends: each connection's report or why it was
// not tested, counted, and as the JSON of `relaydeck-cli test --all --json` (the desktop's Save
// report writes the same), the connections in the order given:
//   {"total", "passed", "failed", "notTested",
//    "results": [<test report> | {"profile", "ok": false, "notTested": reason}, ...]}
class TestAllSummary
{
    Q_DECLARE_TR_FUNCTIONS(TestAllSummary)

public:
    struct Outcome
    {
        std::optional<TestReport> report; // empty: not tested (yet)
        QString notTested;                // why not, when it was not
    };

    explicit TestAllSummary(const QList<ConnectionProfile>& profiles = {});

    void addReport(const QUuid& id, const TestReport& report);
    void addNotTested(const QUuid& id, const QString& reason);

    const QList<ConnectionProfile>& profiles() const { return m_profiles; }
    // The outcome of profile `id`; an empty one while it runs.
    Outcome outcome(const QUuid& id) const { return m_outcomes.value(id); }
    int total() const { return int(m_profiles.size()); }
    int passed() const { return count(true); }
    int failed() const { return count(false); }
    // Connections without a report: skipped, or not reached.
    int notTested() const { return total() - passed() - failed(); }

    QJsonObject toJson() const;

private:
    int count(bool passed) const;

    QList<ConnectionProfile> m_profiles;
    QHash<QUuid, Outcome> m_outcomes;
};

} // namespace relaydeck
