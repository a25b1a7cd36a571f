#pragma once

#include "common/SmtpInputValidation.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace relaydeck {

// The optional test message: headers (Date, Message-ID, From, To, Subject, MIME), body in the
// profile's charset, CRLF line ends and dot-stuffing (RFC 5321 4.5.2).
struct TestMessageSpec
{
    QString from;
    QString to;
    QString subject;
    QString body;
    QString charset = QStringLiteral("UTF-8");
    QString heloName; // used for Message-ID's right-hand side
    QDateTime date = QDateTime::currentDateTime();
};

class TestMessage
{
public:
    // The DATA payload: headers + body, CRLF, dot-stuffed, ending with "\r\n.\r\n".
    static QByteArray build(const TestMessageSpec& spec);
    // Normalises every CR, LF and CRLF to CRLF.
    static QByteArray normaliseLineEnds(const QByteArray& text);
    // Doubles a leading '.' on every line (input must already use CRLF).
    static QByteArray dotStuff(const QByteArray& crlfText);
};

} // namespace relaydeck
