#pragma once

#include "profile/ProfileValidation.h"

#include <QHash>
#include <QPointer>
#include <QString>
#include <QStringList>

class QLabel;
class QWidget;

namespace relaydeck::ui {

// Shows ProfileValidation's messages where they belong: each field key (e.g. "host",
// "proxy.port") is tied to the widget editing it and to a label under it. An invalid widget gets
// a red frame and the message as tool tip and accessible description; the label shows the message.
class FieldMarker
{
public:
    // `errorLabel` is created by errorLabelFor() and placed by the caller under the widget.
    void add(const QString& field, QWidget* widget, QLabel* errorLabel);
    // Marks the fields with issues and clears the others. Returns the issues of fields this
    // marker does not know (the caller shows them elsewhere).
    ValidationIssues show(const ValidationIssues& issues);

    QStringList fields() const { return m_order; }
    bool hasIssues() const { return !m_invalid.isEmpty(); }
    QString message(const QString& field) const;
    QWidget* widget(const QString& field) const;
    // The first widget with an issue, in the order of add() (to focus it).
    QWidget* firstInvalidWidget() const;

    // A hidden MessageLine for validation messages that keeps its place while hidden (the
    // fields below never move); objectName "<field>Error".
    static QLabel* errorLabelFor(const QString& field, QWidget* parent);

private:
    struct Entry
    {
        QPointer<QWidget> widget;
        QPointer<QLabel> label;
        QString toolTip; // the widget's own tool tip, restored when valid again
    };
    QHash<QString, Entry> m_entries;
    QStringList m_order;
    QHash<QString, QString> m_invalid; // field -> message
};

} // namespace relaydeck::ui
