#pragma once

#include <QLabel>

namespace relaydeck::ui {

// One line of text that always takes the same height, shown or not, so that a message appearing
// under a field never moves the fields below it. Text longer than the line is elided at the end;
// the tool tip has it all (and the field it belongs to says it in its own tool tip).
class MessageLine : public QLabel
{
    Q_OBJECT

public:
    explicit MessageLine(QWidget* parent = nullptr);

    // Shows `message` (empty: an empty line, still taking its place).
    void setMessage(const QString& message);
    // True when the text does not fit and is shown elided.
    bool isElided() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;
};

} // namespace relaydeck::ui
