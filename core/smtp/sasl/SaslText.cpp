#include "smtp/sasl/SaslText.h"

#include <QCoreApplication>

namespace relaydeck::sasl {

QString preparedString(const QString& text)
{
    QString mapped;
    mapped.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        // RFC 3454 table B.1: commonly mapped to nothing (soft hyphen, joiners, variation
        // selectors, BOM...).
        if (u == 0x00AD || u == 0x034F || u == 0x1806 || (u >= 0x180B && u <= 0x180D) ||
            (u >= 0x200B && u <= 0x200D) || u == 0x2060 || (u >= 0xFE00 && u <= 0xFE0F) ||
            u == 0xFEFF)
            continue;
        // RFC 3454 table C.1.2: non-ASCII space characters map to SPACE.
        if (u != 0x0020 && c.category() == QChar::Separator_Space)
            mapped += u' ';
        else
            mapped += c;
    }
    return mapped.normalized(QString::NormalizationForm_KC);
}

QByteArray prepared(const QString& text)
{
    return preparedString(text).toUtf8();
}

QByteArray escapeSaslName(const QByteArray& name)
{
    QByteArray escaped;
    escaped.reserve(name.size());
    for (const char c : name) {
        if (c == ',')
            escaped += "=2C";
        else if (c == '=')
            escaped += "=3D";
        else
            escaped += c;
    }
    return escaped;
}

QString unexpectedChallengeMessage(const QString& mechanism)
{
    return QCoreApplication::translate("SaslMechanism",
                                       "The server sent an unexpected %1 challenge.")
        .arg(mechanism);
}

} // namespace relaydeck::sasl
