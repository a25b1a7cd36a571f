#pragma once

#include "EditorTab.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace relaydeck::ui {

class OAuthSignInController;
struct OAuthSignInState;
class PasswordField;

// Authentication: none, anonymous, client certificate (EXTERNAL), or user name and password
// with a mechanism (Automatic: the strongest the server offers). The password lives in the
// keychain; it is shown in clear only on request. Plaintext authentication is off by default
// and warns when turned on. A profile that signs in with OAuth 2.0 shows its sign-in instead of
// the password: Sign In… (the system browser), then who signed in and Sign Out.
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
    // Runs Sign In… and Sign Out; without one the buttons stay disabled.
    void setSignInController(OAuthSignInController* controller);

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
    void showSignIn(const OAuthSignInState& state);

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
    QGroupBox* m_signInBox;
    QLabel* m_signInStatus;
    QPushButton* m_signIn;
    QPushButton* m_signOut;
    OAuthSignInController* m_signInController = nullptr;
    ConnectionProfile m_profile; // as last loaded: whom Sign In… signs in
};

} // namespace relaydeck::ui
