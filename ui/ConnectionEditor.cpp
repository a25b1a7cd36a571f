#include "ConnectionEditor.h"

#include "AuthenticationTab.h"
#include "CollapsibleSection.h"
#include "EncryptionTab.h"
#include "Icons.h"
#include "MainTab.h"
#include "PasswordField.h"
#include "Prompter.h"
#include "ProxyTab.h"
#include "VerticalScrollArea.h"

#include "secrets/ProfileSecretNeeds.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

// Tabs scroll vertically instead of squeezing their fields when the window is low; they never
// scroll sideways (their forms wrap rows instead).
QScrollArea* scrolling(QWidget* tab)
{
    return new VerticalScrollArea(tab);
}

// Combo boxes as narrow as a few characters when space is short, instead of as wide as their
// longest item.
void letShrink(const QList<QComboBox*>& combos)
{
    for (QComboBox* combo : combos) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
    }
}

} // namespace

ConnectionEditor::ConnectionEditor(Prompter& prompter, QWidget* parent)
    : QWidget(parent)
    , m_prompter(prompter)
    , m_validator(
          [](const ConnectionProfile& profile) { return ProfileValidation::validate(profile); })
    , m_title(new QLabel(this))
    , m_note(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_main(new MainTab)
    , m_authentication(new AuthenticationTab)
    , m_encryption(new EncryptionTab(prompter))
    , m_proxy(new ProxyTab)
    , m_otherIssues(new QLabel(this))
    , m_revert(new QPushButton(Icons::get(u"revert"_s), tr("Re&vert"), this))
    , m_save(new QPushButton(Icons::get(u"save"_s), tr("Save"), this))
{
    setObjectName(u"connectionEditor"_s);
    m_title->setObjectName(u"editorTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);

    m_note->setObjectName(u"presetNote"_s);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setStyleSheet(u"QLabel { background: #e7f0fb; border: 1px solid #a9c6ea; "
                          "border-radius: 4px; padding: 6px; color: #1d3557; }"_s);
    m_note->hide();

    m_tabs->setObjectName(u"editorTabs"_s);
    m_main->setObjectName(u"mainTab"_s);
    m_authentication->setObjectName(u"authenticationTab"_s);
    m_encryption->setObjectName(u"encryptionTab"_s);
    m_proxy->setObjectName(u"proxyTab"_s);
    m_tabs->addTab(scrolling(m_main), tr("&Main"));
    m_tabs->addTab(scrolling(m_authentication), tr("A&uthentication"));
    m_tabs->addTab(scrolling(m_encryption), tr("&Encryption"));
    m_tabs->addTab(scrolling(m_proxy), tr("Pro&xy"));

    m_otherIssues->setObjectName(u"otherIssues"_s);
    m_otherIssues->setWordWrap(true);
    m_otherIssues->setStyleSheet(u"color: #c92a2a;"_s);
    m_otherIssues->hide();

    m_revert->setObjectName(u"revertButton"_s);
    m_revert->setToolTip(tr("Throw away the changes since the last save"));
    m_save->setObjectName(u"saveButton"_s);
    m_save->setToolTip(tr("Save this connection (Ctrl+S)"));
    m_save->setDefault(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_otherIssues, 1);
    buttons->addStretch(0);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);

    letShrink(findChildren<QComboBox*>());
    for (EditorTab* tab : allTabs())
        connect(tab, &EditorTab::changed, this, &ConnectionEditor::onEdited);
    connect(m_encryption, &EncryptionTab::securityChanged, this,
            &ConnectionEditor::onSecurityChanged);
    // The Main tab's security combo mirrors the Encryption tab's.
    connect(m_main, &MainTab::securityChosen, m_encryption, &EncryptionTab::setSecurity);
    connect(m_main, &MainTab::detectRequested, this, &ConnectionEditor::detect);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (isDirty() && isValid())
            emit saveRequested();
    });
    connect(m_revert, &QPushButton::clicked, this, &ConnectionEditor::revert);
    // Return in any line edit saves, like the default button of a dialog.
    for (QLineEdit* edit : findChildren<QLineEdit*>()) {
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            if (m_save->isEnabled())
                m_save->click();
        });
    }

    // The tab order follows the layout: title, tabs, then Revert and Save.
    setTabOrder(m_tabs, m_revert);
    setTabOrder(m_revert, m_save);
    clear();
}

QList<EditorTab*> ConnectionEditor::allTabs() const
{
    return {m_main, m_authentication, m_encryption, m_proxy};
}

void ConnectionEditor::setSignInController(OAuthSignInController* controller)
{
    m_authentication->setSignInController(controller);
}

void ConnectionEditor::setValidator(Validator validator)
{
    m_validator = std::move(validator);
    if (m_hasProfile)
        refresh();
}

