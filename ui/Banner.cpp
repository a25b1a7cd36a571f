#include "Banner.h"

#include "Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

Banner::Banner(const QString& objectName, QWidget* parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_dismiss(new QPushButton(tr("&Dismiss"), this))
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(objectName + u"Text"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action->setObjectName(objectName + u"Action"_s);
    m_dismiss->setObjectName(objectName + u"Dismiss"_s);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_dismiss, 0, Qt::AlignVCenter);

    connect(m_action, &QPushButton::clicked, this, &Banner::actionTriggered);
    connect(m_dismiss, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void Banner::showMessage(Kind kind, const QString& message, const QString& actionText)
{
    const bool error = kind == Kind::Error;
    setStyleSheet(
        error ? u"#%1 { background: #fdecea; border: 1px solid #e0a3a0; }"_s.arg(objectName())
              : u"#%1 { background: #fff4d6; border: 1px solid #e2c275; }"_s.arg(objectName()));
    m_icon->setPixmap(Icons::get(error ? u"error"_s : u"warning"_s).pixmap(22, 22));
    m_text->setText(message);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    show();
}

QString Banner::message() const
{
    return m_text->text();
}

} // namespace relaydeck::ui
