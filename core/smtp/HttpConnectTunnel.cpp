#include "smtp/HttpConnectTunnel.h"

#include <QHostAddress>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// "[2001:db8::25]" (a profile may write an IPv6 literal so) is the address inside.
QString withoutBrackets(const QString& host)
{
    if (host.size() > 2 && host.startsWith(u'[') && host.endsWith(u']') && host.contains(u':'))
        return host.mid(1, host.size() - 2);
    return host;
}

} // namespace

bool HttpConnectTunnel::isValidTargetHost(const QString& target)
{
    const QString host = withoutBrackets(target);
    if (host.isEmpty())
        return false;
    for (const QChar c : host) {
        if (c.unicode() < 0x21 || c.unicode() == 0x7f || c.isSpace() ||
            c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
            QStringView(u"/?#@[]\\").contains(c))
            return false;
    }
    if (host.contains(u':'))
        return QHostAddress(host).protocol() == QAbstractSocket::IPv6Protocol;
    return true;
}

QByteArray HttpConnectTunnel::request(const QString& target, int port, const QString& username,
                                      const QString& password)
{
    if (!isValidTargetHost(target))
        return {};
    const QString host = withoutBrackets(target);
    // An IPv6 literal needs brackets in the authority form.
    const QByteArray authority = (host.contains(u':') ? '[' + host.toUtf8() + ']' : host.toUtf8()) +
                                 ':' + QByteArray::number(port);
    QByteArray text = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (!username.isEmpty())
        text += "Proxy-Authorization: Basic " +
                QByteArray(username.toUtf8() + ':' + password.toUtf8()).toBase64() + "\r\n";
    text += "\r\n";
    return text;
}

HttpConnectTunnel::State HttpConnectTunnel::feed(const QByteArray& bytes)
{
    if (m_state != State::Waiting)
        return m_state;
    m_buffer += bytes;
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > MaxResponseLength)
            m_state = State::Malformed;
        return m_state;
    }
    if (end > MaxResponseLength)
        return m_state = State::Malformed;

    const QByteArray statusLine = m_buffer.left(m_buffer.indexOf("\r\n"));
    m_leftover = m_buffer.mid(end + 4);
    m_buffer.clear();
    static const QRegularExpression pattern(u"^HTTP/1\\.[01] ([1-5]\\d{2})(?: .*)?$"_s);
    m_statusLine = QString::fromLatin1(statusLine);
    const QRegularExpressionMatch match = pattern.match(m_statusLine);
    if (!match.hasMatch())
        return m_state = State::Malformed;
    m_statusCode = match.captured(1).toInt();
    if (m_statusCode >= 200 && m_statusCode < 300)
        m_state = State::Established;
    else if (m_statusCode == 401 || m_statusCode == 407)
        m_state = State::AuthRefused;
    else
        m_state = State::Refused;
    return m_state;
}

} // namespace relaydeck
