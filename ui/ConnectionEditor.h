#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileValidation.h"
#include "secrets/SecretStore.h"
#include "smtp/TestRequest.h"

#include <QMap>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTabWidget;

namespace relaydeck::ui {

class AuthenticationTab;
class EditorTab;
class EncryptionTab;
class MainTab;
class OAuthSignInController;
class Prompter;
class ProxyTab;

// Edits a copy of one profile (and its secrets) on four tabs: Main, Authentication, Encryption,
// Proxy. Every edit re-validates the copy; invalid fields are marked where they are with core's
// message, and Save is enabled only when something changed and nothing is invalid. Save emits
// saveRequested(): the MainWindow stores the copy and calls markSaved().
class ConnectionEditor : public QWidget
{
    Q_OBJECT

public:
    using Validator = std::function<ValidationIssues(const ConnectionProfile&)>;

    explicit ConnectionEditor(Prompter& prompter, QWidget* parent = nullptr);

    // Checks the edited copy; default ProfileValidation::validate. The MainWindow adds unique
    // names.
    void setValidator(Validator validator);
    // Runs the Authentication tab's OAuth Sign In… and Sign Out.
    void setSignInController(OAuthSignInController* controller);

    // Starts editing `profile` (a stored one, or a new one with a null id). `note` is shown above
    // the tabs (a preset's advice). Secrets start empty; with `secretsPending` the secret fields
    // are disabled until setSecrets() arrives.
    void setProfile(const ConnectionProfile& profile, const QString& note = QString(),
                    bool secretsPending = false);
    // The stored secrets of the edited profile (they become the unchanged state).
    void setSecrets(const QMap<SecretSlot, QString>& secrets);
    // Secrets could not be read: the fields become editable, empty.
    void setSecretsUnavailable();
    // Nothing to edit.
    void clear();

    bool hasProfile() const { return m_hasProfile; }
    bool isNew() const { return m_hasProfile && m_original.id.isNull(); }
    bool isDirty() const;
    bool isValid() const { return m_issues.isEmpty(); }
    ValidationIssues issues() const { return m_issues; }

    const ConnectionProfile& originalProfile() const { return m_original; }
    ConnectionProfile editedProfile() const;
    // Every secret slot the tabs edit, with its current value (empty: none).
    QMap<SecretSlot, QString> editedSecrets() const;
    // Only the slots whose value differs from the stored one (empty value: remove it).
    QMap<SecretSlot, QString> changedSecrets() const;
    ConnectionSecrets connectionSecrets() const;

    // After a successful save: `stored` (with its id) and the current secrets are the new
    // unchanged state.
    void markSaved(const ConnectionProfile& stored);
    // Throws the edits away.
    void revert();

    // Programmatic edits (Test panel: "Trust this certificate", "Switch to ..."). They behave
    // like user edits: the editor becomes dirty.
    void addPinnedCertificate(const QString& sha256);
    // Trusts the CAs in `caFile`: it becomes the CA file, and the pins go (a renewal would break
    // them).
    void trustIssuer(const QString& caFile);
    void setSecurityAndPort(Security security, int port);
    // Takes what detection found (server, port, security, login, preset) into the edited
    // profile; name, description, sender and the rest stay.
    void applyDetected(const ConnectionProfile& detected);

    // True when authentication needs a password (or token) that is neither typed nor stored
    // (false while the stored secrets are still being read).
    bool needsMissingPassword() const;
    // Before a save: when needsMissingPassword(), asks whether to save without it; "no" shows
    // the password field. True: go ahead and save.
    bool confirmSaveWithoutPassword();

    // Shows the tab with the first invalid field and focuses that field.
    void focusFirstIssue();
    void focusPassword();

    QTabWidget* tabs() const { return m_tabs; }

signals:
    void saveRequested();
    void dirtyChanged(bool dirty);
    void validityChanged(bool valid);
    // Any edit (to refresh titles, Test button state...).
    void edited();

private:
    // Shows `profile` as edited (keeping the typed secrets), as a user edit.
    void setEditedProfile(const ConnectionProfile& profile);
    QList<EditorTab*> allTabs() const;
    void onEdited();
    void refresh();
    void onSecurityChanged(Security previous, Security current);
    void detect(const QString& query);

    Prompter& m_prompter;
    Validator m_validator;
    QLabel* m_title;
    QLabel* m_note;
    QTabWidget* m_tabs;
    MainTab* m_main;
    AuthenticationTab* m_authentication;
    EncryptionTab* m_encryption;
    ProxyTab* m_proxy;
    QLabel* m_otherIssues;
    QPushButton* m_revert;
    QPushButton* m_save;

    bool m_hasProfile = false;
    bool m_secretsPending = false;
    ConnectionProfile m_original;
    QMap<SecretSlot, QString> m_originalSecrets;
    ValidationIssues m_issues;
    bool m_lastDirty = false;
    bool m_lastValid = true;
};

} // namespace relaydeck::ui
