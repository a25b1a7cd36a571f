#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QTextStream>
#include <QTimer>

// Start-up benchmark (scripts/bench --startup, tests/bench/startup.py): with
// RELAYDECK_STARTUP_PROBE=1 in the environment, the first Expose of a window (its first map)
// prints "exposed" on stdout and ends the process, so the harness can time process start to first
// frame for Relaydeck and a bare QMainWindow alike. Header-only: both executables include it.
// Expose events go to the QWindow, never to the QWidget, so the probe listens application-wide.
class FirstExposeProbe : public QObject
{
public:
    static void watch(QObject* window)
    {
        if (qEnvironmentVariableIntValue("RELAYDECK_STARTUP_PROBE") == 1)
            qApp->installEventFilter(new FirstExposeProbe(window));
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Expose && watched->isWindowType() && !m_done) {
            m_done = true;
            QTextStream(stdout) << "exposed" << Qt::endl;
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    using QObject::QObject;
    bool m_done = false;
};
