#pragma once

#include <QObject>

#include <functional>

class QLineEdit;
class QWidget;

namespace relaydeck::ui {

// Start-up work the first frame does not need (the keychain, the icons of buttons that are not on
// screen yet) waits until the window is on screen: `work` runs once, in the event loop after the
// window's first Expose (its first map and paint), or at once (queued) when it is on screen
// already. Nothing runs when `context` is destroyed first.
class FirstFrame : public QObject
{
public:
    // `widget`'s window (looked up at its first Expose).
    static void after(QWidget* widget, QObject* context, std::function<void()> work);
    // The clear button's icon is a theme lookup plus image plug-ins (a fifth of the window's
    // construction); the button shows only once there is text, so it comes after the first frame.
    static void enableClearButton(QLineEdit* edit);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    FirstFrame(QWidget* widget, QObject* context, std::function<void()> work);
    void run();

    QWidget* m_widget;
    std::function<void()> m_work;
};

} // namespace relaydeck::ui
