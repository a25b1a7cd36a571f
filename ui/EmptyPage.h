#pragma once

#include <QWidget>

namespace relaydeck::ui {

// What the window shows while there is no connection: a short welcome and the three ways to
// start (from a preset, blank, import).
class EmptyPage : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyPage(QWidget* parent = nullptr);

signals:
    void newFromPresetClicked();
    void newBlankClicked();
    void importClicked();
};

} // namespace relaydeck::ui
