// GSSAPI (RFC 4752) against a real MIT Kerberos KDC (a private realm made by KerberosRealm) and a
// real Dovecot submission server offering GSSAPI (dovecot-gssapi) with the realm's keytab, through
// relaydeck-cli as users run it: with a valid ticket, with none, with an expired one, with a
// service principal the realm does not know, and through a stored profile with --kerberos.

#include "CliTesting.h"
#include "KerberosRealm.h"
#include "RealServers.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace relaydeck::test;

namespace {

const QString user = u"alice"_s;
const QString password = u"kerberos-test-password"_s;
const QString gssapiModule = u"/usr/lib/dovecot/modules/auth/libmech_gssapi.so"_s;

QStringList transcriptNotes(const QJsonObject& report)
{
    QStringList notes;
    for (const QJsonValue& line : report.value(u"transcript"_s).toArray()) {
        if (line.toObject().value(u"dir"_s).toString() == u"*"_s)
            notes << line.toObject().value(u"line"_s).toString();
    }
    return notes;
}

} // namespace

class TestKerberos : public QObject
{
    Q_OBJECT

    KerberosRealm realm;
    RealServer dovecot;
    QTemporaryDir configDir;

    QString principal() const { return user + u'@' + realm.realm(); }

    // relaydeck-cli test against Dovecot's STARTTLS port as "localhost", with `cache` as the
    // credential cache.
    CliRun test(const QString& cache, const QStringList& extra,
                const QString& host = u"localhost"_s)
    {
        QStringList arguments =
            adHocTestArguments(host, dovecot.submissionPort(), u"starttls"_s, extra, QString());
        arguments << u"--ca-file"_s << RealServer::caFile() << u"--json"_s << u"--transcript"_s;
        return runCli(arguments,
                      realm.environment(cache, cliEnvironmentWithoutKeychain(configDir.path())));
    }

    QString failureContext(const CliRun& run) const
    {
        return run.describe() + u"\nKDC: "_s + realm.log().right(2000) + u"\nDovecot: "_s +
               dovecot.log().right(3000);
    }

private slots:
    void initTestCase()
    {
        // Skipped only where the Kerberos programs or Dovecot's GSSAPI module are missing;
        // scripts/test (and so CI) installs them.
        if (const QStringList missing = KerberosRealm::missingPrograms(); !missing.isEmpty())
            QSKIP(qPrintable(u"Kerberos programs missing: "_s + missing.join(u", "_s) +
                             u" (Debian: krb5-kdc krb5-admin-server krb5-user)"_s));
        if (!QFile::exists(gssapiModule))
            QSKIP("Dovecot's GSSAPI module is missing (Debian: dovecot-gssapi)");
        QVERIFY(configDir.isValid());
        QVERIFY2(realm.start(user, password, {u"smtp/localhost"_s}),
                 qPrintable(realm.errorString()));
        RealServerOptions options;
        options.user = user;
        options.password = password;
        options.gssapiKeytab = realm.keytab();
        options.krb5Config = realm.krb5Config();
        QVERIFY2(dovecot.startDovecot(options), qPrintable(dovecot.errorString()));
    }

