#include "ProxyTab.h"

#include "PasswordField.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

int defaultProxyPort(ProxyType type)
{
    return type == ProxyType::Socks5 ? 1080 : type == ProxyType::Http ? 3128 : 0;
}

} // namespace

ProxyTab::ProxyTab(QWidget* parent)
    : EditorTab(parent)
    , m_type(new QComboBox(this))
    , m_typeNote(new QLabel(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_useCredentials(new QCheckBox(tr("&Use credentials"), this))
    , m_domain(new QLineEdit(this))
    , m_username(new QLineEdit(this))
    , m_password(new PasswordField(u"proxyPasswordEdit"_s, this))
{
    m_type->setObjectName(u"proxyTypeCombo"_s);
    m_type->addItem(tr("None — connect directly"), int(ProxyType::None));
    m_type->addItem(tr("System proxy settings"), int(ProxyType::System));
    m_type->addItem(tr("SOCKS5"), int(ProxyType::Socks5));
    m_type->addItem(tr("HTTP (CONNECT)"), int(ProxyType::Http));
    m_typeNote->setObjectName(u"proxyTypeNote"_s);
    m_typeNote->setWordWrap(true);
    m_typeNote->setForegroundRole(QPalette::PlaceholderText);
    m_host->setObjectName(u"proxyHostEdit"_s);
    m_host->setPlaceholderText(tr("proxy.example.com"));
    m_port->setObjectName(u"proxyPortSpin"_s);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("not set"));
    m_port->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_useCredentials->setObjectName(u"useProxyCredentialsCheck"_s);
    m_domain->setObjectName(u"proxyDomainEdit"_s);
    m_domain->setPlaceholderText(tr("optional, e.g. CORP"));
    m_username->setObjectName(u"proxyUsernameEdit"_s);
    m_password->setPlaceholderText(tr("not stored"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(form, tr("Proxy &type:"), m_type, u"proxy.type"_s)->addWidget(m_typeNote);
    addRow(form, tr("&Address:"), m_host, u"proxy.host"_s);
    addRow(form, tr("P&ort:"), m_port, u"proxy.port"_s);
    form->addRow(m_useCredentials);
    addRow(form, tr("&Domain:"), m_domain, u"proxy.domain"_s);
    addRow(form, tr("User na&me:"), m_username, u"proxy.username"_s);
    addRow(form, tr("Pass&word:"), m_password);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);

    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling) {
            // Offer the usual port of the new proxy type unless the user entered another one.
            const int port = m_port->value();
            if (port == 0 || port == defaultProxyPort(ProxyType::Socks5) ||
                port == defaultProxyPort(ProxyType::Http)) {
                FillingScope filling(m_filling);
                m_port->setValue(defaultProxyPort(type()));
            }
        }
        updateState();
        notifyChanged();
    });
    connect(m_host, &QLineEdit::textEdited, this, &ProxyTab::notifyChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &ProxyTab::notifyChanged);
    connect(m_useCredentials, &QCheckBox::toggled, this, [this] {
        updateState();
        notifyChanged();
    });
    for (QLineEdit* edit : {m_domain, m_username, static_cast<QLineEdit*>(m_password)})
        connect(edit, &QLineEdit::textEdited, this, &ProxyTab::notifyChanged);
    updateState();
}

ProxyType ProxyTab::type() const
{
    return static_cast<ProxyType>(m_type->currentData().toInt());
}

void ProxyTab::setProfile(const ConnectionProfile& profile)
{
    FillingScope filling(m_filling);
    m_type->setCurrentIndex(m_type->findData(int(profile.proxy.type)));
    m_host->setText(profile.proxy.host);
    m_port->setValue(profile.proxy.port);
    m_useCredentials->setChecked(!profile.proxy.username.isEmpty() ||
                                 !profile.proxy.domain.isEmpty());
    m_domain->setText(profile.proxy.domain);
    m_username->setText(profile.proxy.username);
    updateState();
}

void ProxyTab::applyTo(ConnectionProfile& profile) const
{
    profile.proxy.type = type();
    profile.proxy.host = m_host->text();
    profile.proxy.port = m_port->value();
    const bool credentials = m_useCredentials->isChecked();
    profile.proxy.username = credentials ? m_username->text() : QString();
    profile.proxy.domain = credentials ? m_domain->text() : QString();
}

void ProxyTab::setSecrets(const QMap<SecretSlot, QString>& secrets)
{
    FillingScope filling(m_filling);
    m_password->setSecret(secrets.value(SecretSlot::ProxyPassword));
}

void ProxyTab::applySecretsTo(QMap<SecretSlot, QString>& secrets) const
{
    secrets.insert(SecretSlot::ProxyPassword,
                   m_useCredentials->isChecked() ? m_password->text() : QString());
}

void ProxyTab::setSecretsAvailable(bool available)
{
    m_secretsAvailable = available;
    m_password->setPlaceholderText(available ? tr("not stored") : tr("reading from the keychain…"));
    updateState();
}

void ProxyTab::updateState()
{
    const ProxyType current = type();
    const bool explicitProxy = current == ProxyType::Socks5 || current == ProxyType::Http;
    m_host->setEnabled(explicitProxy);
    m_port->setEnabled(explicitProxy);
    m_useCredentials->setEnabled(explicitProxy);
    const bool credentials = explicitProxy && m_useCredentials->isChecked();
    m_domain->setEnabled(credentials);
    m_username->setEnabled(credentials);
    m_password->setEnabled(credentials && m_secretsAvailable);
    switch (current) {
    case ProxyType::None:
        m_typeNote->setText(tr("Relaydeck connects to the SMTP server directly."));
        break;
    case ProxyType::System:
        m_typeNote->setText(tr("Uses the proxy configured for this computer, if any."));
        break;
    case ProxyType::Socks5:
        m_typeNote->setText(tr("The proxy resolves the server's name and opens the connection; "
                               "TLS still runs end to end."));
        break;
    case ProxyType::Http:
        m_typeNote->setText(tr("The proxy must allow CONNECT to the SMTP port; TLS still runs "
                               "end to end."));
        break;
    }
}

} // namespace relaydeck::ui
