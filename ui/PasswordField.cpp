#include "PasswordField.h"

#include "Icons.h"

#include <QAction>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

PasswordField::PasswordField(const QString& objectName, QWidget* parent)
    : QLineEdit(parent)
    , m_reveal(new QAction(this))
{
    setObjectName(objectName);
    setEchoMode(QLineEdit::Password);
    // Keep the secret out of the clipboard and input-method history while hidden.
    setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    m_reveal->setObjectName(objectName + u"ShowAction"_s);
    m_reveal->setCheckable(true);
    addAction(m_reveal, QLineEdit::TrailingPosition);
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

void PasswordField::setSecret(const QString& value)
{
    setRevealed(false);
    setText(value);
}

} // namespace relaydeck::ui
