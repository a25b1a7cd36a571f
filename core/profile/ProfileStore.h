#pragma once

#include "profile/ConnectionProfile.h"
#include "profile/ProfileValidation.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QUuid>

#include <optional>

namespace relaydeck {

// The outcome of a ProfileStore operation.
struct StoreResult
{
    enum class Status
    {
        Ok,
        NotFound,     // no profile with that name/id
        NameConflict, // another profile already has that name (case-insensitive)
        Invalid,      // the profile does not validate; see issues
        Locked,       // another process holds the lock on connections.json
        Corrupt,      // connections.json cannot be read; it is left untouched until fixed
        NewerVersion, // connections.json was written by a newer Relaydeck; left untouched
        IoError       // reading or writing a file failed
    };
    Status status = Status::Ok;
    QString message;         // translated; names the file, line or field when there is one
    ValidationIssues issues; // for Invalid and NameConflict (field "name")

    bool ok() const { return status == Status::Ok; }
};

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

struct ImportOutcome
{
    StoreResult result;
    QList<ConnectionProfile> added;         // as stored (new ids, final names)
    QList<ConnectionProfile> replaced;      // as stored (existing ids, imported settings)
    QStringList skipped;                    // names of imported profiles that were dropped
    QList<QPair<QString, QString>> renamed; // (name in the file, name given)
};

// connections.json in a config folder: {"format": "relaydeck-profiles", "version": 1,
// "profiles": [...]}. Synchronous file I/O on small files.
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
    StoreResult load();
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

    // Adds a new profile. A null id gets a fresh UUID; *stored receives the profile as saved.
    StoreResult add(const ConnectionProfile& profile, ConnectionProfile* stored = nullptr);
    // Replaces the profile with the same id (its name may change too).
    StoreResult update(const ConnectionProfile& profile);
    // The id stays, so the keychain entries stay valid.
    StoreResult rename(const QUuid& id, const QString& newName);
    // A new profile with a new id and `newName`; secrets are copied by the caller
    // (ProfileSecrets::copy) from the old id to stored->id.
    StoreResult copy(const QUuid& id, const QString& newName, ConnectionProfile* stored = nullptr);
    // Removes the profile; the caller removes its secrets (ProfileSecrets::remove).
    StoreResult remove(const QUuid& id);
    // Adds `incoming` (fresh ids are given to them) following `policy` for name clashes. All or
    // nothing: on any failure the file is unchanged.
    ImportOutcome importProfiles(const QList<ConnectionProfile>& incoming, ConflictPolicy policy);

    // How long a change waits for another process's lock before giving up.
    static constexpr int lockTimeoutMs = 2000;

private:
    template <typename Change> StoreResult change(Change&& apply);
    StoreResult readFile(QList<ConnectionProfile>* profiles) const;
    StoreResult writeFile(const QList<ConnectionProfile>& profiles) const;

    QString m_configDir;
    QList<ConnectionProfile> m_profiles;
};

} // namespace relaydeck
