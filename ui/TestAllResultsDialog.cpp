#include "TestAllResultsDialog.h"

#include "Icons.h"
#include "ReportFile.h"
#include "StageNames.h"
#include "TestReportText.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

TestAllResultsDialog::TestAllResultsDialog(Prompter& prompter, QWidget* parent)
    : QDialog(parent)
    , m_prompter(prompter)
    , m_summaryLabel(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_copy(new QPushButton(tr("&Copy Report"), this))
    , m_save(new QPushButton(tr("&Save Report…"), this))
{
    setObjectName(u"testAllResults"_s);
    setWindowTitle(tr("Test All Results"));
    m_summaryLabel->setObjectName(u"testAllSummary"_s);
    m_summaryLabel->setWordWrap(true);
    m_table->setObjectName(u"testAllTable"_s);
    m_table->setHorizontalHeaderLabels(
        {tr("Connection"), tr("Verdict"), tr("Stage"), tr("Error"), tr("Hint"), tr("Time")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(ErrorColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(HintColumn, QHeaderView::Stretch);
    m_copy->setObjectName(u"copyTestAllReport"_s);
    m_save->setObjectName(u"saveTestAllReport"_s);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(900, 360);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_copy, &QPushButton::clicked, this, &TestAllResultsDialog::copyReport);
    connect(m_save, &QPushButton::clicked, this, &TestAllResultsDialog::saveReport);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < m_summary.profiles().size())
            emit showConnectionRequested(m_summary.profiles().at(row).id);
    });
}

void TestAllResultsDialog::begin(const QList<ConnectionProfile>& profiles)
{
    m_summary = TestAllSummary(profiles);
    m_rows.clear();
    m_running = true;
    m_table->setRowCount(int(profiles.size()));
    for (int row = 0; row < profiles.size(); ++row) {
        m_rows.insert(profiles.at(row).id, row);
        for (int column = 0; column < ColumnCount; ++column)
            m_table->setItem(row, column, new QTableWidgetItem);
        setRow(profiles.at(row).id, {profiles.at(row).name, tr("waiting")}, QString());
    }
    m_table->resizeColumnToContents(ConnectionColumn);
    updateSummary();
}

void TestAllResultsDialog::setRow(const QUuid& id, const QStringList& cells, const QString& icon)
{
    const int row = m_rows.value(id, -1);
    if (row < 0)
        return;
    for (int column = 1; column < ColumnCount; ++column) {
        QTableWidgetItem* item = m_table->item(row, column);
        const QString text = cells.value(column);
        item->setText(text);
        item->setToolTip(text); // the columns cut long words short
    }
    m_table->item(row, ConnectionColumn)->setText(cells.value(ConnectionColumn));
    m_table->item(row, VerdictColumn)->setIcon(icon.isEmpty() ? QIcon() : Icons::get(icon));
    if (m_table->item(row, TimeColumn))
        m_table->item(row, TimeColumn)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

void TestAllResultsDialog::started(const QUuid& id)
{
    const int row = m_rows.value(id, -1);
    if (row >= 0)
        setRow(id, {m_table->item(row, ConnectionColumn)->text(), tr("testing…")}, QString());
}

void TestAllResultsDialog::finished(const QUuid& id, const TestReport& report)
{
    m_summary.addReport(id, report);
    const int row = m_rows.value(id, -1);
    if (row < 0)
        return;
    const QString name = m_table->item(row, ConnectionColumn)->text();
    const QString time = tr("%1 ms").arg(QLocale().toString(report.totalMs()));
    if (report.ok) {
        setRow(id, {name, tr("passed"), QString(), QString(), QString(), time}, u"status-ok"_s);
    } else {
        setRow(id,
               {name, tr("failed"), StageNames::name(report.error.stage),
                TestReportText::humanMessage(report.error.message), report.error.hint, time},
               u"status-failed"_s);
    }
    updateSummary();
}

void TestAllResultsDialog::notTested(const QUuid& id, const QString& reason)
{
    m_summary.addNotTested(id, reason);
    const int row = m_rows.value(id, -1);
    if (row >= 0)
        setRow(id,
               {m_table->item(row, ConnectionColumn)->text(), tr("not tested"), QString(), reason},
               u"status-skipped"_s);
    updateSummary();
}

void TestAllResultsDialog::end()
{
    m_running = false;
    updateSummary();
}

void TestAllResultsDialog::updateSummary()
{
    const QString counts = tr("%1 passed, %2 failed, %3 not tested.")
                               .arg(m_summary.passed())
                               .arg(m_summary.failed())
                               .arg(m_summary.notTested());
    m_summaryLabel->setText(
        m_running ? tr("Testing %n connection(s)…", nullptr, m_summary.total()) + u' ' + counts
                  : tr("Test all finished:") + u' ' + counts);
    const bool any = m_summary.passed() + m_summary.failed() > 0 || !m_running;
    m_copy->setEnabled(any);
    m_save->setEnabled(any);
}

QString TestAllResultsDialog::reportText() const
{
    QStringList lines{tr("Relaydeck Test all"), m_summaryLabel->text(), QString()};
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column) {
            const QString text = m_table->item(row, column)->text();
            if (!text.isEmpty())
                cells << text;
        }
        lines << cells.join(u" | "_s);
    }
    return lines.join(u'\n') + u'\n';
}

void TestAllResultsDialog::copyReport()
{
    QApplication::clipboard()->setText(reportText());
}

void TestAllResultsDialog::saveReport()
{
    ReportFile::save(this, m_prompter, tr("Save Test All Report"), u"relaydeck-test-all"_s,
                     reportText(),
                     QJsonDocument(m_summary.toJson()).toJson(QJsonDocument::Indented));
}

} // namespace relaydeck::ui
