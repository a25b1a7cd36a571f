#pragma once

#include "batch/TestAllSummary.h"

#include <QDialog>
#include <QHash>
#include <QUuid>

class QLabel;
class QPushButton;
class QTableWidget;

namespace relaydeck::ui {

class Prompter;

// The results of Test all: one row per connection (connection, verdict, stage, error, hint,
// time) that fills as the tests end, a summary line, and Copy report / Save report (text, or the
// JSON of `relaydeck-cli test --all --json`, both from core's TestAllSummary). Not modal: the
// window stays usable; a double-click on a row asks to show that connection.
class TestAllResultsDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column
    {
        ConnectionColumn,
        VerdictColumn,
        StageColumn,
        ErrorColumn,
        HintColumn,
        TimeColumn,
        ColumnCount
    };

    TestAllResultsDialog(Prompter& prompter, QWidget* parent = nullptr);

    // A new run over `profiles`: every row says "waiting".
    void begin(const QList<ConnectionProfile>& profiles);
    void started(const QUuid& id);
    void finished(const QUuid& id, const TestReport& report);
    void notTested(const QUuid& id, const QString& reason);
    void end();

    const TestAllSummary& summary() const { return m_summary; }
    QTableWidget* table() const { return m_table; }
    // The report as Copy report and Save report (text) give it.
    QString reportText() const;

signals:
    void showConnectionRequested(const QUuid& id);

private:
    void setRow(const QUuid& id, const QStringList& cells, const QString& icon);
    void updateSummary();
    void copyReport();
    void saveReport();

    Prompter& m_prompter;
    TestAllSummary m_summary;
    QHash<QUuid, int> m_rows;
    bool m_running = false;
    QLabel* m_summaryLabel;
    QTableWidget* m_table;
    QPushButton* m_copy;
    QPushButton* m_save;
};

} // namespace relaydeck::ui
