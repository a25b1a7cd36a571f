#pragma once

#include <QLocale>

class QCoreApplication;

namespace relaydeck {

// Installs Relaydeck's translation, for the desktop app and relaydeck-cli alike (embedded
// ":/i18n/relaydeck_<lang>.qm") and Qt's own for the system's UI languages (LANGUAGE, LC_ALL,
// LC_MESSAGES, LANG on Unix). Call before anything reads a translated string that is cached
// (Presets).
class Translations
{
public:
    // Returns the language of the installed Relaydeck translation ("de"; "en" for the English
    // plural forms every other language falls back to), or empty if none could be loaded.
    static QString install(QCoreApplication& application, const QLocale& locale = QLocale());
};

} // namespace relaydeck
