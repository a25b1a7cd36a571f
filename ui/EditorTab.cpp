#include "EditorTab.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

QVBoxLayout* EditorTab::addRow(QFormLayout* form, const QString& labelText, QWidget* widget,
                               const QString& field, QWidget* buddy)
{
    // Narrow windows and long (German) labels: the field goes under its label instead of
    // squeezing it or scrolling sideways.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* label = new QLabel(labelText, this);
    label->setBuddy(buddy ? buddy : widget);
    auto* cellWidget = new QWidget(this);
    auto* cell = new QVBoxLayout(cellWidget);
    cell->setContentsMargins(0, 0, 0, 0);
    cell->setSpacing(0);
    cell->addWidget(widget);
    form->addRow(label, cellWidget);
    if (!field.isEmpty())
        addErrorLabel(cell, field, buddy ? buddy : widget);
    return cell;
}

void EditorTab::addErrorLabel(QVBoxLayout* cell, const QString& field, QWidget* widget)
{
    QLabel* error = FieldMarker::errorLabelFor(field, this);
    cell->addWidget(error);
    m_marker.add(field, widget, error);
}

void EditorTab::notifyChanged()
{
    if (!m_filling)
        emit changed();
}

} // namespace relaydeck::ui
