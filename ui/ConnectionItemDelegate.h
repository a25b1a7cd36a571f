#pragma once

#include <QStyledItemDelegate>

namespace relaydeck::ui {

// Draws a connection as two lines: the status icon and the name, then the server and the last
// test's outcome in a smaller, muted font.
class ConnectionItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace relaydeck::ui
