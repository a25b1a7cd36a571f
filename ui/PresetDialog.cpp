#include "PresetDialog.h"

#include "ConnectionListModel.h"
#include "Icons.h"

#include "profile/Presets.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

PresetDialog::PresetDialog(QWidget* parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_presets(new QListWidget(this))
    , m_settings(new QLabel(this))
    , m_note(new QLabel(this))
    , m_regionLabel(new QLabel(tr("&Region:"), this))
    , m_region(new QComboBox(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"presetDialog"_s);
    setWindowTitle(tr("New Connection from Preset"));
    m_presets->setObjectName(u"presetList"_s);
    m_presets->setMinimumWidth(240);
    for (const Preset& preset : Presets::all()) {
        auto* item = new QListWidgetItem(Icons::get(u"preset"_s), preset.displayName, m_presets);
        item->setData(Qt::UserRole, preset.id);
        item->setData(Qt::UserRole + 1,
                      QStringList{preset.displayName, preset.id, preset.host}.join(u' '));
    }
    // Every provider visible without scrolling: the list is as tall as its rows.
    m_presets->setMinimumHeight(m_presets->sizeHintForRow(0) * m_presets->count() +
                                2 * m_presets->frameWidth() + 4);
    m_search->setObjectName(u"presetSearch"_s);
    m_search->setPlaceholderText(tr("Search providers"));
    m_search->setClearButtonEnabled(true);
    auto* listLabel = new QLabel(tr("&Provider:"), this);
    listLabel->setBuddy(m_presets);

    m_settings->setObjectName(u"presetSettings"_s);
    // Short lines; without word wrap the label always gets the height its lines need.
    m_settings->setTextFormat(Qt::PlainText);
    m_note->setObjectName(u"presetNoteLabel"_s);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setStyleSheet(u"QLabel { background: #e7f0fb; border: 1px solid #a9c6ea; "
                          "border-radius: 4px; padding: 6px; color: #1d3557; }"_s);
    m_note->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_region->setObjectName(u"regionCombo"_s);
    m_regionLabel->setBuddy(m_region);
    m_buttons->setObjectName(u"presetButtons"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(u"createButton"_s);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"cancelButton"_s);

    auto* details = new QVBoxLayout;
    details->addWidget(m_settings);
    auto* regionRow = new QHBoxLayout;
    regionRow->addWidget(m_regionLabel);
    regionRow->addWidget(m_region, 1);
    details->addLayout(regionRow);
    details->addWidget(m_note);
    details->addStretch(1);

    auto* listColumn = new QVBoxLayout;
    listColumn->addWidget(listLabel);
    listColumn->addWidget(m_search);
    listColumn->addWidget(m_presets, 1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(listColumn);
    columns->addLayout(details, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_buttons);

    connect(m_search, &QLineEdit::textChanged, this, &PresetDialog::filter);
    connect(m_presets, &QListWidget::currentRowChanged, this, &PresetDialog::updateDetails);
    connect(m_presets, &QListWidget::itemActivated, this, &QDialog::accept);
    connect(m_region, &QComboBox::currentIndexChanged, this, &PresetDialog::updateDetails);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_presets->count() > 0)
        m_presets->setCurrentRow(0);
    updateDetails();
    resize(720, 420);
}

QString PresetDialog::noteFor(const Preset& preset, const QString& region)
{
    if (region.isEmpty())
        return preset.note;
    const QString line = tr("Region: %1 (it is part of the server name; to change it, create the "
                            "connection from the preset again).")
                             .arg(region);
    return preset.note.isEmpty() ? line : preset.note + u"\n\n"_s + line;
}

void PresetDialog::filter(const QString& text)
{
    QListWidgetItem* firstShown = nullptr;
    for (int row = 0; row < m_presets->count(); ++row) {
        QListWidgetItem* item = m_presets->item(row);
        const bool shown =
            item->data(Qt::UserRole + 1).toString().contains(text.trimmed(), Qt::CaseInsensitive);
        item->setHidden(!shown);
        if (shown && !firstShown)
            firstShown = item;
    }
    // The selection follows to a provider that is still shown.
    if (!m_presets->currentItem() || m_presets->currentItem()->isHidden())
        m_presets->setCurrentItem(firstShown);
}

void PresetDialog::selectPreset(const QString& presetId)
{
    for (int row = 0; row < m_presets->count(); ++row) {
        if (m_presets->item(row)->data(Qt::UserRole).toString() == presetId) {
            m_presets->setCurrentRow(row);
            return;
        }
    }
}

PresetChoice PresetDialog::choice() const
{
    PresetChoice choice;
    if (const QListWidgetItem* item = m_presets->currentItem())
        choice.presetId = item->data(Qt::UserRole).toString();
    if (!m_region->isHidden())
        choice.region = m_region->currentText();
    return choice;
}

void PresetDialog::updateDetails()
{
    const QListWidgetItem* item = m_presets->currentItem();
    const std::optional<Preset> preset =
        item ? Presets::find(item->data(Qt::UserRole).toString()) : std::nullopt;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(preset.has_value());
    if (!preset) {
        m_settings->clear();
        m_note->clear();
        m_region->hide();
        m_regionLabel->hide();
        return;
    }
    // Refill the regions only when the preset changes.
    if (m_region->property("presetId").toString() != preset->id) {
        const QSignalBlocker blocker(m_region);
        m_region->clear();
        m_region->addItems(preset->regions);
        m_region->setCurrentText(preset->defaultRegion);
        m_region->setProperty("presetId", preset->id);
    }
    m_region->setHidden(!preset->needsRegion());
    m_regionLabel->setHidden(!preset->needsRegion());

    const QString host =
        preset->host.isEmpty()
            ? tr("your server's name")
            : preset->hostFor(preset->needsRegion() ? m_region->currentText() : QString());
    QStringList lines;
    lines << preset->displayName;
    lines << tr("Server: %1, port %2, %3")
                 .arg(host)
                 .arg(preset->port)
                 .arg(ConnectionListModel::securityName(preset->security));
    for (const PresetAlternative& alternative : preset->alternatives)
        lines << tr("Also possible: port %1, %2")
                     .arg(alternative.port)
                     .arg(ConnectionListModel::securityName(alternative.security));
    if (preset->tlsMinimumVersion == TlsMinimumVersion::Tls13)
        lines << tr("Requires TLS 1.3");
    if (!preset->username.isEmpty())
        lines << tr("User name: %1").arg(preset->username);
    m_settings->setText(lines.join(u'\n'));
    m_note->setText(preset->note);
    m_note->setVisible(!preset->note.isEmpty());
}

} // namespace relaydeck::ui
