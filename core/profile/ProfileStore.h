#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"
#include "profile/ProfileValidation.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QUuid>

#include <optional>

namespace relaydeck {

// What importProfiles does when an imported profile's name is already taken.
enum class ConflictPolicy
{
    Fail,   // refuse the whole import: nothing changes at all
    Skip,   // keep the existing profile, drop the imported one
    Rename, // add the imported one under a free name ("name (2)")
    Replace // the existing profile takes the imported settings; it keeps its id (and secrets)
};
QString toString(ConflictPolicy policy); // fail|skip|rename|replace
std::optional<ConflictPolicy> conflictPolicyFromString(const QString& word);

// What an import did (Result<ImportOutcome>).
struct ImportOutcome
{
    QList<ConnectionProfile> added;         // as stored (new ids, final names)
    QList<ConnectionProfile> replaced;      // as stored (existing ids, imported settings)
    QStringList skipped;                    // names of imported profiles that were dropped
    QList<QPair<QString, QString>> renamed; // (name in the file, name given)
};

// connections.json in a config folder: {"format": "relaydeck-profiles", "version": 1,
// "profiles": [...]}. Synchronous file I/O on small files.
//
// Failures (Result): not-found (no profile with that name/id), name-conflict (another profile
// has that name, compared ignoring case; issues names the field "name"), invalid (the profile does
// not validate; see issues), locked (another process holds the lock on connections.json),
// corrupt (connections.json cannot be read; it is left untouched until fixed), newer-version
// (written by a newer Relaydeck; left untouched), io-error (reading or writing a file failed).
// Messages are translated and name the file, line or field when there is one.
//
// Every change re-reads the file under a lock file (QLockFile, short timeout), applies the change
// to what is on disk, validates it (ProfileValidation::Check::WithoutFiles plus unique names) and
// writes atomically (QSaveFile); the previous file is kept as connections.json.bak. A corrupt
// file or one from a newer version is never overwritten: reads and writes refuse until the user
// fixes or moves it.
//
// Typical GUI use: copy a profile from profiles(), edit the copy, show validate(copy) next to the
// fields, then update(copy).
class ProfileStore
{
public:
    // configDir empty: defaultConfigDir().
    explicit ProfileStore(const QString& configDir = QString());

    // $RELAYDECK_CONFIG_DIR, else the platform's config folder + "relaydeck" (~/.config/relaydeck;
    // QStandardPaths::AppConfigLocation for the application "relaydeck", whatever the binary).
    static QString defaultConfigDir();

    QString configDir() const { return m_configDir; }
    QString filePath() const;   // <configDir>/connections.json
    QString backupPath() const; // <configDir>/connections.json.bak
    QString lockPath() const;   // <configDir>/connections.json.lock

    // Reads the file (a missing file is an empty store). On failure profiles() is empty.
    Result<void> load();
    // As of the last load() or successful change.
    const QList<ConnectionProfile>& profiles() const { return m_profiles; }

    std::optional<ConnectionProfile> findByName(const QString& name) const; // case-insensitive
    std::optional<ConnectionProfile> findById(const QUuid& id) const;
    // A name no profile uses yet: `base`, else "base (2)", "base (3)", ...
    QString uniqueName(const QString& base) const;

    // ProfileValidation::validate(profile, check) plus "name already used by another profile"
    // (a profile with the same id is the same profile, so renaming a profile to a new case of its
    // own name is fine).
    ValidationIssues validate(const ConnectionProfile& profile,
                              ProfileValidation::Check check = ProfileValidation::Check::All) const;

    // Adds a new profile. A null id gets a fresh UUID; the value is the profile as saved.
    Result<ConnectionProfile> add(const ConnectionProfile& profile);
    // Replaces the profile with the same id (its name may change too); the value is the profile
    // as saved.
    Result<ConnectionProfile> update(const ConnectionProfile& profile);
    // The id stays, so the keychain entries stay valid.
    Result<void> rename(const QUuid& id, const QString& newName);
    // A new profile (the value) with a new id and `newName`; secrets are copied by the caller
    // (ProfileSecrets::copy) from the old id to the new one.
    Result<ConnectionProfile> copy(const QUuid& id, const QString& newName);
    // Removes the profile; the caller removes its secrets (ProfileSecrets::remove).
    Result<void> remove(const QUuid& id);
    // Adds `incoming` (fresh ids are given to them) following `policy` for name clashes. All or
    // nothing: on any failure the file is unchanged.
    Result<ImportOutcome> importProfiles(const QList<ConnectionProfile>& incoming,
                                         ConflictPolicy policy);

    // How long a change waits for another process's lock before giving up.
    static constexpr int lockTimeoutMs = 2000;

private:
    template <typename Change> Result<void> change(Change&& apply);
    Result<void> readFile(QList<ConnectionProfile>* profiles) const;
    Result<void> writeFile(const QList<ConnectionProfile>& profiles) const;

    QString m_configDir;
    QList<ConnectionProfile> m_profiles;
};

} // namespace relaydeck
