#pragma once

#include "common/Result.h"
#include "oauth/OAuthError.h"
#include "profile/ProfileFormats.h"
#include "profile/ProfileStore.h"
#include "secrets/ProfileSecrets.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace relaydeck {

// What remove() did.
struct RemovedProfile
{
    ConnectionProfile profile;
    // Not empty when removing the keychain entries failed for a profile that cannot have any
    // (no user name, proxy user or client key): it is removed anyway, and this says what failed.
    QString keychainWarning;
};

// What import() did.
struct ImportReport
{
    ImportOutcome outcome;
    QStringList unmapped; // what the file had that Relaydeck cannot map
    ProfileFormat detectedFormat = ProfileFormat::Json;
};

// The profile operations of both front ends: the desktop window and relaydeck-cli change
// profiles only through this class, so both follow the same rules. It owns the ProfileStore
// (connections.json) and uses a SecretStore (the keychain) that must outlive it.
//
// Operations that touch the keychain (save, copy, remove) change connections.json at once and
// return that step's Result before the keychain is asked, so a view can show the change right
// away. When that Result is a Failure nothing changed and `done` is never called; otherwise
// `done` runs exactly once, later (never inside the call), with the outcome of the whole
// operation, unless `context` is destroyed first. rename and import touch no keychain and simply
// return their Result.
//
// The keychain-failure rule (one rule for every front end): a change whose secrets cannot be
// written (or, for remove, deleted) is undone, so connections.json is as before, and `done` gets
// a Failure with the id "keychain-failed" whose message is the keychain's error naming the
// secret. Secrets written before the failing one are not taken back (the keychain that just
// failed is not asked again). Exception: removing a profile that cannot have secrets
// (ProfileSecretNeeds::mayHaveSecrets is false) does not depend on the keychain; it is removed
// and RemovedProfile::keychainWarning says what failed. A front end that wants a fallback gives
// a SecretStore that provides it: the desktop's SessionSecretStore keeps secrets in memory for
// the session when the keychain fails, so its writes do not fail and nothing is undone.
class ProfileLibrary : public QObject
{
    Q_OBJECT

public:
    template <typename T> using Done = std::function<void(const Result<T>&)>;

    // configDir empty: ProfileStore's default. Call load() before anything else.
    ProfileLibrary(const QString& configDir, SecretStore& secrets, QObject* parent = nullptr);

    Result<void> load();
    ProfileStore& store() { return m_store; }
    const ProfileStore& store() const { return m_store; }
    SecretStore& secretStore() { return m_secrets; }

    // Adds the profile (null id) or updates the stored one with its id, then writes
    // `changedSecrets` (an empty value removes the slot). The value is the profile as stored.
    Result<ConnectionProfile> save(const ConnectionProfile& profile,
                                   const QMap<SecretSlot, QString>& changedSecrets,
                                   QObject* context, Done<ConnectionProfile> done);
    // A copy of profile `id` called `newName` with a new id; with `withSecrets` (and when the
    // original may have any) its keychain entries are copied too. The value is the copy.
    Result<ConnectionProfile> copy(const QUuid& id, const QString& newName, bool withSecrets,
                                   QObject* context, Done<ConnectionProfile> done);
    // Removes profile `id` and, unless `keepSecrets`, its keychain entries.
    Result<RemovedProfile> remove(const QUuid& id, bool keepSecrets, QObject* context,
                                  Done<RemovedProfile> done);
    // The id stays, so do the keychain entries. The value is the renamed profile.
    Result<ConnectionProfile> rename(const QUuid& id, const QString& newName);
    // Reads `data` (format nullopt: detect it; a malformed file is a "parse-failed" Failure) and
    // adds its profiles following `policy`; all or nothing. Imports carry no secrets; a profile
    // keeps the id the file names (our own export) when it is free, and with it its keychain
    // entries. `only`: just these names (ProfileFormats::keepOnly).
    Result<ImportReport> import(const QByteArray& data, std::optional<ProfileFormat> format,
                                ConflictPolicy policy, const QStringList& only = {});

    // The secrets a connection test of `profile` uses (ProfileSecretNeeds::slotsForTest), read
    // from the keychain, except the slots in `known` (given for this run). Nothing to read: the
    // values are empty and the keychain is not asked. `done` always runs later; a keychain error
    // is a "keychain-failed" Failure. For a profile that signs in with OAuth (and no SMTP
    // password in `known`) the SMTP password is a fresh access token: OAuthTokenSource exchanges
    // the stored refresh token (and saves a rotated one); no or a revoked refresh token is an
    // "oauth-sign-in-required" Failure, a token endpoint that fails "oauth-token-failed"; both
    // carry the OAuthError (oauthErrorOf) for OAuthTokenSource::failureReport. The refresh token
    // and client secret are not handed out; ProfileSecretValues::warning says when a rotated
    // refresh token could not be saved. A password (and user name) the profile supplies at run
    // time (AuthSettings::passwordSource, usernameVariable) is read after the keychain by
    // RuntimeSecretResolver, unless `known` has the SMTP password; its failures
    // ("password-source-failed", "password-command-disabled") are this call's Failure. The user
    // name read goes in ProfileSecretValues::username.
    void secretsForTest(const ConnectionProfile& profile, QObject* context,
                        Done<ProfileSecretValues> done, const QList<SecretSlot>& known = {});
    // The OAuthError a secretsForTest Failure carries; nullopt for any other failure.
    static std::optional<OAuthError> oauthErrorOf(const Failure& failure);

private:
    // Runs `work` on the event loop of `context` (or of this library), unless `context` is
    // destroyed first.
    void later(QObject* context, std::function<void()> work);

    ProfileStore m_store;
    SecretStore& m_secrets;
};

} // namespace relaydeck
