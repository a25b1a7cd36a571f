#include "ExportDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

ExportDialog::ExportDialog(const QList<ConnectionProfile>& profiles,
                           const QList<QUuid>& preselected, QWidget* parent)
    : QDialog(parent)
    , m_format(new QComboBox(this))
    , m_formatNote(new QLabel(this))
    , m_connections(new QListWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"exportDialog"_s);
    setWindowTitle(tr("Export Connections"));
    m_format->setObjectName(u"formatCombo"_s);
    m_format->addItem(tr("Relaydeck (JSON)"), int(ProfileFormat::Json));
    m_format->addItem(tr("msmtp configuration (msmtprc)"), int(ProfileFormat::Msmtp));
    m_format->addItem(tr("Symfony Mailer DSN (one per line)"), int(ProfileFormat::Dsn));
    m_formatNote->setObjectName(u"formatNote"_s);
    m_formatNote->setWordWrap(true);

    m_connections->setObjectName(u"exportConnectionList"_s);
    for (const ConnectionProfile& profile : profiles) {
        auto* item = new QListWidgetItem(profile.name, m_connections);
        item->setData(Qt::UserRole, profile.id);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const bool checked = preselected.isEmpty() || preselected.contains(profile.id);
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
    auto* all = new QPushButton(tr("Select &All"), this);
    all->setObjectName(u"selectAllButton"_s);
    auto* none = new QPushButton(tr("Select &None"), this);
    none->setObjectName(u"selectNoneButton"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export…"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(u"exportButton"_s);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"cancelButton"_s);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* formatLabel = new QLabel(tr("&Format:"), this);
    formatLabel->setBuddy(m_format);
    form->addRow(formatLabel, m_format);
    form->addRow(static_cast<QWidget*>(nullptr), m_formatNote);
    auto* listLabel = new QLabel(tr("&Connections:"), this);
    listLabel->setBuddy(m_connections);
    auto* selectButtons = new QHBoxLayout;
    selectButtons->addWidget(all);
    selectButtons->addWidget(none);
    selectButtons->addStretch(1);
    auto* listColumn = new QVBoxLayout;
    listColumn->addWidget(m_connections);
    listColumn->addLayout(selectButtons);
    form->addRow(listLabel, listColumn);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    auto* secretNote = new QLabel(tr("Passwords and other secrets are never exported."), this);
    secretNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(secretNote);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_connections, &QListWidget::itemChanged, this, &ExportDialog::updateState);
    connect(all, &QPushButton::clicked, this, [this] { setAllChecked(true); });
    connect(none, &QPushButton::clicked, this, [this] { setAllChecked(false); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
    resize(520, 440);
}

ExportChoice ExportDialog::choice() const
{
    ExportChoice choice;
    choice.format = static_cast<ProfileFormat>(m_format->currentData().toInt());
    for (int row = 0; row < m_connections->count(); ++row) {
        const QListWidgetItem* item = m_connections->item(row);
        if (item->checkState() == Qt::Checked)
            choice.profileIds << item->data(Qt::UserRole).toUuid();
    }
    return choice;
}

QString ExportDialog::fileFilter(ProfileFormat format)
{
    switch (format) {
    case ProfileFormat::Json:
        return tr("Relaydeck JSON (*.json)");
    case ProfileFormat::Msmtp:
        return tr("msmtp configuration (*.msmtprc *.conf *)");
    case ProfileFormat::Dsn:
        return tr("DSN lists (*.txt *.env *)");
    }
    return QString();
}

QString ExportDialog::fileExtension(ProfileFormat format)
{
    switch (format) {
    case ProfileFormat::Json:
        return u"json"_s;
    case ProfileFormat::Msmtp:
        return u"msmtprc"_s;
    case ProfileFormat::Dsn:
        return u"txt"_s;
    }
    return QString();
}

void ExportDialog::setAllChecked(bool checked)
{
    for (int row = 0; row < m_connections->count(); ++row)
        m_connections->item(row)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void ExportDialog::updateState()
{
    switch (static_cast<ProfileFormat>(m_format->currentData().toInt())) {
    case ProfileFormat::Json:
        m_formatNote->setText(tr("Everything Relaydeck knows about the connections; import it "
                                 "into Relaydeck on another computer."));
        break;
    case ProfileFormat::Msmtp:
        m_formatNote->setText(tr("One account per connection. The password is read from the "
                                 "keychain with secret-tool, so the file works with msmtp on this "
                                 "computer as it is."));
        break;
    case ProfileFormat::Dsn:
        m_formatNote->setText(tr("smtp:// and smtps:// URLs for Symfony Mailer and similar "
                                 "tools, without passwords."));
        break;
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!choice().profileIds.isEmpty());
}

} // namespace relaydeck::ui
