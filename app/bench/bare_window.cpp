#include "FirstExposeProbe.h"

#include <QApplication>
#include <QMainWindow>

// The start-up benchmark's yardstick: an empty QMainWindow with the same Qt, built alongside
// relaydeck (target relaydeck-bare-window, not installed).
int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1024, 640);
    FirstExposeProbe::watch(&window);
    window.show();
    return app.exec();
}
