#pragma once

#include "EditorTab.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace relaydeck::ui {

class PasswordField;

// Authentication: none, anonymous, client certificate (EXTERNAL), or user name and password
// with a mechanism (Automatic: the strongest the server offers). The password lives in the
// keychain; it is shown in clear only on request. Plaintext authentication is off by default
// and warns when turned on.
class AuthenticationTab : public EditorTab
{
    Q_OBJECT

public:
    explicit AuthenticationTab(QWidget* parent = nullptr);

    void setProfile(const ConnectionProfile& profile) override;
    void applyTo(ConnectionProfile& profile) const override;
    void setSecrets(const QMap<SecretSlot, QString>& secrets) override;
    void applySecretsTo(QMap<SecretSlot, QString>& secrets) const override;
    void setSecretsAvailable(bool available) override;

    PasswordField* passwordField() const { return m_password; }

private:
    enum Method
    {
        NoAuthentication,
        Password,
        Anonymous,
        ClientCertificate
    };
    Method method() const;
    AuthMechanism selectedMechanism() const;
    void updateState();

    QButtonGroup* m_methods;
    QRadioButton* m_none;
    QRadioButton* m_passwordMethod;
    QRadioButton* m_anonymous;
    QRadioButton* m_certificate;
    QComboBox* m_mechanism;
    QLineEdit* m_username;
    QLabel* m_usernameHint;
    QLabel* m_passwordLabel;
    PasswordField* m_password;
    QLabel* m_keychainNote;
    QCheckBox* m_allowPlaintext;
    QLabel* m_plaintextWarning;
    bool m_secretsAvailable = true;
};

} // namespace relaydeck::ui
