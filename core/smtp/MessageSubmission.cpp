#include "smtp/MessageSubmission.h"

#include "smtp/EhloCapabilities.h"
#include "smtp/ErrorIds.h"
#include "smtp/SmtpReply.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// The texts were ConnectionTest's before the submission moved here: they keep its context
// "relaydeck::ConnectionTest" so translations/relaydeck_de.ts still matches them.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(relaydeck::ConnectionTest)
};

using Next = MessageSubmission::Next;

Next act(Next::Action action)
{
    Next next;
    next.action = action;
    return next;
}

Next fail(const QString& errorId, const QString& message, const QString& serverReply = {},
          bool polite = true)
{
    Next next = act(Next::Action::Fail);
    next.errorId = errorId;
    next.message = message;
    next.serverReply = serverReply;
    next.polite = polite;
    return next;
}

} // namespace

Next MessageSubmission::start(const TestMessageSpec& spec, const EhloCapabilities& capabilities)
{
    m_spec = spec;
    m_payload = TestMessage::build(spec);

    const qint64 limit = capabilities.maxSize();
    if (limit > 0 && m_payload.size() > limit)
        return fail(ErrorId::MessageTooLarge,
                    Text::tr("the test message (%1 bytes) is larger than the server's limit of "
                             "%2 bytes")
                        .arg(m_payload.size())
                        .arg(limit));
    QByteArray mail = "MAIL FROM:<" + spec.from.toUtf8() + '>';
    if (capabilities.has(u"SIZE"_s))
        mail += " SIZE=" + QByteArray::number(m_payload.size());
    const bool eightBit = std::any_of(m_payload.cbegin(), m_payload.cend(),
                                      [](char c) { return static_cast<unsigned char>(c) > 127; });
    if (eightBit && capabilities.has(u"8BITMIME"_s))
        mail += " BODY=8BITMIME";
    const QByteArray rcpt = "RCPT TO:<" + spec.to.toUtf8() + '>';

    // RFC 2920: with PIPELINING the envelope and DATA go in one write.
    m_pipelined = capabilities.has(u"PIPELINING"_s);
    Next next = act(Next::Action::Send);
    if (m_pipelined) {
        next.lines = {mail, rcpt, "DATA"};
        m_awaiting = {Awaiting::Mail, Awaiting::Rcpt, Awaiting::Data};
    } else {
        next.lines = {mail};
        m_awaiting = {Awaiting::Mail};
        m_pendingRcpt = rcpt;
    }
    return next;
}

Next MessageSubmission::onReply(const SmtpReply& reply)
{
    Q_ASSERT(!m_awaiting.isEmpty());
    const Awaiting what = m_awaiting.takeFirst();
    if (what != Awaiting::Message)
        return onEnvelopeReply(what, reply);
    if (reply.isPositiveCompletion()) {
        Next next = act(Next::Action::Succeed);
        next.message = reply.text();
        return next;
    }
    if (reply.code == 552)
        return fail(ErrorId::MessageTooLarge,
                    Text::tr("the server refused the message as too large: %1").arg(reply.text()),
                    reply.text());
    return fail(ErrorId::MessageRejected,
                Text::tr("the server refused the message: %1").arg(reply.text()), reply.text());
}

bool MessageSubmission::refusesSender(const SmtpReply& reply)
{
    // RFC 3463: X.1.7 bad sender's mailbox address syntax, X.1.8 bad sender's system address.
    const QStringList status = reply.enhancedStatus.split(u'.');
    if (status.size() == 3 && status.at(1) == u"1"_s &&
        (status.at(2) == u"7"_s || status.at(2) == u"8"_s))
        return true;
    return reply.text().contains(u"Sender address rejected"_s, Qt::CaseInsensitive);
}

Next MessageSubmission::onEnvelopeReply(Awaiting what, const SmtpReply& reply)
{
    const bool positive = what == Awaiting::Data ? reply.code == 354 : reply.isPositiveCompletion();
    if (!positive && m_failure.isNull()) {
        if (what == Awaiting::Mail)
            m_failure = {
                ErrorId::SenderRejected,
                StageId::Send,
                Text::tr("the server refused the sender %1: %2").arg(m_spec.from, reply.text()),
                reply.text(),
                {}};
        else if (what == Awaiting::Rcpt && refusesSender(reply))
            // Delayed rejection (Postfix's smtpd_delay_reject, the default): the sender
            // restrictions answer RCPT, but it is the sender they refuse.
            m_failure = {ErrorId::SenderRejected,
                         StageId::Send,
                         Text::tr("the server refused the sender %1 in its answer to RCPT TO: %2")
                             .arg(m_spec.from, reply.text()),
                         reply.text(),
                         {}};
        else if (what == Awaiting::Rcpt)
            m_failure = {
                ErrorId::RecipientRejected,
                StageId::Send,
                Text::tr("the server refused the recipient %1: %2").arg(m_spec.to, reply.text()),
                reply.text(),
                {}};
        else
            m_failure = {ErrorId::MessageRejected,
                         StageId::Send,
                         Text::tr("the server refused DATA: %1").arg(reply.text()),
                         reply.text(),
                         {}};
    }
    if (m_pipelined && what != Awaiting::Data)
        return act(Next::Action::Wait); // wait for the rest of the batch
    if (!m_failure.isNull()) {
        // A 354 after a failed envelope would make us send a message: drop the connection.
        const bool dataAccepted = what == Awaiting::Data && reply.code == 354;
        return fail(m_failure.id, m_failure.message, m_failure.serverReply, !dataAccepted);
    }
    if (what == Awaiting::Mail) {
        Next next = act(Next::Action::Send);
        next.lines = {m_pendingRcpt};
        m_awaiting.append(Awaiting::Rcpt);
        return next;
    }
    if (what == Awaiting::Rcpt) {
        Next next = act(Next::Action::Send);
        next.lines = {"DATA"};
        m_awaiting.append(Awaiting::Data);
        return next;
    }
    Next next = act(Next::Action::SendMessage);
    next.payload = m_payload;
    m_awaiting.append(Awaiting::Message);
    return next;
}

} // namespace relaydeck
