#include "ConnectionItemDelegate.h"

#include "ConnectionListModel.h"
#include "LastTestResult.h"

#include <QApplication>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

constexpr int margin = 6;
constexpr int iconSize = 20;

QFont smallerFont(const QFont& font)
{
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.88);
    return small;
}

} // namespace

void ConnectionItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // Let the style draw the selection and focus background only.
    const QString text = opt.text;
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor primary =
        option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondary = primary;
    if (!selected)
        secondary = option.palette.color(group, QPalette::PlaceholderText);

    const QRect area = option.rect.adjusted(margin, margin / 2, -margin, -margin / 2);
    const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
    const QFontMetrics nameMetrics(option.font);
    const QRect iconRect(area.left(), area.top() + (nameMetrics.height() - iconSize) / 2 + 2,
                         iconSize, iconSize);
    icon.paint(painter, iconRect);

    const int textLeft = iconRect.right() + margin + 2;
    QFont nameFont = option.font;
    nameFont.setBold(true);
    painter->setFont(nameFont);
    painter->setPen(primary);
    const QFontMetrics boldMetrics(nameFont);
    const QRect nameRect(textLeft, area.top(), area.right() - textLeft, boldMetrics.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(text, Qt::ElideRight, nameRect.width()));

    const QFont small = smallerFont(option.font);
    const QFontMetrics smallMetrics(small);
    painter->setFont(small);
    painter->setPen(secondary);
    QRect lineRect(textLeft, nameRect.bottom() + 2, nameRect.width(), smallMetrics.height());
    const QString subtitle = index.data(ConnectionListModel::SubtitleRole).toString();
    painter->drawText(lineRect, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(subtitle, Qt::ElideRight, lineRect.width()));
    lineRect.translate(0, smallMetrics.height() + 1);
    const auto status =
        static_cast<LastTestResult::Status>(index.data(ConnectionListModel::StatusRole).toInt());
    if (!selected) {
        if (status == LastTestResult::Status::Passed)
            painter->setPen(QColor(u"#2b8a3e"_s));
        else if (status == LastTestResult::Status::Failed)
            painter->setPen(QColor(u"#c92a2a"_s));
    }
    const QString statusText = index.data(ConnectionListModel::StatusTextRole).toString();
    painter->drawText(lineRect, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(statusText, Qt::ElideRight, lineRect.width()));
    painter->restore();
}

QSize ConnectionItemDelegate::sizeHint(const QStyleOptionViewItem& option,
                                       const QModelIndex& index) const
{
    Q_UNUSED(index);
    QFont bold = option.font;
    bold.setBold(true);
    const int height = QFontMetrics(bold).height() + 2 +
                       2 * (QFontMetrics(smallerFont(option.font)).height() + 1) + margin;
    return QSize(200, height + margin / 2);
}

} // namespace relaydeck::ui
