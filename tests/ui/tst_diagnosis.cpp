#include "CliWording.h"
#include "DesktopWording.h"
#include "i18n/LocalDates.h"

#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"

#include <QFile>
#include <QRegularExpression>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

// The ids as ErrorIds.h declares them, read from the header itself: an id added there without a
// description and a hint fails this test.
QStringList declaredErrorIds()
{
    QFile header(QStringLiteral(RELAYDECK_SOURCE_DIR "/core/smtp/ErrorIds.h"));
    if (!header.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(header.readAll());
    const qsizetype begin = text.indexOf(u"namespace relaydeck::ErrorId"_s);
    const qsizetype end = text.indexOf(u"namespace relaydeck::StageId"_s);
    if (begin < 0 || end < begin)
        return {};
    QStringList ids;
    static const QRegularExpression literal(u"QStringLiteral\\(\"([a-z0-9-]+)\"\\)"_s);
    auto it = literal.globalMatch(text.mid(begin, end - begin));
    while (it.hasNext())
        ids << it.next().captured(1);
    return ids;
}

struct Case
{
    TestReport report;
    TestRequest request;
};

// A failed test against host:port with the given security, as the engine would report it.
Case failure(const QString& id, const QString& stage, const QString& host = u"mail.example.com"_s,
             int port = 587, Security security = Security::StartTls,
             const QString& serverReply = QString())
{
    Case c;
    c.request.profile.name = u"Test"_s;
    c.request.profile.host = host;
    c.request.profile.port = port;
    c.request.profile.security = security;
    c.request.profile.timeoutSeconds = 7;
    c.request.profile.sender = u"ops@example.com"_s;
    c.request.profile.auth.username = u"ops@example.com"_s;
    c.report.ok = false;
    c.report.target = {host, port, toString(security), u"192.0.2.25"_s, u"none"_s};
    c.report.error.id = id;
    c.report.error.stage = stage;
    c.report.error.message = Diagnosis::describe(id);
    c.report.error.serverReply = serverReply;
    return c;
}

CertificateInfo certificate(const QString& subject, const QString& issuer)
{
    CertificateInfo info;
    info.subject = subject;
    info.issuer = issuer;
    info.notBefore = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    info.notAfter = QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7), Qt::UTC);
    info.sha256 = u"3F:A2:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:"
                  "88:99:AA:BB:CC:9E"_s;
    info.subjectAltNames = {u"smtp.other.example"_s, u"relay.other.example"_s};
    return info;
}

Case certificateFailure(const QString& id, const CertificateInfo& leaf)
{
    Case c = failure(id, StageId::Tls, u"mail.example.com"_s, 465, Security::ImplicitTls);
    c.report.tls.used = true;
    c.report.tls.protocol = u"TLSv1.3"_s;
    c.report.tls.chain = {leaf};
    c.report.tls.errors = {u"some verification error"_s};
    return c;
}

// Who reads the hint: relaydeck-cli's user (its flags) or the desktop app's (its tabs and fields).
enum class Reader
{
    CommandLine,
    Desktop
};

QString hintFor(const Case& c, Reader reader = Reader::CommandLine)
{
    if (reader == Reader::Desktop)
        return Diagnosis::hint(c.report, c.request, ui::DesktopWording::instance());
    return Diagnosis::hint(c.report, c.request, cli::CliWording::instance());
}

// relaydeck-cli's flags as they appear in a hint: "--security tls", "(--pin ...".
bool namesAFlag(const QString& hint)
{
    static const QRegularExpression flag(u"(^|[\\s(])--[a-z]"_s);
    return flag.match(hint).hasMatch();
}

#define VERIFY_CONTAINS(haystack, needle)                                                          \
    QVERIFY2((haystack).contains(needle, Qt::CaseInsensitive),                                     \
             qPrintable(u"expected \"%1\" in: %2"_s.arg(needle, haystack)))
#define VERIFY_NOT_CONTAINS(haystack, needle)                                                      \
    QVERIFY2(!(haystack).contains(needle, Qt::CaseInsensitive),                                    \
             qPrintable(u"did not expect \"%1\" in: %2"_s.arg(needle, haystack)))

