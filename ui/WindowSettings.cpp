#include "WindowSettings.h"

#include <QDir>
#include <QMainWindow>
#include <QScreen>
#include <QSplitter>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

WindowSettings::WindowSettings(const QString& configDir)
    : m_settings(QDir(configDir).filePath(u"relaydeck-gui.ini"_s), QSettings::IniFormat)
{}

void WindowSettings::restore(QMainWindow& window, QSplitter& main, QSplitter& work)
{
    const QByteArray geometry = m_settings.value(u"window/geometry"_s).toByteArray();
    if (geometry.isEmpty() || !window.restoreGeometry(geometry)) {
        const QRect available =
            window.screen() ? window.screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        window.resize(std::min(1280, available.width()), std::min(800, available.height()));
    }
    window.restoreState(m_settings.value(u"window/state"_s).toByteArray());
    main.restoreState(m_settings.value(u"window/splitter"_s).toByteArray());
    work.restoreState(m_settings.value(u"window/workSplitter"_s).toByteArray());
}

void WindowSettings::save(const QMainWindow& window, const QSplitter& main, const QSplitter& work)
{
    m_settings.setValue(u"window/geometry"_s, window.saveGeometry());
    m_settings.setValue(u"window/state"_s, window.saveState());
    m_settings.setValue(u"window/splitter"_s, main.saveState());
    m_settings.setValue(u"window/workSplitter"_s, work.saveState());
    m_settings.sync();
}

} // namespace relaydeck::ui
