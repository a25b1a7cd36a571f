#include "MessageLine.h"

#include <QEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>

namespace relaydeck::ui {

MessageLine::MessageLine(QWidget* parent)
    : QLabel(parent)
{
    setWordWrap(false);
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    // One height whether shown, hidden or styled: the layout never moves.
    setFixedHeight(fontMetrics().height() + 2);
}

void MessageLine::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        setFixedHeight(fontMetrics().height() + 2);
    QLabel::changeEvent(event);
}

void MessageLine::setMessage(const QString& message)
{
    setText(message);
    setToolTip(message);
    update();
}

bool MessageLine::isElided() const
{
    return fontMetrics().horizontalAdvance(text()) > contentsRect().width();
}

QSize MessageLine::sizeHint() const
{
    return {fontMetrics().horizontalAdvance(text()) + 2 * margin(), fontMetrics().height() + 2};
}

QSize MessageLine::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * 4, fontMetrics().height() + 2};
}

void MessageLine::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    QStyleOption option;
    option.initFrom(this);
    const QRect area = contentsRect();
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(alignment()) | Qt::TextSingleLine, option.palette,
                          isEnabled(), shown, foregroundRole());
}

} // namespace relaydeck::ui
