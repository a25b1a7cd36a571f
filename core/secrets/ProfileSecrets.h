#pragma once

#include "common/ConnectionSecrets.h"
#include "common/Result.h"
#include "secrets/SecretStore.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QUuid>

#include <functional>

namespace relaydeck {

// Every secret of one profile.
struct ProfileSecretValues
{
    QMap<SecretSlot, QString> values; // only the slots that hold something
    QString
        username;    // the user name read at run time (RuntimeSecretResolver); empty: the profile's
    QString warning; // something the user should know that did not stop the read (e.g. a rotated
                     // OAuth refresh token that could not be saved)

    QString value(SecretSlot slot) const { return values.value(slot); }
    // The secrets a ConnectionTest needs.
    ConnectionSecrets connectionSecrets() const;
};

// Operations on all slots of a profile at once, one slot after the other (a keychain may ask
// the user to unlock it; parallel prompts confuse people). The store must outlive the operation;
// `done` is dropped if `context` is destroyed first. `done` gets the secrets read (load, copy) or
// a "keychain-failed" Failure whose message is the first keychain error (translated), naming the
// slot.
class ProfileSecrets
{
public:
    using Callback = std::function<void(const Result<ProfileSecretValues>&)>;

    static QList<SecretSlot> allSlots();

    // Reads every slot; NotFound slots are simply absent. Fails on the first Error.
    static void load(SecretStore& store, const QUuid& profileId, QObject* context, Callback done);
    // Reads only `secretSlots` (e.g. ProfileSecretNeeds::slotsForTest), the same way.
    static void load(SecretStore& store, const QUuid& profileId,
                     const QList<SecretSlot>& secretSlots, QObject* context, Callback done);
    // Writes the given slots; an empty value removes that slot.
    static void save(SecretStore& store, const QUuid& profileId,
                     const QMap<SecretSlot, QString>& values, QObject* context, Callback done);
    // Copies every slot that holds something from one profile to another (copy a profile).
    static void copy(SecretStore& store, const QUuid& fromId, const QUuid& toId, QObject* context,
                     Callback done);
    // Removes every slot (remove a profile). Missing entries are fine.
    static void remove(SecretStore& store, const QUuid& profileId, QObject* context, Callback done);
};

} // namespace relaydeck
