#include "CollapsibleSection.h"

#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace relaydeck::ui {

CollapsibleSection::CollapsibleSection(const QString& title, const QString& explanation,
                                       QWidget* content, QWidget* parent)
    : QWidget(parent)
    , m_header(new QToolButton(this))
    , m_explanation(new QLabel(explanation, this))
    , m_content(content)
{
    m_header->setCheckable(true);
    m_header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->setAutoRaise(true);
    m_header->setText(title);
    m_explanation->setWordWrap(true);
    m_explanation->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header, 0, Qt::AlignLeft);
    layout->addWidget(m_explanation);
    layout->addWidget(m_content);

    connect(m_header, &QToolButton::toggled, this, &CollapsibleSection::setExpanded);
    setExpanded(false);
}

bool CollapsibleSection::isExpanded() const
{
    return m_header->isChecked();
}

void CollapsibleSection::setExpanded(bool expanded)
{
    {
        const QSignalBlocker blocker(m_header);
        m_header->setChecked(expanded);
    }
    m_header->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_content->setVisible(expanded);
}

void CollapsibleSection::setTitle(const QString& title)
{
    m_header->setText(title);
}

void CollapsibleSection::reveal(QWidget* widget)
{
    for (QWidget* up = widget; up; up = up->parentWidget()) {
        if (auto* section = qobject_cast<CollapsibleSection*>(up))
            section->setExpanded(true);
    }
}

} // namespace relaydeck::ui
