#include "ResponsiveSplitter.h"

#include "VerticalScrollArea.h"

#include <QResizeEvent>

namespace relaydeck::ui {

ResponsiveSplitter::ResponsiveSplitter(int comfortableWidth, QWidget* parent)
    : QSplitter(Qt::Horizontal, parent)
    , m_comfortableWidth(comfortableWidth)
{}

void ResponsiveSplitter::addScrollingPane(QWidget* pane)
{
    auto* area = new VerticalScrollArea(pane, this);
    area->setObjectName(pane->objectName() + QStringLiteral("Scroller"));
    addWidget(area);
    // A scrolling pane (the Test panel) can be dragged shut to give the editor the room.
    // The other panes (the editor) never are.
    for (int index = 0; index < count(); ++index)
        setCollapsible(index, widget(index) == area);
}

int ResponsiveSplitter::sideBySideWidth() const
{
    int width = 0;
    for (int index = 0; index < count(); ++index)
        width += std::max(m_comfortableWidth, widget(index)->minimumSizeHint().width());
    return width + (count() - 1) * handleWidth();
}

QSize ResponsiveSplitter::minimumSizeHint() const
{
    QSize size(0, 0);
    for (int index = 0; index < count(); ++index) {
        const QSize pane = widget(index)->minimumSizeHint();
        size.setWidth(std::max(size.width(), pane.width()));
        size.setHeight(size.height() + pane.height());
    }
    size.rheight() += (count() - 1) * handleWidth();
    return size;
}

void ResponsiveSplitter::resizeEvent(QResizeEvent* event)
{
    updateOrientation(event->size().width());
    QSplitter::resizeEvent(event);
}

void ResponsiveSplitter::updateOrientation(int width)
{
    const Qt::Orientation wanted = width >= sideBySideWidth() ? Qt::Horizontal : Qt::Vertical;
    if (wanted == orientation())
        return;
    setOrientation(wanted);
    const int total = wanted == Qt::Horizontal ? width : height();
    const int others = std::max(1, count() - 1);
    // Stacked, the first pane (the editor) gets the larger part; when the window is too low for
    // its form, as much as it wants, leaving the others a strip (the Test button and the
    // verdict) that the user drags open.
    int first = total * 3 / 5;
    if (wanted == Qt::Vertical && total - widget(0)->sizeHint().height() < total * 2 / 5)
        first = std::max(
            first, std::min(widget(0)->sizeHint().height(), total - others * stackedStripHeight));
    QList<int> shares;
    for (int index = 0; index < count(); ++index)
        shares << (index == 0 ? first : (total - first) / others);
    setSizes(shares);
}

} // namespace relaydeck::ui
