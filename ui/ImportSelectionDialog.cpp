#include "ImportSelectionDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

ImportSelectionDialog::ImportSelectionDialog(const QString& fileName,
                                             const QList<ImportCandidate>& candidates,
                                             QWidget* parent)
    : QDialog(parent)
    , m_list(new QTreeWidget(this))
    , m_import(nullptr)
{
    setWindowTitle(tr("Import Connections"));
    setObjectName(u"importSelectionDialog"_s);
    auto* intro = new QLabel(tr("Connections in %1:").arg(fileName), this);
    intro->setTextFormat(Qt::PlainText);
    m_list->setObjectName(u"importCandidates"_s);
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Connection"), tr("Host"), tr("After the import")});
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    for (const ImportCandidate& candidate : candidates) {
        auto* item = new QTreeWidgetItem(m_list, {candidate.name, candidate.host, candidate.needs});
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        for (int column = 0; column < 3; ++column)
            item->setToolTip(column, item->text(column));
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(u"importSelectedButton"_s);
    m_import->setDefault(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(640, 320);

    connect(m_list, &QTreeWidget::itemChanged, this, &ImportSelectionDialog::updateButton);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButton();
}

QStringList ImportSelectionDialog::chosenNames() const
{
    QStringList names;
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        const QTreeWidgetItem* item = m_list->topLevelItem(row);
        if (item->checkState(0) == Qt::Checked)
            names << item->text(0);
    }
    return names;
}

void ImportSelectionDialog::updateButton()
{
    m_import->setEnabled(!chosenNames().isEmpty());
}

} // namespace relaydeck::ui
