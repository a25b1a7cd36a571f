#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream(stdout) << "relaydeck-cli " RELAYDECK_VERSION "\n";
    return 0;
}
