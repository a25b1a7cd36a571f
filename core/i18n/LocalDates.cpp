#include "i18n/LocalDates.h"

#include <QLocale>

namespace relaydeck {

QString LocalDates::dateTime(const QDateTime& when)
{
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

} // namespace relaydeck