void ConnectionEditor::setProfile(const ConnectionProfile& profile, const QString& note,
                                  bool secretsPending)
{
    m_hasProfile = true;
    m_original = profile;
    m_originalSecrets.clear();
    for (EditorTab* tab : allTabs()) {
        tab->setProfile(profile);
        tab->setSecrets({});
        tab->setSecretsAvailable(!secretsPending);
    }
    m_secretsPending = secretsPending;
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_tabs->setEnabled(true);
    refresh();
}

void ConnectionEditor::setSecrets(const QMap<SecretSlot, QString>& secrets)
{
    if (!m_hasProfile)
        return;
    m_originalSecrets = secrets;
    m_secretsPending = false;
    for (EditorTab* tab : allTabs()) {
        tab->setSecrets(secrets);
        tab->setSecretsAvailable(true);
    }
    refresh();
}

void ConnectionEditor::setSecretsUnavailable()
{
    m_secretsPending = false;
    for (EditorTab* tab : allTabs())
        tab->setSecretsAvailable(true);
    refresh();
}

void ConnectionEditor::clear()
{
    m_hasProfile = false;
    m_original = ConnectionProfile();
    m_originalSecrets.clear();
    for (EditorTab* tab : allTabs()) {
        tab->setProfile(m_original);
        tab->setSecrets({});
        tab->marker().show({});
    }
    m_note->hide();
    m_tabs->setEnabled(false);
    refresh();
}

bool ConnectionEditor::isDirty() const
{
    if (!m_hasProfile)
        return false;
    return isNew() || editedProfile() != m_original || !changedSecrets().isEmpty();
}

ConnectionProfile ConnectionEditor::editedProfile() const
{
    ConnectionProfile profile = m_original;
    for (const EditorTab* tab : allTabs())
        tab->applyTo(profile);
    // The default port of the security mode is stored as 0 so that it keeps following the mode;
    // a port the user set explicitly stays as it is.
    if (profile.port == ConnectionProfile::defaultPort(profile.security) &&
        m_original.port != profile.port)
        profile.port = 0;
    return profile;
}

QMap<SecretSlot, QString> ConnectionEditor::editedSecrets() const
{
    QMap<SecretSlot, QString> secrets;
    for (const EditorTab* tab : allTabs())
        tab->applySecretsTo(secrets);
    return secrets;
}

QMap<SecretSlot, QString> ConnectionEditor::changedSecrets() const
{
    QMap<SecretSlot, QString> changed;
    const QMap<SecretSlot, QString> edited = editedSecrets();
    for (auto it = edited.cbegin(); it != edited.cend(); ++it) {
        if (it.value() != m_originalSecrets.value(it.key()))
            changed.insert(it.key(), it.value());
    }
    return changed;
}

ConnectionSecrets ConnectionEditor::connectionSecrets() const
{
    const QMap<SecretSlot, QString> secrets = editedSecrets();
    ConnectionSecrets result;
    result.smtpPassword = secrets.value(SecretSlot::SmtpPassword);
    result.proxyPassword = secrets.value(SecretSlot::ProxyPassword);
    result.clientKeyPassphrase = secrets.value(SecretSlot::ClientKeyPassphrase);
    return result;
}

void ConnectionEditor::markSaved(const ConnectionProfile& stored)
{
    const QMap<SecretSlot, QString> secrets = editedSecrets();
    m_original = stored;
    m_originalSecrets.clear();
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        if (!it.value().isEmpty())
            m_originalSecrets.insert(it.key(), it.value());
    }
    // Show what was stored (e.g. a port normalised to the mode's default).
    for (EditorTab* tab : allTabs())
        tab->markSaved(stored);
    refresh();
}

void ConnectionEditor::revert()
{
    if (!m_hasProfile)
        return;
    for (EditorTab* tab : allTabs()) {
        tab->setProfile(m_original);
        tab->setSecrets(m_originalSecrets);
    }
    refresh();
}

void ConnectionEditor::addPinnedCertificate(const QString& sha256)
{
    ConnectionProfile profile = editedProfile();
    if (profile.tls.pinnedSha256.contains(sha256))
        return;
    profile.tls.pinnedSha256 << sha256;
    setEditedProfile(profile);
}

void ConnectionEditor::trustIssuer(const QString& caFile)
{
    ConnectionProfile profile = editedProfile();
    profile.tls.caFile = caFile;
    profile.tls.pinnedSha256.clear();
    setEditedProfile(profile);
}

void ConnectionEditor::setEditedProfile(const ConnectionProfile& profile)
{
    const QMap<SecretSlot, QString> secrets = editedSecrets();
    for (EditorTab* tab : allTabs()) {
        tab->setProfile(profile);
        tab->setSecrets(secrets);
    }
    onEdited();
}

void ConnectionEditor::setSecurityAndPort(Security security, int port)
{
    m_encryption->setSecurity(security); // the port may follow here...
    m_main->setPort(port);               // ...but the suggested one wins
    onEdited();
}

