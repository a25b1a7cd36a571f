#include "EditorTab.h"

#include <QFormLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

void EditorTab::addRow(QFormLayout* form, const QString& labelText, QWidget* widget,
                       const QString& field, QWidget* buddy)
{
    auto* label = new QLabel(labelText, this);
    label->setBuddy(buddy ? buddy : widget);
    form->addRow(label, widget);
    if (field.isEmpty())
        return;
    QLabel* error = FieldMarker::errorLabelFor(field, this);
    // No label item: a row whose only widget is hidden takes no space in QFormLayout.
    form->addRow(static_cast<QWidget*>(nullptr), error);
    m_marker.add(field, buddy ? buddy : widget, error);
}

void EditorTab::notifyChanged()
{
    if (!m_filling)
        emit changed();
}

} // namespace relaydeck::ui
