#pragma once

#include "EditorTab.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace relaydeck::ui {

class PasswordField;

// Proxy: none / system / SOCKS5 / HTTP CONNECT, address, port, and optional credentials
// (domain, user name, password; the password lives in the keychain).
class ProxyTab : public EditorTab
{
    Q_OBJECT

public:
    explicit ProxyTab(QWidget* parent = nullptr);

    void setProfile(const ConnectionProfile& profile) override;
    void applyTo(ConnectionProfile& profile) const override;
    void setSecrets(const QMap<SecretSlot, QString>& secrets) override;
    void applySecretsTo(QMap<SecretSlot, QString>& secrets) const override;
    void setSecretsAvailable(bool available) override;

private:
    ProxyType type() const;
    void updateState();

    QComboBox* m_type;
    QLabel* m_typeNote;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QCheckBox* m_useCredentials;
    QLineEdit* m_domain;
    QLineEdit* m_username;
    PasswordField* m_password;
    bool m_secretsAvailable = true;
};

} // namespace relaydeck::ui
