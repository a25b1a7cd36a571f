#pragma once

#include "OAuthSignInController.h"

#include "profile/ConnectionProfile.h"

#include <QGroupBox>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace relaydeck::ui {

class EditorTab;
class PasswordField;

// The Authentication tab's "OAuth 2.0 sign-in" group: who issues the tokens (Microsoft 365,
// Google, or another provider with its endpoints), the app registration's client id (and tenant,
// scope, client secret), then where the sign-in stands with Sign In… / Sign Out. Its fields'
// validation messages are marked by the tab that holds it (field keys oauth.*). Provider "None"
// means the user pastes an access token as the password instead.
class OAuthSignInBox : public QGroupBox
{
    Q_OBJECT

public:
    explicit OAuthSignInBox(EditorTab& tab);

    void setSettings(const OAuthSettings& settings);
    // Writes the fields as typed (so applyTo(setSettings(s)) leaves s unchanged).
    void applyTo(OAuthSettings& settings) const;
    OAuthProvider provider() const;

    // The client secret (keychain slot oauth-client-secret).
    void setClientSecret(const QString& secret);
    QString clientSecret() const;
    void setClientSecretAvailable(bool available);

    // What the sign-in needs before it can start (empty: it can): a saved connection and a
    // client id. `hasController`: someone can run it.
    void showState(const OAuthSignInState& state, const QString& blocker, bool hasController);

signals:
    // The user changed a setting or the client secret.
    void edited();
    void signInRequested();
    void signOutRequested();

private:
    void updateRows();
    void showStatus();

    QFormLayout* m_form;
    QComboBox* m_provider;
    QLabel* m_registration;
    QLineEdit* m_tenant;
    QLineEdit* m_clientId;
    PasswordField* m_clientSecret;
    QLineEdit* m_authorizationUrl;
    QLineEdit* m_tokenUrl;
    QLineEdit* m_deviceUrl;
    QLineEdit* m_scope;
    QLabel* m_status;
    QPushButton* m_signIn;
    QPushButton* m_signOut;
    OAuthSignInState m_state;
    QString m_blocker;
    bool m_hasController = false;
};

} // namespace relaydeck::ui
