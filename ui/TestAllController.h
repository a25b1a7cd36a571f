#pragma once

#include "smtp/TestReport.h"

#include <QObject>
#include <QUuid>

class QWidget;

namespace relaydeck {
class ProfileLibrary;
class ProfileTestBatch;
} // namespace relaydeck

namespace relaydeck::ui {

class Prompter;
class TestAllResultsDialog;
class TestResults;

// The window's Test all: runs ProfileTestBatch over the stored connections in the desktop's
// words, records each result for the list (TestResults) and fills the results table
// (TestAllResultsDialog), which opens when a run starts.
class TestAllController : public QObject
{
    Q_OBJECT

public:
    // `library`, `results` and `prompter` must outlive the controller; `window` parents the
    // results table.
    TestAllController(ProfileLibrary& library, TestResults& results, Prompter& prompter,
                      QWidget* window);

    void start();
    void cancel();
    bool isRunning() const;
    ProfileTestBatch* batch() const { return m_batch; }
    // The results table (made on first use).
    TestAllResultsDialog* resultsDialog();

signals:
    // A connection's test ended with `report`, or could not run (`reason`).
    void reported(const QUuid& id, const relaydeck::TestReport& report);
    void notTested(const QUuid& id, const QString& reason);
    void progress(const QString& message);
    void finished(const QString& message);
    void showConnectionRequested(const QUuid& id);

private:
    ProfileLibrary& m_library;
    TestResults& m_results;
    Prompter& m_prompter;
    QWidget* m_window;
    ProfileTestBatch* m_batch;
    TestAllResultsDialog* m_dialog = nullptr;
};

} // namespace relaydeck::ui
