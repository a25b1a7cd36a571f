#include "smtp/TestMessage.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QStringConverter>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// RFC 5322 3.3: day and month names are English whatever the user's locale is.
QByteArray rfc5322Date(const QDateTime& when)
{
    static const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime date = when.isValid() ? when : QDateTime::currentDateTime();
    const QDate day = date.date();
    const QTime time = date.time();
    const int offsetMinutes = date.offsetFromUtc() / 60;
    const int absolute = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    const auto digits = [](int value, int width) {
        return QByteArray::number(value).rightJustified(width, '0');
    };
    return QByteArray(days[day.dayOfWeek() - 1]) + ", " + digits(day.day(), 2) + ' ' +
           months[day.month() - 1] + ' ' + digits(day.year(), 4) + ' ' + digits(time.hour(), 2) +
           ':' + digits(time.minute(), 2) + ':' + digits(time.second(), 2) + ' ' +
           (offsetMinutes < 0 ? '-' : '+') + digits(absolute / 60, 2) + digits(absolute % 60, 2);
}

bool isPrintableAscii(const QString& text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// A header value may never carry a line break (that would inject headers) or other controls.
QString withoutControls(const QString& text)
{
    QString clean = text;
    for (QChar& c : clean) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    return clean;
}

// RFC 2047 "B" encoded-words in UTF-8, each at most 75 characters, never splitting a character,
// folded onto continuation lines.
QByteArray encodedWords(const QString& text)
{
    constexpr qsizetype maxEncodedText = 75 - 12; // "=?UTF-8?B?" + "?=" around the base64
    constexpr qsizetype maxBytes = maxEncodedText / 4 * 3;
    QList<QByteArray> words;
    QByteArray chunk;
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype length = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const QByteArray bytes = text.mid(i, length).toUtf8();
        if (chunk.size() + bytes.size() > maxBytes) {
            words << chunk;
            chunk.clear();
        }
        chunk += bytes;
        i += length;
    }
    if (!chunk.isEmpty())
        words << chunk;
    QByteArray result;
    for (const QByteArray& word : words) {
        if (!result.isEmpty())
            result += "\r\n ";
        result += "=?UTF-8?B?" + word.toBase64() + "?=";
    }
    return result;
}

QByteArray headerText(const QString& value)
{
    const QString clean = withoutControls(value);
    // Plain ASCII that fits a line goes as it is; anything else is encoded.
    if (isPrintableAscii(clean) && clean.size() <= 900)
        return clean.toLatin1();
    return encodedWords(clean);
}

struct EncodedBody
{
    QByteArray bytes;
    QByteArray charset;
};

// The body in the requested charset when Qt (with ICU) knows it, it is ASCII-compatible (CR,
// LF and '.' keep their bytes, which SMTP relies on) and it can represent every character;
// otherwise UTF-8, labelled as such, so the label never lies.
EncodedBody encodeBody(const QString& text, const QString& charset)
{
    const QByteArray name = charset.trimmed().toLatin1();
    const bool notAMimeCharset = name.compare("Locale", Qt::CaseInsensitive) == 0 ||
                                 name.compare("System", Qt::CaseInsensitive) == 0;
    if (!name.isEmpty() && !notAMimeCharset) {
        QStringEncoder probe(name.constData());
        if (probe.isValid() && QByteArray(probe.encode(u"\r\n.=Az09"_s)) == "\r\n.=Az09") {
            QStringEncoder encoder(name.constData());
            const QByteArray bytes = encoder.encode(text);
            if (!encoder.hasError())
                return {bytes, name};
        }
    }
    return {text.toUtf8(), "UTF-8"};
}

bool needsQuotedPrintable(const QByteArray& crlfText)
{
    qsizetype lineLength = 0;
    for (const char c : crlfText) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '\n') {
            lineLength = 0;
            continue;
        }
        if (byte >= 0x80 || byte == 0)
            return true;
        if (++lineLength > 998)
            return true;
    }
    return false;
}

