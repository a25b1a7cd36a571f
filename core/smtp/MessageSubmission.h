#pragma once

#include "smtp/TestMessage.h"
#include "smtp/TestReport.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace relaydeck {

class EhloCapabilities;
struct SmtpReply;

// Sending the optional test message after EHLO/AUTH, without a socket: MAIL FROM (with SIZE and
// BODY=8BITMIME when the server offers them), RCPT TO and DATA, in one write with PIPELINING
// (RFC 2920) or one after the other, then the message. start() and each reply say what the
// caller must do next; ConnectionTest sends, keeps the stage, the transcript and the timers.
class MessageSubmission
{
public:
    struct Next
    {
        enum class Action
        {
            Send,        // send `lines` in one write; each gets one reply
            SendMessage, // send `payload` as the DATA content; one reply follows
            Wait,        // nothing to do: more replies of a pipelined batch are coming
            Succeed,     // the server accepted the message; `message` is the stage's detail
            Fail,        // fail with errorId, message, serverReply; QUIT only when `polite`
        };
        Action action = Action::Fail;
        QList<QByteArray> lines;
        QByteArray payload;
        QString errorId;
        QString message;
        QString serverReply;
        bool polite = true; // false: drop the connection (the server is waiting for a message)
    };

    // Builds the message and returns the envelope to send, or a Fail (message-too-large) when
    // the server's SIZE limit is below the message's size. Call once.
    Next start(const TestMessageSpec& spec, const EhloCapabilities& capabilities);
    // The next step for the next reply to what was sent, in order.
    Next onReply(const SmtpReply& reply);

private:
    enum class Awaiting
    {
        Mail,
        Rcpt,
        Data,
        Message
    };

    Next onEnvelopeReply(Awaiting what, const SmtpReply& reply);
    // A refusal of RCPT that is about the sender (RFC 3463 X.1.7/X.1.8, or Postfix's "Sender
    // address rejected" under smtpd_delay_reject): the sender, not the recipient, is wrong.
    static bool refusesSender(const SmtpReply& reply);

    TestMessageSpec m_spec;
    QByteArray m_payload;
    QByteArray m_pendingRcpt; // RCPT waiting for MAIL's reply when the server does not pipeline
    bool m_pipelined = false;
    QList<Awaiting> m_awaiting;
    TestError m_failure; // the envelope's first refusal, reported once the batch's replies are in
};

} // namespace relaydeck
