#include "ConnectionLoader.h"

#include "ConnectionEditor.h"

#include "profile/Presets.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"

#include <utility>

namespace relaydeck::ui {

ConnectionLoader::ConnectionLoader(SecretStore& secrets, ConnectionEditor& editor, QObject* parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_editor(editor)
{}

void ConnectionLoader::load(const ConnectionProfile& profile)
{
    QString note;
    if (!profile.preset.isEmpty()) {
        if (const auto preset = Presets::find(profile.preset))
            note = preset->note;
    }
    const bool needsKeychain = ProfileSecretNeeds::mayHaveSecrets(profile);
    m_editor.setProfile(profile, note, needsKeychain);
    const quint64 generation = ++m_generation;
    m_waiting.reset();
    if (!needsKeychain)
        return;
    if (m_held) {
        m_waiting = profile.id;
        return;
    }
    readSecrets(profile.id, generation);
}

void ConnectionLoader::releaseKeychain()
{
    m_held = false;
    if (const std::optional<QUuid> id = std::exchange(m_waiting, std::nullopt))
        readSecrets(*id, m_generation);
}

void ConnectionLoader::readSecrets(const QUuid& id, quint64 generation)
{
    ProfileSecrets::load(m_secrets, id, this,
                         [this, generation](const Result<ProfileSecretValues>& loaded) {
                             if (generation != m_generation)
                                 return;
                             if (loaded.ok()) {
                                 m_editor.setSecrets(loaded->values);
                             } else {
                                 m_editor.setSecretsUnavailable();
                                 emit keychainFailed(loaded.failure().message);
                             }
                             emit secretsLoaded();
                         });
}

} // namespace relaydeck::ui
