#include "smtp/EhloCapabilities.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace relaydeck {

EhloCapabilities EhloCapabilities::fromReply(const SmtpReply& reply)
{
    static const QRegularExpression separators(u"[\\s=]+"_s);
    EhloCapabilities capabilities;
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QString line = reply.lines.at(i).trimmed();
        const QStringList words = line.split(separators, Qt::SkipEmptyParts);
        // A line without a keyword (empty, or only separators such as "250 =") advertises
        // nothing; a hostile or broken server must not crash the parser.
        if (words.isEmpty())
            continue;
        capabilities.m_lines.append(line);
        const QString keyword = words.first().toUpper();
        capabilities.m_keywords.append(keyword);
        if (keyword == u"AUTH"_s) {
            for (qsizetype w = 1; w < words.size(); ++w) {
                const QString mechanism = words.at(w).toUpper();
                if (!capabilities.m_authMechanisms.contains(mechanism))
                    capabilities.m_authMechanisms.append(mechanism);
            }
        } else if (keyword == u"SIZE"_s) {
            bool ok = false;
            const qint64 size = words.size() > 1 ? words.at(1).toLongLong(&ok) : 0;
            capabilities.m_maxSize = ok && size > 0 ? size : 0;
        }
    }
    return capabilities;
}

bool EhloCapabilities::has(const QString& keyword) const
{
    return m_keywords.contains(keyword.toUpper());
}

} // namespace relaydeck
