// Engine against scripted servers: the reply parser's limits with bounded memory
// (docs/ARCHITECTURE.md engine rule 2), timeouts (rule 9), the polite QUIT after a verdict and
// cancel().

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "smtp/ConnectionTest.h"
#include "smtp/ErrorIds.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <QTimer>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); -1 when unavailable.
qint64 procStatusKiB(const QByteArray& field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Peak resident memory while something runs: the kernel's high-water mark, reset first through
// /proc/self/clear_refs when allowed; otherwise VmRSS sampled every few milliseconds.
class PeakMemory
{
public:
    PeakMemory()
    {
        m_baseline = procStatusKiB("VmRSS");
        QFile clearRefs(u"/proc/self/clear_refs"_s);
        m_hwmReset = clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
        m_peak = m_baseline;
        QObject::connect(&m_sampler, &QTimer::timeout,
                         [this] { m_peak = std::max(m_peak, procStatusKiB("VmRSS")); });
        m_sampler.start(2);
    }

    qint64 baselineKiB() const { return m_baseline; }
    qint64 growthKiB()
    {
        m_sampler.stop();
        qint64 peak = std::max(m_peak, procStatusKiB("VmRSS"));
        if (m_hwmReset)
            peak = std::max(peak, procStatusKiB("VmHWM"));
        return peak - m_baseline;
    }
    bool available() const { return m_baseline > 0; }
    bool usesHighWaterMark() const { return m_hwmReset; }

private:
    qint64 m_baseline = -1;
    qint64 m_peak = -1;
    bool m_hwmReset = false;
    QTimer m_sampler;
};

} // namespace

class TestEngineLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
        // Warm up once: the first test loads the system CAs and Qt's network plumbing, which
        // must not count as growth in the memory test.
        ScriptedSmtpServer server(greetingAndEhlo({"8BITMIME"}));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
    }

    void endlessLineWithoutCrlfIsBounded_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("stage");
        QTest::newRow("as the greeting") << u"JUNK 10485760\n"_s << StageId::Greeting;
        QTest::newRow("inside the EHLO reply")
            << u"S: 220 x ESMTP\nC: EHLO client.test\nRAW: 250-x\\r\\n250-\nJUNK 10485760\n"_s
            << StageId::Ehlo;
    }

    void endlessLineWithoutCrlfIsBounded()
    {
        QFETCH(QString, script);
        QFETCH(QString, stage);
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::None);
        request.profile.timeoutSeconds = 10; // the line limit, not a timeout, must end it

        PeakMemory memory;
        QVERIFY(memory.available());
        const EngineRun run = runConnectionTest(request);
        const qint64 growth = memory.growthKiB();
        qInfo("resident memory growth: %lld KiB (%s)", growth,
              memory.usesHighWaterMark() ? "VmHWM" : "sampled VmRSS");

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        QCOMPARE(run.report.error.stage, stage);
        QVERIFY2(run.verdictMs < 5000, qPrintable(explain(run, server)));
        // Bounded memory: the client never holds the 10 MiB (nor does the paced server).
        QVERIFY2(growth < 4 * 1024, qPrintable(u"resident memory grew by %1 KiB"_s.arg(growth)));
        // A protocol error ends the dialogue without QUIT.
        QVERIFY(!server.quitReceived());
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 5000));
    }

    void replyOver64KiB()
    {
        // Short lines, but a multi-line reply of about 150 KiB.
        QByteArray reply;
        for (int i = 0; i < 10000; ++i)
            reply += "250-CAPABILITY-" + QByteArray::number(i) + "\r\n";
        reply += "250 END";
        ScriptedSmtpServer server(
            SmtpScript().send("220 x ESMTP").expect("EHLO client.test").send(reply));
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        QCOMPARE(run.report.error.stage, StageId::Ehlo);
    }

    void malformedReplies_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("stage");
        QTest::newRow("codes differ inside the EHLO reply")
            << u"S: 220 x\nC: EHLO client.test\nS: 250-x\\r\\n251 AUTH PLAIN\n"_s << StageId::Ehlo;
        QTest::newRow("success then failure code in one reply")
            << u"S: 220 x\nC: EHLO client.test\nS: 250-x\\r\\n250-PIPELINING\\r\\n550 no\n"_s
            << StageId::Ehlo;
        QTest::newRow("codes differ inside the greeting")
            << u"S: 220-x\\r\\n554 y\n"_s << StageId::Greeting;
        QTest::newRow("letters in the code") << u"S: 2x0 hello\n"_s << StageId::Greeting;
        QTest::newRow("code out of range") << u"S: 620 hello\n"_s << StageId::Greeting;
        QTest::newRow("no separator") << u"S: 220hello\n"_s << StageId::Greeting;
        QTest::newRow("HTTP server") << u"S: HTTP/1.1 400 Bad Request\n"_s << StageId::Greeting;
        QTest::newRow("empty line") << u"S: \n"_s << StageId::Greeting;
        QTest::newRow("line over 8 KiB")
            << u"S: 220 "_s + QString(9000, u'a') + u"\n"_s << StageId::Greeting;
    }

    void malformedReplies()
    {
        QFETCH(QString, script);
        QFETCH(QString, stage);
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(scriptedRequest(server, Security::None));

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::ProtocolError);
        QCOMPARE(run.report.error.stage, stage);
        QVERIFY(!run.report.error.message.isEmpty());
        QVERIFY(!run.report.error.hint.isEmpty());
        QVERIFY2(!server.quitReceived(), qPrintable(explain(run, server)));
        QVERIFY2(run.verdictMs < 1500, qPrintable(explain(run, server)));
    }

    void noReplyIsATimeoutNamingTheStage()
    {
        ScriptedSmtpServer server(
            SmtpScript().send("220 x ESMTP").expect("EHLO client.test").silent());
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::None);
        request.profile.timeoutSeconds = 1;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QCOMPARE(run.report.error.id, ErrorId::Timeout);
        QCOMPARE(run.report.error.stage, StageId::Ehlo);
        QVERIFY2(run.verdictMs >= 900 && run.verdictMs < 1900, qPrintable(explain(run, server)));
        // After a timeout the client just closes.
        QVERIFY(!server.quitReceived());
        QVERIFY(run.finishedMs - run.verdictMs < 500);
    }

    void quitIsSentAfterTheVerdictAndItsReplyAwaitedBriefly()
    {
        // The server takes QUIT but never answers: the client waits a bounded time, then closes.
        ScriptedSmtpServer server(greetingAndEhlo({"SIZE 1000"}).expect("QUIT").silent());
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::None);
        request.profile.timeoutSeconds = 10;
        const EngineRun run = runConnectionTest(request);

        QVERIFY2(run.finished, qPrintable(explain(run, server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        QVERIFY(run.verdict.ok);
        QVERIFY(server.quitReceived());
        QVERIFY2(server.failures().isEmpty(), qPrintable(explain(run, server)));
        // The verdict came at once; the close waited for 221 about two seconds at most.
        QVERIFY2(run.verdictMs < 1000, qPrintable(explain(run, server)));
        const qint64 grace = run.finishedMs - run.verdictMs;
        QVERIFY2(grace >= 500 && grace < 3000, qPrintable(explain(run, server)));
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 3000));
    }

    void verdictBeforeQuitReply()
    {
        // verdictReady is emitted before the 221 arrives: the QUIT exchange follows it.
        ScriptedSmtpServer server(
            greetingAndEhlo({"SIZE 1000"}).expect("QUIT").send("221 2.0.0 Bye").close());
        QVERIFY(server.listen());
        ConnectionTest test;
        bool quitSeenAtVerdict = true;
        int transcriptAtVerdict = -1;
        QList<TranscriptLine> transcript;
        connect(&test, &ConnectionTest::transcriptLine, this,
                [&](const TranscriptLine& line) { transcript.append(line); });
        connect(&test, &ConnectionTest::verdictReady, this, [&](const TestReport&) {
            quitSeenAtVerdict = server.quitReceived();
            transcriptAtVerdict = int(transcript.size());
        });
        bool finished = false;
        connect(&test, &ConnectionTest::finished, this, [&] { finished = true; });
        test.start(scriptedRequest(server, Security::None));
        QVERIFY(QTest::qWaitFor([&] { return finished; }, 10000));
        QVERIFY(!quitSeenAtVerdict);
        QVERIFY(transcriptAtVerdict >= 0);
        bool quitAfterVerdict = false;
        bool byeAfterVerdict = false;
        for (qsizetype i = transcriptAtVerdict; i < transcript.size(); ++i) {
            quitAfterVerdict |= transcript.at(i).dir == u'C' && transcript.at(i).line == u"QUIT"_s;
            byeAfterVerdict |=
                transcript.at(i).dir == u'S' && transcript.at(i).line.startsWith(u"221"_s);
        }
        QVERIFY(quitAfterVerdict);
        QVERIFY(byeAfterVerdict);
        QVERIFY(test.report().ok);
        QVERIFY(!test.isRunning());
    }

    void cancelWhileWaiting_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("linesBeforeCancel");
        QTest::newRow("waiting for the greeting") << u"SILENT\n"_s << 0;
        QTest::newRow("waiting for the EHLO reply")
            << u"S: 220 x\nC: EHLO client.test\nSILENT\n"_s << 1;
    }

    void cancelWhileWaiting()
    {
        QFETCH(QString, script);
        QFETCH(int, linesBeforeCancel);
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        TestRequest request = scriptedRequest(server, Security::None);
        request.profile.timeoutSeconds = 30; // only cancel() can end it quickly

        ConnectionTest test;
        int verdicts = 0;
        bool finished = false;
        TestReport finalReport;
        connect(&test, &ConnectionTest::verdictReady, this, [&] { ++verdicts; });
        connect(&test, &ConnectionTest::finished, this, [&](const TestReport& report) {
            finished = true;
            finalReport = report;
        });
        test.start(request);
        QVERIFY(test.isRunning());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return server.isClientConnected() &&
                       server.clientLines().size() == linesBeforeCancel;
            },
            5000));
        QElapsedTimer clock;
        clock.start();
        test.cancel();
        QVERIFY(QTest::qWaitFor([&] { return finished; }, 2000));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(verdicts, 1);
        QVERIFY(!finalReport.ok);
        QCOMPARE(finalReport.error.id, ErrorId::Cancelled);
        QVERIFY(!test.isRunning());
        QVERIFY(QTest::qWaitFor([&] { return server.clientDisconnected(); }, 2000));
        // A second cancel() is harmless.
        test.cancel();
        QCOMPARE(verdicts, 1);
    }
};

QTEST_GUILESS_MAIN(TestEngineLimits)
#include "tst_engine_limits.moc"
