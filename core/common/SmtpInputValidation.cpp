#include "common/SmtpInputValidation.h"

#include <QCoreApplication>
#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// The address and HELO checks are translated in the context "SmtpInputValidation".
struct InputText
{
    Q_DECLARE_TR_FUNCTIONS(SmtpInputValidation)
};

bool hasControl(const QString& text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool hasLineBreakOrNul(const QString& text)
{
    return text.contains(u'\r') || text.contains(u'\n') || text.contains(QChar(0));
}

// A domain of RFC 5321 4.1.2: letters, digits and hyphens in dot-separated labels.
bool isDomain(const QString& domain)
{
    if (domain.isEmpty() || domain.size() > 253)
        return false;
    const QStringList labels = domain.split(u'.');
    for (const QString& label : labels) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
            return false;
        for (const QChar c : label) {
            const char16_t u = c.unicode();
            const bool ldh = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') ||
                             (u >= u'0' && u <= u'9') || u == u'-';
            if (!ldh)
                return false;
        }
    }
    return true;
}

// "[192.0.2.1]" or "[IPv6:2001:db8::1]" (RFC 5321 4.1.3).
bool isAddressLiteral(const QString& text)
{
    if (text.size() < 3 || !text.startsWith(u'[') || !text.endsWith(u']'))
        return false;
    const QString inner = text.mid(1, text.size() - 2);
    QHostAddress address;
    if (inner.startsWith(u"IPv6:"_s, Qt::CaseInsensitive)) {
        const QString ipv6 = inner.mid(5);
        return !ipv6.contains(u'%') && address.setAddress(ipv6) &&
               address.protocol() == QAbstractSocket::IPv6Protocol;
    }
    // Dotted quad only: QHostAddress would also take "1" or "0x7f.1".
    const QStringList parts = inner.split(u'.');
    if (parts.size() != 4)
        return false;
    for (const QString& part : parts) {
        bool ok = false;
        const int value = part.toInt(&ok);
        if (!ok || part.isEmpty() || part.size() > 3 || value < 0 || value > 255 ||
            part.startsWith(u'+') || part.startsWith(u'-'))
            return false;
    }
    return true;
}

// What is wrong with `address` as an envelope address; empty when nothing.
QString addressProblem(const QString& address)
{
    if (address.isEmpty())
        return InputText::tr("Enter an e-mail address (name@example.com).");
    if (hasLineBreakOrNul(address))
        return InputText::tr("An e-mail address must not contain line breaks.");
    if (hasControl(address))
        return InputText::tr("An e-mail address must not contain control characters.");
    if (address.contains(u' ') || address.contains(QChar(0xA0)))
        return InputText::tr("An e-mail address must not contain spaces.");
    if (address.contains(u'<') || address.contains(u'>'))
        return InputText::tr("Enter the address without angle brackets: name@example.com.");
    if (address.size() > 254)
        return InputText::tr("An e-mail address is at most 254 characters long.");
    const qsizetype at = address.lastIndexOf(u'@');
    if (at <= 0 || at == address.size() - 1)
        return InputText::tr("'%1' is not an e-mail address: use the form name@example.com.")
            .arg(address);
    const QString local = address.left(at);
    const QString domain = address.mid(at + 1);
    const bool quotedLocal = local.size() >= 2 && local.startsWith(u'"') && local.endsWith(u'"');
    if (!quotedLocal) {
        static const QString specials = u"@,;:()[]\\\""_s;
        for (const QChar c : local) {
            if (specials.contains(c))
                return InputText::tr("'%1' is not an e-mail address: the part before the @ "
                                     "contains '%2'.")
                    .arg(address, QString(c));
        }
        if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."_s))
            return InputText::tr("'%1' is not an e-mail address: dots in the part before the @ "
                                 "must separate words.")
                .arg(address);
    }
    // The domain may be internationalised; only its ASCII form is checked for shape.
    bool domainOk = isAddressLiteral(domain);
    if (!domainOk) {
        bool ascii = true;
        for (const QChar c : domain)
            ascii = ascii && c.unicode() < 0x80;
        domainOk = ascii ? isDomain(domain)
                         : !domain.contains(u"..") && !domain.startsWith(u'.') &&
                               !domain.endsWith(u'.') && !domain.contains(u'@');
    }
    if (!domainOk)
        return InputText::tr("'%1' is not an e-mail address: '%2' is not a valid domain.")
            .arg(address, domain);
    return QString();
}

// What is wrong with `name` as an EHLO name; empty when nothing.
QString heloNameProblem(const QString& name)
{
    if (name.isEmpty())
        return InputText::tr("Enter a HELO name: this computer's domain name or an address literal "
                             "such as [192.0.2.1].");
    if (hasLineBreakOrNul(name))
        return InputText::tr("The HELO name must not contain line breaks.");
    if (hasControl(name))
        return InputText::tr("The HELO name must not contain control characters.");
    if (name.startsWith(u'['))
        return isAddressLiteral(name) ? QString()
                                      : InputText::tr("'%1' is not an address literal: use "
                                                      "[192.0.2.1] or [IPv6:2001:db8::1].")
                                            .arg(name);
    if (!isDomain(name))
        return InputText::tr("'%1' is not a valid HELO name: use a domain name (letters, digits, "
                             "hyphens and dots, e.g. client.example.com) or an address literal "
                             "such as [192.0.2.1].")
            .arg(name);
    return QString();
}

Result<void> invalidUnlessEmpty(const QString& problem)
{
    if (problem.isEmpty())
        return {};
    return Failure(FailureId::Invalid, problem);
}

} // namespace

Result<void> SmtpInputValidation::checkAddress(const QString& address)
{
    return invalidUnlessEmpty(addressProblem(address));
}

Result<void> SmtpInputValidation::checkHeloName(const QString& name)
{
    return invalidUnlessEmpty(heloNameProblem(name));
}

} // namespace relaydeck
