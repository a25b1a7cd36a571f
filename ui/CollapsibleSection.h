#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace relaydeck::ui {

// A titled section whose content is shown only on request: a header button with an arrow, a
// short explanation that is always visible, and the content below it (hidden while collapsed).
class CollapsibleSection : public QWidget
{
    Q_OBJECT

public:
    CollapsibleSection(const QString& title, const QString& explanation, QWidget* content,
                       QWidget* parent = nullptr);

    bool isExpanded() const;
    void setExpanded(bool expanded);
    void setTitle(const QString& title);
    QToolButton* headerButton() const { return m_header; }

    // Expands every section that holds `widget`, so that it can be seen and focused.
    static void reveal(QWidget* widget);

private:
    QToolButton* m_header;
    QLabel* m_explanation;
    QWidget* m_content;
};

} // namespace relaydeck::ui
