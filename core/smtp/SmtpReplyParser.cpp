#include "smtp/SmtpReplyParser.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cctype>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// RFC 3463 enhanced status code at the start of a reply's text ("5.7.139 ...").
QString enhancedStatusOf(const QString& text, int code)
{
    static const QRegularExpression pattern(u"^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)"_s);
    const QRegularExpressionMatch match = pattern.match(text);
    // The class digit must agree with the reply code's first digit (RFC 3463 / RFC 2034).
    if (!match.hasMatch() || match.captured(1).toInt() != code / 100)
        return {};
    return match.captured(1) + u'.' + match.captured(2) + u'.' + match.captured(3);
}

} // namespace

QList<SmtpReply> SmtpReplyParser::feed(const QByteArray& bytes)
{
    QList<SmtpReply> complete;
    if (hasError())
        return complete;

    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype newline = bytes.indexOf('\n', start);
        const qsizetype end = newline < 0 ? bytes.size() : newline + 1;
        // Never buffer more than one line's worth: an endless line is an error, not a memory
        // leak.
        if (m_lineBuffer.size() + (end - start) > MaxLineLength) {
            m_error = QCoreApplication::translate("SmtpReplyParser",
                                                  "the server sent a line longer than %1 bytes")
                          .arg(MaxLineLength);
            m_lineBuffer.clear();
            return complete;
        }
        m_lineBuffer.append(bytes.constData() + start, end - start);
        start = end;
        if (newline < 0)
            break;

        QByteArray line = m_lineBuffer;
        m_lineBuffer.clear();
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        if (!takeLine(line, complete))
            return complete;
    }
    return complete;
}

bool SmtpReplyParser::takeLine(const QByteArray& line, QList<SmtpReply>& complete)
{
    const auto fail = [this](const QString& message) {
        m_error = message;
        m_current = {};
        m_currentLength = 0;
        return false;
    };

    const bool digits = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                        std::isdigit(static_cast<unsigned char>(line[1])) &&
                        std::isdigit(static_cast<unsigned char>(line[2]));
    const char separator = line.size() > 3 ? line[3] : ' ';
    if (!digits || line[0] < '2' || line[0] > '5' || (separator != ' ' && separator != '-'))
        return fail(QCoreApplication::translate("SmtpReplyParser",
                                                "the server sent a malformed reply line: %1")
                        .arg(QString::fromUtf8(line.left(80))));

    const int code = line.left(3).toInt();
    if (!m_current.lines.isEmpty() && code != m_current.code)
        return fail(
            QCoreApplication::translate("SmtpReplyParser",
                                        "the server's multi-line reply mixes the codes %1 and %2")
                .arg(m_current.code)
                .arg(code));

    m_currentLength += line.size() + 2;
    if (m_currentLength > MaxReplyLength)
        return fail(QCoreApplication::translate("SmtpReplyParser",
                                                "the server sent a reply longer than %1 bytes")
                        .arg(MaxReplyLength));

    m_current.code = code;
    m_current.lines.append(QString::fromUtf8(line.mid(4)));
    if (separator == '-')
        return true;

    m_current.enhancedStatus = enhancedStatusOf(m_current.lines.first(), code);
    complete.append(m_current);
    m_current = {};
    m_currentLength = 0;
    return true;
}

void SmtpReplyParser::reset()
{
    m_lineBuffer.clear();
    m_current = {};
    m_currentLength = 0;
    m_error.clear();
}

} // namespace relaydeck