    void validTicket_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("--auth gssapi") << QStringList{u"--auth"_s, u"gssapi"_s};
        QTest::newRow("--kerberos (auto)") << QStringList{u"--kerberos"_s};
    }

    // The ticket logs on: the report names the principal and the service principal; no
    // password was given or needed.
    void validTicket()
    {
        QFETCH(QStringList, extra);
        const QString cache = realm.kinit();
        QVERIFY2(!cache.isEmpty(), qPrintable(realm.errorString()));
        const CliRun run = test(cache, extra);
        QVERIFY2(run.exitCode == 0, qPrintable(failureContext(run)));
        const QJsonObject report = run.json();
        QCOMPARE(report.value(u"ok"_s).toBool(), true);
        const QJsonObject auth = report.value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), u"GSSAPI"_s);
        QCOMPARE(auth.value(u"ok"_s).toBool(), true);
        QCOMPARE(auth.value(u"principal"_s).toString(), principal());
        QCOMPARE(auth.value(u"servicePrincipal"_s).toString(), u"smtp@localhost"_s);
        const QStringList notes = transcriptNotes(report);
        QVERIFY2(notes.contains(u"logging on as "_s + principal()), qPrintable(notes.join(u'\n')));
        QVERIFY2(notes.contains(u"service ticket for smtp@localhost"_s),
                 qPrintable(notes.join(u'\n')));
        QVERIFY2(clientLines(report).contains(u"AUTH GSSAPI <redacted>"_s),
                 qPrintable(clientLines(report).join(u'\n')));
        // Dovecot saw the Kerberos principal and mapped it to its user.
        QVERIFY2(dovecot.log().contains(u"original_user="_s + principal()),
                 qPrintable(dovecot.log().right(3000)));
    }

    // The default text output names the principal and the service ticket too.
    void validTicketText()
    {
        const QString cache = realm.kinit();
        QVERIFY2(!cache.isEmpty(), qPrintable(realm.errorString()));
        QStringList arguments = adHocTestArguments(u"localhost"_s, dovecot.submissionPort(),
                                                   u"starttls"_s, {u"--kerberos"_s}, QString());
        arguments << u"--ca-file"_s << RealServer::caFile();
        const CliRun run = runCli(
            arguments, realm.environment(cache, cliEnvironmentWithoutKeychain(configDir.path())));
        QVERIFY2(run.exitCode == 0, qPrintable(failureContext(run)));
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(u"GSSAPI accepted: %1 with a service ticket for smtp@localhost"_s.arg(
                     principal())),
                 qPrintable(out));
    }

    // No ticket at all: nothing is sent to the server, and the hint says to run kinit.
    void noTicket()
    {
        const CliRun run = test(realm.emptyCache(), {u"--auth"_s, u"gssapi"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(failureContext(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"kerberos-no-ticket"_s);
        QCOMPARE(errorField(report, u"stage"_s), u"auth"_s);
        QVERIFY2(errorField(report, u"hint"_s).contains(u"kinit"_s), qPrintable(run.describe()));
        QVERIFY2(!clientLines(report).join(u'\n').contains(u"AUTH"_s),
                 qPrintable(clientLines(report).join(u'\n')));
    }

    // An expired ticket: its own error id, and the hint names the principal to kinit again.
    void expiredTicket()
    {
        const QString cache = realm.kinit(u"2s"_s);
        QVERIFY2(!cache.isEmpty(), qPrintable(realm.errorString()));
        QThread::sleep(4);
        const CliRun run = test(cache, {u"--auth"_s, u"gssapi"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(failureContext(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"kerberos-ticket-expired"_s);
        QVERIFY2(errorField(report, u"hint"_s).contains(u"kinit "_s + principal()),
                 qPrintable(run.describe()));
        QVERIFY2(!clientLines(report).join(u'\n').contains(u"AUTH"_s),
                 qPrintable(clientLines(report).join(u'\n')));
    }

    // The host as an address: the realm has no smtp/127.0.0.1, and the report says so.
    void unknownService()
    {
        const QString cache = realm.kinit();
        QVERIFY2(!cache.isEmpty(), qPrintable(realm.errorString()));
        const CliRun run =
            test(cache, {u"--auth"_s, u"gssapi"_s, u"--no-verify"_s}, u"127.0.0.1"_s);
        QVERIFY2(run.exitCode == 1, qPrintable(failureContext(run)));
        const QJsonObject report = run.json();
        QCOMPARE(errorField(report, u"id"_s), u"kerberos-service-unknown"_s);
        QVERIFY2(errorField(report, u"message"_s).contains(u"smtp@127.0.0.1"_s),
                 qPrintable(run.describe()));
    }

    // Without "use my Kerberos ticket", auto never picks GSSAPI, although the server offers it.
    void autoWithoutKerberosUsesPassword()
    {
        QProcessEnvironment environment =
            realm.environment(realm.emptyCache(), cliEnvironmentWithoutKeychain(configDir.path()));
        environment.insert(u"RELAYDECK_TEST_PASSWORD"_s, password);
        QStringList arguments =
            adHocTestArguments(u"localhost"_s, dovecot.submissionPort(), u"starttls"_s,
                               {u"--user"_s, user}, u"RELAYDECK_TEST_PASSWORD"_s);
        arguments << u"--ca-file"_s << RealServer::caFile() << u"--json"_s;
        const CliRun login = runCli(arguments, environment);
        QVERIFY2(login.exitCode == 0, qPrintable(failureContext(login)));
        const QJsonObject auth = login.json().value(u"auth"_s).toObject();
        QCOMPARE(auth.value(u"mechanism"_s).toString(), u"SCRAM-SHA-256"_s);
    }

    // A stored profile with --kerberos: saved without a password (no keychain is reachable
    // here), shown as such, and tested with the ticket.
    void storedProfile()
    {
        const QProcessEnvironment noKeychain = cliEnvironmentWithoutKeychain(configDir.path());
        const CliRun add =
            runCli({u"add"_s, u"office"_s, u"--host"_s, u"localhost"_s, u"--port"_s,
                    QString::number(dovecot.submissionPort()), u"--security"_s, u"starttls"_s,
                    u"--ca-file"_s, RealServer::caFile(), u"--kerberos"_s},
                   noKeychain);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        const CliRun show = runCli({u"show"_s, u"office"_s, u"--json"_s}, noKeychain);
        QVERIFY2(show.exitCode == 0, qPrintable(show.describe()));
        QCOMPARE(show.json().value(u"auth"_s).toObject().value(u"useKerberosTicket"_s).toBool(),
                 true);
        const QString cache = realm.kinit();
        QVERIFY2(!cache.isEmpty(), qPrintable(realm.errorString()));
        const CliRun run =
            runCli({u"test"_s, u"office"_s, u"--json"_s}, realm.environment(cache, noKeychain));
        QVERIFY2(run.exitCode == 0, qPrintable(failureContext(run)));
        QCOMPARE(run.json().value(u"auth"_s).toObject().value(u"principal"_s).toString(),
                 principal());
    }

    void cleanupTestCase()
    {
        dovecot.stop();
        realm.stop();
    }
};

QTEST_GUILESS_MAIN(TestKerberos)

#include "tst_kerberos.moc"
