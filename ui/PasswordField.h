#pragma once

#include <QLineEdit>

class QAction;
class QToolButton;

namespace relaydeck::ui {

// A password line edit that shows its text in clear only while the user asks for it (the eye
// button at its end, reachable with Tab; objectNames "<name>ShowAction" and "<name>ShowButton").
// Hidden again whenever a new value is set.
class PasswordField : public QLineEdit
{
    Q_OBJECT

public:
    explicit PasswordField(const QString& objectName, QWidget* parent = nullptr);

    bool isRevealed() const { return echoMode() == QLineEdit::Normal; }
    void setRevealed(bool revealed);
    // Sets the value and hides it.
    void setSecret(const QString& value);
    QAction* revealAction() const { return m_reveal; }
    QToolButton* revealButton() const { return m_button; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QAction* m_reveal;
    QToolButton* m_button;
};

} // namespace relaydeck::ui
