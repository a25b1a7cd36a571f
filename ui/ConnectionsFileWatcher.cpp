#include "ConnectionsFileWatcher.h"

#include <QDir>
#include <QFileInfo>

namespace relaydeck::ui {

ConnectionsFileWatcher::ConnectionsFileWatcher(const QString& filePath, QObject* parent,
                                               int settleMs)
    : QObject(parent)
    , m_filePath(filePath)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(settleMs);
    connect(&m_settle, &QTimer::timeout, this, &ConnectionsFileWatcher::changed);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConnectionsFileWatcher::onEvent);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &ConnectionsFileWatcher::onEvent);
    watch();
}

void ConnectionsFileWatcher::watch()
{
    const QString folder = QFileInfo(m_filePath).absolutePath();
    QDir().mkpath(folder);
    if (!m_watcher.directories().contains(folder))
        m_watcher.addPath(folder);
    if (!m_watcher.files().contains(m_filePath) && QFileInfo::exists(m_filePath))
        m_watcher.addPath(m_filePath);
}

void ConnectionsFileWatcher::onEvent()
{
    // A rename over the file drops its watch: watch the new file.
    watch();
    m_settle.start();
}

} // namespace relaydeck::ui
