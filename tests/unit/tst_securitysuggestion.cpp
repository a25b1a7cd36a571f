// Which "Switch to ..." a failed test offers: the port/security mismatches of engine rule 11
// (docs/ARCHITECTURE.md) (465 is implicit TLS, 587 and 25 are STARTTLS), and nothing for failures
// that are no mismatch.
#include "smtp/ErrorIds.h"
#include "smtp/SecuritySuggestion.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

class SecuritySuggestionTest : public QObject
{
    Q_OBJECT

private:
    static ConnectionProfile profile(int port, Security security)
    {
        ConnectionProfile p;
        p.name = u"Mismatch"_s;
        p.host = u"smtp.example.com"_s;
        p.port = port;
        p.security = security;
        return p;
    }

    static TestReport failed(const QString& id, const QString& stage, const QString& reply = {})
    {
        TestReport report;
        report.target = {u"smtp.example.com"_s, 0, {}, u"192.0.2.1"_s, u"none"_s};
        report.error = {id, stage, u"failed"_s, reply, {}};
        return report;
    }

private slots:
    // Any port, once the engine saw it complete a TLS handshake instead of greeting
    // (ImplicitTlsProbe): the switch keeps the port.
    void silentPortThatAnsweredTls()
    {
        TestReport report = failed(ErrorId::GreetingTimeout, StageId::Greeting);
        for (Security security : {Security::StartTls, Security::None}) {
            QVERIFY(!SecuritySuggestion::forReport(report, profile(2465, security)));
            report.server.answersImplicitTls = true;
            const auto suggestion = SecuritySuggestion::forReport(report, profile(2465, security));
            QVERIFY(suggestion);
            QCOMPARE(int(suggestion->security), int(Security::ImplicitTls));
            QCOMPARE(suggestion->port, 2465);
            report.server.answersImplicitTls = false;
        }
    }

    // Security auto is judged as what it resolved to: on 465 it already is implicit TLS.
    void autoIsJudgedAsResolved()
    {
        TestReport report = failed(ErrorId::GreetingTimeout, StageId::Greeting);
        report.target.security = u"auto"_s;
        report.target.resolvedSecurity = u"tls"_s;
        QVERIFY(!SecuritySuggestion::forReport(report, profile(465, Security::Auto)));
        // Unresolved, auto on 465 plans implicit TLS as well.
        report.target.resolvedSecurity.clear();
        QVERIFY(!SecuritySuggestion::forReport(report, profile(465, Security::Auto)));
        // On 587 it was STARTTLS: a port that answered TLS gets the switch.
        report.target.resolvedSecurity = u"starttls"_s;
        report.server.answersImplicitTls = true;
        const auto suggestion = SecuritySuggestion::forReport(report, profile(587, Security::Auto));
        QVERIFY(suggestion);
        QCOMPARE(int(suggestion->security), int(Security::ImplicitTls));
        QCOMPARE(profile(587, Security::Auto).port, 587);
        QCOMPARE((SecuritySuggestion{Security::Auto, 587, {}}).label(),
                 u"Switch to automatic (port 587)"_s);
    }

