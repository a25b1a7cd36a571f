#include "MainTab.h"

#include "CollapsibleSection.h"
#include "DesktopWording.h"
#include "Icons.h"
#include "MessageLine.h"

#include "profile/ProfileValidation.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

// "smtp.example.com:465" (not an IPv6 address): host and port typed into the server field.
const QRegularExpression hostWithPort(u"^\\s*([^\\s:\\[\\]]+):(\\d{1,6})\\s*$"_s);

} // namespace

MainTab::MainTab(QWidget* parent)
    : EditorTab(parent)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_host(new QLineEdit(this))
    , m_splitHost(new QPushButton(this))
    , m_detect(new QPushButton(Icons::get(u"preset"_s), tr("De&tect…"), this))
    , m_port(new QSpinBox(this))
    , m_security(new QComboBox(this))
    , m_portNote(new MessageLine(this))
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
    m_splitHost->setObjectName(u"splitHostButton"_s);
    m_splitHost->hide();
    m_detect->setObjectName(u"detectButton"_s);
    m_detect->setToolTip(tr("Find the server, port and security for the sender's address (or the "
                            "server's domain): every candidate is probed, no password is sent."));
    m_port->setObjectName(u"portSpin"_s);
    // Wider than valid, so that a mistyped port is shown and refused with a message instead of
    // being cut to four digits.
    m_port->setRange(1, 999999);
    m_port->setToolTip(tr("587 for STARTTLS, 465 for implicit TLS, 25 for relays without "
                          "encryption. It follows the security mode while it holds that mode's "
                          "default."));
    m_security->setObjectName(u"mainSecurityCombo"_s);
    for (const Security security :
         {Security::None, Security::StartTls, Security::ImplicitTls, Security::Auto})
        m_security->addItem(DesktopWording::securityWords(security), int(security));
    m_security->setToolTip(tr("Security (also on the Encryption tab, with its details)."));
    m_security->setAccessibleName(tr("Security"));
    m_portNote->setObjectName(u"portNote"_s);
    m_portNote->setForegroundRole(QPalette::PlaceholderText);
    m_timeout->setObjectName(u"timeoutSpin"_s);
    m_timeout->setRange(ProfileValidation::minimumTimeoutSeconds,
                        ProfileValidation::maximumTimeoutSeconds);
    m_timeout->setSuffix(tr(" s", "seconds"));
    m_timeout->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
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
    addRow(form, tr("&Name:"), m_name, u"name"_s);
    addRow(form, tr("&Description:"), m_description);
    auto* hostRow = new QWidget(this);
    auto* hostLayout = new QHBoxLayout(hostRow);
    hostLayout->setContentsMargins(0, 0, 0, 0);
    hostLayout->addWidget(m_host, 1);
    hostLayout->addWidget(m_splitHost);
    hostLayout->addWidget(m_detect);
    addRow(form, tr("Se&rver:"), hostRow, u"host"_s, m_host);
    auto* portRow = new QWidget(this);
    auto* portLayout = new QHBoxLayout(portRow);
    portLayout->setContentsMargins(0, 0, 0, 0);
    portLayout->addWidget(m_port);
    portLayout->addWidget(m_security);
    portLayout->addWidget(m_portNote, 1);
    addRow(form, tr("&Port:"), portRow, u"port"_s, m_port);
    addRow(form, tr("T&imeout:"), m_timeout, u"timeout"_s);
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
    addErrorLabel(optionsLayout, u"options"_s, m_options);
    m_advanced = new CollapsibleSection(
        tr("Advanced"),
        tr("Options for Symfony Mailer DSN exports only (restart_threshold, ping_threshold, …); "
           "tests and the other formats do not use them."),
        optionsBox, this);
    m_advanced->setObjectName(u"advancedSection"_s);
    m_advanced->headerButton()->setObjectName(u"advancedButton"_s);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_advanced);
    layout->addStretch(1);

    for (QLineEdit* edit : {m_name, m_description, m_host, m_sender, m_heloName})
        connect(edit, &QLineEdit::textEdited, this, &MainTab::notifyChanged);
    connect(m_host, &QLineEdit::textChanged, this, &MainTab::updateHostSplit);
    connect(m_splitHost, &QPushButton::clicked, this, &MainTab::splitHost);
    connect(m_detect, &QPushButton::clicked, this,
            [this] { emit detectRequested(detectionQuery()); });
    connect(m_port, &QSpinBox::valueChanged, this, [this] {
        if (!m_filling)
            m_portNote->setMessage(QString());
        notifyChanged();
    });
    connect(m_security, &QComboBox::activated, this, [this] {
        emit securityChosen(static_cast<Security>(m_security->currentData().toInt()));
    });
    connect(m_timeout, &QSpinBox::valueChanged, this, &MainTab::notifyChanged);
    connect(m_charset, &QComboBox::currentTextChanged, this, &MainTab::notifyChanged);
    connect(m_options, &QTableWidget::itemChanged, this, [this] {
        updateAdvancedTitle();
        notifyChanged();
    });
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
    m_description->setCursorPosition(0); // the start of a long text, not its end
    m_host->setText(profile.host);
    m_port->setValue(profile.effectivePort());
    m_portNote->setMessage(QString());
    setSecurity(profile.security);
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
    // Focus on the table shows on its current cell: there is one whenever there are rows.
    if (m_options->rowCount() > 0)
        m_options->setCurrentCell(0, 0, QItemSelectionModel::NoUpdate);
    updateOptionButtons();
    updateAdvancedTitle();
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

void MainTab::setSecurity(Security security)
{
    m_security->setCurrentIndex(m_security->findData(int(security)));
}

void MainTab::showPortFollowed(int previous, int current)
{
    m_portNote->setMessage(
        tr("Port changed from %1 to %2 with the security.").arg(previous).arg(current));
}

QString MainTab::detectionQuery() const
{
    const QString sender = m_sender->text().trimmed();
    if (sender.contains(u'@'))
        return sender;
    QString host = m_host->text().trimmed();
    if (const QRegularExpressionMatch match = hostWithPort.match(host); match.hasMatch())
        host = match.captured(1);
    // smtp.example.org -> example.org: detection looks at the domain.
    const QStringList labels = host.split(u'.', Qt::SkipEmptyParts);
    return labels.size() > 2 ? labels.mid(1).join(u'.') : host;
}

void MainTab::updateHostSplit()
{
    const QRegularExpressionMatch match = hostWithPort.match(m_host->text());
    m_splitHost->setVisible(match.hasMatch());
    if (!match.hasMatch())
        return;
    m_splitHost->setText(tr("Use Port %1").arg(match.captured(2)));
    m_splitHost->setToolTip(
        tr("Put \"%1\" in Server and %2 in Port.").arg(match.captured(1), match.captured(2)));
}

void MainTab::splitHost()
{
    const QRegularExpressionMatch match = hostWithPort.match(m_host->text());
    if (!match.hasMatch())
        return;
    {
        FillingScope filling(m_filling); // one change, below
        m_host->setText(match.captured(1));
        m_port->setValue(match.captured(2).toInt());
    }
    m_host->setFocus(Qt::OtherFocusReason);
    notifyChanged();
}

void MainTab::updateAdvancedTitle()
{
    int count = 0;
    for (int row = 0; row < m_options->rowCount(); ++row) {
        if (m_options->item(row, 0) && !m_options->item(row, 0)->text().isEmpty())
            ++count;
    }
    m_advanced->setTitle(count == 0 ? tr("Advanced")
                                    : tr("Advanced (%n option(s))", nullptr, count));
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
