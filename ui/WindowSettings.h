#pragma once

#include <QSettings>

class QMainWindow;
class QSplitter;

namespace relaydeck::ui {

// The desktop's own state, in relaydeck-gui.ini next to connections.json: the window's geometry
// and splitters (group "window") and, through LastResults, the last test results.
class WindowSettings
{
public:
    explicit WindowSettings(const QString& configDir);

    QString path() const { return m_settings.fileName(); }
    QSettings& settings() { return m_settings; }

    // First start: 1280×800 or what the screen allows.
    void restore(QMainWindow& window, QSplitter& main, QSplitter& work);
    void save(const QMainWindow& window, const QSplitter& main, const QSplitter& work);

private:
    QSettings m_settings;
};

} // namespace relaydeck::ui
