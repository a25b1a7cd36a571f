#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace relaydeck {

// One step of a connection test. id is a StageId word; ms is its duration.
struct TestStage
{
    QString id;
    bool ok = false;
    qint64 ms = 0;
    QString detail;
};

// One transcript line. t: milliseconds since the test started; dir: 'C' client, 'S' server,
// '*' an event (TLS established, connection closed...). AUTH payloads are "<redacted>".
struct TranscriptLine
{
    qint64 t = 0;
    QChar dir;
    QString line;
};

struct CertificateInfo
{
    QString subject;
    QString issuer;
    QDateTime notBefore;
    QDateTime notAfter;
    QString sha256; // of the DER certificate: upper-case hex pairs joined by colons (AB:CD:...)
    QStringList subjectAltNames;
    QByteArray pem; // the certificate itself (not in the JSON report), e.g. to trust its issuer
};

struct TlsInfo
{
    bool used = false;
    QString protocol; // "TLSv1.3"
    QString cipher;
    bool verified = false;
    QStringList errors;           // human-readable verification errors, every one of them
    bool hostnameMatches = false; // the certificate names the host (not in the JSON report)
    bool pinned = false; // accepted by the profile's pin, despite `errors` (not in the JSON report)
    QList<CertificateInfo> chain;
};

struct ServerInfo
{
    QString greeting;
    QStringList capabilities;   // EHLO keywords with their parameters, as sent (after TLS)
    QStringList authMechanisms; // upper-case
    qint64 maxSize = -1;        // SIZE parameter; -1 unknown, 0 no limit announced
    // No greeting in plain text, but a TLS handshake on a second connection to the port
    // completed (ImplicitTlsProbe; the error message says so; not in the JSON report).
    bool answersImplicitTls = false;
};

struct AuthInfo
{
    QString mechanism; // upper-case SASL name, empty when no authentication was attempted
    bool attempted = false;
    bool ok = false;
    // Kerberos (GSSAPI): the client principal of the ticket ("alice@EXAMPLE.COM") and the
    // service principal asked for ("smtp@mail.example.com"); empty otherwise.
    QString principal = {};
    QString servicePrincipal = {};
};

struct TestError
{
    QString id;          // an ErrorId word; empty: no error
    QString stage;       // a StageId word
    QString message;     // what happened, in plain words
    QString serverReply; // the server's reply text when one caused the failure
    QString hint;        // what the admin can do about it (from Diagnosis)

    bool isNull() const { return id.isEmpty(); }
};

// How an attempt to connect to one address ended (ConnectAttempt::outcome).
namespace AttemptOutcome {
inline const QString Connected = QStringLiteral("connected"); // this address answered: it won
inline const QString Failed = QStringLiteral("failed");       // refused, unreachable, ...
inline const QString Abandoned = QStringLiteral("abandoned"); // another address answered first
inline const QString TimedOut = QStringLiteral("timeout");    // the connect timeout ended it
inline const QString Cancelled = QStringLiteral("cancelled"); // the test ended otherwise
} // namespace AttemptOutcome

// One connection attempt of the connect stage (Happy Eyeballs, ConnectionRace).
struct ConnectAttempt
{
    QString address;
    qint64 startMs = 0; // since the connect stage began
    qint64 ms = 0;      // how long it ran
    QString outcome;    // an AttemptOutcome word; empty while it runs
    QString detail;     // the socket's error, or which address answered first
};

struct TestTarget
{
    QString host;
    int port = 0;
    QString security; // none|starttls|tls|auto: the profile's
    QString address;  // the IP address connected to (empty until resolved)
    QString proxy;    // "none" or e.g. "socks5://proxy:1080"
    // Every address the connect stage tried and how each attempt ended; empty when a proxy
    // resolves the host.
    QList<ConnectAttempt> attempts = {}; // initialised: aggregate initialisations may omit it
    // What the session used: none|starttls|tls, the profile's own word unless it is auto, whose
    // resolution (engine rule 13) is known once decided; empty until then (null in JSON).
    QString resolvedSecurity = {};

    // For people: the security word, and for auto what it resolved to ("auto -> STARTTLS",
    // "auto -> none (opportunistic)", "auto (not resolved)").
    QString securityText() const;
};

// The outcome of a ConnectionTest: the JSON schema of docs/ARCHITECTURE.md ("File formats").
struct TestReport
{
    bool ok = false;
    QString profile; // empty: ad-hoc test (null in JSON)
    TestTarget target;
    QList<TestStage> stages;
    ServerInfo server;
    TlsInfo tls;
    AuthInfo auth;
    TestError error;
    // What the verdict alone does not say but the reader must know, e.g. security auto going on
    // unencrypted ("encryption: none (opportunistic)"); a passed test may carry them too.
    QStringList warnings;
    QList<TranscriptLine> transcript;

    QJsonObject toJson(bool includeTranscript) const;
    // The time of all stages together (what "passed in N ms" says).
    qint64 totalMs() const;
};

} // namespace relaydeck