// Marks every string looked up in the "Diagnosis" context, to prove all of them are translatable.
class MarkingTranslator : public QTranslator
{
public:
    QString translate(const char* context, const char* sourceText, const char* = nullptr,
                      int = -1) const override
    {
        if (qstrcmp(context, "Diagnosis") != 0)
            return {};
        return u"\u00ab"_s + QString::fromUtf8(sourceText) + u"\u00bb"_s;
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class DiagnosisTest : public QObject
{
    Q_OBJECT

private slots:
    void headerListsTheDocumentedIds()
    {
        const QStringList ids = declaredErrorIds();
        QCOMPARE(ids.size(), 38);
        QVERIFY(ids.contains(u"oauth-sign-in-required"_s));
        QVERIFY(ids.contains(u"password-source-failed"_s));
        QVERIFY(ids.contains(u"password-command-disabled"_s));
        QVERIFY(ids.contains(u"kerberos-no-ticket"_s));
        QVERIFY(ids.contains(u"kerberos-ticket-expired"_s));
        QVERIFY(ids.contains(u"kerberos-service-unknown"_s));
        QVERIFY(ids.contains(u"kerberos-failed"_s));
        QVERIFY(ids.contains(u"auth-failed"_s));
        QVERIFY(ids.contains(u"invalid-request"_s));
        QVERIFY(ids.contains(u"cancelled"_s));
    }

    void everyIdHasADescriptionAndAHint_data()
    {
        QTest::addColumn<QString>("id");
        for (const QString& id : declaredErrorIds())
            QTest::newRow(qPrintable(id)) << id;
    }

    void everyIdHasADescriptionAndAHint()
    {
        QFETCH(QString, id);
        const QString description = Diagnosis::describe(id);
        QVERIFY(!description.trimmed().isEmpty());
        // Not the fallback for unknown ids.
        QVERIFY2(!description.startsWith(u"Unknown error"_s), qPrintable(description));
        QVERIFY2(!description.contains(u'\n'), "describe() is one line");

        // A bare report (no server facts) and a full one must both get a real hint.
        for (const Case& c : {failure(id, StageId::Connect), failure(id, StageId::Auth)}) {
            const QString hint = hintFor(c);
            QVERIFY2(!hint.trimmed().isEmpty(), qPrintable(id));
            QVERIFY2(hint != description, qPrintable(hint));
            QVERIFY2(!hint.contains(u"%1"_s) && !hint.contains(u"%2"_s), qPrintable(hint));
            QVERIFY2(!hint.contains(u"Run the test again with the transcript"_s),
                     "the fallback for unknown ids is not a hint for a known one");
        }
    }

    // Kerberos: kinit with the ticket's principal when known, else one that looks like a user
    // name, else a placeholder; an unknown service names smtp/HOST and where the host is set.
    void kerberosHints()
    {
        Case noTicket = failure(u"kerberos-no-ticket"_s, StageId::Auth);
        noTicket.request.profile.auth.useKerberosTicket = true;
        VERIFY_CONTAINS(hintFor(noTicket), u"kinit ops@example.com"_s);
        VERIFY_CONTAINS(hintFor(noTicket), u"Nothing was sent"_s);
        noTicket.request.profile.auth.username.clear();
        VERIFY_CONTAINS(hintFor(noTicket), u"kinit USER@REALM"_s);
        Case expired = failure(u"kerberos-ticket-expired"_s, StageId::Auth);
        expired.report.auth.principal = u"alice@EXAMPLE.COM"_s;
        VERIFY_CONTAINS(hintFor(expired), u"kinit alice@EXAMPLE.COM"_s);
        const QString unknown = hintFor(failure(u"kerberos-service-unknown"_s, StageId::Auth));
        VERIFY_CONTAINS(unknown, u"smtp/mail.example.com"_s);
        VERIFY_CONTAINS(unknown, u"--host"_s);
        // A Kerberos profile and a server without GSSAPI: the hint says so, not "choose auto".
        Case withoutGssapi = failure(u"auth-mechanism-unavailable"_s, StageId::Auth);
        withoutGssapi.request.profile.auth.useKerberosTicket = true;
        withoutGssapi.report.tls.used = true;
        withoutGssapi.report.server.authMechanisms = {u"PLAIN"_s, u"LOGIN"_s};
        VERIFY_CONTAINS(hintFor(withoutGssapi), u"does not offer GSSAPI"_s);
    }

    void descriptionsAreDistinct()
    {
        QSet<QString> seen;
        for (const QString& id : declaredErrorIds()) {
            const QString description = Diagnosis::describe(id);
            QVERIFY2(!seen.contains(description), qPrintable(description));
            seen.insert(description);
        }
    }

    void unknownIdAndNoError()
    {
        QVERIFY(Diagnosis::describe(u"no-such-error"_s).contains(u"no-such-error"_s));
        Case ok = failure(QString(), QString());
        ok.report.ok = true;
        QVERIFY(hintFor(ok).isEmpty());
        QVERIFY(!hintFor(failure(u"no-such-error"_s, StageId::Auth)).isEmpty());
    }

    void everyStringIsTranslatedInContextDiagnosis()
    {
        MarkingTranslator translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        const auto cleanup = qScopeGuard([&] { QCoreApplication::removeTranslator(&translator); });
        for (const QString& id : declaredErrorIds()) {
            const QString description = Diagnosis::describe(id);
            QVERIFY2(description.startsWith(u'\u00ab') && description.endsWith(u'\u00bb'),
                     qPrintable(description));
            const QString hint = hintFor(failure(id, StageId::Auth));
            QVERIFY2(hint.startsWith(u'\u00ab'), qPrintable(hint));
        }
    }

    // --- Port and security mismatches (465 is implicit TLS, 587 and 25 are STARTTLS) ---

    void implicitTlsOnAStartTlsPort_data()
    {
        QTest::addColumn<int>("port");
        QTest::newRow("587") << 587;
        QTest::newRow("25") << 25;
    }

    void implicitTlsOnAStartTlsPort()
    {
        QFETCH(int, port);
        const QString hint = hintFor(failure(ErrorId::TlsHandshakeFailed, StageId::Tls,
                                             u"mail.example.com"_s, port, Security::ImplicitTls));
        VERIFY_CONTAINS(hint, u"port %1 usually expects STARTTLS"_s.arg(port));
        VERIFY_CONTAINS(hint, u"--security starttls"_s);
    }

    void handshakeFailureOnTheRightPortIsNotAMismatch()
    {
        const QString hint = hintFor(failure(ErrorId::TlsHandshakeFailed, StageId::Tls,
                                             u"mail.example.com"_s, 465, Security::ImplicitTls));
        VERIFY_NOT_CONTAINS(hint, u"usually expects"_s);
        VERIFY_NOT_CONTAINS(hint, u"465 expects"_s);
        Case tls13 = failure(ErrorId::TlsHandshakeFailed, StageId::Tls, u"mail.example.com"_s, 465,
                             Security::ImplicitTls);
        tls13.request.profile.tls.minimumVersion = TlsMinimumVersion::Tls13;
        VERIFY_CONTAINS(hintFor(tls13), u"--tls-min 1.2"_s);
    }

    void plainSmtpOnTheImplicitTlsPort_data()
    {
        QTest::addColumn<int>("security");
        QTest::newRow("starttls") << int(Security::StartTls);
        QTest::newRow("none") << int(Security::None);
    }

    void plainSmtpOnTheImplicitTlsPort()
    {
        QFETCH(int, security);
        const QString hint = hintFor(failure(ErrorId::GreetingTimeout, StageId::Greeting,
                                             u"mail.example.com"_s, 465, Security(security)));
        VERIFY_CONTAINS(hint, u"port 465 expects implicit TLS"_s);
        VERIFY_CONTAINS(hint, u"--security tls"_s);
    }

    void greetingTimeoutElsewhereSuggestsBothCauses()
    {
        const QString hint = hintFor(failure(ErrorId::GreetingTimeout, StageId::Greeting));
        VERIFY_NOT_CONTAINS(hint, u"port 465 expects"_s);
        VERIFY_CONTAINS(hint, u"7 s"_s); // the profile's timeout
        VERIFY_CONTAINS(hint, u"--timeout"_s);
        VERIFY_CONTAINS(hint, u"implicit TLS"_s);
    }

    // --- Name resolution and connecting ---

    void dnsFailureNamesTheHost()
    {
        const QString hint =
            hintFor(failure(ErrorId::DnsFailed, StageId::Resolve, u"smtp.exmaple.com"_s));
        VERIFY_CONTAINS(hint, u"smtp.exmaple.com"_s);
        VERIFY_CONTAINS(hint, u"typo"_s);
        VERIFY_CONTAINS(hintFor(failure(ErrorId::DnsFailed, StageId::Resolve, u"mailhost"_s)),
                        u"full name"_s);
        VERIFY_CONTAINS(hint, u"this machine's DNS"_s);
    }

    void scramServerThatCannotProveItselfIsSuspect()
    {
        Case c = failure(ErrorId::AuthFailed, StageId::Auth, u"mail.example.com"_s, 587,
                         Security::StartTls, u"334 dj1ub3RoZXJzaWduYXR1cmU="_s);
        c.report.auth = {u"SCRAM-SHA-256"_s, true, false};
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"impersonat"_s);
        VERIFY_NOT_CONTAINS(hint, u"check both"_s);

        // A plain 535 to SCRAM is a wrong password, not an impostor.
        c.report.error.serverReply = u"535 5.7.8 Authentication failed"_s;
        VERIFY_NOT_CONTAINS(hintFor(c), u"impersonat"_s);
    }

    void autoWithOnlyExplicitMechanismsSaysWhatTheyNeed()
    {
        Case c = failure(ErrorId::AuthMechanismUnavailable, StageId::Auth);
        c.request.profile.auth.mechanism = AuthMechanism::Auto;
        c.report.server.authMechanisms = {u"XOAUTH2"_s, u"OAUTHBEARER"_s};
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"XOAUTH2, OAUTHBEARER"_s);
        VERIFY_CONTAINS(hint, u"--auth xoauth2"_s);
        VERIFY_CONTAINS(hint, u"token"_s);
        VERIFY_NOT_CONTAINS(hint, u"or auto"_s);
    }

