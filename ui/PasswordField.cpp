#include "PasswordField.h"

#include "Icons.h"

#include <QAction>
#include <QResizeEvent>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

PasswordField::PasswordField(const QString& objectName, QWidget* parent)
    : QLineEdit(parent)
    , m_reveal(new QAction(this))
    , m_button(new QToolButton(this))
{
    setObjectName(objectName);
    setEchoMode(QLineEdit::Password);
    // Keep the secret out of the clipboard and input-method history while hidden.
    setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    m_reveal->setObjectName(objectName + u"ShowAction"_s);
    m_reveal->setCheckable(true);
    // A real button inside the field (not a line edit action, which Tab skips): keyboard users
    // reach it right after the field and see its focus.
    m_button->setObjectName(objectName + u"ShowButton"_s);
    m_button->setDefaultAction(m_reveal);
    m_button->setAutoRaise(true);
    m_button->setFocusPolicy(Qt::TabFocus);
    m_button->setCursor(Qt::ArrowCursor);
    m_button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    setTextMargins(0, 0, m_button->sizeHint().width(), 0);
    connect(m_reveal, &QAction::toggled, this, &PasswordField::setRevealed);
    setRevealed(false);
}

void PasswordField::setRevealed(bool revealed)
{
    setEchoMode(revealed ? QLineEdit::Normal : QLineEdit::Password);
    const QSignalBlocker blocker(m_reveal);
    m_reveal->setChecked(revealed);
    m_reveal->setIcon(Icons::get(revealed ? u"hide-password"_s : u"show-password"_s));
    m_reveal->setText(revealed ? tr("Hide") : tr("Show"));
    m_reveal->setToolTip(revealed ? tr("Hide the text") : tr("Show the text in clear"));
}

void PasswordField::resizeEvent(QResizeEvent* event)
{
    QLineEdit::resizeEvent(event);
    const QSize size = m_button->sizeHint();
    const int height = std::min(size.height(), this->height() - 2);
    m_button->setGeometry(width() - size.width() - 1, (this->height() - height) / 2, size.width(),
                          height);
}

void PasswordField::setSecret(const QString& value)
{
    setRevealed(false);
    setText(value);
}

} // namespace relaydeck::ui
