// MessageSubmission without a socket: the envelope pipelined in one write or one command at a
// time, SIZE, the server's SIZE limit, a refused recipient in a pipelined batch
// (reported once DATA's reply is in; a 354 then drops the connection), and the message's reply.

#include "smtp/EhloCapabilities.h"
#include "smtp/ErrorIds.h"
#include "smtp/MessageSubmission.h"
#include "smtp/SmtpReply.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

using Action = MessageSubmission::Next::Action;

namespace {

EhloCapabilities capabilities(const QStringList& keywords)
{
    SmtpReply reply;
    reply.code = 250;
    reply.lines = QStringList{u"mail.example.org"_s} + keywords;
    return EhloCapabilities::fromReply(reply);
}

SmtpReply reply(int code, const QString& text)
{
    SmtpReply r;
    r.code = code;
    r.lines = {text};
    return r;
}

TestMessageSpec spec(const QString& body = u"Hello"_s)
{
    TestMessageSpec s;
    s.from = u"alice@example.org"_s;
    s.to = u"bob@example.net"_s;
    s.subject = u"Test"_s;
    s.body = body;
    s.heloName = u"client.example.org"_s;
    return s;
}

} // namespace

class TestMessageSubmission : public QObject
{
    Q_OBJECT

private slots:
    void pipelinedEnvelopeInOneWrite()
    {
        MessageSubmission submission;
        const auto first =
            submission.start(spec(), capabilities({u"PIPELINING"_s, u"SIZE 100000"_s}));
        QCOMPARE(first.action, Action::Send);
        QCOMPARE(first.lines.size(), 3);
        QVERIFY(first.lines.at(0).startsWith("MAIL FROM:<alice@example.org> SIZE="));
        QVERIFY(!first.lines.at(0).contains("BODY=8BITMIME"));
        QCOMPARE(first.lines.at(1), "RCPT TO:<bob@example.net>");
        QCOMPARE(first.lines.at(2), "DATA");

        QCOMPARE(submission.onReply(reply(250, u"2.1.0 Ok"_s)).action, Action::Wait);
        QCOMPARE(submission.onReply(reply(250, u"2.1.5 Ok"_s)).action, Action::Wait);
        const auto data = submission.onReply(reply(354, u"End data with <CR><LF>.<CR><LF>"_s));
        QCOMPARE(data.action, Action::SendMessage);
        QVERIFY(data.payload.endsWith("\r\n.\r\n"));
        const QByteArray size = "SIZE=" + QByteArray::number(data.payload.size());
        QVERIFY(first.lines.at(0).endsWith(size));

        const auto done = submission.onReply(reply(250, u"2.0.0 Ok: queued as 4F2"_s));
        QCOMPARE(done.action, Action::Succeed);
        QCOMPARE(done.message, u"250 2.0.0 Ok: queued as 4F2"_s);
    }

    void oneCommandAtATimeWithoutPipelining()
    {
        MessageSubmission submission;
        const auto mail = submission.start(spec(u"Grüße"_s), capabilities({u"8BITMIME"_s}));
        QCOMPARE(mail.action, Action::Send);
        // The body goes quoted-printable, so the payload is 7-bit: no BODY=8BITMIME, no SIZE.
        QCOMPARE(mail.lines, QList<QByteArray>{"MAIL FROM:<alice@example.org>"});

        const auto rcpt = submission.onReply(reply(250, u"Ok"_s));
        QCOMPARE(rcpt.action, Action::Send);
        QCOMPARE(rcpt.lines, QList<QByteArray>{"RCPT TO:<bob@example.net>"});
        const auto data = submission.onReply(reply(250, u"Ok"_s));
        QCOMPARE(data.action, Action::Send);
        QCOMPARE(data.lines, QList<QByteArray>{"DATA"});
        QCOMPARE(submission.onReply(reply(354, u"Go ahead"_s)).action, Action::SendMessage);

        const auto refused = submission.onReply(reply(552, u"5.3.4 Message too big"_s));
        QCOMPARE(refused.action, Action::Fail);
        QCOMPARE(refused.errorId, ErrorId::MessageTooLarge);
        QVERIFY(refused.polite);
    }

    void senderRefusedWithoutPipelining()
    {
        MessageSubmission submission;
        QCOMPARE(submission.start(spec(), capabilities({})).action, Action::Send);
        const auto refused = submission.onReply(reply(553, u"5.7.1 Sender not allowed"_s));
        QCOMPARE(refused.action, Action::Fail);
        QCOMPARE(refused.errorId, ErrorId::SenderRejected);
        QCOMPARE(
            refused.message,
            u"the server refused the sender alice@example.org: 553 5.7.1 Sender not allowed"_s);
        QCOMPARE(refused.serverReply, u"553 5.7.1 Sender not allowed"_s);
        QVERIFY(refused.polite);
    }

    void refusedRecipientInABatchDropsAfter354()
    {
        MessageSubmission submission;
        QCOMPARE(submission.start(spec(), capabilities({u"PIPELINING"_s})).action, Action::Send);
        QCOMPARE(submission.onReply(reply(250, u"Ok"_s)).action, Action::Wait);
        QCOMPARE(submission.onReply(reply(550, u"5.1.1 No such user"_s)).action, Action::Wait);
        // The server accepted DATA anyway: QUIT would end up in the message, so no QUIT.
        const auto refused = submission.onReply(reply(354, u"Go ahead"_s));
        QCOMPARE(refused.action, Action::Fail);
        QCOMPARE(refused.errorId, ErrorId::RecipientRejected);
        QCOMPARE(refused.serverReply, u"550 5.1.1 No such user"_s);
        QVERIFY(!refused.polite);
    }

    void tooLargeForTheServersLimit()
    {
        MessageSubmission submission;
        const auto next = submission.start(spec(), capabilities({u"SIZE 100"_s}));
        QCOMPARE(next.action, Action::Fail);
        QCOMPARE(next.errorId, ErrorId::MessageTooLarge);
        QVERIFY(next.lines.isEmpty());
        QVERIFY(next.serverReply.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMessageSubmission)
#include "tst_messagesubmission.moc"
