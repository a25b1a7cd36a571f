#include "FirstFrame.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLineEdit>
#include <QTimer>
#include <QWidget>
#include <QWindow>

namespace relaydeck::ui {

void FirstFrame::after(QWidget* widget, QObject* context, std::function<void()> work)
{
    new FirstFrame(widget, context, std::move(work));
}

void FirstFrame::enableClearButton(QLineEdit* edit)
{
    after(edit, edit, [edit] { edit->setClearButtonEnabled(true); });
}

FirstFrame::FirstFrame(QWidget* widget, QObject* context, std::function<void()> work)
    : QObject(context)
    , m_widget(widget)
    , m_work(std::move(work))
{
    const QWindow* handle = widget->window()->windowHandle();
    if (handle && handle->isExposed()) {
        QTimer::singleShot(0, this, &FirstFrame::run);
        return;
    }
    // The QWindow does not exist before show(), and Expose goes to it, not to the widget.
    QCoreApplication::instance()->installEventFilter(this);
}

bool FirstFrame::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Expose && watched->isWindowType() &&
        watched == m_widget->window()->windowHandle()) {
        QCoreApplication::instance()->removeEventFilter(this);
        // After this Expose has been delivered, i.e. after the first frame is painted.
        QTimer::singleShot(0, this, &FirstFrame::run);
    }
    return QObject::eventFilter(watched, event);
}

void FirstFrame::run()
{
    const std::function<void()> work = std::move(m_work);
    deleteLater();
    if (work)
        work();
}

} // namespace relaydeck::ui
