#include "AuthenticationTab.h"

#include "OAuthSignInBox.h"
#include "OAuthSignInController.h"
#include "PasswordField.h"

#include "profile/CommandWords.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

QLabel* noteLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

bool isTokenMechanism(AuthMechanism mechanism)
{
    return mechanism == AuthMechanism::XOAuth2 || mechanism == AuthMechanism::OAuthBearer;
}

} // namespace

AuthenticationTab::AuthenticationTab(QWidget* parent)
    : EditorTab(parent)
    , m_methods(new QButtonGroup(this))
    , m_none(new QRadioButton(tr("&No authentication"), this))
    , m_passwordMethod(new QRadioButton(tr("User name and pass&word"), this))
    , m_anonymous(new QRadioButton(tr("Anon&ymous (SASL ANONYMOUS)"), this))
    , m_certificate(new QRadioButton(tr("C&lient certificate (SASL EXTERNAL)"), this))
    , m_mechanism(new QComboBox(this))
    , m_username(new QLineEdit(this))
    , m_usernameHint(noteLabel(u"usernameHint"_s, this))
    , m_passwordLabel(new QLabel(this))
    , m_password(new PasswordField(u"passwordEdit"_s, this))
    , m_keychainNote(noteLabel(u"keychainNote"_s, this))
    , m_usernameVariable(new QLineEdit(this))
    , m_passwordSource(new QComboBox(this))
    , m_passwordVariable(new QLineEdit(this))
    , m_passwordCommand(new QLineEdit(this))
    , m_commandEnabled(new QCheckBox(tr("Ena&bled: run this command when testing"), this))
    , m_commandWarning(noteLabel(u"passwordCommandWarning"_s, this))
    , m_kerberos(new QCheckBox(tr("Use my &Kerberos ticket (GSSAPI)"), this))
    , m_allowPlaintext(
          new QCheckBox(tr("Allow authentication &over an unencrypted connection"), this))
    , m_plaintextWarning(new QLabel(this))
    , m_oauth(new OAuthSignInBox(*this))
{
    m_none->setObjectName(u"noAuthenticationRadio"_s);
    m_passwordMethod->setObjectName(u"passwordAuthenticationRadio"_s);
    m_anonymous->setObjectName(u"anonymousRadio"_s);
    m_certificate->setObjectName(u"certificateAuthenticationRadio"_s);
    m_methods->addButton(m_none, NoAuthentication);
    m_methods->addButton(m_passwordMethod, Password);
    m_methods->addButton(m_anonymous, Anonymous);
    m_methods->addButton(m_certificate, ClientCertificate);

    m_mechanism->setObjectName(u"mechanismCombo"_s);
    m_mechanism->addItem(tr("Automatic — the strongest the server offers"),
                         int(AuthMechanism::Auto));
    m_mechanism->addItem(u"PLAIN"_s, int(AuthMechanism::Plain));
    m_mechanism->addItem(u"LOGIN"_s, int(AuthMechanism::Login));
    m_mechanism->addItem(u"CRAM-MD5"_s, int(AuthMechanism::CramMd5));
    m_mechanism->addItem(u"SCRAM-SHA-1"_s, int(AuthMechanism::ScramSha1));
    m_mechanism->addItem(u"SCRAM-SHA-256"_s, int(AuthMechanism::ScramSha256));
    m_mechanism->addItem(u"NTLM"_s, int(AuthMechanism::Ntlm));
    m_mechanism->addItem(tr("XOAUTH2 (OAuth 2.0 access token)"), int(AuthMechanism::XOAuth2));
    m_mechanism->addItem(tr("OAUTHBEARER (OAuth 2.0 access token)"),
                         int(AuthMechanism::OAuthBearer));
    m_mechanism->addItem(tr("GSSAPI (Kerberos ticket)"), int(AuthMechanism::Gssapi));
    m_mechanism->setToolTip(tr("Automatic picks the strongest mechanism both sides support and "
                               "never silently falls back to a weaker one you excluded."));

    m_username->setObjectName(u"usernameEdit"_s);
    m_username->setPlaceholderText(tr("e.g. name@example.com"));
    m_password->setPlaceholderText(tr("not stored"));
    m_keychainNote->setText(
        tr("The password is kept in the system keychain, never in a file or an export."));

    m_usernameVariable->setObjectName(u"usernameVariableEdit"_s);
    m_usernameVariable->setPlaceholderText(tr("none: the user name above"));
    m_usernameVariable->setToolTip(
        tr("Read the user name from this environment variable each time a test runs."));
    m_passwordSource->setObjectName(u"passwordSourceCombo"_s);
    m_passwordSource->addItem(tr("Keychain"), int(SecretSourceKind::Keychain));
    m_passwordSource->addItem(tr("Environment variable"), int(SecretSourceKind::Environment));
    m_passwordSource->addItem(tr("Command"), int(SecretSourceKind::Command));
    m_passwordSource->setToolTip(tr("Where the password comes from each time a test runs."));
    m_passwordVariable->setObjectName(u"passwordVariableEdit"_s);
    m_passwordVariable->setPlaceholderText(tr("e.g. SMTP_PASSWORD"));
    m_passwordCommand->setObjectName(u"passwordCommandEdit"_s);
    m_passwordCommand->setPlaceholderText(tr("e.g. pass show mail/smtp"));
    m_passwordCommand->setToolTip(
        tr("A program and its arguments, run without a shell; its first output line is the "
           "password. Use sh -c '…' for pipes."));
    m_commandEnabled->setObjectName(u"passwordCommandEnabledCheck"_s);
    m_commandWarning->setText(
        tr("A command from an imported file stays off until you enable it: it runs with your "
           "rights, so check what it does first."));

    m_kerberos->setObjectName(u"kerberosCheck"_s);
    m_kerberos->setToolTip(tr("Log on with the Kerberos ticket of the user running Relaydeck "
                              "(get one with kinit, or at the desktop login in an Active "
                              "Directory domain): no password is stored."));
    m_allowPlaintext->setObjectName(u"allowPlaintextCheck"_s);
    m_allowPlaintext->setToolTip(tr("Off by default: without TLS the password crosses the "
                                    "network readable by anyone on the path."));
    m_plaintextWarning->setObjectName(u"plaintextWarning"_s);
    m_plaintextWarning->setWordWrap(true);
    m_plaintextWarning->setStyleSheet(u"color: #a05a00;"_s);
    m_plaintextWarning->setText(
        tr("Warning: with security set to None the user name and password travel unencrypted. "
           "Allow this only for a relay on a network you trust."));

    auto* methodBox = new QGroupBox(tr("Log on using"), this);
    auto* methodLayout = new QVBoxLayout(methodBox);
    methodLayout->addWidget(m_none);
    methodLayout->addWidget(m_passwordMethod);
    auto* kerberosRow = new QHBoxLayout;
    kerberosRow->setContentsMargins(20, 0, 0, 0); // a choice within "User name and password"
    kerberosRow->addWidget(m_kerberos);
    methodLayout->addLayout(kerberosRow);
    methodLayout->addWidget(m_anonymous);
    methodLayout->addWidget(m_certificate);

    auto* form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(form, tr("&Mechanism:"), m_mechanism, u"auth.mechanism"_s);
    addRow(form, tr("&User name:"), m_username, u"auth.username"_s)->addWidget(m_usernameHint);
    addRow(form, tr("User name from variabl&e:"), m_usernameVariable, u"auth.usernameVariable"_s);
    addRow(form, tr("Passwo&rd from:"), m_passwordSource);
    addRow(form, tr("&Variable:"), m_passwordVariable, u"auth.passwordSource.variable"_s);
    QVBoxLayout* commandCell =
        addRow(form, tr("Comman&d:"), m_passwordCommand, u"auth.passwordSource.program"_s);
    commandCell->addWidget(m_commandEnabled);
    commandCell->addWidget(m_commandWarning);
    m_passwordLabel->setBuddy(m_password);
    auto* passwordCell = new QWidget(this);
    auto* passwordLayout = new QVBoxLayout(passwordCell);
    passwordLayout->setContentsMargins(0, 0, 0, 0);
    passwordLayout->setSpacing(2);
    passwordLayout->addWidget(m_password);
    passwordLayout->addWidget(m_keychainNote);
    form->addRow(m_passwordLabel, passwordCell);

    m_oauth->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(methodBox);
    layout->addLayout(form);
    layout->addWidget(m_oauth);
    layout->addSpacing(8);
    layout->addWidget(m_allowPlaintext);
    layout->addWidget(m_plaintextWarning);
    layout->addStretch(1);

    connect(m_methods, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (!checked)
            return;
        updateState();
        notifyChanged();
    });
    connect(m_mechanism, &QComboBox::currentIndexChanged, this, [this] {
        if (selectedMechanism() == AuthMechanism::Gssapi)
            m_kerberos->setChecked(true);
        else if (selectedMechanism() != AuthMechanism::Auto)
            m_kerberos->setChecked(false);
        updateState();
        notifyChanged();
    });
    connect(m_username, &QLineEdit::textEdited, this, [this] {
        updateState();
        notifyChanged();
    });
    connect(m_password, &QLineEdit::textEdited, this, &AuthenticationTab::notifyChanged);
    for (QLineEdit* edit : {m_usernameVariable, m_passwordVariable, m_passwordCommand})
        connect(edit, &QLineEdit::textEdited, this, &AuthenticationTab::notifyChanged);
    connect(m_passwordSource, &QComboBox::currentIndexChanged, this, [this] {
        // A command typed here is the admin's own: it may run.
        if (!m_filling && passwordSourceKind() == SecretSourceKind::Command)
            m_commandEnabled->setChecked(true);
        updateState();
        notifyChanged();
    });
    connect(m_commandEnabled, &QCheckBox::toggled, this, [this] {
        updateState();
        notifyChanged();
    });
    connect(m_oauth, &OAuthSignInBox::edited, this, [this] {
        updateState();
        notifyChanged();
    });
    connect(m_oauth, &OAuthSignInBox::signInRequested, this, &AuthenticationTab::signIn);
    connect(m_oauth, &OAuthSignInBox::signOutRequested, this, [this] {
        if (m_signInController)
            m_signInController->signOut(m_profile);
    });
    connect(m_kerberos, &QCheckBox::toggled, this, [this](bool checked) {
        // The ticket goes with Automatic (which then means GSSAPI) or GSSAPI, never a password
        // mechanism; choosing GSSAPI in the list checks the box (below).
        const AuthMechanism mechanism = selectedMechanism();
        if (checked && mechanism != AuthMechanism::Auto && mechanism != AuthMechanism::Gssapi)
            m_mechanism->setCurrentIndex(m_mechanism->findData(int(AuthMechanism::Auto)));
        if (!checked && mechanism == AuthMechanism::Gssapi)
            m_mechanism->setCurrentIndex(m_mechanism->findData(int(AuthMechanism::Auto)));
        updateState();
        notifyChanged();
    });
    connect(m_allowPlaintext, &QCheckBox::toggled, this, [this] {
        updateState();
        notifyChanged();
    });
    m_passwordMethod->setChecked(true);
    updateState();
}

