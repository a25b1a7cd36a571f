#pragma once

#include <QString>
#include <QStringList>

namespace relaydeck {

// One complete SMTP reply (RFC 5321 4.2): a three-digit code and one or more text lines.
// `enhancedStatus` is the RFC 3463 code ("5.7.139") when the first line carries one.
struct SmtpReply
{
    int code = 0;
    QString enhancedStatus;
    QStringList lines; // text after "250-"/"250 ", without the code and CRLF

    bool isPositiveCompletion() const { return code >= 200 && code < 300; }
    bool isPositiveIntermediate() const { return code >= 300 && code < 400; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500 && code < 600; }
    // "535 5.7.8 Authentication credentials invalid" (lines joined with " / ").
    QString text() const;
};

} // namespace relaydeck
