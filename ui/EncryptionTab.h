#pragma once

#include "EditorTab.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;

namespace relaydeck::ui {

class MessageLine;
class PasswordField;
class Prompter;

// Encryption: None / STARTTLS / implicit TLS, minimum TLS version, certificate verification, an
// extra CA file, pinned certificates (SHA-256 of the leaf) and a client certificate with its key.
class EncryptionTab : public EditorTab
{
    Q_OBJECT

public:
    EncryptionTab(Prompter& prompter, QWidget* parent = nullptr);

    void setProfile(const ConnectionProfile& profile) override;
    void applyTo(ConnectionProfile& profile) const override;
    void setSecrets(const QMap<SecretSlot, QString>& secrets) override;
    void applySecretsTo(QMap<SecretSlot, QString>& secrets) const override;
    void setSecretsAvailable(bool available) override;

    Security security() const;
    // Selects a security mode as if the user had (emits securityChanged and changed).
    void setSecurity(Security security);

signals:
    // The user chose another security mode (the editor lets the port follow).
    void securityChanged(relaydeck::Security previous, relaydeck::Security current);

private:
    void browse(QLineEdit* edit, const QString& title, const QString& filter);
    void addPin();
    void removePin();
    void updateState();

    Prompter& m_prompter;
    QComboBox* m_security;
    QLabel* m_securityNote;
    QComboBox* m_minimumVersion;
    QComboBox* m_maximumVersion;
    MessageLine* m_legacyWarning; // under the minimum: TLS 1.0/1.1 allowed
    QCheckBox* m_verify;
    QLabel* m_verifyWarning;
    QLineEdit* m_caFile;
    QListWidget* m_pins;
    QPushButton* m_addPin;
    QPushButton* m_removePin;
    QLineEdit* m_clientCertificate;
    QLineEdit* m_clientKey;
    PasswordField* m_passphrase;
    QList<QWidget*> m_tlsWidgets;
    Security m_lastSecurity = Security::StartTls;
    bool m_secretsAvailable = true;
};

} // namespace relaydeck::ui
