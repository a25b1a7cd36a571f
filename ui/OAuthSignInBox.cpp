#include "OAuthSignInBox.h"

#include "EditorTab.h"
#include "PasswordField.h"

#include "i18n/LocalDates.h"
#include "oauth/OAuthEndpoints.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

QLineEdit* lineEdit(const QString& objectName, QWidget* parent)
{
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    return edit;
}

} // namespace

OAuthSignInBox::OAuthSignInBox(EditorTab& tab)
    : QGroupBox(tr("OAuth 2.0 sign-in"), &tab)
    , m_form(new QFormLayout)
    , m_provider(new QComboBox(this))
    , m_registration(new QLabel(this))
    , m_tenant(lineEdit(u"oauthTenantEdit"_s, this))
    , m_clientId(lineEdit(u"oauthClientIdEdit"_s, this))
    , m_clientSecret(new PasswordField(u"oauthClientSecretEdit"_s, this))
    , m_authorizationUrl(lineEdit(u"oauthAuthorizationUrlEdit"_s, this))
    , m_tokenUrl(lineEdit(u"oauthTokenUrlEdit"_s, this))
    , m_deviceUrl(lineEdit(u"oauthDeviceUrlEdit"_s, this))
    , m_scope(lineEdit(u"oauthScopeEdit"_s, this))
    , m_status(new QLabel(this))
    , m_signIn(new QPushButton(tr("&Sign In…"), this))
    , m_signOut(new QPushButton(tr("Sign &Out"), this))
{
    setObjectName(u"signInBox"_s);
    m_provider->setObjectName(u"oauthProviderCombo"_s);
    m_provider->addItem(tr("None — I paste an access token"), int(OAuthProvider::None));
    m_provider->addItem(tr("Microsoft 365 / Outlook.com"), int(OAuthProvider::Microsoft));
    m_provider->addItem(tr("Google / Gmail"), int(OAuthProvider::Google));
    m_provider->addItem(tr("Other provider"), int(OAuthProvider::Custom));
    m_provider->setToolTip(tr("Who issues the access tokens. Relaydeck signs in with your own "
                              "app registration and refreshes the tokens itself."));
    m_registration->setObjectName(u"oauthRegistrationNote"_s);
    m_registration->setWordWrap(true);
    m_registration->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_registration->setForegroundRole(QPalette::PlaceholderText);
    m_tenant->setPlaceholderText(OAuthEndpoints::defaultMicrosoftTenant());
    m_tenant->setToolTip(tr("common, organizations, consumers, or your directory (tenant) id "
                            "or domain, e.g. contoso.onmicrosoft.com"));
    m_clientId->setToolTip(tr("The application (client) id of your own app registration."));
    m_clientSecret->setPlaceholderText(tr("only if the provider issued one"));
    m_clientSecret->setToolTip(tr("Google's desktop apps have one; Microsoft's public clients "
                                  "have none. It is kept in the system keychain."));
    m_authorizationUrl->setPlaceholderText(u"https://login.example.com/authorize"_s);
    m_tokenUrl->setPlaceholderText(u"https://login.example.com/token"_s);
    m_deviceUrl->setPlaceholderText(tr("optional: for signing in on another device"));

    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    tab.addRow(m_form, tr("P&rovider:"), m_provider, u"oauth.provider"_s)
        ->addWidget(m_registration);
    tab.addRow(m_form, tr("&Tenant:"), m_tenant, u"oauth.tenant"_s);
    tab.addRow(m_form, tr("&Client ID:"), m_clientId, u"oauth.clientId"_s);
    tab.addRow(m_form, tr("Cl&ient secret:"), m_clientSecret);
    tab.addRow(m_form, tr("&Authorization URL:"), m_authorizationUrl, u"oauth.authorizationUrl"_s);
    tab.addRow(m_form, tr("To&ken URL:"), m_tokenUrl, u"oauth.tokenUrl"_s);
    tab.addRow(m_form, tr("&Device authorization URL:"), m_deviceUrl,
               u"oauth.deviceAuthorizationUrl"_s);
    tab.addRow(m_form, tr("Sco&pe:"), m_scope, u"oauth.scope"_s);

    m_status->setObjectName(u"signInStatusLabel"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_signIn->setObjectName(u"signInButton"_s);
    m_signIn->setToolTip(tr("Opens the provider's sign-in page in the system browser; the "
                            "refresh token goes to the system keychain."));
    m_signOut->setObjectName(u"signOutButton"_s);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_signIn);
    buttons->addWidget(m_signOut);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    m_signIn->setEnabled(false);
    m_signOut->hide();

    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        emit edited();
    });
    for (QLineEdit* edit : {m_tenant, m_clientId, m_authorizationUrl, m_tokenUrl, m_deviceUrl,
                            m_scope, static_cast<QLineEdit*>(m_clientSecret)})
        connect(edit, &QLineEdit::textEdited, this, &OAuthSignInBox::edited);
    connect(m_signIn, &QPushButton::clicked, this, &OAuthSignInBox::signInRequested);
    connect(m_signOut, &QPushButton::clicked, this, &OAuthSignInBox::signOutRequested);
    updateRows();
}

OAuthProvider OAuthSignInBox::provider() const
{
    return static_cast<OAuthProvider>(m_provider->currentData().toInt());
}

