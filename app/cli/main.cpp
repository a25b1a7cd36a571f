#include "CommandLine.h"

#include "i18n/Translations.h"

#include <QCoreApplication>
#include <QTimer>

// relaydeck-cli: everything lives in the command classes next to this file and in core.
int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("relaydeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RELAYDECK_VERSION));
    // Messages, hints and help in the user's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG);
    // JSON keys and error ids stay as they are.
    relaydeck::Translations::install(app);

    relaydeck::cli::CommandLine commandLine(QCoreApplication::arguments());
    // Queued: a command that finishes at once must not call exit() before exec() runs.
    QObject::connect(&commandLine, &relaydeck::cli::CommandLine::finished, &app,
                     &QCoreApplication::exit, Qt::QueuedConnection);
    QTimer::singleShot(0, &commandLine, &relaydeck::cli::CommandLine::start);
    return app.exec();
}
