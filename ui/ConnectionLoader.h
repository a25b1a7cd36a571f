#pragma once

#include "profile/ConnectionProfile.h"

#include <QObject>
#include <QUuid>

#include <optional>

namespace relaydeck {
class SecretStore;
}

namespace relaydeck::ui {

class ConnectionEditor;

// Puts a stored connection into the editor: its settings with its preset's note at once, its
// secrets when the keychain answers. An answer for a connection no longer in the editor (another
// was loaded, or invalidate() was called) is dropped.
class ConnectionLoader : public QObject
{
    Q_OBJECT

public:
    // `secrets` and `editor` must outlive the loader.
    ConnectionLoader(SecretStore& secrets, ConnectionEditor& editor, QObject* parent = nullptr);

    void load(const ConnectionProfile& profile);
    // Drops the answers still on their way (the editor now holds something else).
    void invalidate()
    {
        ++m_generation;
        m_waiting.reset();
    }
    // While held (at start-up, until the window's first frame is on screen), load() fills the
    // editor at once and its keychain read waits; release() starts the read still wanted.
    void holdKeychain() { m_held = true; }
    void releaseKeychain();

signals:
    void secretsLoaded();
    void keychainFailed(const QString& message);

private:
    void readSecrets(const QUuid& id, quint64 generation);

    SecretStore& m_secrets;
    ConnectionEditor& m_editor;
    quint64 m_generation = 0;
    bool m_held = false;
    std::optional<QUuid> m_waiting; // the read held back (for m_generation)
};

} // namespace relaydeck::ui
