#include "MainTab.h"

#include "Icons.h"

#include "profile/ProfileValidation.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

MainTab::MainTab(QWidget* parent)
    : EditorTab(parent)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_timeout(new QSpinBox(this))
    , m_sender(new QLineEdit(this))
    , m_heloName(new QLineEdit(this))
    , m_charset(new QComboBox(this))
    , m_options(new QTableWidget(0, 2, this))
    , m_addOption(new QPushButton(Icons::get(u"add"_s), tr("A&dd Option"), this))
    , m_removeOption(new QPushButton(Icons::get(u"remove"_s), tr("Remo&ve Option"), this))
{
    m_name->setObjectName(u"nameEdit"_s);
    m_name->setPlaceholderText(tr("e.g. Office relay"));
    m_description->setObjectName(u"descriptionEdit"_s);
    m_description->setPlaceholderText(tr("What this connection is for (optional)"));
    m_host->setObjectName(u"hostEdit"_s);
    m_host->setPlaceholderText(tr("smtp.example.com or an IP address"));
    m_port->setObjectName(u"portSpin"_s);
    m_port->setRange(1, 65535);
    m_port->setToolTip(tr("587 for STARTTLS, 465 for implicit TLS, 25 for relays without "
                          "encryption. It follows the security mode while it holds that mode's "
                          "default."));
    m_timeout->setObjectName(u"timeoutSpin"_s);
    m_timeout->setRange(ProfileValidation::minimumTimeoutSeconds,
                        ProfileValidation::maximumTimeoutSeconds);
    m_timeout->setSuffix(tr(" s", "seconds"));
    m_timeout->setToolTip(tr("How long to wait for the connection and for each server reply."));
    m_sender->setObjectName(u"senderEdit"_s);
    m_sender->setPlaceholderText(tr("name@example.com (for test messages)"));
    m_heloName->setObjectName(u"heloNameEdit"_s);
    m_heloName->setPlaceholderText(tr("empty: this computer's host name"));
    m_heloName->setToolTip(tr("The name Relaydeck gives in EHLO/HELO (the local domain)."));
    m_charset->setObjectName(u"charsetCombo"_s);
    m_charset->setEditable(true);
    m_charset->addItems({u"UTF-8"_s, u"ISO-8859-1"_s, u"ISO-8859-15"_s, u"windows-1252"_s,
                         u"US-ASCII"_s, u"ISO-2022-JP"_s, u"Shift_JIS"_s, u"GB2312"_s, u"Big5"_s,
                         u"KOI8-R"_s});
    m_charset->setToolTip(tr("Character set (code page) of test messages."));
    m_charset->setInsertPolicy(QComboBox::NoInsert);

    m_options->setObjectName(u"optionsTable"_s);
    m_options->setHorizontalHeaderLabels({tr("Option"), tr("Value")});
    m_options->horizontalHeader()->setStretchLastSection(true);
    m_options->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_options->setColumnWidth(0, 180);
    m_options->verticalHeader()->hide();
    m_options->setTabKeyNavigation(false);
    m_options->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_options->setSelectionMode(QAbstractItemView::SingleSelection);
    m_options->setMinimumHeight(90);
    m_options->setToolTip(tr("Free options passed on to DSN exports, e.g. restart_threshold, "
                             "restart_threshold_sleep, ping_threshold."));
    m_addOption->setObjectName(u"addOptionButton"_s);
    m_removeOption->setObjectName(u"removeOptionButton"_s);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(form, tr("&Name:"), m_name, u"name"_s);
    addRow(form, tr("&Description:"), m_description);
    addRow(form, tr("Se&rver:"), m_host, u"host"_s);
    auto* portRow = new QWidget(this);
    auto* portLayout = new QHBoxLayout(portRow);
    portLayout->setContentsMargins(0, 0, 0, 0);
    portLayout->addWidget(m_port);
    portLayout->addSpacing(16);
    auto* timeoutLabel = new QLabel(tr("T&imeout:"), this);
    timeoutLabel->setBuddy(m_timeout);
    portLayout->addWidget(timeoutLabel);
    portLayout->addWidget(m_timeout);
    portLayout->addStretch(1);
    QVBoxLayout* portCell = addRow(form, tr("&Port:"), portRow, u"port"_s, m_port);
    addErrorLabel(portCell, u"timeout"_s, m_timeout);
    addRow(form, tr("Sender &address:"), m_sender, u"sender"_s);
    addRow(form, tr("HELO/EH&LO name:"), m_heloName, u"heloName"_s);
    addRow(form, tr("Character set (code pa&ge):"), m_charset, u"charset"_s);

    auto* optionButtons = new QHBoxLayout;
    optionButtons->addWidget(m_addOption);
    optionButtons->addWidget(m_removeOption);
    optionButtons->addStretch(1);
    auto* optionsBox = new QWidget(this);
    auto* optionsLayout = new QVBoxLayout(optionsBox);
    optionsLayout->setContentsMargins(0, 0, 0, 0);
    optionsLayout->addWidget(m_options);
    optionsLayout->addLayout(optionButtons);
    addRow(form, tr("&Options:"), optionsBox, u"options"_s, m_options);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);

    for (QLineEdit* edit : {m_name, m_description, m_host, m_sender, m_heloName})
        connect(edit, &QLineEdit::textEdited, this, &MainTab::notifyChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &MainTab::notifyChanged);
    connect(m_timeout, &QSpinBox::valueChanged, this, &MainTab::notifyChanged);
    connect(m_charset, &QComboBox::currentTextChanged, this, &MainTab::notifyChanged);
    connect(m_options, &QTableWidget::itemChanged, this, &MainTab::notifyChanged);
    connect(m_options, &QTableWidget::itemSelectionChanged, this, &MainTab::updateOptionButtons);
    connect(m_addOption, &QPushButton::clicked, this, &MainTab::addOption);
    connect(m_removeOption, &QPushButton::clicked, this, &MainTab::removeOption);
    updateOptionButtons();
}

