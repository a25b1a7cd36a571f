#include "FirstExposeProbe.h"
#include "MainWindow.h"
#include "WidgetPrompter.h"

#include "i18n/Translations.h"
#include "profile/ProfileStore.h"
#include "secrets/KeychainSecretStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>

using namespace Qt::StringLiterals;

// relaydeck: the desktop application. Everything lives in relaydeck_ui and relaydeck_core.
int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"relaydeck"_s);
    QApplication::setApplicationDisplayName(u"Relaydeck"_s);
    QApplication::setApplicationVersion(QStringLiteral(RELAYDECK_VERSION));
    // The desktop entry org.relaydeck.Relaydeck.desktop: Wayland app id and X11 window hints, so
    // the window belongs to its launcher.
    QApplication::setDesktopFileName(u"org.relaydeck.Relaydeck"_s);
    QApplication::setWindowIcon(QIcon(u":/relaydeck/relaydeck.svg"_s));
    // Before anything caches translated text (the presets do).
    const QString language = relaydeck::Translations::install(app);
    // Dates, sizes and numbers in the language of the texts ("10,00 MiB" and German month names
    // beside German words, also where LC_ALL is C and only LANGUAGE says German).
    if (!language.isEmpty() && language != u"en"_s &&
        QLocale::languageToCode(QLocale().language()) != language)
        QLocale::setDefault(QLocale(language));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Relaydeck: manage and test SMTP connections."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configDir(
        u"config-dir"_s,
        QCoreApplication::translate("main", "Keep connections.json in DIR (default: "
                                            "$RELAYDECK_CONFIG_DIR, else %1).")
            .arg(relaydeck::ProfileStore::defaultConfigDir()),
        u"DIR"_s);
    parser.addOption(configDir);
    parser.process(app);

    relaydeck::KeychainSecretStore keychain;
    relaydeck::ui::WidgetPrompter prompter;
    relaydeck::ui::MainWindow window(parser.value(configDir), keychain, prompter);
    FirstExposeProbe::watch(&window);
    window.show();
    return app.exec();
}