void OAuthSignInBox::setSettings(const OAuthSettings& settings)
{
    m_provider->setCurrentIndex(std::max(0, m_provider->findData(int(settings.provider))));
    m_tenant->setText(settings.tenant);
    m_clientId->setText(settings.clientId);
    m_authorizationUrl->setText(settings.authorizationUrl);
    m_tokenUrl->setText(settings.tokenUrl);
    m_deviceUrl->setText(settings.deviceAuthorizationUrl);
    m_scope->setText(settings.scope);
    updateRows();
}

void OAuthSignInBox::applyTo(OAuthSettings& settings) const
{
    settings.provider = provider();
    settings.tenant = m_tenant->text();
    settings.clientId = m_clientId->text();
    settings.authorizationUrl = m_authorizationUrl->text();
    settings.tokenUrl = m_tokenUrl->text();
    settings.deviceAuthorizationUrl = m_deviceUrl->text();
    settings.scope = m_scope->text();
}

void OAuthSignInBox::setClientSecret(const QString& secret)
{
    m_clientSecret->setSecret(secret);
}

QString OAuthSignInBox::clientSecret() const
{
    return m_clientSecret->text();
}

void OAuthSignInBox::setClientSecretAvailable(bool available)
{
    m_clientSecret->setEnabled(available);
    m_clientSecret->setPlaceholderText(available ? tr("only if the provider issued one")
                                                 : tr("reading from the keychain…"));
}

void OAuthSignInBox::updateRows()
{
    const OAuthProvider current = provider();
    const bool signIn = current != OAuthProvider::None;
    const bool custom = current == OAuthProvider::Custom;
    const auto showRow = [this](QWidget* field, bool visible) {
        m_form->setRowVisible(field->parentWidget(), visible);
    };
    showRow(m_tenant, current == OAuthProvider::Microsoft);
    showRow(m_clientId, signIn);
    showRow(m_clientSecret, current == OAuthProvider::Google || custom);
    showRow(m_authorizationUrl, custom);
    showRow(m_tokenUrl, custom);
    showRow(m_deviceUrl, custom);
    showRow(m_scope, signIn);
    m_scope->setPlaceholderText(custom ? tr("e.g. the mail scope and offline_access")
                                       : OAuthEndpoints::defaultScope(current));
    showStatus();
    switch (current) {
    case OAuthProvider::Microsoft:
        m_registration->setText(
            tr("Register an app once: 1. Microsoft Entra admin center → App registrations → New "
               "registration. 2. Authentication → Add a platform → Mobile and desktop "
               "applications, redirect URI http://localhost; allow public client flows. 3. API "
               "permissions → Microsoft Graph → delegated: SMTP.Send, offline_access. Enter its "
               "Application (client) ID and Directory (tenant) ID here."));
        break;
    case OAuthProvider::Google:
        m_registration->setText(
            tr("Register an app once: 1. Google Cloud console → APIs & Services → OAuth consent "
               "screen, add the scope https://mail.google.com/. 2. Credentials → Create "
               "credentials → OAuth client ID, type Desktop app. 3. Enter its client ID and "
               "client secret here."));
        break;
    case OAuthProvider::Custom:
        m_registration->setText(
            tr("Register Relaydeck as a public (native) client with the redirect URI "
               "http://127.0.0.1 and PKCE, and enter its endpoints here."));
        break;
    case OAuthProvider::None:
        m_registration->setText(tr("Relaydeck does not fetch tokens: paste a current access "
                                   "token as the password."));
        break;
    }
}

void OAuthSignInBox::showState(const OAuthSignInState& state, const QString& blocker,
                               bool hasController)
{
    m_state = state;
    m_blocker = blocker;
    m_hasController = hasController;
    showStatus();
}

void OAuthSignInBox::showStatus()
{
    const OAuthSignInState& state = m_state;
    const QString& blocker = m_blocker;
    const bool hasController = m_hasController;
    QString text;
    switch (state.status) {
    case OAuthSignInState::SignedOut:
        text = blocker.isEmpty() ? tr("Not signed in: tests cannot get an access token.") : blocker;
        break;
    case OAuthSignInState::SigningIn:
        text = tr("Waiting for the sign-in in the browser…");
        break;
    case OAuthSignInState::SignedIn:
        text =
            state.account.isEmpty() ? tr("Signed in.") : tr("Signed in as %1.").arg(state.account);
        text +=
            u' ' + (state.validUntil.isValid() ? tr("The access token is valid until %1.")
                                                     .arg(LocalDates::dateTime(state.validUntil))
                                               : tr("The next test fetches a new access token."));
        break;
    case OAuthSignInState::Failed:
        text = tr("Sign-in failed: %1").arg(state.error);
        break;
    }
    const bool signIn = provider() != OAuthProvider::None;
    m_status->setText(text);
    m_status->setVisible(signIn);
    const bool signedIn = state.status == OAuthSignInState::SignedIn;
    m_signIn->setVisible(signIn && !signedIn);
    m_signIn->setEnabled(hasController && blocker.isEmpty() &&
                         state.status != OAuthSignInState::SigningIn);
    m_signOut->setVisible(signIn && signedIn);
    m_signOut->setEnabled(hasController);
}

} // namespace relaydeck::ui
