#pragma once

#include <QSplitter>

namespace relaydeck::ui {

// Two or more panes side by side while each gets a comfortable width, one below the other when
// the splitter is narrower than that (a small window, a long German form). The panes keep their
// state; only the orientation and the sizes change. Panes added with addScrollingPane() scroll
// vertically instead of forcing the window taller than the screen.
class ResponsiveSplitter : public QSplitter
{
    Q_OBJECT

public:
    // Stacked in a low window, the height the panes after the first keep at least.
    static constexpr int stackedStripHeight = 110;

    // `comfortableWidth`: the width each pane wants before the panes go side by side.
    explicit ResponsiveSplitter(int comfortableWidth, QWidget* parent = nullptr);

    // Adds `pane` in a VerticalScrollArea that the user may collapse.
    void addScrollingPane(QWidget* pane);
    // The width below which the panes are stacked.
    int sideBySideWidth() const;
    // As narrow as the widest pane (the panes can always be stacked), as low as the panes
    // stacked.
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateOrientation(int width);

    int m_comfortableWidth;
};

} // namespace relaydeck::ui