    // A mechanism the server offers but Relaydeck declined to finish (NTLMv1 only): the hint is
    // about the mechanism, names the server's others and picks the strongest of them.
    void declinedMechanismSuggestsTheServersOthers()
    {
        Case c = failure(ErrorId::AuthMechanismUnavailable, StageId::Auth);
        c.request.profile.auth.mechanism = AuthMechanism::Ntlm;
        c.report.auth.mechanism = u"NTLM"_s;
        c.report.server.authMechanisms = {u"PLAIN"_s, u"LOGIN"_s, u"CRAM-MD5"_s, u"NTLM"_s};
        QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"PLAIN, LOGIN, CRAM-MD5"_s);
        VERIFY_CONTAINS(hint, u"--auth cram-md5"_s);
        VERIFY_NOT_CONTAINS(hint, u"password"_s);
        VERIFY_NOT_CONTAINS(hint, u"offers only"_s);

        c.report.server.authMechanisms = {u"NTLM"_s};
        hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"no other mechanism than NTLM"_s);
        VERIFY_CONTAINS(hint, u"--auth none"_s);
    }

    // The engine saw the silent port complete a TLS handshake: say so, on any port.
    void silentPortThatAnsweredTlsIsImplicitTls()
    {
        Case c = failure(ErrorId::GreetingTimeout, StageId::Greeting, u"mail.example.com"_s, 2465);
        VERIFY_NOT_CONTAINS(hintFor(c), u"speaks implicit TLS"_s);
        c.report.server.answersImplicitTls = true;
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"Port 2465 speaks implicit TLS"_s);
        VERIFY_CONTAINS(hint, u"--security tls"_s);
        VERIFY_NOT_CONTAINS(hint, u"tarpitting"_s);
    }

    void closeAfterTlsWithAClientCertificateSuspectsIt()
    {
        Case c = failure(ErrorId::ServerClosed, StageId::Ehlo);
        c.report.tls.used = true;
        VERIFY_NOT_CONTAINS(hintFor(c), u"client certificate"_s);
        c.request.profile.tls.clientCertificateFile = u"/etc/relaydeck/client.pem"_s;
        VERIFY_CONTAINS(hintFor(c), u"client certificate /etc/relaydeck/client.pem"_s);
    }

    void dnsFailureThroughAProxyBlamesTheProxysLookup()
    {
        Case c = failure(ErrorId::DnsFailed, StageId::Connect, u"smtp.internal.example"_s);
        c.report.target.proxy = u"socks5://alice@proxy.example:1080"_s;
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"socks5://alice@proxy.example:1080"_s);
        VERIFY_CONTAINS(hint, u"smtp.internal.example"_s);
        VERIFY_CONTAINS(hint, u"proxy's DNS"_s);
        VERIFY_NOT_CONTAINS(hint, u"this machine's DNS"_s);
    }

    void refusedNamesPortAndCauses()
    {
        const QString hint = hintFor(
            failure(ErrorId::ConnectionRefused, StageId::Connect, u"mail.example.com"_s, 2526));
        VERIFY_CONTAINS(hint, u"2526"_s);
        VERIFY_CONTAINS(hint, u"firewall"_s);
        VERIFY_CONTAINS(hint, u"not running"_s);
        VERIFY_CONTAINS(hint, u"587"_s);
    }

    void port25TimeoutMentionsProviderBlocks()
    {
        const QString hint = hintFor(failure(ErrorId::ConnectTimeout, StageId::Connect,
                                             u"mx.example.com"_s, 25, Security::StartTls));
        VERIFY_CONTAINS(hint, u"firewall"_s);
        VERIFY_CONTAINS(hint, u"block outbound port 25"_s);
        VERIFY_CONTAINS(hint, u"587"_s);
        const QString other = hintFor(failure(ErrorId::ConnectTimeout, StageId::Connect));
        VERIFY_NOT_CONTAINS(other, u"block outbound port 25"_s);
        VERIFY_CONTAINS(other, u"587"_s);
        VERIFY_CONTAINS(hintFor(failure(ErrorId::NetworkUnreachable, StageId::Connect)),
                        u"route"_s);
    }

    void proxyHintsNameTheProxy()
    {
        Case c = failure(ErrorId::ProxyFailed, StageId::Connect);
        c.report.target.proxy = u"socks5://proxy.example:1080"_s;
        VERIFY_CONTAINS(hintFor(c), u"socks5://proxy.example:1080"_s);
        c.report.error.id = ErrorId::ProxyAuthFailed;
        VERIFY_CONTAINS(hintFor(c), u"proxy password"_s);
    }

    // --- Certificates: which check failed, and the SHA-256 to pin ---

    void selfSignedCertificate()
    {
        const CertificateInfo leaf =
            certificate(u"CN=mail.example.com"_s, u"CN=mail.example.com"_s);
        const QString hint = hintFor(certificateFailure(ErrorId::CertificateUntrusted, leaf));
        VERIFY_CONTAINS(hint, u"self-signed"_s);
        VERIFY_CONTAINS(hint, u"--ca-file"_s);
        VERIFY_CONTAINS(hint, u"--pin "_s + leaf.sha256);
    }

    void unknownIssuer()
    {
        const CertificateInfo leaf = certificate(u"CN=mail.example.com"_s, u"CN=Corp Root CA"_s);
        const QString hint = hintFor(certificateFailure(ErrorId::CertificateUntrusted, leaf));
        VERIFY_CONTAINS(hint, u"CN=Corp Root CA"_s);
        VERIFY_CONTAINS(hint, u"not a trusted authority"_s);
        VERIFY_NOT_CONTAINS(hint, u"self-signed"_s);
        VERIFY_CONTAINS(hint, leaf.sha256);
    }

    void expiredCertificateGivesTheDates()
    {
        const CertificateInfo leaf = certificate(u"CN=mail.example.com"_s, u"CN=CA"_s);
        const QString hint = hintFor(certificateFailure(ErrorId::CertificateExpired, leaf));
        VERIFY_CONTAINS(hint, u"expired"_s);
        VERIFY_CONTAINS(hint, LocalDates::dateTime(leaf.notAfter)); // in the reader's locale
        VERIFY_CONTAINS(hint, u"clock"_s);
        VERIFY_CONTAINS(hint, leaf.sha256);

        CertificateInfo future = leaf;
        future.notBefore = QDateTime::currentDateTimeUtc().addYears(1);
        future.notAfter = QDateTime::currentDateTimeUtc().addYears(2);
        const QString early = hintFor(certificateFailure(ErrorId::CertificateExpired, future));
        VERIFY_CONTAINS(early, u"not valid before"_s);
    }

    void hostnameMismatchListsTheNames()
    {
        const CertificateInfo leaf = certificate(u"CN=smtp.other.example"_s, u"CN=CA"_s);
        const QString hint =
            hintFor(certificateFailure(ErrorId::CertificateHostnameMismatch, leaf));
        VERIFY_CONTAINS(hint, u"smtp.other.example, relay.other.example"_s);
        VERIFY_CONTAINS(hint, u"mail.example.com"_s);
        VERIFY_CONTAINS(hint, u"--host"_s);
        VERIFY_CONTAINS(hint, u"--pin "_s + leaf.sha256);
    }

    void certificateHintWithoutAChainStillHelps()
    {
        Case c = failure(ErrorId::CertificateUntrusted, StageId::Tls);
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"--ca-file"_s);
        VERIFY_NOT_CONTAINS(hint, u"--pin"_s); // nothing to pin
    }

    void pinMismatchWarnsBeforeRepinning()
    {
        const CertificateInfo leaf = certificate(u"CN=mail.example.com"_s, u"CN=CA"_s);
        Case c = certificateFailure(ErrorId::CertificatePinMismatch, leaf);
        c.request.profile.tls.pinnedSha256 = {QString(64, u'a')};
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, leaf.sha256);
        VERIFY_CONTAINS(hint, QString(64, u'a'));
        VERIFY_CONTAINS(hint, u"changed"_s);
        VERIFY_CONTAINS(hint, u"intercept"_s);
        VERIFY_CONTAINS(hint, u"before re-pinning"_s);
    }

    // --- STARTTLS ---

    void startTlsNotOfferedNeverFallsBack()
    {
        const QString hint = hintFor(failure(ErrorId::StartTlsNotOffered, StageId::Ehlo));
        VERIFY_CONTAINS(hint, u"never falls back"_s);
        VERIFY_CONTAINS(hint, u"465"_s);
        VERIFY_CONTAINS(hint, u"--security tls"_s);
        VERIFY_CONTAINS(hint, u"security none only on a network you trust"_s);
    }

    void startTlsRejectedAndInjection()
    {
        const QString rejected =
            hintFor(failure(ErrorId::StartTlsRejected, StageId::StartTls, u"mail.example.com"_s,
                            587, Security::StartTls, u"454 4.7.0 TLS not available"_s));
        VERIFY_CONTAINS(rejected, u"465"_s);
        VERIFY_CONTAINS(rejected, u"temporary"_s);
        const QString injection = hintFor(failure(ErrorId::StartTlsInjection, StageId::StartTls));
        VERIFY_CONTAINS(injection, u"man-in-the-middle"_s);
        VERIFY_CONTAINS(injection, u"broken"_s);
    }

    // --- Authentication ---

    void authNotOffered()
    {
        Case plain = failure(ErrorId::AuthNotOffered, StageId::Auth, u"mail.example.com"_s, 25,
                             Security::None);
        plain.report.server.capabilities = {u"PIPELINING"_s, u"STARTTLS"_s};
        VERIFY_CONTAINS(hintFor(plain), u"only after STARTTLS"_s);
        // Without STARTTLS in the EHLO reply, switching to STARTTLS would only fail with
        // starttls-not-offered: the hint must not suggest it.
        plain.report.server.capabilities = {u"PIPELINING"_s};
        const QString noTls = hintFor(plain);
        VERIFY_NOT_CONTAINS(noTls, u"--security starttls"_s);
        VERIFY_CONTAINS(noTls, u"neither AUTH nor STARTTLS"_s);
        VERIFY_CONTAINS(noTls, u"--auth none"_s);
        Case tls = failure(ErrorId::AuthNotOffered, StageId::Auth, u"mail.example.com"_s, 25,
                           Security::StartTls);
        tls.report.tls.used = true;
        const QString hint = hintFor(tls);
        VERIFY_CONTAINS(hint, u"--auth none"_s);
        VERIFY_CONTAINS(hint, u"relay"_s);
        VERIFY_CONTAINS(hint, u"587"_s);
    }

    void mechanismWithheldBeforeTlsPointsToStartTls()
    {
        // Exim and Postfix (smtpd_sasl_security_options = noplaintext) offer PLAIN only after
        // STARTTLS, which they advertise: STARTTLS is the way, not another mechanism.
        Case c = failure(ErrorId::AuthMechanismUnavailable, StageId::Auth, u"mail.example.com"_s,
                         587, Security::None);
        c.request.profile.auth.mechanism = AuthMechanism::Plain;
        c.report.server.authMechanisms = {u"CRAM-MD5"_s, u"NTLM"_s};
        c.report.server.capabilities = {u"STARTTLS"_s, u"AUTH CRAM-MD5 NTLM"_s};
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"--security starttls"_s);
        VERIFY_NOT_CONTAINS(hint, u"--auth cram-md5"_s);
        // After TLS (or without STARTTLS on offer) the other mechanisms are the way.
        c.report.server.capabilities = {u"AUTH CRAM-MD5 NTLM"_s};
        VERIFY_CONTAINS(hintFor(c), u"--auth cram-md5"_s);
        VERIFY_NOT_CONTAINS(hintFor(c), u"--security starttls"_s);
    }

    void mechanismUnavailableListsBothSides()
    {
        Case c = failure(ErrorId::AuthMechanismUnavailable, StageId::Auth);
        c.request.profile.auth.mechanism = AuthMechanism::CramMd5;
        c.report.server.authMechanisms = {u"PLAIN"_s, u"LOGIN"_s};
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"CRAM-MD5"_s);
        VERIFY_CONTAINS(hint, u"PLAIN, LOGIN"_s);
        VERIFY_CONTAINS(hint, u"(--auth plain) or auto"_s);
        const QString desktop = hintFor(c, Reader::Desktop);
        VERIFY_CONTAINS(desktop, u"PLAIN, LOGIN"_s);
        VERIFY_CONTAINS(desktop, u"(Authentication tab → Mechanism: PLAIN) or auto"_s);
        // Automatic, with only mechanisms it never picks by itself.
        c.request.profile.auth.mechanism = AuthMechanism::Auto;
        c.report.server.authMechanisms = {u"XOAUTH2"_s};
        VERIFY_CONTAINS(hintFor(c), u"(--auth xoauth2)"_s);
        VERIFY_CONTAINS(hintFor(c, Reader::Desktop),
                        u"(Authentication tab → Mechanism: XOAUTH2)"_s);
    }

    void authFailedProviderAdvice_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("gmail") << u"smtp.gmail.com"_s
                               << u"535-5.7.8 Username and Password not accepted."_s
                               << QStringList{u"app password"_s, u"OAuth2"_s};
        QTest::newRow("googlemail")
            << u"smtp.googlemail.com"_s << u"535 5.7.8 Bad"_s << QStringList{u"app password"_s};
        QTest::newRow("office365 5.7.139")
            << u"smtp.office365.com"_s
            << u"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
               "for the Tenant."_s
            << QStringList{u"5.7.139"_s, u"SMTP AUTH is disabled"_s, u"Authenticated SMTP"_s,
                           u"OAuth2"_s};
        QTest::newRow("5.7.139 on any host")
            << u"mail.corp.example"_s << u"535 5.7.139 Authentication unsuccessful"_s
            << QStringList{u"5.7.139"_s, u"SMTP AUTH is disabled"_s};
        QTest::newRow("outlook 5.7.3")
            << u"smtp-mail.outlook.com"_s << u"535 5.7.3 Authentication unsuccessful"_s
            << QStringList{u"full mailbox address"_s};
        QTest::newRow("generic 5.7.3")
            << u"mail.example.com"_s << u"535 5.7.3 Authentication unsuccessful"_s
            << QStringList{u"full e-mail address"_s};
        QTest::newRow("yahoo") << u"smtp.mail.yahoo.com"_s << u"535 5.7.0 (#AUTH005)"_s
                               << QStringList{u"app password"_s};
        QTest::newRow("icloud") << u"smtp.mail.me.com"_s << u"535 5.7.8 Error"_s
                                << QStringList{u"app-specific password"_s};
        QTest::newRow("zoho") << u"smtp.zoho.eu"_s << u"535 Authentication Failed"_s
                              << QStringList{u"app-specific password"_s};
        QTest::newRow("fastmail") << u"smtp.fastmail.com"_s << u"535 5.7.0 Incorrect"_s
                                  << QStringList{u"app password"_s};
        QTest::newRow("ses") << u"email-smtp.eu-west-1.amazonaws.com"_s
                             << u"535 Authentication Credentials Invalid"_s
                             << QStringList{u"SMTP credentials"_s, u"IAM"_s, u"eu-west-1"_s};
        QTest::newRow("google wants app password")
            << u"mail.example.com"_s << u"534-5.7.9 Application-specific password required."_s
            << QStringList{u"app password"_s};
    }

    void authFailedProviderAdvice()
    {
        QFETCH(QString, host);
        QFETCH(QString, reply);
        QFETCH(QStringList, expected);
        Case c = failure(ErrorId::AuthFailed, StageId::Auth, host, 587, Security::StartTls, reply);
        c.report.tls.used = true;
        c.report.auth = {u"PLAIN"_s, true, false};
        const QString hint = hintFor(c);
        for (const QString& word : expected)
            VERIFY_CONTAINS(hint, word);
    }

    void authFailedWithAToken()
    {
        Case c = failure(ErrorId::AuthFailed, StageId::Auth, u"smtp.gmail.com"_s, 587,
                         Security::StartTls, u"535 5.7.8 Username and Password not accepted"_s);
        c.request.profile.auth.mechanism = AuthMechanism::XOAuth2;
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"token"_s);
        VERIFY_CONTAINS(hint, u"scope"_s);
    }

    void mustIssueStartTlsFirst_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("stage");
        QTest::newRow("to AUTH") << ErrorId::AuthFailed << StageId::Auth;
        QTest::newRow("to MAIL") << ErrorId::SenderRejected << StageId::Send;
    }

    void mustIssueStartTlsFirst()
    {
        QFETCH(QString, id);
        QFETCH(QString, stage);
        Case c = failure(id, stage, u"localhost"_s, 25, Security::None,
                         u"530 5.7.0 Must issue a STARTTLS command first"_s);
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"requires STARTTLS"_s);
        VERIFY_CONTAINS(hint, u"--security starttls"_s);
        QVERIFY2(hint.indexOf(u"STARTTLS"_s) < 40, "the server's words lead the hint");
        // One cause, one hint: not also "set a username" (5.7.0) or "an address this account
        // may send as".
        VERIFY_NOT_CONTAINS(hint, u"--user"_s);
        VERIFY_NOT_CONTAINS(hint, u"may send as"_s);
        VERIFY_NOT_CONTAINS(hint, u"username"_s);
    }

    void plaintextAuthRefused()
    {
        const QString hint = hintFor(failure(ErrorId::PlaintextAuthRefused, StageId::Auth,
                                             u"mail.example.com"_s, 25, Security::None));
        VERIFY_CONTAINS(hint, u"--security starttls"_s);
        VERIFY_CONTAINS(hint, u"--allow-plaintext-auth"_s);
        VERIFY_CONTAINS(hint, u"trust"_s);
    }

    // --- Sending ---

    void senderRejected()
    {
        const QString ses = hintFor(failure(
            ErrorId::SenderRejected, StageId::Send, u"email-smtp.us-east-1.amazonaws.com"_s, 587,
            Security::StartTls,
            u"554 Message rejected: Email address is not verified. The following identities "
            "failed the check in region US-EAST-1: ops@example.com"_s));
        VERIFY_CONTAINS(ses, u"verified"_s);
        VERIFY_CONTAINS(ses, u"sandbox"_s);
        VERIFY_CONTAINS(ses, u"us-east-1"_s);
        const QString generic =
            hintFor(failure(ErrorId::SenderRejected, StageId::Send, u"mail.example.com"_s, 587,
                            Security::StartTls, u"553 5.7.1 Sender address rejected"_s));
        VERIFY_CONTAINS(generic, u"ops@example.com"_s);
        VERIFY_CONTAINS(generic, u"may send as"_s);
    }

    void delayedSenderRejection_data()
    {
        // Postfix (smtpd_delay_reject = yes) refuses the sender in its answer to RCPT.
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("temporary");
        QTest::newRow("not fully qualified")
            << u"504 5.5.2 <a@localhost>: Sender address rejected: need fully-qualified address"_s
            << u"complete address"_s << false;
        QTest::newRow("domain not found")
            << u"450 4.1.8 <a@nowhere.invalid>: Sender address rejected: Domain not found"_s
            << u"DNS"_s << true;
        QTest::newRow("server configuration error")
            << u"451 4.3.5 <a@example.test>: Sender address rejected: Server configuration "
               "error"_s
            << u"its own configuration"_s << true;
    }

    void delayedSenderRejection()
    {
        QFETCH(QString, reply);
        QFETCH(QString, expected);
        QFETCH(bool, temporary);
        Case c = failure(ErrorId::SenderRejected, StageId::Send, u"mail.example.com"_s, 587,
                         Security::StartTls, reply);
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, expected);
        VERIFY_NOT_CONTAINS(hint, u"relay"_s);
        VERIFY_NOT_CONTAINS(hint, u"--user"_s);
        QCOMPARE(hint.contains(u"temporary (4xx)"_s), temporary);
        // A broken server setup is nothing the profile can fix, whatever the command it
        // answered.
        c.report.error.id = ErrorId::RecipientRejected;
        if (reply.contains(u"4.3.5"_s)) {
            const QString recipient = hintFor(c);
            VERIFY_CONTAINS(recipient, u"its own configuration"_s);
            VERIFY_NOT_CONTAINS(recipient, u"relay"_s);
            VERIFY_NOT_CONTAINS(recipient, u"--user"_s);
        }
    }

    void relayDenied()
    {
        Case c =
            failure(ErrorId::RecipientRejected, StageId::Send, u"mail.example.com"_s, 25,
                    Security::StartTls, u"554 5.7.1 <x@elsewhere.example>: Relay access denied"_s);
        c.request.sendTo = u"x@elsewhere.example"_s;
        const QString hint = hintFor(c);
        VERIFY_CONTAINS(hint, u"relay"_s);
        VERIFY_CONTAINS(hint, u"authentication"_s);
        VERIFY_CONTAINS(hint, u"--user"_s);

        Case unknown = failure(ErrorId::RecipientRejected, StageId::Send, u"mail.example.com"_s,
                               587, Security::StartTls, u"550 5.1.1 User unknown"_s);
        VERIFY_CONTAINS(hintFor(unknown), u"does not exist"_s);
    }

    void messageTooLargeGivesTheLimit()
    {
        Case c = failure(ErrorId::MessageTooLarge, StageId::Send);
        c.report.server.maxSize = 1048576;
        VERIFY_CONTAINS(hintFor(c), u"1048576"_s);
        VERIFY_CONTAINS(hintFor(failure(ErrorId::MessageTooLarge, StageId::Send)), u"smaller"_s);
    }

    // --- Everything else names what it can ---

    void greetingRejectedTalksAboutTheClientAddress()
    {
        const QString hint =
            hintFor(failure(ErrorId::GreetingRejected, StageId::Greeting, u"mail.example.com"_s, 25,
                            Security::StartTls, u"554 5.7.1 Your IP is listed"_s));
        VERIFY_CONTAINS(hint, u"IP address"_s);
        VERIFY_CONTAINS(hint, u"blocklist"_s);
    }

    void stageIsNamed_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("stage");
        QTest::addColumn<QString>("words");
        QTest::newRow("protocol-error auth")
            << ErrorId::ProtocolError << StageId::Auth << u"during authentication (stage auth)"_s;
        QTest::newRow("server-closed ehlo")
            << ErrorId::ServerClosed << StageId::Ehlo << u"after EHLO (stage ehlo)"_s;
        QTest::newRow("timeout send") << ErrorId::Timeout << StageId::Send
                                      << u"while sending the test message (stage send)"_s;
        QTest::newRow("timeout starttls")
            << ErrorId::Timeout << StageId::StartTls << u"during STARTTLS (stage starttls)"_s;
    }

    void stageIsNamed()
    {
        QFETCH(QString, id);
        QFETCH(QString, stage);
        QFETCH(QString, words);
        VERIFY_CONTAINS(hintFor(failure(id, stage)), words);
    }

    void serverClosedEarlyOnTheWrongPortMentionsTheMismatch()
    {
        const QString hint = hintFor(failure(ErrorId::ServerClosed, StageId::Greeting,
                                             u"mail.example.com"_s, 465, Security::StartTls));
        VERIFY_CONTAINS(hint, u"port 465 expects implicit TLS"_s);
        VERIFY_CONTAINS(hint, u"stage greeting"_s);
    }

    // --- The same advice in the desktop editor's words ---

    void desktopHintsNameNoFlag()
    {
        QList<Case> cases;
        for (const QString& id : declaredErrorIds()) {
            for (const QString& stage : {StageId::Greeting, StageId::Ehlo, StageId::StartTls,
                                         StageId::Tls, StageId::Auth, StageId::Send}) {
                cases << failure(id, stage)
                      << failure(id, stage, u"smtp.gmail.com"_s, 465, Security::StartTls,
                                 u"535 5.7.139 no"_s);
                Case tls = certificateFailure(id, certificate(u"CN=a"_s, u"CN=a"_s));
                tls.report.error.stage = stage;
                tls.request.profile.tls.minimumVersion = TlsMinimumVersion::Tls13;
                cases << tls;
            }
            cases << failure(id, StageId::Send, u"mail.example.com"_s, 25, Security::None,
                             u"530 5.7.0 Must issue a STARTTLS command first"_s)
                  << failure(id, StageId::Send, u"mail.example.com"_s, 25, Security::StartTls,
                             u"554 5.7.1 Relay access denied; send as refused"_s);
        }
        cases << failure(u"no-such-error"_s, StageId::Auth);
        int flagsInCommandLineStyle = 0;
        for (const Case& c : std::as_const(cases)) {
            const QString desktop = hintFor(c, Reader::Desktop);
            QVERIFY2(!namesAFlag(desktop), qPrintable(desktop));
            QVERIFY2(!desktop.contains(u"%1"_s) && !desktop.contains(u"%2"_s) &&
                         !desktop.contains(u"%3"_s),
                     qPrintable(desktop));
            QCOMPARE(desktop.isEmpty(), hintFor(c).isEmpty());
            flagsInCommandLineStyle += namesAFlag(hintFor(c)) ? 1 : 0;
        }
        QVERIFY(flagsInCommandLineStyle > 100); // the sweep does reach the flags
    }

    // Sign-in advice in each front end's words: relaydeck-cli names its login command with the
    // profile's name, the desktop its button; neither borrows the other's.
    void oauthSignInInBothStyles_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("reply");
        QTest::newRow("sign-in required") << ErrorId::OAuthSignInRequired << QString();
        QTest::newRow("5.7.139") << ErrorId::AuthFailed
                                 << u"535 5.7.139 Authentication unsuccessful"_s;
        QTest::newRow("5.7.30")
            << ErrorId::AuthFailed
            << u"550 5.7.30 Basic authentication is not supported for Client Submission"_s;
        QTest::newRow("google 5.7.9")
            << ErrorId::AuthFailed << u"534-5.7.9 Application-specific password required."_s;
    }

    void oauthSignInInBothStyles()
    {
        QFETCH(QString, id);
        QFETCH(QString, reply);
        const Case c =
            failure(id, StageId::Auth, u"smtp.example.com"_s, 587, Security::StartTls, reply);
        const QString cli = hintFor(c);
        VERIFY_CONTAINS(cli, u"relaydeck-cli login Test"_s);
        VERIFY_NOT_CONTAINS(cli, u"Sign In…"_s);
        const QString desktop = hintFor(c, Reader::Desktop);
        VERIFY_CONTAINS(desktop, u"Authentication tab → Sign In…"_s);
        VERIFY_NOT_CONTAINS(desktop, u"relaydeck-cli"_s);
        const QString ids = Diagnosis::hint(c.report, c.request, SettingIdWording::instance());
        VERIFY_CONTAINS(ids, u"oauth-sign-in Test"_s);
    }

    void otherRefusalsDoNotPointToSignIn()
    {
        const Case c = failure(ErrorId::AuthFailed, StageId::Auth, u"mail.example.com"_s, 587,
                               Security::StartTls, u"535 5.7.8 Authentication failed"_s);
        VERIFY_NOT_CONTAINS(hintFor(c), u"relaydeck-cli login"_s);
        VERIFY_NOT_CONTAINS(hintFor(c, Reader::Desktop), u"Sign In…"_s);
    }

    void certificateUntrustedInBothStyles()
    {
        const CertificateInfo leaf =
            certificate(u"CN=mail.example.com"_s, u"CN=Internal Root CA"_s);
        const Case c = certificateFailure(ErrorId::CertificateUntrusted, leaf);
        const QString cli = hintFor(c);
        VERIFY_CONTAINS(cli, u"(--ca-file ca.pem)"_s);
        VERIFY_CONTAINS(cli, u"--pin "_s + leaf.sha256);
        const QString desktop = hintFor(c, Reader::Desktop);
        VERIFY_CONTAINS(desktop, u"Internal Root CA"_s);
        VERIFY_CONTAINS(desktop, u"as CA file (Encryption tab → CA file)"_s);
        VERIFY_CONTAINS(desktop, u"SHA-256 "_s + leaf.sha256 + u" (Trust This Certificate…)"_s);
        VERIFY_NOT_CONTAINS(desktop, u"--"_s);
    }

    void tlsOn587InBothStyles()
    {
        const Case c = failure(ErrorId::TlsHandshakeFailed, StageId::Tls, u"mail.example.com"_s,
                               587, Security::ImplicitTls);
        const QString cli = hintFor(c);
        VERIFY_CONTAINS(cli, u"port 587 usually expects STARTTLS"_s);
        VERIFY_CONTAINS(cli, u"(--security starttls)"_s);
        const QString desktop = hintFor(c, Reader::Desktop);
        VERIFY_CONTAINS(desktop, u"port 587 usually expects STARTTLS"_s);
        VERIFY_CONTAINS(desktop, u"(Encryption tab → Security: STARTTLS)"_s);
        VERIFY_NOT_CONTAINS(desktop, u"--"_s);
    }

    void plaintextAuthRefusedInBothStyles()
    {
        const Case c = failure(ErrorId::PlaintextAuthRefused, StageId::Auth, u"mail.example.com"_s,
                               25, Security::None);
        const QString cli = hintFor(c);
        VERIFY_CONTAINS(cli,
                        u"Use STARTTLS (--security starttls) or implicit TLS (--security tls)"_s);
        VERIFY_CONTAINS(cli, u"allow it explicitly (--allow-plaintext-auth)"_s);
        const QString desktop = hintFor(c, Reader::Desktop);
        VERIFY_CONTAINS(desktop, u"Use STARTTLS (Encryption tab → Security: STARTTLS) or implicit "
                                 "TLS (Encryption tab → Security: Implicit TLS)"_s);
        VERIFY_CONTAINS(desktop, u"(Authentication tab → Allow authentication over an "
                                 "unencrypted connection)"_s);
        VERIFY_CONTAINS(desktop, u"mail.example.com"_s);
    }

    void cancelledAndInvalidRequest()
    {
        VERIFY_CONTAINS(hintFor(failure(ErrorId::Cancelled, StageId::Ehlo)), u"run it again"_s);
        VERIFY_CONTAINS(hintFor(failure(ErrorId::InvalidRequest, QString())), u"line breaks"_s);
    }
};

QTEST_GUILESS_MAIN(DiagnosisTest)
#include "tst_diagnosis.moc"
