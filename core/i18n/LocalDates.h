#pragma once

#include <QDateTime>
#include <QString>

namespace relaydeck {

// How every front end shows a date to a person: in the local time zone, in the format of the
// default QLocale (German month names and order in German). Machine-readable output (JSON
// reports) stays ISO 8601 UTC and does not use this.
class LocalDates
{
public:
    // Date and time, short form ("12/5/26 2:11 PM", "05.12.26 14:11").
    static QString dateTime(const QDateTime& when);
};

} // namespace relaydeck
