#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace relaydeck::ui {

// A non-modal message across the top of the window (keychain problems, an unreadable
// connections file): an icon, the message, an optional action button and Dismiss.
class Banner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Warning,
        Error
    };

    explicit Banner(const QString& objectName, QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& message, const QString& actionText = QString());
    QString message() const;

signals:
    void actionTriggered();

private:
    QLabel* m_icon;
    QLabel* m_text;
    QPushButton* m_action;
    QPushButton* m_dismiss;
};

} // namespace relaydeck::ui
