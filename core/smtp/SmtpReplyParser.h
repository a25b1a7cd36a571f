#pragma once

#include "smtp/SmtpReply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace relaydeck {

// Incremental parser for server replies (docs/ARCHITECTURE.md engine rule 2). Feed it whatever the
// socket delivered; it keeps its own line buffer and returns every reply completed by those bytes,
// in order, so two replies in one read never collapse into one.
//
// Strict: a line longer than MaxLineLength (CRLF included) or a reply longer than
// MaxReplyLength, a code that is not three digits 2xx-5xx followed by ' ' or '-' (or end of
// line), and a multi-line reply whose lines carry different codes are protocol errors. After an
// error the parser stays failed until reset(); it never buffers more than MaxLineLength bytes
// of an unterminated line. A bare LF ends a line too (servers send them; nothing is lost).
// The enhanced status code counts only when its class digit matches the reply code's.
class SmtpReplyParser
{
public:
    static constexpr qsizetype MaxLineLength = 8 * 1024;
    static constexpr qsizetype MaxReplyLength = 64 * 1024;

    // Appends bytes and returns the replies they complete. On a protocol error returns what was
    // complete before it and sets hasError().
    QList<SmtpReply> feed(const QByteArray& bytes);

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // Bytes received that do not yet form a complete reply (a partial line or the first lines
    // of a multi-line reply). STARTTLS uses it to detect injected data after "220".
    bool hasPendingData() const { return !m_lineBuffer.isEmpty() || !m_current.lines.isEmpty(); }
    // Forgets everything buffered and any error (after STARTTLS, plaintext must not survive).
    void reset();

private:
    bool takeLine(const QByteArray& line, QList<SmtpReply>& complete);

    QByteArray m_lineBuffer;
    SmtpReply m_current;
    qsizetype m_currentLength = 0;
    QString m_error;
};

} // namespace relaydeck
