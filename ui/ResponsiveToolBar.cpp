#include "ResponsiveToolBar.h"

#include <QEvent>
#include <QResizeEvent>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

ResponsiveToolBar::ResponsiveToolBar(const QString& title, QWidget* parent)
    : QToolBar(title, parent)
{
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
}

void ResponsiveToolBar::resizeEvent(QResizeEvent* event)
{
    QToolBar::resizeEvent(event);
    if (toolButtonStyle() == Qt::ToolButtonTextBesideIcon)
        m_widthWithText = sizeHint().width();
    const Qt::ToolButtonStyle wanted = event->size().width() >= m_widthWithText
                                           ? Qt::ToolButtonTextBesideIcon
                                           : Qt::ToolButtonIconOnly;
    if (wanted != toolButtonStyle())
        applyStyle(wanted);
}

void ResponsiveToolBar::changeEvent(QEvent* event)
{
    // Another language has other widths: measure again with text.
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange)
        applyStyle(Qt::ToolButtonTextBesideIcon);
    QToolBar::changeEvent(event);
}

void ResponsiveToolBar::applyStyle(Qt::ToolButtonStyle style)
{
    setToolButtonStyle(style);
    // Tool buttons added as widgets (a button with a menu) follow too.
    for (QToolButton* button : findChildren<QToolButton*>(Qt::FindDirectChildrenOnly)) {
        if (button->objectName() != u"qt_toolbar_ext_button"_s)
            button->setToolButtonStyle(style);
    }
}

} // namespace relaydeck::ui
