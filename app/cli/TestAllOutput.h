#pragma once

#include "batch/TestAllSummary.h"
#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUuid>

namespace relaydeck::cli {

// What `relaydeck-cli test --all` prints: in text mode one line per connection as its test ends
// (✓ passed, ✗ failed with the reason and hint, – not tested and why) and a summary; with --json
// one object at the end: TestAllSummary's JSON (the desktop's Save report writes the same).
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
    QString nameColumn(const QUuid& id) const;

    QList<ConnectionProfile> m_profiles;
    TestAllSummary m_summary;
    qsizetype m_nameWidth = 0;
    bool m_json = false;
};

} // namespace relaydeck::cli
