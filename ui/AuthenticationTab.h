#pragma once

#include "EditorTab.h"
#include "OAuthSignInController.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace relaydeck::ui {

class OAuthSignInBox;
class OAuthSignInController;
class PasswordField;

// Authentication: none, anonymous, client certificate (EXTERNAL), or user name and password
// with a mechanism (Automatic: the strongest the server offers). The password lives in the
// keychain; it is shown in clear only on request. Plaintext authentication is off by default
// and warns when turned on. With XOAUTH2 or OAUTHBEARER the OAuth 2.0 group (OAuthSignInBox)
// takes the provider and app registration; a profile that signs in shows its sign-in instead of
// the password: Sign In… (the system browser, with the settings as edited), then who signed in
// and Sign Out. "Use my Kerberos ticket (GSSAPI)" logs on with the ticket of the user running
// Relaydeck instead of a password: the password field goes, the user name becomes optional (the
// identity to act as), and Automatic then means GSSAPI.
class AuthenticationTab : public EditorTab
{
    Q_OBJECT

public:
    explicit AuthenticationTab(QWidget* parent = nullptr);

    void setProfile(const ConnectionProfile& profile) override;
    void markSaved(const ConnectionProfile& stored) override;
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
    SecretSourceKind passwordSourceKind() const;
    void updateState();
    void showSignIn();
    // Why Sign In… cannot start yet (not saved, no client id), or empty.
    QString signInBlocker() const;
    void signIn();
    void load(const ConnectionProfile& profile, bool readSignIn);

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
    QFormLayout* m_form = nullptr;
    QLineEdit* m_usernameVariable; // the user name from an environment variable (empty: the field)
    QComboBox* m_passwordSource;   // Keychain / Environment variable / Command
    QLineEdit* m_passwordVariable; // the variable's name
    QLineEdit* m_passwordCommand;  // program and arguments (CommandWords)
    QCheckBox* m_commandEnabled;   // an imported command runs only once this is on
    QLabel* m_commandWarning;
    QCheckBox* m_kerberos;
    QCheckBox* m_allowPlaintext;
    QLabel* m_plaintextWarning;
    bool m_secretsAvailable = true;
    OAuthSignInBox* m_oauth;
    OAuthSignInState m_signInState;
    OAuthSignInController* m_signInController = nullptr;
    ConnectionProfile m_profile; // as last loaded: its id keys the sign-in
};

} // namespace relaydeck::ui