    void plainTextAgainstImplicitTlsPort_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("greeting timeout") << ErrorId::GreetingTimeout;
        QTest::newRow("closed") << ErrorId::ServerClosed;
        QTest::newRow("garbage") << ErrorId::ProtocolError;
        QTest::newRow("timeout") << ErrorId::Timeout;
    }

    void plainTextAgainstImplicitTlsPort()
    {
        QFETCH(QString, id);
        for (Security security : {Security::StartTls, Security::None}) {
            const auto suggestion = SecuritySuggestion::forReport(failed(id, StageId::Greeting),
                                                                  profile(465, security));
            QVERIFY(suggestion);
            QCOMPARE(int(suggestion->security), int(Security::ImplicitTls));
            QCOMPARE(suggestion->port, 465);
            QCOMPARE(suggestion->label(), u"Switch to implicit TLS (port 465)"_s);
        }
        // The same failure on a STARTTLS port is no mismatch.
        QVERIFY(!SecuritySuggestion::forReport(failed(id, StageId::Greeting),
                                               profile(587, Security::StartTls)));
    }

    void implicitTlsAgainstStartTlsPort()
    {
        for (int port : {587, 25, 2525}) {
            const auto suggestion =
                SecuritySuggestion::forReport(failed(ErrorId::TlsHandshakeFailed, StageId::Tls),
                                              profile(port, Security::ImplicitTls));
            QVERIFY(suggestion);
            QCOMPARE(int(suggestion->security), int(Security::StartTls));
            QCOMPARE(suggestion->port, port);
            QCOMPARE(suggestion->label(), u"Switch to STARTTLS (port %1)"_s.arg(port));
        }
        // TLS on 465 that fails is a TLS problem, not a mismatch.
        QVERIFY(!SecuritySuggestion::forReport(failed(ErrorId::TlsHandshakeFailed, StageId::Tls),
                                               profile(465, Security::ImplicitTls)));
    }

    void serverWantsStartTls()
    {
        const TestReport report = failed(ErrorId::SenderRejected, StageId::Send,
                                         u"530 5.7.0 Must issue a STARTTLS command first"_s);
        const auto suggestion = SecuritySuggestion::forReport(report, profile(25, Security::None));
        QVERIFY(suggestion);
        QCOMPARE(int(suggestion->security), int(Security::StartTls));
        QCOMPARE(suggestion->port, 25);
    }

    void plaintextAuthRefusedOnlyWhenStartTlsOffered()
    {
        TestReport report = failed(ErrorId::PlaintextAuthRefused, StageId::Auth);
        QVERIFY(!SecuritySuggestion::forReport(report, profile(25, Security::None)));
        report.server.capabilities = {u"PIPELINING"_s, u"STARTTLS"_s};
        const auto suggestion = SecuritySuggestion::forReport(report, profile(25, Security::None));
        QVERIFY(suggestion);
        QCOMPARE(int(suggestion->security), int(Security::StartTls));
    }

    void authWithheldBeforeTlsOnlyWhenStartTlsOffered_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("auth-not-offered") << ErrorId::AuthNotOffered;
        QTest::newRow("auth-mechanism-unavailable") << ErrorId::AuthMechanismUnavailable;
    }

    void authWithheldBeforeTlsOnlyWhenStartTlsOffered()
    {
        // The button agrees with the hint: STARTTLS only when the EHLO reply advertises it.
        QFETCH(QString, id);
        TestReport report = failed(id, StageId::Auth);
        report.server.capabilities = {u"PIPELINING"_s, u"AUTH CRAM-MD5"_s};
        QVERIFY(!SecuritySuggestion::forReport(report, profile(587, Security::None)));
        report.server.capabilities << u"STARTTLS"_s;
        const auto suggestion = SecuritySuggestion::forReport(report, profile(587, Security::None));
        QVERIFY(suggestion);
        QCOMPARE(int(suggestion->security), int(Security::StartTls));
        QVERIFY(!SecuritySuggestion::forReport(report, profile(587, Security::StartTls)));
    }

    void noSuggestion()
    {
        // A plain authentication failure, a success, a cancelled test: nothing to switch.
        QVERIFY(!SecuritySuggestion::forReport(
            failed(ErrorId::AuthFailed, StageId::Auth, u"535 5.7.8 no"_s),
            profile(587, Security::StartTls)));
        TestReport ok;
        ok.ok = true;
        QVERIFY(!SecuritySuggestion::forReport(ok, profile(465, Security::StartTls)));
        QVERIFY(!SecuritySuggestion::forReport(failed(ErrorId::Cancelled, StageId::Greeting),
                                               profile(465, Security::StartTls)));
    }
};

QTEST_GUILESS_MAIN(SecuritySuggestionTest)
#include "tst_securitysuggestion.moc"
