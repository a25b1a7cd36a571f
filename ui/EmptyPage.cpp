#include "EmptyPage.h"

#include "Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

EmptyPage::EmptyPage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(u"emptyPage"_s);
    auto* icon = new QLabel(this);
    icon->setPixmap(Icons::application().pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    auto* title = new QLabel(tr("No connections yet"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    auto* text = new QLabel(
        tr("Start from a provider preset (Gmail, Microsoft 365, Amazon SES, your Exchange "
           "server and more), from a blank form, or import the connections you already have "
           "(Relaydeck JSON, an msmtprc, Symfony DSNs)."),
        this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    // A fixed width and the height the wrapped text needs at that width (a centred label in a
    // box layout does not get its height-for-width otherwise).
    text->setFixedWidth(520);
    text->setMinimumHeight(text->heightForWidth(520));
    auto* fromPreset = new QPushButton(Icons::get(u"preset"_s), tr("New from &Preset…"), this);
    fromPreset->setObjectName(u"emptyNewFromPresetButton"_s);
    fromPreset->setDefault(true);
    fromPreset->setAutoDefault(true);
    auto* blank = new QPushButton(Icons::get(u"new"_s), tr("&Blank Connection"), this);
    blank->setObjectName(u"emptyNewBlankButton"_s);
    auto* import = new QPushButton(Icons::get(u"import"_s), tr("&Import…"), this);
    import->setObjectName(u"emptyImportButton"_s);
    connect(fromPreset, &QPushButton::clicked, this, &EmptyPage::newFromPresetClicked);
    connect(blank, &QPushButton::clicked, this, &EmptyPage::newBlankClicked);
    connect(import, &QPushButton::clicked, this, &EmptyPage::importClicked);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(fromPreset);
    buttons->addWidget(blank);
    buttons->addWidget(import);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addStretch(3);
    setFocusProxy(fromPreset);
}

} // namespace relaydeck::ui
