#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileFormats.h"
#include "profile/ProfileStore.h"
#include "smtp/TestReport.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

class QWidget;

namespace relaydeck::ui {

// What the user picked in the preset dialog.
struct PresetChoice
{
    QString presetId;
    QString region; // only for presets with regions (Amazon SES)
};

// What the user picked in the export dialog.
struct ExportChoice
{
    ProfileFormat format = ProfileFormat::Json;
    QList<QUuid> profileIds; // in list order
};

// "Trust This Certificate…": the certificate a test could not verify, and its issuer when the
// server presented it.
struct CertificateTrustOffer
{
    QString connection;                    // the connection's name (or host)
    QStringList problems;                  // why it could not be verified
    CertificateInfo leaf;                  // the server's certificate
    std::optional<CertificateInfo> issuer; // the top CA certificate of the presented chain
};

// What the user trusts: the issuing CA (a CA file: renewed certificates keep working) or only
// this certificate (a pin).
enum class CertificateTrust
{
    IssuingCa,
    LeafOnly
};

// One connection of a file to import, and what it will need once imported.
struct ImportCandidate
{
    QString name; // as in the file
    QString host;
    QString needs;       // in words: "a password to enter", "password found in the keychain"...
    bool exists = false; // a stored connection has that name
};

// Every question the GUI asks the user goes through this interface, so that widget tests can
// answer it without a modal dialog blocking the test (WidgetPrompter shows the real dialogs).
// Each call returns the user's answer; an empty optional / empty string means "cancelled".
class Prompter
{
public:
    enum class UnsavedChangesAnswer
    {
        Save,
        Discard,
        Cancel
    };
    enum class Severity
    {
        Information,
        Warning,
        Error
    };

    virtual ~Prompter() = default;

    // The edited connection `name` has unsaved changes: save them, discard them, or stay.
    virtual UnsavedChangesAnswer askUnsavedChanges(QWidget* parent, const QString& name) = 0;
    // A yes/no question for something that cannot be undone; `acceptText` labels the yes button.
    virtual bool confirm(QWidget* parent, const QString& title, const QString& text,
                         const QString& acceptText) = 0;
    // One line of text (a new name, a fingerprint). nullopt: cancelled.
    virtual std::optional<QString> askText(QWidget* parent, const QString& title,
                                           const QString& label, const QString& initial) = 0;
    // One of `items` (e.g. an SES region). nullopt: cancelled.
    virtual std::optional<QString> chooseItem(QWidget* parent, const QString& title,
                                              const QString& label, const QStringList& items,
                                              const QString& current) = 0;
    // The preset dialog; `presetId` preselects one.
    virtual std::optional<PresetChoice> choosePreset(QWidget* parent,
                                                     const QString& presetId = QString()) = 0;
    // The export dialog: format and connections.
    virtual std::optional<ExportChoice> chooseExport(QWidget* parent,
                                                     const QList<ConnectionProfile>& profiles,
                                                     const QList<QUuid>& preselected) = 0;
    // Imported names that exist already: skip, rename or replace them. nullopt: cancel the import.
    virtual std::optional<ConflictPolicy> chooseConflictPolicy(QWidget* parent,
                                                               const QStringList& names) = 0;
    // File dialogs. Empty: cancelled.
    virtual QString openFileName(QWidget* parent, const QString& title, const QString& filter) = 0;
    virtual QString saveFileName(QWidget* parent, const QString& title,
                                 const QString& suggestedPath, const QString& filter,
                                 QString* selectedFilter = nullptr) = 0;
    // The detection dialog ("New from Address…", "Detect…" on the Main tab) for `query` (an
    // address or a domain; empty: the user types it): the settings of the candidate the user
    // chose (no name yet), nullopt when cancelled.
    virtual std::optional<ConnectionProfile> detectSettings(QWidget* parent,
                                                            const QString& query) = 0;
    // How to trust a certificate a test could not verify. nullopt: cancelled.
    virtual std::optional<CertificateTrust>
    chooseCertificateTrust(QWidget* parent, const CertificateTrustOffer& offer) = 0;
    // Which connections of `fileName` to import (names; all preselected). nullopt: cancelled.
    virtual std::optional<QStringList> chooseImport(QWidget* parent, const QString& fileName,
                                                    const QList<ImportCandidate>& candidates) = 0;
    // A message the user must see (the outcome of an import, a failed save...).
    virtual void inform(QWidget* parent, Severity severity, const QString& title,
                        const QString& text, const QString& details = QString()) = 0;
};

} // namespace relaydeck::ui