// RFC 2045 6.7 for text: line breaks stay CRLF, lines get soft breaks before 76 characters,
// '=' and non-ASCII bytes become =XX, and trailing white space is encoded so that no gateway
// can strip it.
QByteArray quotedPrintable(const QByteArray& crlfText)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    const QList<QByteArray> lines = crlfText.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QByteArray line = lines.at(n);
        if (line.endsWith('\r'))
            line.chop(1);
        qsizetype column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto byte = static_cast<unsigned char>(line.at(i));
            const bool last = i == line.size() - 1;
            QByteArray piece;
            if ((byte >= 33 && byte <= 126 && byte != '=') ||
                ((byte == ' ' || byte == '\t') && !last))
                piece = QByteArray(1, static_cast<char>(byte));
            else
                piece = QByteArray{"="} + hex[byte >> 4] + hex[byte & 0x0f];
            // 76 characters per line including the '=' of a soft break.
            if (column + piece.size() > (last ? 76 : 75)) {
                out += "=\r\n";
                column = 0;
            }
            out += piece;
            column += piece.size();
        }
        if (n < lines.size() - 1)
            out += "\r\n";
    }
    return out;
}

QByteArray messageIdDomain(const QString& heloName)
{
    if (!heloName.isEmpty() && SmtpInputValidation::checkHeloName(heloName))
        return heloName.toLatin1();
    return "localhost";
}

QByteArray messageId(const QString& heloName)
{
    quint32 random[4];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray unique =
        QByteArray(reinterpret_cast<const char*>(random), sizeof random).toHex();
    return '<' + unique + '.' + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '@' +
           messageIdDomain(heloName) + '>';
}

} // namespace

QByteArray TestMessage::build(const TestMessageSpec& spec)
{
    const QString subject =
        spec.subject.isEmpty()
            ? QCoreApplication::translate("TestMessage", "Relaydeck test message")
            : spec.subject;
    const QString body =
        spec.body.isEmpty()
            ? QCoreApplication::translate(
                  "TestMessage",
                  "This is a test message sent by Relaydeck to check an SMTP connection.\n"
                  "It was sent from %1 to %2. No reply is needed.\n")
                  .arg(spec.from, spec.to)
            : spec.body;

    const EncodedBody encoded = encodeBody(body, spec.charset);
    QByteArray content = normaliseLineEnds(encoded.bytes);
    if (!content.endsWith("\r\n"))
        content += "\r\n";
    QByteArray transferEncoding = "7bit";
    if (needsQuotedPrintable(content)) {
        transferEncoding = "quoted-printable";
        content = quotedPrintable(content);
        if (!content.endsWith("\r\n"))
            content += "\r\n";
    }

    QByteArray message;
    message += "Date: " + rfc5322Date(spec.date) + "\r\n";
    message += "Message-ID: " + messageId(spec.heloName) + "\r\n";
    message += "From: " + headerText(spec.from) + "\r\n";
    message += "To: " + headerText(spec.to) + "\r\n";
    message += "Subject: " + headerText(subject) + "\r\n";
    message += "MIME-Version: 1.0\r\n";
    message += "Content-Type: text/plain; charset=" + encoded.charset + "\r\n";
    message += "Content-Transfer-Encoding: " + transferEncoding + "\r\n";
    message += "X-Mailer: Relaydeck " RELAYDECK_VERSION "\r\n";
    message += "\r\n";
    message += content;
    return dotStuff(message) + ".\r\n";
}

QByteArray TestMessage::normaliseLineEnds(const QByteArray& text)
{
    QByteArray out;
    out.reserve(text.size() + text.size() / 16);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text.at(i + 1) == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray TestMessage::dotStuff(const QByteArray& crlfText)
{
    QByteArray out;
    out.reserve(crlfText.size() + 16);
    bool lineStart = true;
    for (const char c : crlfText) {
        if (lineStart && c == '.')
            out += '.';
        out += c;
        // Every line starts after a LF, so an empty line followed by ".x" is caught as well.
        lineStart = c == '\n';
    }
    return out;
}

} // namespace relaydeck
