// relaydeck-cli detect against a private Internet (servers/detect_world.py): dnsmasq as the
// system resolver (A, MX, SRV), an https autoconfig server, aiosmtpd on the fixed ports
// 465/587 of test addresses, and a silent host that drops every packet, all in a private
// network and mount namespace. The CLI runs in it through nsenter.
#include "ServerLaunch.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace relaydeck::test;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray candidates() const { return json().value(u"candidates"_s).toArray(); }
};

QJsonObject find(const QJsonArray& candidates, const QString& host, int port)
{
    for (const QJsonValue& value : candidates) {
        const QJsonObject object = value.toObject();
        if (object.value(u"host"_s).toString() == host && object.value(u"port"_s).toInt() == port)
            return object;
    }
    return {};
}

qsizetype rankOf(const QJsonArray& candidates, const QString& host, int port)
{
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const QJsonObject object = candidates.at(i).toObject();
        if (object.value(u"host"_s).toString() == host && object.value(u"port"_s).toInt() == port)
            return i;
    }
    return -1;
}

} // namespace

class TestDetect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_world;
    QString m_pid;
    QString m_skip;
    QTemporaryDir m_config;

    CliRun cli(QStringList arguments, bool inWorld = true)
    {
        QProcess process;
        process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        const QString program = QFileInfo(QStringLiteral(RELAYDECK_CLI_PATH)).absoluteFilePath();
        if (inWorld)
            arguments = QStringList{u"-t"_s, m_pid, u"--net"_s, u"--mount"_s, program} + arguments;
        QElapsedTimer clock;
        clock.start();
        process.start(inWorld ? u"nsenter"_s : program, arguments);
        process.waitForFinished(60000);
        CliRun run;
        run.ms = clock.elapsed();
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    CliRun detect(const QString& query, QStringList extra = {})
    {
        return cli(QStringList{u"--config-dir"_s, m_config.path(), u"detect"_s, query, u"--json"_s,
                               u"--timeout"_s, u"3"_s, u"--ca-file"_s,
                               m_dir->filePath(u"world/certs/ca.pem"_s)} +
                   extra);
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_dir = makeServerDir(error);
        QVERIFY2(m_dir, qPrintable(error));
        m_world = std::make_unique<QProcess>();
        LaunchResult launched = launchServer(
            *m_world, *m_dir,
            {serversDir() + u"/detect_world.py"_s, u"--dir"_s, m_dir->filePath(u"world"_s)},
            u"DETECT_WORLD_UNUSED"_s, u"-"_s, 90000);
        if (launched.unavailable) {
            m_skip = u"the detection world cannot run here: "_s + serverLog(m_dir.get());
            return;
        }
        QVERIFY2(launched.error.isEmpty(), qPrintable(launched.error));
        m_pid = QString::number(
            QJsonDocument::fromJson(launched.announced).object().value(u"pid"_s).toInt());
        QVERIFY(m_pid != u"0"_s);
    }

    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }

    void cleanupTestCase() { stopServer(m_world); }

    void badUsage()
    {
        QCOMPARE(detect(u"not a domain"_s).exitCode, 2);
        QCOMPARE(detect(u"admin@probe.test"_s, {u"--timeout"_s, u"0"_s}).exitCode, 2);
    }

    void providerByDomain()
    {
        const CliRun run = detect(u"admin@gmail.com"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject best = run.candidates().first().toObject();
        QCOMPARE(best.value(u"host"_s).toString(), u"smtp.gmail.com"_s);
        QCOMPARE(best.value(u"port"_s).toInt(), 465);
        QCOMPARE(best.value(u"security"_s).toString(), u"tls"_s);
        QCOMPARE(best.value(u"source"_s).toString(), u"preset"_s);
        QVERIFY(best.value(u"usable"_s).toBool());
        QCOMPARE(run.json().value(u"query"_s).toString(), u"admin@gmail.com"_s);
        // Every key of the shape.
        for (const QString& key :
             {u"host"_s, u"port"_s, u"security"_s, u"source"_s, u"mechanisms"_s, u"tls"_s,
              u"certificateMatches"_s, u"usable"_s, u"reason"_s})
            QVERIFY2(best.contains(key), qPrintable(key));
        QCOMPARE(best.value(u"tls"_s).toObject().value(u"protocol"_s).toString(), u"TLSv1.3"_s);
        QCOMPARE(best.value(u"mechanisms"_s).toArray().size(), 2);
    }

    void providerByMx()
    {
        const CliRun run = detect(u"admin@mx365.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject best = run.candidates().first().toObject();
        QCOMPARE(best.value(u"host"_s).toString(), u"smtp.office365.com"_s);
        QCOMPARE(best.value(u"port"_s).toInt(), 587);
        QCOMPARE(best.value(u"source"_s).toString(), u"mx"_s);
        QVERIFY(best.value(u"usable"_s).toBool());
        QVERIFY2(best.value(u"reason"_s).toString().contains(u"another domain"_s),
                 run.out.constData());
    }

    void unmappableMxIsIgnored()
    {
        const CliRun run = detect(u"admin@filtered.test"_s);
        QCOMPARE(run.exitCode, 1);
        QVERIFY(!run.candidates().isEmpty());
        for (const QJsonValue& value : run.candidates()) {
            QCOMPARE(value.toObject().value(u"source"_s).toString(), u"probe"_s);
            QVERIFY(!value.toObject().value(u"usable"_s).toBool());
        }
    }

    void autoconfig()
    {
        const CliRun run = detect(u"admin@auto.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject best = run.candidates().first().toObject();
        QCOMPARE(best.value(u"host"_s).toString(), u"out.auto.test"_s);
        QCOMPARE(best.value(u"port"_s).toInt(), 465);
        QCOMPARE(best.value(u"source"_s).toString(), u"autoconfig"_s);
        QVERIFY(best.value(u"usable"_s).toBool());
    }

    void srv()
    {
        const CliRun run = detect(u"srv.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject best = run.candidates().first().toObject();
        QCOMPARE(best.value(u"host"_s).toString(), u"submit.srv.test"_s);
        QCOMPARE(best.value(u"port"_s).toInt(), 587);
        QCOMPARE(best.value(u"security"_s).toString(), u"starttls"_s);
        QCOMPARE(best.value(u"source"_s).toString(), u"srv"_s);
    }

    void probeOnlyPrefersImplicitTls()
    {
        const CliRun run = detect(u"admin@probe.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonArray candidates = run.candidates();
        QCOMPARE(rankOf(candidates, u"smtp.probe.test"_s, 465), 0);
        QCOMPARE(rankOf(candidates, u"smtp.probe.test"_s, 587), 1);
        QVERIFY(find(candidates, u"smtp.probe.test"_s, 587).value(u"usable"_s).toBool());
        QCOMPARE(candidates.first().toObject().value(u"source"_s).toString(), u"probe"_s);
        // Nothing listens on port 25 anywhere: refused, not usable.
        QVERIFY(!find(candidates, u"smtp.probe.test"_s, 25).value(u"usable"_s).toBool());
    }

    void certificateForAnotherNameRankedDown()
    {
        const CliRun run = detect(u"admin@mismatch.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonArray candidates = run.candidates();
        QCOMPARE(rankOf(candidates, u"mail.mismatch.test"_s, 587), 0);
        const QJsonObject wrong = find(candidates, u"smtp.mismatch.test"_s, 465);
        QVERIFY(!wrong.isEmpty());
        QCOMPARE(wrong.value(u"certificateMatches"_s).toBool(), false);
        QCOMPARE(wrong.value(u"usable"_s).toBool(), false);
        // The probe still saw the server (TLS up, its AUTH mechanisms) and says why.
        QCOMPARE(wrong.value(u"mechanisms"_s).toArray().size(), 2);
        QVERIFY(wrong.value(u"reason"_s).toString().contains(u"not valid for"_s));
    }

    void silentHostDoesNotDelayBeyondTheBound()
    {
        const CliRun run = detect(u"admin@slow.test"_s);
        QCOMPARE(run.exitCode, 0);
        const QJsonArray candidates = run.candidates();
        QCOMPARE(rankOf(candidates, u"mail.slow.test"_s, 587), 0);
        const QJsonObject silent = find(candidates, u"smtp.slow.test"_s, 465);
        QCOMPARE(silent.value(u"usable"_s).toBool(), false);
        // --timeout 3: the silent host costs three seconds after the DNS answers, not two probe
        // timeouts in a row. Measured against a detection where every server answers at once, so
        // that process start and a loaded machine count on both sides.
        const CliRun quick = detect(u"admin@mismatch.test"_s);
        QCOMPARE(quick.exitCode, 0);
        const QString times = u"silent host %1 ms, all answering %2 ms"_s.arg(run.ms).arg(quick.ms);
        QVERIFY2(run.ms >= 3000, qPrintable(times));
        QVERIFY2(run.ms - quick.ms < 4500, qPrintable(times));
    }

    void noneFound()
    {
        const CliRun run = detect(u"admin@nothing.test"_s);
        QCOMPARE(run.exitCode, 1);
        for (const QJsonValue& value : run.candidates())
            QVERIFY(!value.toObject().value(u"usable"_s).toBool());
    }

    void addRoundTrip()
    {
        CliRun run = detect(u"admin@probe.test"_s, {u"--add"_s, u"found"_s});
        QCOMPARE(run.exitCode, 0);
        run = cli({u"--config-dir"_s, m_config.path(), u"show"_s, u"found"_s, u"--json"_s}, false);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject profile = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(profile.value(u"host"_s).toString(), u"smtp.probe.test"_s);
        QCOMPARE(profile.value(u"port"_s).toInt(), 465);
        QCOMPARE(profile.value(u"security"_s).toString(), u"tls"_s);
        QCOMPARE(profile.value(u"auth"_s).toObject().value(u"username"_s).toString(),
                 u"admin@probe.test"_s);
        QCOMPARE(profile.value(u"auth"_s).toObject().value(u"mechanism"_s).toString(), u"auto"_s);
        // The stored profile works: a test without a password reaches the server.
        run = cli({u"--config-dir"_s, m_config.path(), u"detect"_s, u"admin@mx365.test"_s,
                   u"--timeout"_s, u"3"_s, u"--ca-file"_s, m_dir->filePath(u"world/certs/ca.pem"_s),
                   u"--add"_s, u"office"_s});
        // Another domain needs --confirm: nothing stored.
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--confirm"));
        run = cli({u"--config-dir"_s, m_config.path(), u"show"_s, u"office"_s}, false);
        QCOMPARE(run.exitCode, 2);
        run = cli({u"--config-dir"_s, m_config.path(), u"detect"_s, u"admin@mx365.test"_s,
                   u"--timeout"_s, u"3"_s, u"--ca-file"_s, m_dir->filePath(u"world/certs/ca.pem"_s),
                   u"--add"_s, u"office"_s, u"--confirm"_s});
        QCOMPARE(run.exitCode, 0);
        run = cli({u"--config-dir"_s, m_config.path(), u"show"_s, u"office"_s, u"--json"_s}, false);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"preset"_s).toString(),
                 u"office365"_s);
    }

    // Last: every probe above reached the servers, and none of them saw an AUTH command.
    void noAuthInAnyProbe()
    {
        const QDir logs(m_dir->filePath(u"world/logs"_s));
        const QStringList files = logs.entryList({u"*-*.log"_s}, QDir::Files);
        QVERIFY(files.size() >= 9);
        int ehlo = 0;
        for (const QString& file : files) {
            const QByteArray log = readWholeFile(logs.filePath(file));
            QVERIFY2(!log.contains(">> b'AUTH"), qPrintable(file));
            QVERIFY2(!log.contains("never-sent-during-detection"), qPrintable(file));
            ehlo += log.count(">> b'EHLO");
        }
        QVERIFY2(ehlo >= 20, qPrintable(QString::number(ehlo)));
    }
};

QTEST_GUILESS_MAIN(TestDetect)
#include "tst_detect.moc"
