#include "FirstExposeProbe.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>

// The start-up benchmark's yardsticks, built alongside relaydeck with the same Qt (target
// relaydeck-bare-window, not installed): an empty QMainWindow, and with --label the same window
// showing one line of text. The second one pays what any window with text pays once per process
// (the font database and the first font), the floor under every real window.
int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    if (QApplication::arguments().contains(QStringLiteral("--label")))
        window.setCentralWidget(new QLabel(QStringLiteral("Relaydeck"), &window));
    window.resize(1024, 640);
    FirstExposeProbe::watch(&window);
    window.show();
    return app.exec();
}
