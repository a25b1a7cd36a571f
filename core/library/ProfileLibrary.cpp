#include "library/ProfileLibrary.h"

#include "oauth/OAuthTokenSource.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/RuntimeSecretResolver.h"

#include <QPointer>
#include <QTimer>

namespace relaydeck {

ProfileLibrary::ProfileLibrary(const QString& configDir, SecretStore& secrets, QObject* parent)
    : QObject(parent)
    , m_store(configDir)
    , m_secrets(secrets)
{}

Result<void> ProfileLibrary::load()
{
    return m_store.load();
}

namespace {

// `done`, dropped when `context` was given and is gone by the time the answer comes. The keychain
// work itself runs on the library, so an undo happens even when the caller has gone.
template <typename T>
ProfileLibrary::Done<T> guarded(QObject* context, ProfileLibrary::Done<T> done)
{
    return [guard = QPointer<QObject>(context), hadContext = context != nullptr,
            done = std::move(done)](const Result<T>& result) {
        if (hadContext && !guard)
            return;
        done(result);
    };
}

} // namespace

void ProfileLibrary::later(QObject* context, std::function<void()> work)
{
    QTimer::singleShot(0, context ? context : this, std::move(work));
}

Result<ConnectionProfile> ProfileLibrary::save(const ConnectionProfile& profile,
                                               const QMap<SecretSlot, QString>& changedSecrets,
                                               QObject* context, Done<ConnectionProfile> done)
{
    const std::optional<ConnectionProfile> original =
        profile.id.isNull() ? std::nullopt : m_store.findById(profile.id);
    const Result<ConnectionProfile> stored =
        profile.id.isNull() ? m_store.add(profile) : m_store.update(profile);
    if (!stored.ok())
        return stored;
    if (changedSecrets.isEmpty()) {
        later(context, [stored, done] { done(stored); });
        return stored;
    }
    QPointer<ProfileLibrary> self(this);
    ProfileSecrets::save(m_secrets, stored->id, changedSecrets, context ? context : this,
                         [self, stored, original, done](const Result<ProfileSecretValues>& saved) {
                             if (saved.ok()) {
                                 done(stored);
                                 return;
                             }
                             if (self) {
                                 // Undo: the profile file as it was before.
                                 if (original)
                                     self->m_store.update(*original);
                                 else
                                     self->m_store.remove(stored->id);
                             }
                             done(saved.failure());
                         });
    return stored;
}

Result<ConnectionProfile> ProfileLibrary::copy(const QUuid& id, const QString& newName,
                                               bool withSecrets, QObject* context,
                                               Done<ConnectionProfile> done)
{
    const std::optional<ConnectionProfile> original = m_store.findById(id);
    const Result<ConnectionProfile> created = m_store.copy(id, newName);
    if (!created.ok())
        return created;
    if (!withSecrets || !original || !ProfileSecretNeeds::mayHaveSecrets(*original)) {
        later(context, [created, done] { done(created); });
        return created;
    }
    QPointer<ProfileLibrary> self(this);
    ProfileSecrets::copy(m_secrets, id, created->id, this,
                         [self, created, done = guarded(context, std::move(done))](
                             const Result<ProfileSecretValues>& copied) {
                             if (copied.ok()) {
                                 done(created);
                                 return;
                             }
                             if (self)
                                 self->m_store.remove(created->id); // undo
                             done(copied.failure());
                         });
    return created;
}

Result<RemovedProfile> ProfileLibrary::remove(const QUuid& id, bool keepSecrets, QObject* context,
                                              Done<RemovedProfile> done)
{
    const std::optional<ConnectionProfile> profile = m_store.findById(id);
    if (!profile)
        return m_store.remove(id).failure(); // not-found, with the store's message
    const Result<void> removed = m_store.remove(id);
    if (!removed.ok())
        return removed.failure();
    const Result<RemovedProfile> gone = RemovedProfile{*profile, QString()};
    if (keepSecrets) {
        later(context, [gone, done] { done(gone); });
        return gone;
    }
    const bool mayHaveSecrets = ProfileSecretNeeds::mayHaveSecrets(*profile);
    QPointer<ProfileLibrary> self(this);
    ProfileSecrets::remove(
        m_secrets, id, this,
        [self, profile, mayHaveSecrets,
         done = guarded(context, std::move(done))](const Result<ProfileSecretValues>& cleared) {
            if (cleared.ok()) {
                done(RemovedProfile{*profile, QString()});
                return;
            }
            if (!mayHaveSecrets) {
                // Nothing of this profile can be in the keychain: do not block on a keyring
                // that is not there.
                done(RemovedProfile{*profile, cleared.failure().message});
                return;
            }
            if (self)
                self->m_store.add(*profile); // undo: the same profile, same id, back in place
            done(cleared.failure());
        });
    return gone;
}

Result<ConnectionProfile> ProfileLibrary::rename(const QUuid& id, const QString& newName)
{
    const Result<void> renamed = m_store.rename(id, newName);
    if (!renamed.ok())
        return renamed.failure();
    return *m_store.findById(id);
}

Result<ImportReport> ProfileLibrary::import(const QByteArray& data,
                                            std::optional<ProfileFormat> format,
                                            ConflictPolicy policy, const QStringList& only)
{
    Result<ImportedProfiles> read = ProfileFormats::importProfiles(data, format);
    if (!read.ok())
        return read.failure();
    if (const Result<void> selected = ProfileFormats::keepOnly(read.value(), only); !selected.ok())
        return selected.failure();
    const Result<ImportOutcome> imported = m_store.importProfiles(read->profiles, policy);
    if (!imported.ok())
        return imported.failure();
    return ImportReport{imported.value(), read->unmapped, read->detectedFormat};
}

void ProfileLibrary::secretsForTest(const ConnectionProfile& profile, QObject* context,
                                    Done<ProfileSecretValues> done, const QList<SecretSlot>& known)
{
    if (RuntimeSecretResolver::needed(profile)) {
        // The keychain's slots first, then what the profile supplies at run time (an environment
        // variable, a command); a password given for this run wins over the profile's source.
        ConnectionProfile supplying = profile;
        if (known.contains(SecretSlot::SmtpPassword))
            supplying.auth.passwordSource = SecretSource();
        done = [self = QPointer<ProfileLibrary>(this), supplying,
                done =
                    guarded(context, std::move(done))](const Result<ProfileSecretValues>& loaded) {
            if (!loaded.ok() || !self) {
                done(loaded);
                return;
            }
            RuntimeSecretResolver::resolve(
                supplying, self, [loaded, done](const Result<RuntimeSecrets>& supplied) {
                    if (!supplied.ok()) {
                        done(supplied.failure());
                        return;
                    }
                    ProfileSecretValues secrets = loaded.value();
                    if (supplied->password)
                        secrets.values.insert(SecretSlot::SmtpPassword, *supplied->password);
                    if (supplied->username)
                        secrets.username = *supplied->username;
                    done(secrets);
                });
        };
        context = this;
    }
    QList<SecretSlot> slotsToRead = ProfileSecretNeeds::slotsForTest(profile);
    // An OAuth sign-in: the SMTP "password" is an access token from the stored refresh token.
    const bool signIn = profile.usesOAuthSignIn() && !known.contains(SecretSlot::SmtpPassword);
    if (signIn) {
        slotsToRead.removeAll(SecretSlot::SmtpPassword);
        slotsToRead << OAuthTokenSource::secretSlots();
    }
    slotsToRead.removeIf([&known](SecretSlot slot) { return known.contains(slot); });
    if (slotsToRead.isEmpty()) {
        later(context, [done] { done(ProfileSecretValues()); });
        return;
    }
    done = guarded(context, std::move(done));
    if (!signIn) {
        ProfileSecrets::load(m_secrets, profile.id, slotsToRead, this, std::move(done));
        return;
    }
    QPointer<ProfileLibrary> self(this);
    ProfileSecrets::load(
        m_secrets, profile.id, slotsToRead, this,
        [self, profile, done](const Result<ProfileSecretValues>& loaded) {
            if (!loaded.ok() || !self) {
                done(loaded);
                return;
            }
            auto* source = new OAuthTokenSource(self->m_secrets, self);
            source->fetch(
                profile, loaded.value(),
                [source, loaded, done](const OAuthAccessToken& token, const OAuthError& error) {
                    source->deleteLater();
                    if (!error.isNull()) {
                        done(error.toFailure());
                        return;
                    }
                    // The refresh token and client secret stay here.
                    ProfileSecretValues secrets = loaded.value();
                    for (const SecretSlot slot : OAuthTokenSource::secretSlots())
                        secrets.values.remove(slot);
                    secrets.values.insert(SecretSlot::SmtpPassword, token.value);
                    secrets.warning = token.warning;
                    done(secrets);
                });
        });
}

std::optional<OAuthError> ProfileLibrary::oauthErrorOf(const Failure& failure)
{
    return OAuthError::of(failure);
}

} // namespace relaydeck
