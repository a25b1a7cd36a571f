// relaydeck-render-icon SVG SIZE PNG: renders the application icon at SIZE×SIZE pixels for the
// hicolor PNG sizes of old menus (a build tool; it is not installed).
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    bool sizeOk = false;
    const int size = arguments.size() == 4 ? arguments.at(2).toInt(&sizeOk) : 0;
    QTextStream err(stderr);
    if (!sizeOk || size <= 0) {
        err << "usage: relaydeck-render-icon SVG SIZE PNG\n";
        return 2;
    }
    QSvgRenderer renderer(arguments.at(1));
    if (!renderer.isValid()) {
        err << "relaydeck-render-icon: cannot read " << arguments.at(1) << '\n';
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    if (!image.save(arguments.at(3), "PNG")) {
        err << "relaydeck-render-icon: cannot write " << arguments.at(3) << '\n';
        return 1;
    }
    return 0;
}
