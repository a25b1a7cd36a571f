#pragma once

#include "profile/ConnectionProfile.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <optional>

namespace relaydeck::ui {

// Tells when connections.json changes on disk (relaydeck-cli, another window, an editor).
// Robust to atomic replacement (QSaveFile writes a new file and renames it over the old one,
// which ends a plain file watch): it watches the folder too, watches the file again whenever
// it (re)appears, and reports once per burst of changes (after `settleMs`). The receiver decides
// whether anything changed (the app's own saves are reported too).
class ConnectionsFileWatcher : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionsFileWatcher(const QString& filePath, QObject* parent = nullptr,
                                    int settleMs = 150);

signals:
    void changed();

private:
    void watch();
    void onEvent();

    QString m_filePath;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
};

// What a change of connections.json on disk means for the connection open in the editor.
struct ExternalChange
{
    enum class ForEditor
    {
        Keep,     // unchanged on disk: the editor stays as it is (unsaved edits included)
        Reload,   // changed or gone on disk, no unsaved edits: show the file's version
        Conflict, // changed or gone on disk and edited here: ask
    };
    static ForEditor forEditor(const std::optional<ConnectionProfile>& onDisk,
                               const ConnectionProfile& original, bool dirty)
    {
        if (onDisk && *onDisk == original)
            return ForEditor::Keep;
        return dirty ? ForEditor::Conflict : ForEditor::Reload;
    }
};

} // namespace relaydeck::ui