AuthenticationTab::Method AuthenticationTab::method() const
{
    return static_cast<Method>(m_methods->checkedId());
}

SecretSourceKind AuthenticationTab::passwordSourceKind() const
{
    return static_cast<SecretSourceKind>(m_passwordSource->currentData().toInt());
}

AuthMechanism AuthenticationTab::selectedMechanism() const
{
    return static_cast<AuthMechanism>(m_mechanism->currentData().toInt());
}

void AuthenticationTab::setProfile(const ConnectionProfile& profile)
{
    // Another profile (or a new draft) replaces a draft: its sign-in is dropped.
    if (m_signInController && m_profile.id.isNull())
        m_signInController->discardUnsaved();
    load(profile, true);
}

void AuthenticationTab::markSaved(const ConnectionProfile& stored)
{
    const bool firstSave = m_profile.id.isNull();
    load(stored, !firstSave || !m_signInController);
    // The save wrote the draft's refresh token (applySecretsTo) under the new id.
    if (firstSave && m_signInController)
        m_signInController->adoptUnsaved(stored);
}

void AuthenticationTab::load(const ConnectionProfile& profile, bool readSignIn)
{
    FillingScope filling(m_filling);
    switch (profile.auth.mechanism) {
    case AuthMechanism::None:
        m_none->setChecked(true);
        break;
    case AuthMechanism::Anonymous:
        m_anonymous->setChecked(true);
        break;
    case AuthMechanism::External:
        m_certificate->setChecked(true);
        break;
    default:
        m_passwordMethod->setChecked(true);
        break;
    }
    // Keep the mechanism choice of the last password profile visible when another method is on.
    const int index = m_mechanism->findData(int(profile.auth.mechanism));
    m_mechanism->setCurrentIndex(index >= 0 ? index : 0);
    m_username->setText(profile.auth.username);
    m_usernameVariable->setText(profile.auth.usernameVariable);
    const SecretSource& source = profile.auth.passwordSource;
    m_passwordSource->setCurrentIndex(m_passwordSource->findData(int(source.kind)));
    m_passwordVariable->setText(source.variable);
    m_passwordCommand->setText(
        source.program.isEmpty()
            ? QString()
            : CommandWords::join(QStringList{source.program} + source.arguments));
    m_commandEnabled->setChecked(source.kind != SecretSourceKind::Command || source.enabled);
    m_kerberos->setChecked(profile.usesKerberosTicket());
    m_allowPlaintext->setChecked(profile.auth.allowPlaintext);
    m_oauth->setSettings(profile.oauth);
    m_profile = profile;
    m_signInState = {};
    if (m_signInController && readSignIn)
        m_signInController->refreshState(profile);
    updateState();
}

