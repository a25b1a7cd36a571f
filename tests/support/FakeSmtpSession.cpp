#include "FakeSmtpSession.h"

#include "smtp/SmtpReply.h"

#include <QHostAddress>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

void FakeSmtpSession::connectToHost(const QString&, quint16, const QString&, bool)
{
    QTimer::singleShot(0, this, [this] {
        if (m_stopped)
            return;
        emit connected();
        reply(220, {u"fake.test ESMTP"_s});
    });
}

void FakeSmtpSession::send(const QList<Line>& lines)
{
    for (const Line& line : lines) {
        emit transcript(u'C',
                        line.shownAs.isEmpty() ? QString::fromUtf8(line.bytes) : line.shownAs);
        const QByteArray verb = line.bytes.left(4).toUpper();
        if (verb == "EHLO")
            reply(250, {u"fake.test"_s, u"8BITMIME"_s});
        else if (verb == "QUIT")
            reply(221, {u"bye"_s});
        else if (verb == "DATA")
            reply(354, {u"go ahead"_s});
        else
            reply(250, {u"OK"_s});
    }
}

void FakeSmtpSession::sendData(const QByteArray&)
{
    reply(250, {u"queued"_s});
}

void FakeSmtpSession::disconnectGracefully()
{
    QTimer::singleShot(0, this, [this] {
        if (!m_stopped)
            emit closed();
    });
}

QHostAddress FakeSmtpSession::peerAddress() const
{
    return QHostAddress(QHostAddress::LocalHost);
}

void FakeSmtpSession::reply(int code, const QStringList& lines)
{
    QTimer::singleShot(0, this, [this, code, lines] {
        if (m_stopped)
            return;
        for (qsizetype i = 0; i < lines.size(); ++i)
            emit transcript(
                u'S',
                u"%1%2%3"_s.arg(code).arg(i + 1 < lines.size() ? u'-' : u' ').arg(lines.at(i)));
        SmtpReply smtpReply;
        smtpReply.code = code;
        smtpReply.lines = lines;
        emit replyReceived(smtpReply);
    });
}

SmtpSession* FakeSmtpSessionFactory::create(QObject* parent) const
{
    ++created;
    return new FakeSmtpSession(parent);
}

} // namespace relaydeck::test
