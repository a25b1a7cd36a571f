// Engine: Happy Eyeballs (RFC 8305) against scripted servers. A test host name resolves (through
// StaticHostResolver) to ::1 and 127.0.0.1 on the same port; one of them is a BlackholePort, on
// which connecting never completes (a broken path), the other a ScriptedSmtpServer.

#include "BlackholePort.h"
#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "StaticHostResolver.h"
#include "smtp/ConnectionRace.h"
#include "smtp/ErrorIds.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString DualHost = u"dual.test"_s;
const QHostAddress V6 = QHostAddress(QHostAddress::LocalHostIPv6);
const QHostAddress V4 = QHostAddress(QHostAddress::LocalHost);

SmtpScript politeRelay()
{
    return greetingAndEhlo({"PIPELINING", "SIZE 1000"})
        .expect("QUIT")
        .send("221 2.0.0 Bye")
        .close();
}

// A blackhole on `dead` and a scripted relay on `alive`, on one port both.
struct DualStack
{
    BlackholePort blackhole;
    std::unique_ptr<ScriptedSmtpServer> server;
    quint16 port = 0;

    bool listen(const QHostAddress& dead, const QHostAddress& alive)
    {
        for (int attempt = 0; attempt < 20; ++attempt) {
            if (!blackhole.listen(dead))
                return false;
            server = std::make_unique<ScriptedSmtpServer>(politeRelay());
            if (server->listen(alive, blackhole.port())) {
                port = blackhole.port();
                return true;
            }
        }
        return false;
    }
};

TestRequest dualRequest(quint16 port, int timeoutSeconds)
{
    TestRequest request;
    request.profile = scriptedProfile(port, Security::None);
    request.profile.host = DualHost;
    request.profile.timeoutSeconds = timeoutSeconds;
    return request;
}

QString attemptsText(const TestReport& report)
{
    QStringList lines;
    for (const ConnectAttempt& attempt : report.target.attempts)
        lines << u"%1 start %2 ms, %3 ms: %4 %5"_s.arg(attempt.address)
                     .arg(attempt.startMs)
                     .arg(attempt.ms)
                     .arg(attempt.outcome, attempt.detail);
    return lines.join(u'\n');
}

QString connectDetail(const EngineRun& run)
{
    for (const TestStage& stage : run.report.stages)
        if (stage.id == StageId::Connect)
            return stage.detail;
    return {};
}

} // namespace

class TestEngineEyeballs : public QObject
{
    Q_OBJECT

private slots:
    void addressesAreOrderedIpv6FirstAndInterleaved()
    {
        const QHostAddress a4(u"192.0.2.1"_s), b4(u"192.0.2.2"_s), c4(u"192.0.2.3"_s);
        const QHostAddress a6(u"2001:db8::1"_s), b6(u"2001:db8::2"_s);
        QCOMPARE(ConnectionRace::ordered({a4, b4, c4, a6, b6}),
                 (QList<QHostAddress>{a6, a4, b6, b4, c4}));
        QCOMPARE(ConnectionRace::ordered({a4, a4, b4}), (QList<QHostAddress>{a4, b4}));
        QCOMPARE(ConnectionRace::ordered({b6}), (QList<QHostAddress>{b6}));
    }

