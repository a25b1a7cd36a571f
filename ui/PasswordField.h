#pragma once

#include <QLineEdit>

class QAction;

namespace relaydeck::ui {

// A password line edit that shows its text in clear only while the user asks for it (the eye
// button at its end; objectName "<name>ShowAction"). Hidden again whenever a new value is set.
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

private:
    QAction* m_reveal;
};

} // namespace relaydeck::ui
