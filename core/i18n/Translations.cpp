#include "Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace relaydeck {

QString Translations::install(QCoreApplication& application, const QLocale& locale)
{
    auto* own = new QTranslator(&application);
    // English is the source language, but its plural forms ("%n connection(s)") come from
    // relaydeck_en: the fallback for every language without a translation of its own.
    if (!own->load(locale, u"relaydeck"_s, u"_"_s, u":/i18n"_s) &&
        !own->load(u"relaydeck_en"_s, u":/i18n"_s)) {
        delete own;
        return QString();
    }
    QCoreApplication::installTranslator(own);
    // Qt's own strings (standard buttons, file dialogs) in the same language, when installed.
    auto* qt = new QTranslator(&application);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return QFileInfo(own->filePath()).baseName().section(u'_', 1);
}

} // namespace relaydeck
