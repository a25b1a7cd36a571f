#pragma once

#include <QToolBar>

namespace relaydeck::ui {

// A tool bar that shows text beside its icons while everything fits, and icons only (the text
// in the tool tips) when the window is too narrow for that; what still does not fit goes to
// QToolBar's extension menu.
class ResponsiveToolBar : public QToolBar
{
    Q_OBJECT

public:
    explicit ResponsiveToolBar(const QString& title, QWidget* parent = nullptr);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void applyStyle(Qt::ToolButtonStyle style);
    int m_widthWithText = 0; // the size hint measured with text (0: not yet known)
};

} // namespace relaydeck::ui
