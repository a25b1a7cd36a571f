#include "SmtpScript.h"

using namespace Qt::StringLiterals;

namespace relaydeck::test {

QString SmtpScriptStep::describe() const
{
    switch (kind) {
    case Kind::Send:
        return u"S: "_s + QString::fromLatin1(bytes.trimmed()).replace(u"\r\n"_s, u"\\r\\n"_s);
    case Kind::Expect:
        return u"C: "_s + QString::fromLatin1(bytes);
    case Kind::ExpectPrefix:
        return u"C^ "_s + QString::fromLatin1(bytes);
    case Kind::ExpectMatch:
        return u"C~ "_s + pattern.pattern();
    case Kind::StartTls:
        return u"TLS"_s;
    case Kind::Close:
        return u"CLOSE"_s;
    case Kind::Abort:
        return u"ABORT"_s;
    case Kind::Silent:
        return u"SILENT"_s;
    case Kind::Junk:
        return u"JUNK "_s + QString::number(count);
    case Kind::ReceiveData:
        return u"DATA"_s;
    case Kind::SendComputed:
        return u"S: (computed from the last client line)"_s;
    }
    return {};
}

QByteArray SmtpScript::unescape(QStringView text)
{
    QByteArray out;
    out.reserve(text.size());
    qsizetype plainStart = 0; // start of the run of characters without escapes
    auto flushPlain = [&](qsizetype end) {
        out.append(text.sliced(plainStart, end - plainStart).toUtf8());
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != u'\\' || i + 1 >= text.size())
            continue;
        flushPlain(i);
        const QChar next = text.at(i + 1);
        qsizetype consumed = 2;
        if (next == u'r') {
            out.append('\r');
        } else if (next == u'n') {
            out.append('\n');
        } else if (next == u't') {
            out.append('\t');
        } else if (next == u'x' && i + 3 < text.size()) {
            bool ok = false;
            const int value = text.sliced(i + 2, 2).toInt(&ok, 16);
            if (ok) {
                out.append(char(value));
                consumed = 4;
            } else {
                out.append("\\x");
            }
        } else {
            out.append(QString(next).toUtf8()); // "\\" and unknown escapes: the character itself
        }
        i += consumed - 1;
        plainStart = i + 1;
    }
    flushPlain(text.size());
    return out;
}

SmtpScript SmtpScript::parse(const QString& text)
{
    SmtpScript script;
    const QStringList lines = text.split(u'\n');
    for (qsizetype number = 0; number < lines.size(); ++number) {
        QString line = lines.at(number);
        if (line.endsWith(u'\r'))
            line.chop(1);
        // Leading indentation is layout; the rest of the line is taken as written.
        qsizetype start = 0;
        while (start < line.size() && line.at(start).isSpace())
            ++start;
        line = line.mid(start);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;

        auto argument = [&line](qsizetype tagLength) {
            QString rest = line.mid(tagLength);
            if (rest.startsWith(u' '))
                rest.remove(0, 1);
            return rest;
        };

        if (line.startsWith(u"S:"_s)) {
            script.send(unescape(argument(2)));
        } else if (line.startsWith(u"RAW:"_s)) {
            script.sendRaw(unescape(argument(4)));
        } else if (line.startsWith(u"C:"_s)) {
            script.expect(unescape(argument(2)));
        } else if (line.startsWith(u"C^"_s)) {
            script.expectPrefix(unescape(argument(2)));
        } else if (line.startsWith(u"C~"_s)) {
            script.expectMatch(argument(2));
        } else if (line == u"TLS"_s) {
            script.startTls();
        } else if (line == u"CLOSE"_s) {
            script.close();
        } else if (line == u"ABORT"_s) {
            script.abort();
        } else if (line == u"SILENT"_s) {
            script.silent();
        } else if (line == u"DATA"_s) {
            script.receiveData();
        } else if (line.startsWith(u"JUNK "_s)) {
            bool ok = false;
            const qint64 count = line.mid(5).trimmed().toLongLong(&ok);
            if (!ok || count <= 0) {
                script.m_parseError = u"line %1: bad JUNK count: %2"_s.arg(number + 1).arg(line);
                return script;
            }
            script.junk(count);
        } else {
            script.m_parseError = u"line %1: unknown step: %2"_s.arg(number + 1).arg(line);
            return script;
        }
        if (!script.m_steps.isEmpty() &&
            script.m_steps.last().kind == SmtpScriptStep::Kind::ExpectMatch &&
            !script.m_steps.last().pattern.isValid()) {
            script.m_parseError = u"line %1: bad regular expression: %2"_s.arg(number + 1)
                                      .arg(script.m_steps.last().pattern.errorString());
            return script;
        }
    }
    return script;
}

SmtpScript& SmtpScript::send(const QByteArray& reply)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::Send;
    step.bytes = reply.endsWith('\n') ? reply : reply + "\r\n";
    m_steps.append(step);
    return *this;
}

SmtpScript& SmtpScript::sendRaw(const QByteArray& bytes)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::Send;
    step.bytes = bytes;
    m_steps.append(step);
    return *this;
}

SmtpScript& SmtpScript::expect(const QByteArray& line)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::Expect;
    step.bytes = line;
    m_steps.append(step);
    return *this;
}

SmtpScript& SmtpScript::expectPrefix(const QByteArray& prefix)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::ExpectPrefix;
    step.bytes = prefix;
    m_steps.append(step);
    return *this;
}

SmtpScript& SmtpScript::expectMatch(const QString& regularExpression)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::ExpectMatch;
    step.pattern = QRegularExpression(regularExpression);
    m_steps.append(step);
    return *this;
}

namespace {
SmtpScriptStep directive(SmtpScriptStep::Kind kind, qint64 count = 0)
{
    SmtpScriptStep step;
    step.kind = kind;
    step.count = count;
    return step;
}
} // namespace

SmtpScript& SmtpScript::startTls()
{
    m_steps.append(directive(SmtpScriptStep::Kind::StartTls));
    return *this;
}

SmtpScript& SmtpScript::close()
{
    m_steps.append(directive(SmtpScriptStep::Kind::Close));
    return *this;
}

SmtpScript& SmtpScript::abort()
{
    m_steps.append(directive(SmtpScriptStep::Kind::Abort));
    return *this;
}

SmtpScript& SmtpScript::silent()
{
    m_steps.append(directive(SmtpScriptStep::Kind::Silent));
    return *this;
}

SmtpScript& SmtpScript::junk(qint64 bytes)
{
    m_steps.append(directive(SmtpScriptStep::Kind::Junk, bytes));
    return *this;
}

SmtpScript& SmtpScript::receiveData()
{
    m_steps.append(directive(SmtpScriptStep::Kind::ReceiveData));
    return *this;
}

SmtpScript& SmtpScript::sendComputed(SmtpScriptStep::ReplyFunction compute)
{
    SmtpScriptStep step;
    step.kind = SmtpScriptStep::Kind::SendComputed;
    step.compute = std::move(compute);
    m_steps.append(step);
    return *this;
}

SmtpScript& SmtpScript::append(const SmtpScript& other)
{
    m_steps.append(other.m_steps);
    if (m_parseError.isEmpty())
        m_parseError = other.m_parseError;
    return *this;
}

} // namespace relaydeck::test
