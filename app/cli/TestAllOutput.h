#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QUuid>

namespace relaydeck::cli {

// What `relaydeck-cli test --all` prints: in text mode one line per connection as its test ends
// (✓ passed, ✗ failed with the reason and hint, – not tested and why) and a summary; with --json
// one object at the end, the connections in the store's order:
//   {"total", "passed", "failed", "notTested",
//    "results": [<test report> | {"profile", "ok": false, "notTested": reason}, ...]}
class TestAllOutput
{
    Q_DECLARE_TR_FUNCTIONS(TestAllOutput)

public:
    TestAllOutput(const QList<ConnectionProfile>& profiles, bool json);

    void printStart(int maxParallel) const;
    void addReport(const QUuid& id, const TestReport& report);
    void addNotTested(const QUuid& id, const QString& reason);
    void printSummary() const;

    // 0 every connection passed, 1 a test failed, 2 a connection could not be tested.
    int exitCode() const;

private:
    struct Outcome
    {
        std::optional<TestReport> report;
        QString notTested;
    };

    QString nameColumn(const QUuid& id) const;
    int count(bool passed) const;

    QList<ConnectionProfile> m_profiles;
    QHash<QUuid, Outcome> m_outcomes;
    qsizetype m_nameWidth = 0;
    bool m_json = false;
};

} // namespace relaydeck::cli
