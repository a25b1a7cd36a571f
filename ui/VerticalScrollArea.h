#pragma once

#include <QScrollArea>

namespace relaydeck::ui {

// A scroll area that scrolls only vertically: its minimum width is its widget's minimum width
// (plus the vertical scroll bar), so layouts never squeeze it into a horizontal scroll bar, and
// its minimum height is small, so a tall page scrolls instead of growing the window. It takes no
// focus of its own (a focus stop without a visible focus confuses keyboard users).
class VerticalScrollArea : public QScrollArea
{
    Q_OBJECT

public:
    explicit VerticalScrollArea(QWidget* content, QWidget* parent = nullptr);

    QSize minimumSizeHint() const override;
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace relaydeck::ui
