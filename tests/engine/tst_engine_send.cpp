// Engine against scripted servers: the optional test message (docs/ARCHITECTURE.md engine rule 8) —
// MAIL/RCPT/DATA pipelined in one write when PIPELINING is offered and one by one otherwise, SIZE
// respected, dot-stuffing and CRLF on the wire, the envelope and message errors, CR/LF refused up
// front.

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "smtp/ErrorIds.h"
#include "smtp/SecuritySuggestion.h"

#include <QRegularExpression>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString MailWithSize = u"^MAIL FROM:<sender@client\\.test> SIZE=(\\d+)$"_s;

TestRequest sendRequest(const ScriptedSmtpServer& server, Security security = Security::None)
{
    TestRequest request = scriptedRequest(server, security);
    request.sendTo = u"rcpt@example.test"_s;
    request.subject = u"Relaydeck engine test"_s;
    return request;
}

// MAIL (with SIZE), RCPT, DATA accepted, the message received, 250, QUIT.
SmtpScript acceptingEnvelope()
{
    return SmtpScript()
        .expectMatch(MailWithSize)
        .send("250 2.1.0 Ok")
        .expect("RCPT TO:<rcpt@example.test>")
        .send("250 2.1.5 Ok")
        .expect("DATA")
        .send("354 End data with <CR><LF>.<CR><LF>")
        .receiveData()
        .send("250 2.0.0 Ok: queued as 4F2B1")
        .expect("QUIT")
        .send("221 2.0.0 Bye")
        .close();
}

int indexOfLine(const QList<ScriptedSmtpServer::ClientLine>& lines, const QByteArray& prefix)
{
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).line.startsWith(prefix))
            return int(i);
    }
    return -1;
}

qint64 announcedSize(const ScriptedSmtpServer& server)
{
    const QRegularExpressionMatch match =
        QRegularExpression(MailWithSize)
            .match(QString::fromLatin1(server.firstLineStartingWith({"MAIL"}, false)));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

} // namespace

