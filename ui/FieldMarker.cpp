#include "FieldMarker.h"

#include "MessageLine.h"

#include <QLabel>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

// A red frame that works for line edits, spin boxes, combo boxes and lists in every style.
const QString invalidStyle = u"border: 1px solid #c92a2a; border-radius: 2px;"_s;

} // namespace

void FieldMarker::add(const QString& field, QWidget* widget, QLabel* errorLabel)
{
    m_entries.insert(field, Entry{widget, errorLabel, widget ? widget->toolTip() : QString()});
    if (!m_order.contains(field))
        m_order << field;
}

ValidationIssues FieldMarker::show(const ValidationIssues& issues)
{
    QHash<QString, QStringList> messages;
    ValidationIssues unknown;
    for (const ValidationIssue& issue : issues) {
        if (m_entries.contains(issue.field))
            messages[issue.field] << issue.message;
        else
            unknown << issue;
    }
    m_invalid.clear();
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        const Entry& entry = it.value();
        const QString message = messages.value(it.key()).join(u'\n');
        const bool invalid = !message.isEmpty();
        if (invalid)
            m_invalid.insert(it.key(), message);
        if (entry.widget) {
            // Only touch the style sheet when the state changes: re-polishing is not free.
            const bool wasInvalid = entry.widget->property("relaydeckInvalid").toBool();
            if (wasInvalid != invalid) {
                entry.widget->setProperty("relaydeckInvalid", invalid);
                // The red frame is thinner than the style's own: keep the height, so that the
                // fields below do not move.
                if (invalid && entry.widget->minimumHeight() == 0)
                    entry.widget->setMinimumHeight(entry.widget->sizeHint().height());
                entry.widget->setStyleSheet(invalid ? invalidStyle : QString());
            }
            entry.widget->setToolTip(invalid ? message : entry.toolTip);
            entry.widget->setAccessibleDescription(invalid ? message : QString());
        }
        if (entry.label && (entry.label->isHidden() == invalid || entry.label->text() != message)) {
            // The line keeps its place while hidden: nothing below it moves.
            if (auto* line = qobject_cast<MessageLine*>(entry.label.data()))
                line->setMessage(message);
            else
                entry.label->setText(message);
            entry.label->setVisible(invalid);
        }
    }
    return unknown;
}

QString FieldMarker::message(const QString& field) const
{
    return m_invalid.value(field);
}

QWidget* FieldMarker::widget(const QString& field) const
{
    return m_entries.value(field).widget;
}

QWidget* FieldMarker::firstInvalidWidget() const
{
    for (const QString& field : m_order) {
        if (m_invalid.contains(field))
            return m_entries.value(field).widget;
    }
    return nullptr;
}

QLabel* FieldMarker::errorLabelFor(const QString& field, QWidget* parent)
{
    auto* label = new MessageLine(parent);
    label->setObjectName(field + u"Error"_s);
    label->setStyleSheet(u"color: #c92a2a;"_s);
    QSizePolicy policy = label->sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    label->setSizePolicy(policy);
    label->hide();
    return label;
}

} // namespace relaydeck::ui