void AuthenticationTab::setSignInController(OAuthSignInController* controller)
{
    m_signInController = controller;
    connect(controller, &OAuthSignInController::stateChanged, this,
            [this](const QUuid& profileId, const OAuthSignInState& state) {
                if (profileId != m_profile.id)
                    return;
                m_signInState = state;
                showSignIn();
            });
    connect(controller, &OAuthSignInController::unsavedSignInChanged, this,
            &AuthenticationTab::notifyChanged);
    m_signInState = {};
    showSignIn();
    controller->refreshState(m_profile);
}

QString AuthenticationTab::signInBlocker() const
{
    ConnectionProfile current = m_profile;
    applyTo(current);
    if (current.oauth.clientId.trimmed().isEmpty())
        return tr("Enter the client ID of your app registration, then sign in.");
    return {};
}

void AuthenticationTab::showSignIn()
{
    m_oauth->showState(m_signInState, signInBlocker(), m_signInController != nullptr);
}

void AuthenticationTab::signIn()
{
    if (!m_signInController || !signInBlocker().isEmpty())
        return;
    // The settings as they are on this tab, edited or not: the user may sign in before saving.
    ConnectionProfile current = m_profile;
    applyTo(current);
    m_signInController->signIn(current, m_secretsAvailable
                                            ? std::optional<QString>(m_oauth->clientSecret())
                                            : std::nullopt);
}