    // The case: IPv6 is broken (::1 never accepts), IPv4 works. The test succeeds about
    // 250 ms later, not after the 10 s timeout, and the report names both addresses.
    void silentIpv6CostsTheAttemptDelayNotATimeout()
    {
        DualStack stack;
        QVERIFY(stack.listen(V6, V4));
        StaticHostResolver resolver;
        resolver.add(DualHost, {V4, V6}); // the resolver's order does not matter: IPv6 first
        const EngineRun run = runConnectionTest(dualRequest(stack.port, 10), 20000, &resolver);

        QVERIFY2(run.finished, qPrintable(explain(run, *stack.server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, *stack.server)));
        QCOMPARE(run.report.target.address, V4.toString());
        const QList<ConnectAttempt>& attempts = run.report.target.attempts;
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).address, V6.toString());
        QCOMPARE(attempts.at(0).outcome, AttemptOutcome::Abandoned);
        QCOMPARE(attempts.at(1).address, V4.toString());
        QCOMPARE(attempts.at(1).outcome, AttemptOutcome::Connected);
        QVERIFY2(attempts.at(1).startMs >= ConnectionRace::AttemptDelayMs - 10,
                 qPrintable(attemptsText(run.report)));
        // Well under the timeout (a loaded CI machine is slow, hence not 300 ms).
        QVERIFY2(run.verdictMs >= ConnectionRace::AttemptDelayMs - 10 && run.verdictMs < 4000,
                 qPrintable(u"%1 ms\n"_s.arg(run.verdictMs) + run.describe()));
        // The connect stage and the transcript say what happened to ::1.
        const QString detail = connectDetail(run);
        QVERIFY2(detail.startsWith(V4.toString()) && detail.contains(V6.toString()) &&
                     detail.contains(u"abandoned"_s),
                 qPrintable(detail));
        QVERIFY2(run.transcriptText().contains(u"::1: abandoned"_s), qPrintable(run.describe()));
        const QJsonArray json =
            run.report.toJson(false).value(u"target"_s).toObject().value(u"attempts"_s).toArray();
        QCOMPARE(json.size(), 2);
        QCOMPARE(json.at(0).toObject().value(u"outcome"_s).toString(), u"abandoned"_s);
        QCOMPARE(json.at(1).toObject().value(u"address"_s).toString(), u"127.0.0.1"_s);
        QVERIFY2(stack.server->failures().isEmpty(), qPrintable(explain(run, *stack.server)));
    }

    // The reverse: 127.0.0.1 never accepts, ::1 works. IPv6 goes first and answers within the
    // attempt delay, so the dead IPv4 address is never tried, whatever the resolver's order.
    void liveIpv6WinsBeforeTheDeadIpv4IsTried()
    {
        DualStack stack;
        QVERIFY(stack.listen(V4, V6));
        StaticHostResolver resolver;
        resolver.add(DualHost, {V4, V6});
        const EngineRun run = runConnectionTest(dualRequest(stack.port, 10), 20000, &resolver);

        QVERIFY2(run.finished, qPrintable(explain(run, *stack.server)));
        QVERIFY2(run.report.ok, qPrintable(explain(run, *stack.server)));
        QCOMPARE(run.report.target.address, V6.toString());
        QVERIFY2(run.verdictMs < 4000, qPrintable(run.describe()));
        const QList<ConnectAttempt>& attempts = run.report.target.attempts;
        QVERIFY2(!attempts.isEmpty(), qPrintable(run.describe()));
        QCOMPARE(attempts.at(0).address, V6.toString());
        QCOMPARE(attempts.at(0).outcome, AttemptOutcome::Connected);
        // On a slow machine ::1 may take longer than 250 ms: then 127.0.0.1 was started and
        // abandoned, never connected.
        for (qsizetype i = 1; i < attempts.size(); ++i)
            QCOMPARE(attempts.at(i).outcome, AttemptOutcome::Abandoned);
    }

    // A refused IPv6 attempt does not wait for the attempt delay: IPv4 starts at once.
    void refusedIpv6StartsIpv4AtOnce()
    {
        ScriptedSmtpServer server(politeRelay());
        QVERIFY(server.listen(V4)); // nothing listens on ::1 at this port: refused
        StaticHostResolver resolver;
        resolver.add(DualHost, {V6, V4});
        const EngineRun run = runConnectionTest(dualRequest(server.port(), 10), 20000, &resolver);

        QVERIFY2(run.report.ok, qPrintable(explain(run, server)));
        const QList<ConnectAttempt>& attempts = run.report.target.attempts;
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).outcome, AttemptOutcome::Failed);
        QVERIFY2(attempts.at(1).startMs < ConnectionRace::AttemptDelayMs - 50,
                 qPrintable(attemptsText(run.report)));
        QVERIFY2(connectDetail(run).contains(u"::1 failed"_s), qPrintable(connectDetail(run)));
    }

    // Every address silent: one connect timeout (counted from the latest attempt, the profile's
    // timeout as before), and the error names every address tried.
    void everyAddressSilentIsAConnectTimeoutNamingThemAll()
    {
        BlackholePort dead6;
        BlackholePort dead4;
        QVERIFY(dead6.listen(V6));
        bool bound = dead4.listen(V4, dead6.port());
        for (int attempt = 0; !bound && attempt < 20; ++attempt)
            bound = dead6.listen(V6) && dead4.listen(V4, dead6.port());
        QVERIFY(bound);
        StaticHostResolver resolver;
        resolver.add(DualHost, {V6, V4});
        const EngineRun run = runConnectionTest(dualRequest(dead6.port(), 1), 20000, &resolver);

        QVERIFY2(run.finished, qPrintable(run.describe()));
        QCOMPARE(run.report.error.id, ErrorId::ConnectTimeout);
        QCOMPARE(run.report.error.stage, StageId::Connect);
        QVERIFY2(run.report.error.message.contains(V6.toString()) &&
                     run.report.error.message.contains(V4.toString()),
                 qPrintable(run.report.error.message));
        // 250 ms for the second attempt to start, then its 1 s.
        QVERIFY2(run.verdictMs >= 1000 + ConnectionRace::AttemptDelayMs - 20 &&
                     run.verdictMs < 3000,
                 qPrintable(u"%1 ms\n"_s.arg(run.verdictMs) + run.describe()));
        const QList<ConnectAttempt>& attempts = run.report.target.attempts;
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).outcome, AttemptOutcome::TimedOut);
        QCOMPARE(attempts.at(1).outcome, AttemptOutcome::TimedOut);
    }

    // Every address refused: the error is the refusal, and says how the others ended.
    void everyAddressRefusedNamesThemAll()
    {
        quint16 port = 0;
        {
            BlackholePort reserved; // a free port, closed again: nobody listens on it
            QVERIFY(reserved.listen(V4));
            port = reserved.port();
        }
        StaticHostResolver resolver;
        resolver.add(DualHost, {V6, V4});
        const EngineRun run = runConnectionTest(dualRequest(port, 5), 20000, &resolver);

        QVERIFY2(run.finished, qPrintable(run.describe()));
        QCOMPARE(run.report.error.id, ErrorId::ConnectionRefused);
        QVERIFY2(run.verdictMs < 2000, qPrintable(run.describe()));
        QVERIFY2(run.report.error.message.startsWith(V4.toString()) &&
                     run.report.error.message.contains(u"::1 failed"_s),
                 qPrintable(run.report.error.message));
    }

    // A name the resolver does not know is dns-failed at the resolve stage, as before.
    void unknownNameIsDnsFailed()
    {
        StaticHostResolver resolver;
        TestRequest request = dualRequest(25, 5);
        request.profile.host = u"nowhere.test"_s;
        const EngineRun run = runConnectionTest(request, 20000, &resolver);
        QCOMPARE(run.report.error.id, ErrorId::DnsFailed);
        QCOMPARE(run.report.error.stage, StageId::Resolve);
        QCOMPARE(resolver.lookups, 1);
        QVERIFY(run.report.target.attempts.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngineEyeballs)
#include "tst_engine_eyeballs.moc"
