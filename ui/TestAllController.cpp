#include "TestAllController.h"

#include "DesktopWording.h"
#include "TestAllResultsDialog.h"
#include "TestResults.h"

#include "batch/ProfileTestBatch.h"
#include "library/ProfileLibrary.h"

namespace relaydeck::ui {

TestAllController::TestAllController(ProfileLibrary& library, TestResults& results,
                                     Prompter& prompter, QWidget* window)
    : QObject(window)
    , m_library(library)
    , m_results(results)
    , m_prompter(prompter)
    , m_window(window)
    , m_batch(new ProfileTestBatch(library, this))
{
    m_batch->setWording(DesktopWording::instance());
    connect(m_batch, &ProfileTestBatch::profileStarted, this, [this](const QUuid& id) {
        m_results.started(id);
        m_dialog->started(id);
    });
    connect(m_batch, &ProfileTestBatch::profileFinished, this,
            [this](const QUuid& id, const TestReport& report) {
                m_results.finished(id, report);
                m_dialog->finished(id, report);
                emit reported(id, report);
            });
    connect(m_batch, &ProfileTestBatch::profileSkipped, this,
            [this](const QUuid& id, const QString& reason) {
                m_results.skipped(id, reason);
                m_dialog->notTested(id, reason);
                emit notTested(id, reason);
            });
    connect(m_batch, &ProfileTestBatch::progress, this, [this](int done, int total) {
        if (done < total)
            emit progress(tr("Testing all connections: %1 of %2 done…").arg(done).arg(total));
    });
    connect(m_batch, &ProfileTestBatch::finished, this, [this] {
        m_dialog->end();
        const TestAllSummary& summary = m_dialog->summary();
        emit finished(tr("Test all finished: %1 passed, %2 failed, %3 not tested.")
                          .arg(summary.passed())
                          .arg(summary.failed())
                          .arg(summary.notTested()));
    });
}

TestAllResultsDialog* TestAllController::resultsDialog()
{
    // Made at the first Test all, not at start-up: the first frame does not show it.
    if (!m_dialog) {
        m_dialog = new TestAllResultsDialog(m_prompter, m_window);
        connect(m_dialog, &TestAllResultsDialog::showConnectionRequested, this,
                &TestAllController::showConnectionRequested);
    }
    return m_dialog;
}

void TestAllController::start()
{
    const QList<ConnectionProfile> profiles = m_library.store().profiles();
    if (m_batch->isRunning() || profiles.isEmpty())
        return;
    TestAllResultsDialog* dialog = resultsDialog();
    dialog->begin(profiles);
    dialog->show();
    dialog->raise();
    m_batch->start(profiles);
}

void TestAllController::cancel()
{
    m_batch->cancel();
}

bool TestAllController::isRunning() const
{
    return m_batch->isRunning();
}

} // namespace relaydeck::ui