void AuthenticationTab::applyTo(ConnectionProfile& profile) const
{
    switch (method()) {
    case NoAuthentication:
        profile.auth.mechanism = AuthMechanism::None;
        break;
    case Anonymous:
        profile.auth.mechanism = AuthMechanism::Anonymous;
        break;
    case ClientCertificate:
        profile.auth.mechanism = AuthMechanism::External;
        break;
    case Password:
        profile.auth.mechanism = selectedMechanism();
        break;
    }
    profile.auth.username = m_username->text();
    profile.auth.usernameVariable = m_usernameVariable->text().trimmed();
    SecretSource source;
    source.kind = passwordSourceKind();
    if (source.kind == SecretSourceKind::Environment)
        source.variable = m_passwordVariable->text().trimmed();
    if (source.kind == SecretSourceKind::Command) {
        // A quote left open keeps the text as the program: validation then asks for a command
        // that exists rather than silently dropping it.
        const QStringList words = CommandWords::split(m_passwordCommand->text())
                                      .value_or(QStringList{m_passwordCommand->text()});
        source.program = words.value(0);
        source.arguments = words.mid(1);
        source.enabled = m_commandEnabled->isChecked();
    }
    profile.auth.passwordSource = source;
    profile.auth.useKerberosTicket = method() == Password && m_kerberos->isChecked();
    profile.auth.allowPlaintext = m_allowPlaintext->isChecked();
    m_oauth->applyTo(profile.oauth);
}

void AuthenticationTab::setSecrets(const QMap<SecretSlot, QString>& secrets)
{
    FillingScope filling(m_filling);
    m_password->setSecret(secrets.value(SecretSlot::SmtpPassword));
    m_oauth->setClientSecret(secrets.value(SecretSlot::OAuthClientSecret));
}

