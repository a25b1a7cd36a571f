#pragma once

#include "profile/ConnectionProfile.h"

#include <QObject>
#include <QUuid>

#include <functional>

class QWidget;

namespace relaydeck {
class ProfileStore;
class SecretStore;
} // namespace relaydeck

namespace relaydeck::ui {

class ConnectionEditor;
class ConnectionListPane;
class ConnectionLoader;
class Prompter;
class TestPanel;
class TestResults;

// Which connection the editor holds, and the moves between them: selecting one in the list
// (asking about unsaved changes first: Save, Discard or Cancel), loading a stored one with its
// secrets (ConnectionLoader) and its last test result, starting a new one, clearing.
class EditorSelection : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        ProfileStore& store;
        SecretStore& secrets;
        ConnectionEditor& editor;
        ConnectionListPane& list;
        TestPanel& testPanel;
        TestResults& results;
        Prompter& prompter;
    };

    // The parts must outlive the selection; `save` saves the editor (false: not saved).
    EditorSelection(const Parts& parts, std::function<bool()> save, QWidget* window);

    // The stored connection in the editor (null: a new one, or none).
    QUuid editingId() const { return m_editingId; }
    bool isEditing(const QUuid& id) const;
    // After a save: the editor holds the stored connection `id`.
    void setEditing(const QUuid& id) { m_editingId = id; }

    // Selects `id` as a click in the list does (asks about unsaved changes); true when the
    // editor then holds it.
    bool select(const QUuid& id);
    // Makes `id` the list's current row and loads it unless the editor holds it already.
    void show(const QUuid& id);
    void startNew(const ConnectionProfile& profile, const QString& note);
    // Empties the editor; answers for the connection it held are dropped.
    void clear();
    // Test all has ended the test of `id` (`tested` false: it could not run): the Test panel
    // shows its result when `id` is on screen unchanged and no test of the editor runs.
    void showTestAllResult(const QUuid& id, bool tested);
    // Start-up: the keychain read of the connection shown first waits for the first frame
    // (ConnectionLoader::holdKeychain).
    void holdKeychain();
    void releaseKeychain();
    // Save / Discard / Cancel when the editor has unsaved changes; false: stay.
    bool resolveUnsavedChanges();

signals:
    void changed();
    void statusMessage(const QString& message);
    void keychainFailed(const QString& message);

private:
    void onCurrentRequested(const QUuid& id);
    void load(const QUuid& id);

    Parts m_parts;
    std::function<bool()> m_save;
    QWidget* m_window;
    ConnectionLoader* m_loader;
    QUuid m_editingId;
};

} // namespace relaydeck::ui
