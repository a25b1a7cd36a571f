#include "Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

QString Translations::install(QCoreApplication& application, const QLocale& locale)
{
    auto* own = new QTranslator(&application);
    if (!own->load(locale, u"relaydeck"_s, u"_"_s, u":/i18n"_s)) {
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

} // namespace relaydeck::ui
