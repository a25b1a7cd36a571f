#include "VerticalScrollArea.h"

#include <QEvent>
#include <QScrollBar>

namespace relaydeck::ui {

namespace {

constexpr int minimumVisibleHeight = 80;

} // namespace

VerticalScrollArea::VerticalScrollArea(QWidget* content, QWidget* parent)
    : QScrollArea(parent)
{
    // setWidget() sizes the content: a size-hint pass over every widget of the tab, about a tenth
    // of the work before the first frame. The order of these two calls does not change that, and
    // setting the content only at the first show moved the same pass into the splitters' layout
    // (both measured with callgrind, see the README's start-up section).
    setWidgetResizable(true);
    setWidget(content);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::NoFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The content's minimum width may change (a language change, a row that appears).
    content->installEventFilter(this);
}

QSize VerticalScrollArea::minimumSizeHint() const
{
    const QWidget* content = widget();
    if (!content)
        return QScrollArea::minimumSizeHint();
    const int frame = 2 * frameWidth();
    const int width = content->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width();
    return {width + frame,
            std::min(minimumVisibleHeight, content->minimumSizeHint().height()) + frame};
}

bool VerticalScrollArea::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == widget() && event->type() == QEvent::LayoutRequest)
        updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

} // namespace relaydeck::ui