void MainTab::setProfile(const ConnectionProfile& profile)
{
    FillingScope filling(m_filling);
    m_name->setText(profile.name);
    m_description->setText(profile.description);
    m_host->setText(profile.host);
    m_port->setValue(profile.effectivePort());
    m_timeout->setValue(profile.timeoutSeconds);
    m_sender->setText(profile.sender);
    m_heloName->setText(profile.heloName);
    m_charset->setCurrentText(profile.charset);
    m_options->setRowCount(0);
    for (auto it = profile.options.cbegin(); it != profile.options.cend(); ++it) {
        const int row = m_options->rowCount();
        m_options->insertRow(row);
        m_options->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_options->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
    updateOptionButtons();
}

void MainTab::applyTo(ConnectionProfile& profile) const
{
    profile.name = m_name->text();
    profile.description = m_description->text();
    profile.host = m_host->text();
    profile.port = m_port->value();
    profile.timeoutSeconds = m_timeout->value();
    profile.sender = m_sender->text();
    profile.heloName = m_heloName->text();
    profile.charset = m_charset->currentText();
    profile.options.clear();
    for (int row = 0; row < m_options->rowCount(); ++row) {
        const QString key = m_options->item(row, 0) ? m_options->item(row, 0)->text() : QString();
        const QString value = m_options->item(row, 1) ? m_options->item(row, 1)->text() : QString();
        // A row just added and left empty is not an option yet.
        if (key.isEmpty() && value.isEmpty())
            continue;
        profile.options.insert(key, value);
    }
}

int MainTab::port() const
{
    return m_port->value();
}

void MainTab::setPort(int port)
{
    m_port->setValue(port);
}

void MainTab::addOption()
{
    const int row = m_options->rowCount();
    {
        FillingScope filling(m_filling); // an empty row changes nothing yet
        m_options->insertRow(row);
        m_options->setItem(row, 0, new QTableWidgetItem);
        m_options->setItem(row, 1, new QTableWidgetItem);
    }
    m_options->setCurrentCell(row, 0);
    m_options->setFocus();
    m_options->editItem(m_options->item(row, 0));
    updateOptionButtons();
}

void MainTab::removeOption()
{
    const int row = m_options->currentRow();
    if (row < 0)
        return;
    m_options->removeRow(row);
    updateOptionButtons();
    notifyChanged();
}

void MainTab::updateOptionButtons()
{
    m_removeOption->setEnabled(m_options->currentRow() >= 0 && m_options->rowCount() > 0);
}

} // namespace relaydeck::ui
