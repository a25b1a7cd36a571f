#include "profile/CommandWords.h"

#include <QRegularExpression>

#include <utility>

using namespace Qt::StringLiterals;

namespace relaydeck {

std::optional<QStringList> CommandWords::split(const QString& text)
{
    QStringList words;
    QString word;
    bool inWord = false;
    enum class Quote
    {
        None,
        Single,
        Double
    } quote = Quote::None;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        switch (quote) {
        case Quote::Single:
            if (c == u'\'')
                quote = Quote::None;
            else
                word += c;
            continue;
        case Quote::Double:
            if (c == u'"') {
                quote = Quote::None;
            } else if (c == u'\\' && i + 1 < text.size() &&
                       QStringView(u"\\\"$`").contains(text.at(i + 1))) {
                word += text.at(++i);
            } else {
                word += c;
            }
            continue;
        case Quote::None:
            break;
        }
        if (c.isSpace()) {
            if (inWord)
                words << std::exchange(word, QString());
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == u'\'')
            quote = Quote::Single;
        else if (c == u'"')
            quote = Quote::Double;
        else if (c == u'\\' && i + 1 < text.size())
            word += text.at(++i);
        else
            word += c;
    }
    if (quote != Quote::None)
        return std::nullopt;
    if (inWord)
        words << word;
    return words;
}

QString CommandWords::join(const QStringList& words)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_./:=@%+,-]+$"_s);
    QStringList quoted;
    for (const QString& word : words) {
        if (plain.match(word).hasMatch()) {
            quoted << word;
            continue;
        }
        QString escaped = word;
        escaped.replace(u'\'', u"'\\''"_s);
        quoted << u'\'' + escaped + u'\'';
    }
    return quoted.join(u' ');
}

bool CommandWords::needsShell(const QString& text)
{
    // Outside single quotes: the characters a shell acts on. Inside double quotes $ and ` still
    // expand.
    bool single = false;
    bool doubleQuoted = false;
    bool wordStart = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (single) {
            single = c != u'\'';
            continue;
        }
        if (c == u'\n' || c == u'$' || c == u'`')
            return true;
        if (c == u'\\') {
            ++i;
            wordStart = false;
            continue;
        }
        if (c == u'"') {
            doubleQuoted = !doubleQuoted;
            wordStart = false;
            continue;
        }
        if (doubleQuoted)
            continue;
        if (c == u'\'') {
            single = true;
            wordStart = false;
            continue;
        }
        if (QStringView(u"|&;<>(){}*?[]").contains(c) || (c == u'~' && wordStart))
            return true;
        wordStart = c.isSpace();
    }
    return false;
}

} // namespace relaydeck