class TestEngineSend : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }

    void pipelinedEnvelopeInOneWrite()
    {
        ScriptedSmtpServer server(
            greetingAndEhlo({"PIPELINING", "SIZE 100000", "8BITMIME"}).append(acceptingEnvelope()));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.scriptFinished());
        QCOMPARE(run.stageIds(), (QStringList{u"resolve"_s, u"connect"_s, u"greeting"_s, u"ehlo"_s,
                                              u"send"_s, u"quit"_s}));

        // MAIL, RCPT and DATA arrived in one read: one write, one round trip.
        const QList<ScriptedSmtpServer::ClientLine> lines = server.clientLines();
        const int mail = indexOfLine(lines, "MAIL FROM:");
        QVERIFY(mail > 0);
        QCOMPARE(lines.at(mail + 1).line, "RCPT TO:<rcpt@example.test>");
        QCOMPARE(lines.at(mail + 2).line, "DATA");
        QCOMPARE(lines.at(mail + 1).read, lines.at(mail).read);
        QCOMPARE(lines.at(mail + 2).read, lines.at(mail).read);
        QCOMPARE(
            server.reads().at(lines.at(mail).read).bytes,
            "MAIL FROM:<sender@client.test> SIZE=" + QByteArray::number(announcedSize(server)) +
                "\r\nRCPT TO:<rcpt@example.test>\r\nDATA\r\n");

        // SIZE announces the message's size (the payload as sent, give or take the final dot).
        const QByteArray payload = server.dataPayload();
        QVERIFY(announcedSize(server) >= payload.size());
        QVERIFY(announcedSize(server) <= payload.size() + 5);

        // The message: headers, CRLF line ends only (the server flags bare LFs), a blank line.
        QVERIFY2(payload.startsWith("Date: ") || payload.contains("\r\nDate: "),
                 payload.constData());
        for (const char* header : {"Message-ID: <", "From: ", "To: ", "Subject: "})
            QVERIFY2(payload.contains(header), header);
        QVERIFY(payload.contains("To: rcpt@example.test\r\n"));
        QVERIFY(payload.contains("Subject: Relaydeck engine test\r\n"));
        QVERIFY(payload.contains("\r\n\r\n"));
        QVERIFY(!payload.contains("\n\n"));
        QVERIFY(payload.endsWith("\r\n"));
    }

    // RFC 2920 3.1: with PIPELINING, QUIT goes in the same group as the end of the message data;
    // the message's reply still decides the verdict.
    void quitPipelinedWithTheEndOfTheMessage()
    {
        ScriptedSmtpServer server(
            greetingAndEhlo({"PIPELINING", "SIZE 100000"}).append(acceptingEnvelope()));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));
        QVERIFY2(run.finished && run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        const QList<ScriptedSmtpServer::ClientLine> lines = server.clientLines();
        const int quit = indexOfLine(lines, "QUIT");
        QVERIFY2(quit > 0, qPrintable(explain(run, server)));
        QVERIFY2(server.reads().at(lines.at(quit).read).bytes.endsWith("\r\n.\r\nQUIT\r\n"),
                 qPrintable(explain(run, server)));
        QCOMPARE(run.stageIds().mid(4), (QStringList{u"send"_s, u"quit"_s}));
        QVERIFY(run.stagesFinished.last().ok); // 221
    }

    // QUIT went early, but its reply is late: the verdict (from the 250) is not held up by it,
    // and the test still ends within the QUIT grace period.
    void pipelinedQuitWithoutReply()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING"})
                                      .expectPrefix("MAIL FROM:")
                                      .send("250 2.1.0 Ok")
                                      .expect("RCPT TO:<rcpt@example.test>")
                                      .send("250 2.1.5 Ok")
                                      .expect("DATA")
                                      .send("354 go ahead")
                                      .receiveData()
                                      .send("250 2.0.0 queued")
                                      .silent());
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));
        QVERIFY2(run.finished && run.report.ok, qPrintable(explain(run, server)));
        QVERIFY(server.quitReceived());
        QCOMPARE(run.verdictCount, 1);
        QVERIFY2(run.verdict.ok, qPrintable(run.describe()));
        QCOMPARE(run.stageIds().last(), u"quit"_s);
        QVERIFY(!run.stagesFinished.last().ok);
        QVERIFY2(run.finishedMs - run.verdictMs < 4000, qPrintable(run.describe()));
    }

    // A message refused after QUIT went with it: the refusal is the verdict.
    void pipelinedQuitAfterARefusedMessage()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING"})
                                      .expectPrefix("MAIL FROM:")
                                      .send("250 2.1.0 Ok")
                                      .expect("RCPT TO:<rcpt@example.test>")
                                      .send("250 2.1.5 Ok")
                                      .expect("DATA")
                                      .send("354 go ahead")
                                      .receiveData()
                                      .send("554 5.7.1 spam")
                                      .expect("QUIT")
                                      .send("221 bye")
                                      .close());
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));
        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(run.report.ok, false);
        QCOMPARE(run.report.error.id, ErrorId::MessageRejected);
        QVERIFY(run.report.error.serverReply.startsWith(u"554"_s));
        // Only one QUIT, the pipelined one.
        QCOMPARE(run.transcriptText().count(u"C: QUIT"_s), 1);
    }

    void envelopeOneByOneWithoutPipelining()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"SIZE 100000"}).append(acceptingEnvelope()));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        const QList<ScriptedSmtpServer::ClientLine> lines = server.clientLines();
        const int mail = indexOfLine(lines, "MAIL FROM:");
        QVERIFY(mail > 0);
        // Each command waited for the previous reply: three reads.
        QVERIFY(lines.at(mail + 1).read > lines.at(mail).read);
        QVERIFY(lines.at(mail + 2).read > lines.at(mail + 1).read);
        QVERIFY(lines.at(mail + 3).read > lines.at(mail + 2).read); // the message after 354
        // and QUIT after the message's reply.
        const int quit = indexOfLine(lines, "QUIT");
        QVERIFY(quit > mail + 3 && lines.at(quit).read > lines.at(quit - 1).read);
    }

    void startTlsAuthAndPipelinedSend()
    {
        const QByteArray password = "S3nd-Pa55word";
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"PIPELINING", "SIZE 100000", "AUTH PLAIN LOGIN"})
                .expect("AUTH PLAIN " + QByteArray(QByteArray(1, '\0') + "user@client.test" +
                                                   QByteArray(1, '\0') + password)
                                            .toBase64())
                .send("235 2.7.0 Authentication successful")
                .append(acceptingEnvelope()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = sendRequest(server, Security::StartTls);
        request.profile.auth.username = u"user@client.test"_s;
        request.secrets.smtpPassword = QString::fromLatin1(password);
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QCOMPARE(server.plaintextLines(), (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        const QList<ScriptedSmtpServer::ClientLine> lines = server.clientLines();
        const int mail = indexOfLine(lines, "MAIL FROM:");
        QVERIFY(mail > 0);
        QVERIFY(lines.at(mail).tls);
        QCOMPARE(lines.at(mail + 2).read, lines.at(mail).read);
        QCOMPARE(run.stageIds(),
                 (QStringList{u"resolve"_s, u"connect"_s, u"greeting"_s, u"ehlo"_s, u"starttls"_s,
                              u"tls"_s, u"ehlo"_s, u"auth"_s, u"send"_s, u"quit"_s}));
        QVERIFY(!run.transcriptText().contains(QString::fromLatin1(password)));
    }

    void dotStuffingOnTheWire()
    {
        ScriptedSmtpServer server(
            greetingAndEhlo({"PIPELINING", "SIZE 100000"}).append(acceptingEnvelope()));
        QVERIFY(server.listen());
        TestRequest request = sendRequest(server);
        // The connection's name goes into the body: lines starting with a dot, and a lone dot
        // that would end the message early if it were not doubled.
        request.profile.name = u"dots\n.leading\n.\nend"_s;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        const QByteArray payload = server.dataPayload();
        QVERIFY2(payload.contains("\r\n..leading\r\n..\r\nend "), payload.constData());
        // Every line of the payload that starts with a dot has it doubled.
        for (const QByteArray& line : payload.split('\n')) {
            if (line.startsWith('.'))
                QVERIFY2(line.startsWith(".."), line.constData());
        }
    }

    void sizeTooSmallStopsBeforeMail()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "SIZE 100"}));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::MessageTooLarge);
        QCOMPARE(run.report.error.stage, StageId::Send);
        QCOMPARE(run.report.server.maxSize, 100);
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.quitReceived());
    }

    void rejectedAfterTheMessage_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("552") << QByteArray("552 5.3.4 Message size exceeds fixed limit")
                             << ErrorId::MessageTooLarge;
        QTest::newRow("554") << QByteArray("554 5.7.1 Message rejected as spam")
                             << ErrorId::MessageRejected;
        QTest::newRow("451") << QByteArray("451 4.3.0 Try again later") << ErrorId::MessageRejected;
    }

    void rejectedAfterTheMessage()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QString, expectedError);
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "SIZE 100000"})
                                      .expectMatch(MailWithSize)
                                      .send("250 Ok")
                                      .expect("RCPT TO:<rcpt@example.test>")
                                      .send("250 Ok")
                                      .expect("DATA")
                                      .send("354 Go ahead")
                                      .receiveData()
                                      .send(reply));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, expectedError);
        QCOMPARE(run.report.error.stage, StageId::Send);
        QVERIFY(run.report.error.serverReply.startsWith(QString::fromLatin1(reply.left(3))));
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.quitReceived());
    }

    void envelopeRejected_data()
    {
        QTest::addColumn<bool>("pipelining");
        QTest::addColumn<QByteArray>("mailReply");
        QTest::addColumn<QByteArray>("rcptReply");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("sender, pipelined")
            << true << QByteArray("550 5.7.1 Sender denied")
            << QByteArray("503 5.5.1 Need MAIL first") << ErrorId::SenderRejected;
        QTest::newRow("recipient, pipelined")
            << true << QByteArray("250 Ok") << QByteArray("550 5.1.1 No such user")
            << ErrorId::RecipientRejected;
        QTest::newRow("sender, one by one") << false << QByteArray("553 5.7.1 Not yours")
                                            << QByteArray() << ErrorId::SenderRejected;
        QTest::newRow("recipient, one by one")
            << false << QByteArray("250 Ok") << QByteArray("554 5.7.1 Relay access denied")
            << ErrorId::RecipientRejected;
        // Postfix's delayed rejection (smtpd_delay_reject = yes): the sender restrictions
        // answer RCPT. The enhanced code (X.1.7, X.1.8) or the words say it is the sender.
        QTest::newRow("sender refused at RCPT, pipelined")
            << true << QByteArray("250 2.1.0 Ok")
            << QByteArray("504 5.5.2 <sender@client.test>: Sender address rejected: need "
                          "fully-qualified address")
            << ErrorId::SenderRejected;
        QTest::newRow("sender domain unknown at RCPT, one by one")
            << false << QByteArray("250 2.1.0 Ok")
            << QByteArray("450 4.1.8 <sender@client.test>: Sender address rejected: Domain not "
                          "found")
            << ErrorId::SenderRejected;
        QTest::newRow("X.1.7 without the words")
            << true << QByteArray("250 2.1.0 Ok") << QByteArray("553 5.1.7 Bad sender syntax")
            << ErrorId::SenderRejected;
        QTest::newRow("server configuration error at RCPT")
            << true << QByteArray("250 2.1.0 Ok")
            << QByteArray("451 4.3.5 <sender@client.test>: Sender address rejected: Server "
                          "configuration error")
            << ErrorId::SenderRejected;
    }

    void envelopeRejected()
    {
        QFETCH(bool, pipelining);
        QFETCH(QByteArray, mailReply);
        QFETCH(QByteArray, rcptReply);
        QFETCH(QString, expectedError);
        SmtpScript script = greetingAndEhlo(pipelining ? QList<QByteArray>{"PIPELINING"}
                                                       : QList<QByteArray>{"8BITMIME"});
        script.expect("MAIL FROM:<sender@client.test>").send(mailReply);
        if (!rcptReply.isEmpty())
            script.expect("RCPT TO:<rcpt@example.test>").send(rcptReply);
        if (pipelining)
            script.expect("DATA").send("503 5.5.1 No valid recipients");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, expectedError);
        QCOMPARE(run.report.error.stage, StageId::Send);
        const QString hint = run.report.error.hint;
        // A temporary refusal says so; a server's own configuration error never gets the
        // relay-denied advice.
        QCOMPARE(hint.contains(u"temporary (4xx)"_s),
                 rcptReply.startsWith('4') || mailReply.startsWith('4'));
        if (rcptReply.contains("4.3.5")) {
            QVERIFY2(hint.contains(u"its own configuration"_s), qPrintable(hint));
            QVERIFY2(!hint.contains(u"relay"_s, Qt::CaseInsensitive), qPrintable(hint));
        }
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        QVERIFY(server.dataPayload().isEmpty());
        QVERIFY(server.quitReceived());
    }

    void mustIssueStartTlsFirstGetsOneHint()
    {
        // Postfix with smtpd_tls_security_level = encrypt, tested without encryption: 530 to
        // MAIL. One cause, one hint: STARTTLS, not also credentials or the sender address.
        ScriptedSmtpServer server(greetingAndEhlo({"STARTTLS", "8BITMIME"})
                                      .expect("MAIL FROM:<sender@client.test>")
                                      .send("530 5.7.0 Must issue a STARTTLS command first"));
        QVERIFY(server.listen());
        const TestRequest request = sendRequest(server);
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::SenderRejected);
        const QString hint = run.report.error.hint;
        QVERIFY2(hint.contains(u"requires STARTTLS"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"username"_s), qPrintable(hint));
        QVERIFY2(!hint.contains(u"may send as"_s), qPrintable(hint));
        const std::optional<SecuritySuggestion> suggestion =
            SecuritySuggestion::forReport(run.report, request.profile);
        QVERIFY(suggestion.has_value());
        QVERIFY(suggestion->security == Security::StartTls);
    }

    void dataAcceptedAfterARejectedSenderSendsNoMessage()
    {
        // Pipelined: the sender is refused, yet DATA gets 354. Sending the message now would
        // hand it to whatever the server thinks the envelope is: the client must drop instead.
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING"})
                                      .expect("MAIL FROM:<sender@client.test>")
                                      .send("550 5.7.1 Sender denied")
                                      .expect("RCPT TO:<rcpt@example.test>")
                                      .send("250 Ok")
                                      .expect("DATA")
                                      .send("354 Go ahead")
                                      .silent());
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(sendRequest(server));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::SenderRejected);
        const QList<QByteArray> lines = server.plaintextLines();
        QCOMPARE(lines.last(), "DATA"); // nothing after it, not even the message
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 3000));
    }

    void lineBreaksInAddressesAreRefusedBeforeConnecting_data()
    {
        QTest::addColumn<QString>("sendTo");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QString>("heloName");
        QTest::newRow("recipient") << u"rcpt@example.test>\r\nRCPT TO:<evil@example.test"_s
                                   << u"sender@client.test"_s << u"client.test"_s;
        QTest::newRow("sender") << u"rcpt@example.test"_s << u"sender@client.test\nDATA"_s
                                << u"client.test"_s;
        QTest::newRow("helo") << u"rcpt@example.test"_s << u"sender@client.test"_s
                              << u"client.test\r\nMAIL FROM:<x@y.test>"_s;
    }

    void lineBreaksInAddressesAreRefusedBeforeConnecting()
    {
        QFETCH(QString, sendTo);
        QFETCH(QString, sender);
        QFETCH(QString, heloName);
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING"}));
        QVERIFY(server.listen());
        TestRequest request = sendRequest(server);
        request.sendTo = sendTo;
        request.profile.sender = sender;
        request.profile.heloName = heloName;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::InvalidRequest);
        QVERIFY(!run.report.error.message.isEmpty());
        QCOMPARE(server.connectionCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEngineSend)
#include "tst_engine_send.moc"
