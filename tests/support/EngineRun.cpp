#include "EngineRun.h"

#include "TestCertificates.h"
#include "smtp/ConnectionTest.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

QStringList EngineRun::stageIds() const
{
    QStringList ids;
    for (const TestStage& stage : stagesFinished)
        ids.append(stage.id);
    return ids;
}

QString EngineRun::transcriptText() const
{
    QStringList lines;
    for (const TranscriptLine& line : transcript)
        lines.append(QString(line.dir) + u": "_s + line.line);
    return lines.join(u'\n');
}

QString EngineRun::describe() const
{
    const TestReport& shown = finished ? report : verdict;
    QString text =
        u"finished=%1 ok=%2 error=%3 stage=%4\n  message: %5\n  serverReply: %6\n"
        u"  hint: %7\n  stages: %8\n  tls errors: %9\n  transcript:\n"_s.arg(
            finished ? u"yes"_s : u"NO"_s, shown.ok ? u"true"_s : u"false"_s, shown.error.id,
            shown.error.stage, shown.error.message, shown.error.serverReply, shown.error.hint,
            stageIds().join(u' '), shown.tls.errors.join(u"; "_s));
    for (const TranscriptLine& line : transcript)
        text += u"    %1 %2: %3\n"_s.arg(line.t).arg(line.dir).arg(line.line);
    return text;
}

ConnectionProfile scriptedProfile(quint16 port, Security security)
{
    ConnectionProfile profile;
    profile.host = u"127.0.0.1"_s;
    profile.port = port;
    profile.security = security;
    profile.heloName = u"client.test"_s;
    profile.sender = u"sender@client.test"_s;
    profile.timeoutSeconds = 2;
    profile.auth.mechanism = AuthMechanism::Auto;
    profile.tls.caFile = TestCertificates::instance().caCertificatePath();
    return profile;
}

EngineRun runConnectionTest(const TestRequest& request, int waitMs, const HostResolver* resolver,
                            const SmtpSessionFactory* sessions)
{
    EngineRun run;
    ConnectionTest test;
    if (resolver)
        test.setResolver(*resolver);
    if (sessions)
        test.setSessionFactory(*sessions);
    QElapsedTimer clock;
    QObject::connect(&test, &ConnectionTest::stageStarted, &test,
                     [&run](const QString& id) { run.stagesStarted.append(id); });
    QObject::connect(&test, &ConnectionTest::stageFinished, &test,
                     [&run](const TestStage& stage) { run.stagesFinished.append(stage); });
    QObject::connect(&test, &ConnectionTest::transcriptLine, &test,
                     [&run](const TranscriptLine& line) { run.transcript.append(line); });
    QObject::connect(&test, &ConnectionTest::verdictReady, &test,
                     [&run, &clock](const TestReport& report) {
                         ++run.verdictCount;
                         run.verdict = report;
                         run.verdictMs = clock.elapsed();
                     });
    QObject::connect(&test, &ConnectionTest::finished, &test,
                     [&run, &clock](const TestReport& report) {
                         ++run.finishedCount;
                         run.report = report;
                         run.finishedMs = clock.elapsed();
                         run.finished = true;
                     });
    // A local event loop, not QTest::qWaitFor: qWaitFor sleeps 10 ms whenever no event is
    // pending, which adds ~40 ms to every exchange between the engine and an in-process server.
    QEventLoop loop;
    QObject::connect(&test, &ConnectionTest::finished, &loop, &QEventLoop::quit,
                     Qt::QueuedConnection);
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    clock.start();
    test.start(request);
    if (!run.finished)
        loop.exec();
    if (!run.finished)
        run.report = test.report();
    return run;
}

} // namespace relaydeck::test
