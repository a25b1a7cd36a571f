#include "EncryptionTab.h"

#include "Icons.h"
#include "MessageLine.h"
#include "PasswordField.h"
#include "Prompter.h"

#include "profile/ProfileValidation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

// A line edit with a "…" button that opens a file picker.
QWidget* withBrowseButton(QLineEdit* edit, QToolButton* button, QWidget* parent)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

// "ab12..." -> "AB:12:..." for display.
QString displayFingerprint(const QString& hex)
{
    QStringList pairs;
    for (qsizetype i = 0; i + 1 < hex.size(); i += 2)
        pairs << hex.mid(i, 2).toUpper();
    return pairs.join(u':');
}

} // namespace

EncryptionTab::EncryptionTab(Prompter& prompter, QWidget* parent)
    : EditorTab(parent)
    , m_prompter(prompter)
    , m_security(new QComboBox(this))
    , m_securityNote(new QLabel(this))
    , m_minimumVersion(new QComboBox(this))
    , m_maximumVersion(new QComboBox(this))
    , m_legacyWarning(new MessageLine(this))
    , m_verify(new QCheckBox(tr("&Verify the server's certificate"), this))
    , m_verifyWarning(new QLabel(this))
    , m_caFile(new QLineEdit(this))
    , m_pins(new QListWidget(this))
    , m_addPin(new QPushButton(Icons::get(u"add"_s), tr("&Add…"), this))
    , m_removePin(new QPushButton(Icons::get(u"remove"_s), tr("&Remove"), this))
    , m_clientCertificate(new QLineEdit(this))
    , m_clientKey(new QLineEdit(this))
    , m_passphrase(new PasswordField(u"clientKeyPassphraseEdit"_s, this))
{
    m_security->setObjectName(u"securityCombo"_s);
    m_security->addItem(tr("None — unencrypted (usually port 25)"), int(Security::None));
    m_security->addItem(tr("STARTTLS — upgrade after connecting (usually port 587)"),
                        int(Security::StartTls));
    m_security->addItem(tr("Implicit TLS — SMTPS (usually port 465)"), int(Security::ImplicitTls));
    m_security->addItem(tr("Automatic — implicit TLS on port 465, otherwise STARTTLS"),
                        int(Security::Auto));
    m_securityNote->setObjectName(u"securityNote"_s);
    m_securityNote->setWordWrap(true);

    m_minimumVersion->setObjectName(u"tlsMinimumCombo"_s);
    m_minimumVersion->addItem(tr("TLS 1.0 (obsolete, insecure)"), int(TlsMinimumVersion::Tls10));
    m_minimumVersion->addItem(tr("TLS 1.1 (obsolete, insecure)"), int(TlsMinimumVersion::Tls11));
    m_minimumVersion->addItem(tr("TLS 1.2"), int(TlsMinimumVersion::Tls12));
    m_minimumVersion->addItem(tr("TLS 1.3"), int(TlsMinimumVersion::Tls13));
    m_minimumVersion->setToolTip(
        tr("TLS 1.2 is the default. TLS 1.0 and 1.1 are obsolete and insecure (RFC 8996): choose "
           "them only for a legacy server that cannot be updated. SSL is never offered."));
    m_legacyWarning->setObjectName(u"tlsLegacyWarning"_s);
    m_legacyWarning->setStyleSheet(u"color: #a05a00;"_s);
    m_maximumVersion->setObjectName(u"tlsMaximumCombo"_s);
    m_maximumVersion->addItem(tr("Newest available"), -1);
    m_maximumVersion->addItem(tr("TLS 1.0"), int(TlsMinimumVersion::Tls10));
    m_maximumVersion->addItem(tr("TLS 1.1"), int(TlsMinimumVersion::Tls11));
    m_maximumVersion->addItem(tr("TLS 1.2"), int(TlsMinimumVersion::Tls12));
    m_maximumVersion->addItem(tr("TLS 1.3"), int(TlsMinimumVersion::Tls13));
    m_maximumVersion->setToolTip(
        tr("TLS 1.2 here allows exactly TLS 1.2, for a server whose TLS 1.3 is broken."));

    m_verify->setObjectName(u"verifyCertificateCheck"_s);
    m_verifyWarning->setObjectName(u"verifyWarning"_s);
    m_verifyWarning->setWordWrap(true);
    m_verifyWarning->setStyleSheet(u"color: #a05a00;"_s);
    m_verifyWarning->setText(tr("Warning: without verification anyone on the path can pose as "
                                "the server and read the password. Prefer pinning the server's "
                                "certificate (run a test, then \"Trust this certificate\")."));

    m_caFile->setObjectName(u"caFileEdit"_s);
    m_caFile->setPlaceholderText(tr("optional: PEM file with additional trusted CAs"));
    auto* caBrowse = new QToolButton(this);
    caBrowse->setObjectName(u"caFileBrowseButton"_s);
    caBrowse->setIcon(Icons::get(u"folder"_s));
    caBrowse->setToolTip(tr("Choose a file"));

    m_pins->setObjectName(u"pinnedList"_s);
    m_pins->setMinimumHeight(60);
    m_pins->setMaximumHeight(90);
    // A fingerprint is wider than the list: shorten it in the middle (the tool tip has it all).
    m_pins->setTextElideMode(Qt::ElideMiddle);
    m_pins->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_pins->setToolTip(tr("A pinned certificate is accepted for this connection even if no CA "
                          "vouches for it; only that exact certificate."));
    m_addPin->setObjectName(u"addPinButton"_s);
    m_removePin->setObjectName(u"removePinButton"_s);

    m_clientCertificate->setObjectName(u"clientCertificateEdit"_s);
    m_clientCertificate->setPlaceholderText(tr("optional: PEM certificate"));
    auto* certificateBrowse = new QToolButton(this);
    certificateBrowse->setObjectName(u"clientCertificateBrowseButton"_s);
    certificateBrowse->setIcon(Icons::get(u"folder"_s));
    certificateBrowse->setToolTip(tr("Choose a file"));
    m_clientKey->setObjectName(u"clientKeyEdit"_s);
    m_clientKey->setPlaceholderText(tr("PEM private key (empty: in the certificate file)"));
    auto* keyBrowse = new QToolButton(this);
    keyBrowse->setObjectName(u"clientKeyBrowseButton"_s);
    keyBrowse->setIcon(Icons::get(u"folder"_s));
    keyBrowse->setToolTip(tr("Choose a file"));
    m_passphrase->setPlaceholderText(tr("none"));

    auto* securityForm = new QFormLayout;
    securityForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(securityForm, tr("Securit&y:"), m_security)->addWidget(m_securityNote);
    addRow(securityForm, tr("&Minimum TLS version:"), m_minimumVersion)->addWidget(m_legacyWarning);
    addRow(securityForm, tr("Ma&ximum TLS version:"), m_maximumVersion, u"tls.maxVersion"_s);

    auto* certificateBox = new QGroupBox(tr("Server certificate"), this);
    auto* certificateForm = new QFormLayout(certificateBox);
    certificateForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    certificateForm->addRow(m_verify);
    certificateForm->addRow(m_verifyWarning);
    addRow(certificateForm, tr("C&A file:"), withBrowseButton(m_caFile, caBrowse, this),
           u"tls.caFile"_s, m_caFile);
    auto* pinButtons = new QVBoxLayout;
    pinButtons->addWidget(m_addPin);
    pinButtons->addWidget(m_removePin);
    pinButtons->addStretch(1);
    auto* pinRow = new QWidget(this);
    auto* pinLayout = new QHBoxLayout(pinRow);
    pinLayout->setContentsMargins(0, 0, 0, 0);
    pinLayout->addWidget(m_pins, 1);
    pinLayout->addLayout(pinButtons);
    addRow(certificateForm, tr("Pi&nned (SHA-256):"), pinRow, u"tls.pinnedSha256"_s, m_pins);

    auto* clientBox = new QGroupBox(tr("Client certificate"), this);
    auto* clientForm = new QFormLayout(clientBox);
    clientForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(clientForm, tr("Certif&icate:"),
           withBrowseButton(m_clientCertificate, certificateBrowse, this),
           u"tls.clientCertificate"_s, m_clientCertificate);
    addRow(clientForm, tr("&Key:"), withBrowseButton(m_clientKey, keyBrowse, this),
           u"tls.clientKey"_s, m_clientKey);
    addRow(clientForm, tr("Key pass&phrase:"), m_passphrase);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(securityForm);
    layout->addWidget(certificateBox);
    layout->addWidget(clientBox);
    layout->addStretch(1);

    m_tlsWidgets = {m_minimumVersion, m_maximumVersion, certificateBox, clientBox};
    // Each browse button right after its field.
    setTabOrder(m_caFile, caBrowse);
    setTabOrder(caBrowse, m_pins);
    setTabOrder(m_pins, m_addPin);
    setTabOrder(m_addPin, m_removePin);
    setTabOrder(m_removePin, m_clientCertificate);
    setTabOrder(m_clientCertificate, certificateBrowse);
    setTabOrder(certificateBrowse, m_clientKey);
    setTabOrder(m_clientKey, keyBrowse);
    setTabOrder(keyBrowse, m_passphrase);

    connect(m_security, &QComboBox::currentIndexChanged, this, [this] {
        const Security previous = m_lastSecurity;
        m_lastSecurity = security();
        updateState();
        if (m_filling)
            return;
        if (previous != m_lastSecurity)
            emit securityChanged(previous, m_lastSecurity);
        notifyChanged();
    });
    connect(m_minimumVersion, &QComboBox::currentIndexChanged, this, [this] {
        updateState();
        notifyChanged();
    });
    connect(m_maximumVersion, &QComboBox::currentIndexChanged, this, &EncryptionTab::notifyChanged);
    connect(m_verify, &QCheckBox::toggled, this, [this] {
        updateState();
        notifyChanged();
    });
    for (QLineEdit* edit : {m_caFile, m_clientCertificate, m_clientKey})
        connect(edit, &QLineEdit::textEdited, this, &EncryptionTab::notifyChanged);
    connect(m_passphrase, &QLineEdit::textEdited, this, &EncryptionTab::notifyChanged);
    connect(caBrowse, &QToolButton::clicked, this, [this] {
        browse(m_caFile, tr("Choose a CA Certificates File"),
               tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    });
    connect(certificateBrowse, &QToolButton::clicked, this, [this] {
        browse(m_clientCertificate, tr("Choose the Client Certificate"),
               tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    });
    connect(keyBrowse, &QToolButton::clicked, this, [this] {
        browse(m_clientKey, tr("Choose the Client Key"),
               tr("PEM private keys (*.pem *.key);;All files (*)"));
    });
    connect(m_addPin, &QPushButton::clicked, this, &EncryptionTab::addPin);
    connect(m_removePin, &QPushButton::clicked, this, &EncryptionTab::removePin);
    connect(m_pins, &QListWidget::currentRowChanged, this, &EncryptionTab::updateState);
    updateState();
}

Security EncryptionTab::security() const
{
    return static_cast<Security>(m_security->currentData().toInt());
}

void EncryptionTab::setSecurity(Security security)
{
    m_security->setCurrentIndex(m_security->findData(int(security)));
}

void EncryptionTab::setProfile(const ConnectionProfile& profile)
{
    FillingScope filling(m_filling);
    m_security->setCurrentIndex(m_security->findData(int(profile.security)));
    m_lastSecurity = profile.security;
    m_minimumVersion->setCurrentIndex(m_minimumVersion->findData(int(profile.tls.minimumVersion)));
    m_maximumVersion->setCurrentIndex(m_maximumVersion->findData(
        profile.tls.maximumVersion ? int(*profile.tls.maximumVersion) : -1));
    m_verify->setChecked(profile.tls.verifyPeer);
    m_caFile->setText(profile.tls.caFile);
    m_pins->clear();
    for (const QString& pin : profile.tls.pinnedSha256) {
        auto* item = new QListWidgetItem(displayFingerprint(pin), m_pins);
        item->setData(Qt::UserRole, pin); // stored as it stands in the profile
        item->setToolTip(pin);
    }
    m_clientCertificate->setText(profile.tls.clientCertificateFile);
    m_clientKey->setText(profile.tls.clientKeyFile);
    updateState();
}

void EncryptionTab::applyTo(ConnectionProfile& profile) const
{
    profile.security = security();
    profile.tls.minimumVersion =
        static_cast<TlsMinimumVersion>(m_minimumVersion->currentData().toInt());
    const int maximum = m_maximumVersion->currentData().toInt();
    profile.tls.maximumVersion =
        maximum < 0 ? std::nullopt : std::optional(static_cast<TlsMinimumVersion>(maximum));
    profile.tls.verifyPeer = m_verify->isChecked();
    profile.tls.caFile = m_caFile->text();
    profile.tls.pinnedSha256.clear();
    for (int row = 0; row < m_pins->count(); ++row)
        profile.tls.pinnedSha256 << m_pins->item(row)->data(Qt::UserRole).toString();
    profile.tls.clientCertificateFile = m_clientCertificate->text();
    profile.tls.clientKeyFile = m_clientKey->text();
}

void EncryptionTab::setSecrets(const QMap<SecretSlot, QString>& secrets)
{
    FillingScope filling(m_filling);
    m_passphrase->setSecret(secrets.value(SecretSlot::ClientKeyPassphrase));
}

void EncryptionTab::applySecretsTo(QMap<SecretSlot, QString>& secrets) const
{
    secrets.insert(SecretSlot::ClientKeyPassphrase, m_passphrase->text());
}

void EncryptionTab::setSecretsAvailable(bool available)
{
    m_secretsAvailable = available;
    m_passphrase->setPlaceholderText(available ? tr("none") : tr("reading from the keychain…"));
    updateState();
}

void EncryptionTab::browse(QLineEdit* edit, const QString& title, const QString& filter)
{
    const QString path = m_prompter.openFileName(this, title, filter);
    if (path.isEmpty())
        return;
    edit->setText(path);
    notifyChanged();
}

void EncryptionTab::addPin()
{
    const std::optional<QString> text = m_prompter.askText(
        this, tr("Pin a Certificate"),
        tr("SHA-256 fingerprint of the server's certificate (64 hex digits, colons allowed):"),
        QString());
    if (!text || text->trimmed().isEmpty())
        return;
    // A malformed fingerprint is added as typed, so validation shows what is wrong with it.
    const QString stored = ProfileValidation::normalisePin(*text).value_or(text->trimmed());
    for (int row = 0; row < m_pins->count(); ++row) {
        if (m_pins->item(row)->data(Qt::UserRole).toString() == stored)
            return;
    }
    auto* item = new QListWidgetItem(
        ProfileValidation::normalisePin(stored) ? displayFingerprint(stored) : stored, m_pins);
    item->setData(Qt::UserRole, stored);
    item->setToolTip(stored);
    m_pins->setCurrentItem(item);
    updateState();
    notifyChanged();
}

void EncryptionTab::removePin()
{
    const int row = m_pins->currentRow();
    if (row < 0)
        return;
    delete m_pins->takeItem(row);
    updateState();
    notifyChanged();
}

void EncryptionTab::updateState()
{
    const Security current = security();
    const bool tls = current != Security::None;
    for (QWidget* widget : std::as_const(m_tlsWidgets))
        widget->setEnabled(tls);
    m_passphrase->setEnabled(tls && m_secretsAvailable);
    m_verifyWarning->setVisible(tls && !m_verify->isChecked());
    const bool legacy = m_minimumVersion->currentData().toInt() < int(TlsMinimumVersion::Tls12);
    // Always on its line (MessageLine): choosing a version never moves the fields below.
    m_legacyWarning->setMessage(
        tls && legacy ? tr("Warning: TLS 1.0/1.1 can be broken by an attacker on the path. Allowed "
                           "for this connection only; the test report warns each time.")
                      : QString());
    m_legacyWarning->setToolTip(m_legacyWarning->text());
    m_removePin->setEnabled(m_pins->currentRow() >= 0);
    switch (current) {
    case Security::None:
        m_securityNote->setText(tr("Nothing is encrypted. Use this only for a relay on a trusted "
                                   "network; passwords are refused unless you allow plaintext "
                                   "authentication."));
        m_securityNote->setStyleSheet(u"color: #a05a00;"_s);
        break;
    case Security::StartTls:
        m_securityNote->setText(tr("Connects unencrypted, then requires STARTTLS before "
                                   "anything else is sent. Never falls back to plain text."));
        m_securityNote->setStyleSheet(QString());
        break;
    case Security::ImplicitTls:
        m_securityNote->setText(tr("TLS from the first byte (SMTPS)."));
        m_securityNote->setStyleSheet(QString());
        break;
    case Security::Auto:
        m_securityNote->setText(
            tr("Port 465: implicit TLS. Any other port: STARTTLS, required; only towards this "
               "machine (loopback) or on port 25 does the session go on unencrypted when the "
               "server does not offer it, with a warning, and passwords then go to this machine "
               "only. The test report says what was used."));
        m_securityNote->setStyleSheet(QString());
        break;
    }
}

} // namespace relaydeck::ui
