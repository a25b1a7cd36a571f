#pragma once

#include "profile/ConnectionProfile.h"

#include <QObject>

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
    void invalidate() { ++m_generation; }

signals:
    void secretsLoaded();
    void keychainFailed(const QString& message);

private:
    SecretStore& m_secrets;
    ConnectionEditor& m_editor;
    quint64 m_generation = 0;
};

} // namespace relaydeck::ui