void AuthenticationTab::applySecretsTo(QMap<SecretSlot, QString>& secrets) const
{
    secrets.insert(SecretSlot::SmtpPassword, m_password->text());
    secrets.insert(SecretSlot::OAuthClientSecret, m_oauth->clientSecret());
    // A sign-in before the first save: the save stores the refresh token under the new id.
    if (m_signInController && m_profile.id.isNull() &&
        !m_signInController->unsavedRefreshToken().isEmpty())
        secrets.insert(SecretSlot::OAuthRefreshToken, m_signInController->unsavedRefreshToken());
}

void AuthenticationTab::setSecretsAvailable(bool available)
{
    m_secretsAvailable = available;
    m_password->setPlaceholderText(available ? tr("not stored") : tr("reading from the keychain…"));
    m_oauth->setClientSecretAvailable(available);
    updateState();
}

void AuthenticationTab::updateState()
{
    const Method current = method();
    const bool withPassword = current == Password;
    m_mechanism->setEnabled(withPassword);
    m_username->setEnabled(withPassword);
    m_usernameVariable->setEnabled(withPassword);
    m_kerberos->setEnabled(withPassword);
    const bool kerberos = withPassword && m_kerberos->isChecked();
    m_password->setEnabled(withPassword && !kerberos && m_secretsAvailable);
    m_allowPlaintext->setEnabled(current != NoAuthentication);
    m_plaintextWarning->setVisible(m_allowPlaintext->isChecked() && current != NoAuthentication);

    const bool token = isTokenMechanism(selectedMechanism());
    // A profile that signs in with OAuth fetches its access tokens: no password field.
    m_oauth->setVisible(withPassword && token);
    const bool oauthSignIn = withPassword && token && m_oauth->provider() != OAuthProvider::None;
    showSignIn();
    // Where the password comes from: the keychain (typed here), a variable or a command; the
    // Kerberos ticket needs none.
    const SecretSourceKind source = passwordSourceKind();
    const bool noPassword = oauthSignIn || kerberos;
    m_passwordSource->setEnabled(withPassword);
    m_passwordVariable->setEnabled(withPassword);
    m_passwordCommand->setEnabled(withPassword);
    m_commandEnabled->setEnabled(withPassword);
    m_form->setRowVisible(m_passwordSource->parentWidget(), !noPassword);
    m_form->setRowVisible(m_passwordVariable->parentWidget(),
                          !noPassword && source == SecretSourceKind::Environment);
    m_form->setRowVisible(m_passwordCommand->parentWidget(),
                          !noPassword && source == SecretSourceKind::Command);
    const bool typed = !noPassword && source == SecretSourceKind::Keychain;
    m_passwordLabel->setVisible(typed);
    m_password->parentWidget()->setVisible(typed);
    m_passwordLabel->setText(token ? tr("Access &token:") : tr("&Password:"));
    if (kerberos) {
        m_usernameHint->setText(tr("Optional with Kerberos: the user to act as; empty: your "
                                   "Kerberos principal (klist shows it)."));
        m_usernameHint->show();
    } else if (withPassword && selectedMechanism() == AuthMechanism::Auto &&
               m_oauth->provider() != OAuthProvider::None) {
        // A preset (Microsoft 365, Gmail) prepared the OAuth sign-in; the mechanism turns it on.
        m_usernameHint->setText(tr("To sign in with OAuth 2.0 instead of a password, choose "
                                   "XOAUTH2 as the mechanism."));
        m_usernameHint->show();
    } else if (withPassword && selectedMechanism() == AuthMechanism::Auto &&
               m_username->text().trimmed().isEmpty()) {
        m_usernameHint->setText(tr("Without a user name the connection sends without "
                                   "authentication."));
        m_usernameHint->show();
    } else if (withPassword && token && !oauthSignIn) {
        m_usernameHint->setText(tr("Paste a current OAuth 2.0 access token as the password, or "
                                   "choose a provider below to sign in."));
        m_usernameHint->show();
    } else {
        m_usernameHint->hide();
    }
    // The hint shares the user name's cell; the form must learn that the cell's height changed.
    m_usernameHint->parentWidget()->updateGeometry();
}

} // namespace relaydeck::ui