void ConnectionEditor::onSecurityChanged(Security previous, Security current)
{
    m_main->setSecurity(current);
    // The port follows the security mode while it still holds the previous mode's default.
    const int before = m_main->port();
    const int after = ConnectionProfile::defaultPort(current);
    if (before == ConnectionProfile::defaultPort(previous) && before != after) {
        m_main->setPort(after);
        m_main->showPortFollowed(before, after);
    }
}

void ConnectionEditor::detect(const QString& query)
{
    if (!m_hasProfile)
        return;
    if (const std::optional<ConnectionProfile> detected = m_prompter.detectSettings(this, query))
        applyDetected(*detected);
}

void ConnectionEditor::applyDetected(const ConnectionProfile& detected)
{
    ConnectionProfile profile = editedProfile();
    profile.host = detected.host;
    profile.port = detected.port;
    profile.security = detected.security;
    profile.auth.mechanism = detected.auth.mechanism;
    if (!detected.auth.username.isEmpty())
        profile.auth.username = detected.auth.username;
    if (!detected.preset.isEmpty())
        profile.preset = detected.preset;
    if (!detected.tls.caFile.isEmpty())
        profile.tls.caFile = detected.tls.caFile;
    const QMap<SecretSlot, QString> secrets = editedSecrets();
    for (EditorTab* tab : allTabs()) {
        tab->setProfile(profile);
        tab->setSecrets(secrets);
    }
    onEdited();
}

bool ConnectionEditor::needsMissingPassword() const
{
    // An OAuth sign-in fetches its access tokens: nothing to type.
    const ConnectionProfile profile = editedProfile();
    return m_hasProfile && !m_secretsPending && !profile.usesOAuthSignIn() &&
           ProfileSecretNeeds::missingSecret(profile, connectionSecrets()).has_value();
}

bool ConnectionEditor::confirmSaveWithoutPassword()
{
    if (!needsMissingPassword())
        return true;
    if (m_prompter.confirm(this, tr("Save Without a Password?"),
                           tr("This connection logs on with a user name and a password, but no "
                              "password is typed or stored. Tests and exports that need it will "
                              "fail until you enter it.\n\nSave it without a password?"),
                           tr("Save &Without Password")))
        return true;
    focusPassword();
    return false;
}

void ConnectionEditor::focusFirstIssue()
{
    for (int index = 0; index < allTabs().size(); ++index) {
        if (QWidget* widget = allTabs().at(index)->marker().firstInvalidWidget()) {
            m_tabs->setCurrentIndex(index);
            CollapsibleSection::reveal(widget);
            widget->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

void ConnectionEditor::focusPassword()
{
    m_tabs->setCurrentIndex(1);
    m_authentication->passwordField()->setFocus(Qt::OtherFocusReason);
}

void ConnectionEditor::onEdited()
{
    refresh();
    emit edited();
}

void ConnectionEditor::refresh()
{
    const ConnectionProfile profile = editedProfile();
    m_issues = m_hasProfile ? m_validator(profile) : ValidationIssues();
    ValidationIssues unplaced = m_issues;
    const QList<EditorTab*> tabs = allTabs();
    for (int index = 0; index < tabs.size(); ++index) {
        EditorTab* tab = tabs.at(index);
        ValidationIssues forTab;
        ValidationIssues rest;
        for (const ValidationIssue& issue : std::as_const(unplaced)) {
            if (tab->marker().fields().contains(issue.field))
                forTab << issue;
            else
                rest << issue;
        }
        tab->marker().show(forTab);
        unplaced = rest;
        m_tabs->setTabIcon(index, forTab.isEmpty() ? QIcon() : Icons::get(u"warning"_s));
        m_tabs->setTabToolTip(index, forTab.isEmpty() ? QString()
                                                      : tr("%n field(s) on this tab need attention",
                                                           nullptr, int(forTab.size())));
    }
    QStringList other;
    for (const ValidationIssue& issue : std::as_const(unplaced))
        other << issue.message;
    m_otherIssues->setText(other.join(u'\n'));
    m_otherIssues->setVisible(!other.isEmpty());

    const bool dirty = isDirty();
    const bool valid = isValid();
    m_save->setEnabled(m_hasProfile && dirty && valid);
    m_revert->setEnabled(m_hasProfile && dirty && !isNew());
    if (!m_hasProfile) {
        m_title->setText(tr("No connection selected"));
    } else {
        const QString name =
            profile.name.trimmed().isEmpty() ? tr("Unnamed connection") : profile.name.trimmed();
        if (isNew())
            m_title->setText(tr("%1 (new, not saved yet)").arg(name));
        else if (dirty)
            m_title->setText(tr("%1 (unsaved changes)").arg(name));
        else
            m_title->setText(name);
    }
    if (dirty != m_lastDirty) {
        m_lastDirty = dirty;
        emit dirtyChanged(dirty);
    }
    if (valid != m_lastValid) {
        m_lastValid = valid;
        emit validityChanged(valid);
    }
}

} // namespace relaydeck::ui
