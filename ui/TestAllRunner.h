#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUuid>

namespace relaydeck {
class ConnectionTest;
class SecretStore;
} // namespace relaydeck

namespace relaydeck::ui {

// "Test all": tests every given profile with its stored secrets, at most maxParallel at a time
// (each test is asynchronous; they share the GUI thread's event loop).
class TestAllRunner : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultMaxParallel = 4;

    explicit TestAllRunner(SecretStore& secrets, QObject* parent = nullptr);

    void setMaxParallel(int maxParallel) { m_maxParallel = std::max(1, maxParallel); }
    int maxParallel() const { return m_maxParallel; }

    // Starts testing `profiles` (ignored while running).
    void start(const QList<ConnectionProfile>& profiles);
    // Cancels the running tests and drops the queued ones; finished() follows.
    void cancel();
    bool isRunning() const { return m_total > 0; }

    int total() const { return m_total; }
    int done() const { return m_done; }
    // The most tests that ran at the same time during the last start() (for tests).
    int peakParallel() const { return m_peak; }

signals:
    void profileStarted(const QUuid& id);
    void profileFinished(const QUuid& id, const relaydeck::TestReport& report);
    // The test could not run (a secret missing, the keychain failed); `reason` says why.
    void profileSkipped(const QUuid& id, const QString& reason);
    void progress(int done, int total);
    void finished();

private:
    void launchMore();
    void launch(const ConnectionProfile& profile);
    void runTest(const ConnectionProfile& profile, const ConnectionSecrets& secrets);
    void complete();

    SecretStore& m_secrets;
    int m_maxParallel = defaultMaxParallel;
    QList<ConnectionProfile> m_queue;
    QList<QPointer<ConnectionTest>> m_tests;
    int m_active = 0;
    int m_total = 0;
    int m_done = 0;
    int m_peak = 0;
    bool m_cancelled = false;
};

} // namespace relaydeck::ui
