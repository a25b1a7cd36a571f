#include "smtp/ConnectionTest.h"

#include "profile/AutoSecurity.h"
#include "smtp/AuthExchange.h"
#include "smtp/ConnectionRace.h"
#include "smtp/Diagnosis.h"
#include "smtp/EhloCapabilities.h"
#include "smtp/ErrorIds.h"
#include "smtp/HostResolver.h"
#include "smtp/ImplicitTlsProbe.h"
#include "smtp/MessageSubmission.h"
#include "smtp/PlaintextPolicy.h"
#include "smtp/ProxyConfiguration.h"
#include "smtp/SmtpSession.h"
#include "smtp/SmtpSessionFactory.h"
#include "smtp/TestMessage.h"
#include "smtp/TlsPeerCheck.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSslCipher>
#include <QSslSocket>
#include <QSysInfo>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// QUIT is a courtesy once the verdict is known: its reply is awaited this long at most.
constexpr int QuitGraceMs = 2000;

// What the next reply answers. Pipelined commands queue several.
enum class Awaiting
{
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Ignored,    // the reply to "*" cancelling an exchange
    Submission, // MAIL, RCPT, DATA or the message: MessageSubmission knows which
    Quit
};

} // namespace

// Where a test is. A test only moves forward through these (it may skip some): the guards
// ("verdict given", "finished emitted") are comparisons on this one value.
enum class Phase
{
    Idle,         // not started
    Connecting,   // validating the request, resolving, connecting: no connection yet
    Plaintext,    // connected; the SMTP dialogue before TLS (STARTTLS, or security none)
    Handshaking,  // the TLS handshake runs
    Encrypted,    // the SMTP dialogue inside an accepted TLS session
    VerdictGiven, // verdictReady() emitted; QUIT waits for an outstanding reply (no PIPELINING)
    Closing,      // QUIT sent, or the connection is being dropped
    Finished      // finished() emitted (or about to be, queued)
};

struct ConnectionTest::Private
{
    explicit Private(ConnectionTest* owner)
        : q(owner)
    {}

    ConnectionTest* q;
    TestRequest request;
    const AdviceWording* wording = &SettingIdWording::instance();
    const SmtpSessionFactory* sessionFactory = &SmtpSessionFactory::real();
    const HostResolver* resolver = &HostResolver::system();
    TestReport report;
    QElapsedTimer clock;
    QElapsedTimer stageClock;
    QString openStage;
    QPointer<SmtpSession> session;
    QTimer replyTimer;
    QTimer overallTimer;
    QTimer closeTimer;
    int lookupId = -1;
    QList<QHostAddress> addresses;
    // Connects to the resolved addresses (Happy Eyeballs); null through a proxy that resolves.
    QPointer<ConnectionRace> race;
    QNetworkProxy proxy;
    QSslConfiguration sslConfiguration;
    QString heloName;
    // How this test secures the session: the profile's security, or what `auto` plans
    // (AutoSecurity::planned; engine rule 13).
    Security mode = Security::StartTls;
    // Security auto that may go on unencrypted when STARTTLS is not offered (known once the
    // peer is: PlaintextPolicy::allowsOpportunisticPlaintext).
    bool opportunistic = false;

    Phase phase = Phase::Idle;
    // Not a phase: an input still to come. startAwaitingPassword(): providePassword() follows.
    bool awaitingPassword = false;
    std::optional<AuthMechanism> authOnHold; // AUTH waits for the password with this mechanism

    QList<Awaiting> awaiting;
    // A silent plaintext port may be waiting for a TLS handshake: see ImplicitTlsProbe.
    ImplicitTlsProbe implicitTlsProbe;
    // QUIT went out with the end of the message data (PIPELINING, RFC 2920 3.1): its reply
    // follows the message's, and sendQuit() only opens the quit stage.
    bool quitSent = false;
    EhloCapabilities capabilities;
    QList<QSslError> sslErrors;
    std::optional<TlsPeerCheck::Verdict> tlsVerdict;

    AuthExchange auth;

    MessageSubmission submission;

    // --- phase ---------------------------------------------------------------------------

    // Moves forward only: a late signal (e.g. the socket's after cancel()) cannot revive a test.
    void enter(Phase next) { phase = std::max(phase, next); }
    bool running() const { return phase > Phase::Idle && phase < Phase::Finished; }
    bool verdictGiven() const { return phase >= Phase::VerdictGiven; }
    bool finishedEmitted() const { return phase == Phase::Finished; }
    // A connection to the server (or the proxy's tunnel to it) is up, before the verdict.
    bool connected() const { return phase >= Phase::Plaintext && phase < Phase::VerdictGiven; }
    bool tlsAccepted() const { return phase == Phase::Encrypted; }

    // --- stages and verdict -------------------------------------------------------------

    void beginStage(const QString& id)
    {
        openStage = id;
        stageClock.start();
        emit q->stageStarted(id);
    }

    void endStage(bool ok, const QString& detail)
    {
        if (openStage.isEmpty())
            return;
        TestStage stage{openStage, ok, stageClock.elapsed(), detail};
        openStage.clear();
        report.stages.append(stage);
        emit q->stageFinished(stage);
    }

    void note(const QString& line) { addTranscript(u'*', line); }

    void addTranscript(QChar dir, const QString& line)
    {
        const TranscriptLine entry{clock.elapsed(), dir, line};
        report.transcript.append(entry);
        emit q->transcriptLine(entry);
    }

    // The verdict is a failure. `polite`: the dialogue is at a command boundary, so QUIT can be
    // sent; otherwise the connection is dropped at once.
    void fail(const QString& errorId, const QString& message, const QString& serverReply = {},
              bool polite = true)
    {
        if (verdictGiven())
            return;
        const bool wasConnected = connected();
        endRace(AttemptOutcome::Cancelled);
        const QString stage = openStage.isEmpty() ? StageId::Resolve : openStage;
        endStage(false, message);
        report.ok = false;
        report.error.id = errorId;
        report.error.stage = stage;
        report.error.message = message;
        report.error.serverReply = serverReply;
        report.error.hint = Diagnosis::hint(report, request, *wording);
        giveVerdict();
        if (polite && wasConnected && session)
            sendQuit();
        else
            closeNow();
    }

    void failWithReply(const QString& errorId, const QString& message, const SmtpReply& reply)
    {
        fail(errorId, message, reply.text(), true);
    }

    void succeed()
    {
        report.ok = true;
        giveVerdict();
        sendQuit();
    }

    void giveVerdict()
    {
        implicitTlsProbe.stop();
        enter(Phase::VerdictGiven);
        overallTimer.stop();
        emit q->verdictReady(report);
    }

    void sendQuit()
    {
        // Without PIPELINING a command waits for the previous reply (e.g. the 501 to "*").
        if (!quitSent && !awaiting.isEmpty() && !capabilities.has(u"PIPELINING"_s))
            return; // stays VerdictGiven: the outstanding reply sends it
        enter(Phase::Closing);
        beginStage(StageId::Quit);
        if (!quitSent) {
            awaiting.append(Awaiting::Quit);
            session->send({{"QUIT", {}}});
            quitSent = true;
        }
        replyTimer.start(std::min(QuitGraceMs, timeoutMs()));
    }

    void closeNow()
    {
        replyTimer.stop();
        if (session)
            session->abort();
        finish();
    }

    void finish()
    {
        if (finishedEmitted())
            return;
        enter(Phase::Finished);
        replyTimer.stop();
        overallTimer.stop();
        closeTimer.stop();
        if (lookupId >= 0)
            resolver->abort(lookupId);
        // Queued: a receiver may delete the test from its slot.
        QMetaObject::invokeMethod(
            q, [this] { emit q->finished(report); }, Qt::QueuedConnection);
    }

    int timeoutMs() const { return std::max(1, request.profile.timeoutSeconds) * 1000; }

    // --- start: validation and name resolution -----------------------------------------

    bool validateRequest()
    {
        const ConnectionProfile& profile = request.profile;
        if (profile.host.trimmed().isEmpty()) {
            fail(ErrorId::InvalidRequest, ConnectionTest::tr("no SMTP host is set"));
            return false;
        }
        heloName = profile.heloName.trimmed();
        if (heloName.isEmpty()) {
            heloName = QSysInfo::machineHostName();
            if (heloName.isEmpty() || !SmtpInputValidation::checkHeloName(heloName))
                heloName = u"localhost"_s;
        } else if (const auto checked = SmtpInputValidation::checkHeloName(heloName); !checked) {
            fail(ErrorId::InvalidRequest,
                 ConnectionTest::tr("HELO name: %1").arg(checked.failure().message));
            return false;
        }
        if (!request.sendTo.isEmpty()) {
            if (const auto checked = SmtpInputValidation::checkAddress(request.sendTo); !checked) {
                fail(ErrorId::InvalidRequest,
                     ConnectionTest::tr("recipient: %1").arg(checked.failure().message));
                return false;
            }
            if (const auto checked = SmtpInputValidation::checkAddress(sender()); !checked) {
                fail(ErrorId::InvalidRequest,
                     sender().isEmpty()
                         ? ConnectionTest::tr(
                               "a test message needs a sender address: set the connection's "
                               "sender (%1)")
                               .arg(wording->where(Setting::Sender))
                         : ConnectionTest::tr("sender: %1").arg(checked.failure().message));
                return false;
            }
        }
        return true;
    }

    QString sender() const
    {
        const ConnectionProfile& profile = request.profile;
        if (!profile.sender.trimmed().isEmpty())
            return profile.sender.trimmed();
        const QString& username =
            request.secrets.username.isEmpty() ? profile.auth.username : request.secrets.username;
        return username.contains(u'@') ? username.trimmed() : QString();
    }

    void start()
    {
        clock.start();
        enter(Phase::Connecting);
        const ConnectionProfile& profile = request.profile;
        report.profile = profile.name;
        report.target.host = profile.host;
        report.target.port = profile.effectivePort();
        report.target.security = toString(profile.security);
        report.target.proxy = ProxyConfiguration::describe(profile);
        mode = AutoSecurity::planned(profile);
        if (profile.security != Security::Auto)
            report.target.resolvedSecurity = toString(profile.security);
        else if (mode == Security::ImplicitTls)
            resolveAuto(Security::ImplicitTls,
                        u"port %1: implicit TLS"_s.arg(AutoSecurity::ImplicitTlsPort));

        beginStage(StageId::Resolve);
        if (!validateRequest())
            return;
        // Before any timing starts: it reads files.
        const Result<QSslConfiguration> configured =
            TlsPeerCheck(profile.tls)
                .configure(QSslConfiguration::defaultConfiguration(),
                           request.secrets.clientKeyPassphrase);
        if (!configured) {
            fail(configured.failure().id == FailureId::Unsupported ? ErrorId::TlsVersionUnavailable
                                                                   : ErrorId::InvalidRequest,
                 configured.failure().message, {}, false);
            return;
        }
        sslConfiguration = configured.value();
        stageClock.start();
        overallTimer.setSingleShot(true);
        // The overall deadline: every stage may use its own timeout, but not forever in sum.
        overallTimer.start(timeoutMs() * 3);

        proxy = ProxyConfiguration::proxyFor(profile, request.secrets.proxyPassword);
        if (ProxyConfiguration::resolvesRemotely(proxy)) {
            endStage(true, ConnectionTest::tr("resolved by the proxy"));
            connectThroughResolvingProxy();
            return;
        }
        const QHostAddress literal(profile.host);
        if (!literal.isNull()) {
            addresses = {literal};
            endStage(true, literal.toString());
            startRace();
            return;
        }
        lookupId = resolver->lookup(profile.host, q,
                                    [this](const QList<QHostAddress>& found, const QString& error) {
                                        onResolved(found, error);
                                    });
    }

    void onResolved(const QList<QHostAddress>& found, const QString& error)
    {
        lookupId = -1;
        if (!running() || verdictGiven())
            return;
        if (found.isEmpty()) {
            fail(ErrorId::DnsFailed,
                 ConnectionTest::tr("cannot resolve %1: %2").arg(request.profile.host, error), {},
                 false);
            return;
        }
        addresses = ConnectionRace::ordered(found);
        QStringList shown;
        for (const QHostAddress& address : std::as_const(addresses))
            shown.append(address.toString());
        endStage(true, shown.join(u", "_s));
        startRace();
    }

    // --- connect and TLS ----------------------------------------------------------------

    // What the connect stage tried: the host name through a resolving proxy, else the addresses
    // attempted so far.
    QString connectTarget() const
    {
        if (!race || race->attempts().isEmpty())
            return request.profile.host;
        QStringList tried;
        for (const ConnectAttempt& attempt : race->attempts())
            tried.append(attempt.address);
        return tried.join(u", "_s);
    }

    // The session's TLS settings and proxy (or its own HTTP CONNECT tunnel).
    void prepareSession(SmtpSession* s) const
    {
        s->setSslConfiguration(sslConfiguration);
        if (ProxyConfiguration::tunnelsItself(request.profile))
            s->setHttpTunnel(proxy.hostName(), proxy.port(), proxy.user(), proxy.password());
        else
            s->setProxy(proxy);
    }

    // A proxy that resolves the host itself gets the name: one connection, nothing to race.
    void connectThroughResolvingProxy()
    {
        const ConnectionProfile& profile = request.profile;
        beginStage(StageId::Connect);
        session = sessionFactory->create(q);
        prepareSession(session);
        wireSession();
        replyTimer.start(timeoutMs());
        session->connectToHost(profile.host, static_cast<quint16>(profile.effectivePort()),
                               profile.host, mode == Security::ImplicitTls);
    }

    // Connects to the resolved addresses, IPv6 first, the next one 250 ms later (RFC 8305):
    // the first connection wins. The connect timeout counts from the latest attempt's start.
    void startRace()
    {
        const ConnectionProfile& profile = request.profile;
        beginStage(StageId::Connect);
        race = new ConnectionRace(q);
        QObject::connect(race, &ConnectionRace::attemptStarted, q,
                         [this] { replyTimer.start(timeoutMs()); });
        QObject::connect(race, &ConnectionRace::transcript, q,
                         [this](QChar dir, const QString& line) { addTranscript(dir, line); });
        QObject::connect(race, &ConnectionRace::won, q, [this](SmtpSession* winner) {
            report.target.attempts = race->attempts();
            winner->setParent(q);
            session = winner;
            wireSession();
            onConnected();
        });
        QObject::connect(race, &ConnectionRace::lost, q,
                         [this](QAbstractSocket::SocketError error, const QString& message) {
                             failToConnect(error, message);
                         });
        race->start(*sessionFactory, addresses, static_cast<quint16>(profile.effectivePort()),
                    profile.host, mode == Security::ImplicitTls,
                    [this](SmtpSession* s) { prepareSession(s); });
    }

    // Ends the attempts still running with `outcome` and records all of them in the report.
    void endRace(const QString& outcome)
    {
        if (!race)
            return;
        race->stop(outcome);
        report.target.attempts = race->attempts();
    }

    // How these attempts ended, for the connect stage and its errors.
    static QString describeAttempts(const QList<ConnectAttempt>& attempts)
    {
        QStringList others;
        for (const ConnectAttempt& attempt : attempts) {
            if (attempt.outcome == AttemptOutcome::Connected)
                continue;
            if (attempt.outcome == AttemptOutcome::Abandoned)
                others.append(ConnectionTest::tr("%1 did not answer within %2 ms and was abandoned")
                                  .arg(attempt.address)
                                  .arg(attempt.ms));
            else if (attempt.outcome == AttemptOutcome::Failed)
                others.append(
                    ConnectionTest::tr("%1 failed: %2").arg(attempt.address, attempt.detail));
            else if (attempt.outcome == AttemptOutcome::TimedOut)
                others.append(ConnectionTest::tr("%1 did not answer").arg(attempt.address));
            else
                others.append(ConnectionTest::tr("%1 was still connecting").arg(attempt.address));
        }
        return others.join(u"; "_s);
    }

    void wireSession()
    {
        SmtpSession* s = session;
        QObject::connect(s, &SmtpSession::transcript, q,
                         [this](QChar dir, const QString& line) { addTranscript(dir, line); });
        QObject::connect(s, &SmtpSession::connected, q, [this] { onConnected(); });
        QObject::connect(s, &SmtpSession::sslErrors, q,
                         [this](const QList<QSslError>& errors) { onSslErrors(errors); });
        QObject::connect(s, &SmtpSession::encrypted, q, [this] { onEncrypted(); });
        QObject::connect(s, &SmtpSession::replyReceived, q,
                         [this](const SmtpReply& reply) { onReply(reply); });
        QObject::connect(s, &SmtpSession::socketError, q,
                         [this](QAbstractSocket::SocketError error, const QString& message) {
                             onSocketError(error, message);
                         });
        QObject::connect(s, &SmtpSession::protocolError, q, [this](const QString& message) {
            if (verdictGiven()) {
                // After the verdict (e.g. a garbled reply to "*" or QUIT) the session reads no
                // more, so no reply or close will come: end here.
                if (openStage == StageId::Quit)
                    endStage(false, message);
                closeNow();
                return;
            }
            fail(ErrorId::ProtocolError, message, {}, false);
        });
        QObject::connect(s, &SmtpSession::closed, q, [this] { onClosed(); });
        QObject::connect(s, &SmtpSession::proxyFailed, q,
                         [this](bool credentials, const QString& message, const QString& status) {
                             fail(credentials ? ErrorId::ProxyAuthFailed : ErrorId::ProxyFailed,
                                  message, status, false);
                         });
    }

    void onConnected()
    {
        enter(Phase::Plaintext);
        const QHostAddress peer = session->peerAddress();
        report.target.address = peer.isNull() ? QString() : peer.toString();
        const QString where =
            u"%1:%2"_s
                .arg(report.target.address.isEmpty() ? request.profile.host : report.target.address)
                .arg(request.profile.effectivePort());
        const QString others = describeAttempts(report.target.attempts);
        endStage(true, others.isEmpty()
                           ? where
                           : ConnectionTest::tr("%1 (also tried: %2)").arg(where, others));
        decideOpportunistic(peer);
        if (mode == Security::ImplicitTls) {
            beginHandshake();
            return;
        }
        beginStage(StageId::Greeting);
        expect(Awaiting::Greeting);
        // Only on a direct connection: through a proxy the probe could not reach the server
        // the same way.
        if (!peer.isNull() && proxy.type() == QNetworkProxy::NoProxy &&
            !ProxyConfiguration::tunnelsItself(request.profile) &&
            timeoutMs() > ImplicitTlsProbe::DefaultDelayMs)
            implicitTlsProbe.start(peer, static_cast<quint16>(request.profile.effectivePort()));
    }

    // The port sent no greeting, but a TLS handshake on a second connection completed.
    void onImplicitTlsAnswered()
    {
        if (verdictGiven() || awaiting.isEmpty() || awaiting.first() != Awaiting::Greeting)
            return;
        report.server.answersImplicitTls = true;
        fail(ErrorId::GreetingTimeout,
             ConnectionTest::tr("the server sent no greeting within %1 s, but the port completed "
                                "a TLS handshake on a second connection: it expects implicit TLS")
                 .arg(ImplicitTlsProbe::DefaultDelayMs / 1000),
             {}, false);
    }

    void beginHandshake()
    {
        beginStage(StageId::Tls);
        enter(Phase::Handshaking);
        sslErrors.clear();
        tlsVerdict.reset();
        replyTimer.start(timeoutMs());
    }

    void recordPeerChain()
    {
        report.tls.used = true;
        report.tls.chain.clear();
        for (const QSslCertificate& certificate : session->socket()->peerCertificateChain())
            report.tls.chain.append(TlsPeerCheck::describe(certificate));
    }

    void onSslErrors(const QList<QSslError>& errors)
    {
        recordPeerChain();
        const TlsPeerCheck check(request.profile.tls);
        const QList<QSslCertificate> chain = session->socket()->peerCertificateChain();
        sslErrors = check.withSystemRoots(errors, chain, request.profile.host);
        const TlsPeerCheck::Verdict verdict = check.judge(sslErrors, chain);
        tlsVerdict = verdict;
        report.tls.errors = verdict.errors;
        if (verdict.accepted)
            session->ignoreSslErrors(errors);
    }

    void onEncrypted()
    {
        replyTimer.stop();
        QSslSocket* socket = session->socket();
        recordPeerChain();
        // Pins are checked even when the chain verified: a pin accepts that certificate only.
        const TlsPeerCheck::Verdict verdict =
            TlsPeerCheck(request.profile.tls).judge(sslErrors, socket->peerCertificateChain());
        report.tls.errors = verdict.errors;
        report.tls.verified = verdict.verified;
        report.tls.pinned = verdict.pinned;
        report.tls.hostnameMatches = verdict.hostnameMatches;
        report.tls.protocol = TlsPeerCheck::protocolName(socket->sessionProtocol());
        report.tls.cipher = socket->sessionCipher().name();
        if (!verdict.accepted) {
            fail(verdict.errorId, certificateMessage(verdict), {}, false);
            return;
        }
        enter(Phase::Encrypted);
        note(u"TLS established: %1, %2%3"_s.arg(
            report.tls.protocol, report.tls.cipher,
            verdict.verified ? QString() : u" (certificate NOT verified)"_s));
        const bool legacy =
            report.tls.protocol == u"TLSv1.0"_s || report.tls.protocol == u"TLSv1.1"_s;
        if (legacy) {
            note(u"%1 is obsolete and insecure (RFC 8996); allowed only because this connection's "
                 "minimum TLS version permits it"_s.arg(report.tls.protocol));
            report.warnings.append(
                ConnectionTest::tr("%1 is obsolete and insecure (RFC 8996): this connection "
                                   "allows it for a legacy server; have the server updated")
                    .arg(report.tls.protocol));
        }
        endStage(true, legacy ? ConnectionTest::tr("%1 %2 (obsolete, insecure)")
                                    .arg(report.tls.protocol, report.tls.cipher)
                              : u"%1 %2"_s.arg(report.tls.protocol, report.tls.cipher));
        if (mode == Security::ImplicitTls) {
            beginStage(StageId::Greeting);
            expect(Awaiting::Greeting);
        } else {
            sendEhlo();
        }
    }

    QString certificateMessage(const TlsPeerCheck::Verdict& verdict) const
    {
        const QString errors = verdict.errors.join(u"; "_s);
        if (verdict.errorId == ErrorId::CertificatePinMismatch)
            return ConnectionTest::tr("the server's certificate is not the pinned one");
        if (verdict.errorId == ErrorId::CertificateExpired)
            return ConnectionTest::tr(
                       "the server's certificate has expired or is not yet valid: %1")
                .arg(errors);
        if (verdict.errorId == ErrorId::CertificateHostnameMismatch)
            return ConnectionTest::tr("the server's certificate is not valid for %1: %2")
                .arg(request.profile.host, errors);
        return ConnectionTest::tr("the server's certificate is not trusted: %1").arg(errors);
    }

    void onSocketError(QAbstractSocket::SocketError error, const QString& message)
    {
        if (finishedEmitted())
            return;
        if (verdictGiven()) {
            closeNow();
            return;
        }
        switch (error) {
        case QAbstractSocket::ProxyAuthenticationRequiredError:
            fail(ErrorId::ProxyAuthFailed,
                 ConnectionTest::tr("the proxy refused the credentials: %1").arg(message), {},
                 false);
            return;
        case QAbstractSocket::ProxyConnectionRefusedError:
        case QAbstractSocket::ProxyConnectionClosedError:
        case QAbstractSocket::ProxyConnectionTimeoutError:
        case QAbstractSocket::ProxyNotFoundError:
        case QAbstractSocket::ProxyProtocolError:
            fail(ErrorId::ProxyFailed, ConnectionTest::tr("the proxy failed: %1").arg(message), {},
                 false);
            return;
        default:
            break;
        }
        if (phase == Phase::Handshaking) {
            if (tlsVerdict && !tlsVerdict->accepted)
                fail(tlsVerdict->errorId, certificateMessage(*tlsVerdict), {}, false);
            else
                fail(ErrorId::TlsHandshakeFailed,
                     ConnectionTest::tr("the TLS handshake failed: %1").arg(message), {}, false);
            return;
        }
        if (phase == Phase::Connecting) {
            failToConnect(error, message);
            return;
        }
        if (error == QAbstractSocket::RemoteHostClosedError) {
            onClosed();
            return;
        }
        fail(ErrorId::ServerClosed, ConnectionTest::tr("the connection failed: %1").arg(message),
             {}, false);
    }

    // No connection came up: every attempt failed (the last one's error), or the resolving
    // proxy's connection did.
    void failToConnect(QAbstractSocket::SocketError error, const QString& message)
    {
        endRace(AttemptOutcome::Cancelled);
        if (proxy.type() != QNetworkProxy::NoProxy && error != QAbstractSocket::HostNotFoundError) {
            fail(ErrorId::ProxyFailed,
                 withAttempts(ConnectionTest::tr("the proxy failed: %1").arg(message)), {}, false);
            return;
        }
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            fail(ErrorId::ConnectionRefused,
                 withAttempts(ConnectionTest::tr("%1 refused the connection on port %2")
                                  .arg(lastAttemptTarget())
                                  .arg(request.profile.effectivePort())),
                 {}, false);
            return;
        case QAbstractSocket::HostNotFoundError:
            fail(ErrorId::DnsFailed,
                 ConnectionTest::tr("cannot resolve %1: %2").arg(request.profile.host, message), {},
                 false);
            return;
        case QAbstractSocket::SocketTimeoutError:
            fail(ErrorId::ConnectTimeout, connectTimeoutMessage(), {}, false);
            return;
        default:
            fail(ErrorId::NetworkUnreachable,
                 withAttempts(
                     ConnectionTest::tr("cannot reach %1: %2").arg(lastAttemptTarget(), message)),
                 {}, false);
            return;
        }
    }

    // The address of the latest attempt (the one whose error ended the race), else the host.
    QString lastAttemptTarget() const
    {
        return report.target.attempts.isEmpty() ? request.profile.host
                                                : report.target.attempts.last().address;
    }

    // `message`, followed by how the other attempts ended when there were several.
    QString withAttempts(const QString& message) const
    {
        if (report.target.attempts.size() < 2)
            return message;
        QList<ConnectAttempt> others = report.target.attempts;
        others.removeLast();
        return ConnectionTest::tr("%1 (also tried: %2)").arg(message, describeAttempts(others));
    }

    QString connectTimeoutMessage() const
    {
        return ConnectionTest::tr("no connection to %1 port %2 within %3 s")
            .arg(connectTarget())
            .arg(request.profile.effectivePort())
            .arg(request.profile.timeoutSeconds);
    }

    void onClosed()
    {
        if (verdictGiven()) {
            if (openStage == StageId::Quit)
                endStage(false,
                         ConnectionTest::tr("the server closed the connection before replying"));
            finish();
            return;
        }
        if (phase == Phase::Handshaking) {
            fail(ErrorId::TlsHandshakeFailed,
                 ConnectionTest::tr("the server closed the connection during the TLS handshake"),
                 {}, false);
            return;
        }
        fail(ErrorId::ServerClosed, ConnectionTest::tr("the server closed the connection"), {},
             false);
    }

    // --- replies ------------------------------------------------------------------------

    void expect(Awaiting what)
    {
        awaiting.append(what);
        replyTimer.start(timeoutMs());
    }

    void onReplyTimeout()
    {
        if (finishedEmitted())
            return;
        if (verdictGiven()) {
            // QUIT's reply (or the one it waits for, e.g. to "*") did not come: close anyway.
            if (openStage == StageId::Quit)
                endStage(false, ConnectionTest::tr("no reply to QUIT"));
            closeNow();
            return;
        }
        if (phase == Phase::Connecting) {
            endRace(AttemptOutcome::TimedOut);
            fail(ErrorId::ConnectTimeout, connectTimeoutMessage(), {}, false);
            return;
        }
        if (phase == Phase::Handshaking) {
            fail(ErrorId::Timeout,
                 ConnectionTest::tr("the TLS handshake did not finish within %1 s")
                     .arg(request.profile.timeoutSeconds),
                 {}, false);
            return;
        }
        if (!awaiting.isEmpty() && awaiting.first() == Awaiting::Greeting) {
            fail(ErrorId::GreetingTimeout,
                 ConnectionTest::tr("the server sent no greeting within %1 s")
                     .arg(request.profile.timeoutSeconds),
                 {}, false);
            return;
        }
        fail(ErrorId::Timeout,
             ConnectionTest::tr("no reply from the server within %1 s")
                 .arg(request.profile.timeoutSeconds),
             {}, false);
    }

    void onReply(const SmtpReply& reply)
    {
        if (finishedEmitted())
            return;
        if (awaiting.isEmpty()) {
            if (verdictGiven())
                return;
            fail(ErrorId::ProtocolError,
                 ConnectionTest::tr("the server sent a reply nobody asked for: %1")
                     .arg(reply.text()),
                 reply.text(), false);
            return;
        }
        const Awaiting what = awaiting.takeFirst();
        if (awaiting.isEmpty())
            replyTimer.stop();
        else
            replyTimer.start(timeoutMs());

        switch (what) {
        case Awaiting::Greeting:
            onGreeting(reply);
            break;
        case Awaiting::Ehlo:
            onEhlo(reply);
            break;
        case Awaiting::Helo:
            onHelo(reply);
            break;
        case Awaiting::StartTls:
            onStartTls(reply);
            break;
        case Awaiting::Auth:
            followAuth(auth.onReply(reply));
            break;
        case Awaiting::Ignored:
            if (phase == Phase::VerdictGiven && awaiting.isEmpty())
                sendQuit();
            break;
        case Awaiting::Submission:
            followSubmission(submission.onReply(reply));
            break;
        case Awaiting::Quit:
            endStage(reply.code == 221, reply.text());
            replyTimer.stop();
            session->disconnectGracefully();
            closeTimer.start(std::min(QuitGraceMs, timeoutMs()));
            break;
        }
    }

    void onGreeting(const SmtpReply& reply)
    {
        implicitTlsProbe.stop();
        report.server.greeting = reply.lines.join(u' ');
        if (reply.code != 220) {
            failWithReply(
                ErrorId::GreetingRejected,
                ConnectionTest::tr("the server refused the session: %1").arg(reply.text()), reply);
            return;
        }
        endStage(true, reply.lines.first());
        sendEhlo();
    }

    void sendEhlo()
    {
        // Nothing learned before TLS survives it (docs/ARCHITECTURE.md engine rule 3).
        capabilities = {};
        report.server.capabilities.clear();
        report.server.authMechanisms.clear();
        report.server.maxSize = -1;
        beginStage(StageId::Ehlo);
        session->send({{"EHLO " + heloName.toUtf8(), {}}});
        expect(Awaiting::Ehlo);
    }

    void onEhlo(const SmtpReply& reply)
    {
        if (reply.code == 250) {
            capabilities = EhloCapabilities::fromReply(reply);
            report.server.capabilities = capabilities.lines();
            report.server.authMechanisms = capabilities.authMechanisms();
            report.server.maxSize = capabilities.maxSize();
            endStage(true, capabilities.lines().join(u", "_s));
            afterEhlo();
            return;
        }
        // HELO has no extensions, so no STARTTLS and no AUTH: only acceptable without TLS.
        if ((reply.code == 500 || reply.code == 502) && (mode == Security::None || opportunistic)) {
            note(u"EHLO not supported: falling back to HELO"_s);
            session->send({{"HELO " + heloName.toUtf8(), {}}});
            expect(Awaiting::Helo);
            return;
        }
        failWithReply(ErrorId::ProtocolError,
                      ConnectionTest::tr("the server refused EHLO: %1").arg(reply.text()), reply);
    }

    void onHelo(const SmtpReply& reply)
    {
        if (reply.code != 250) {
            failWithReply(ErrorId::ProtocolError,
                          ConnectionTest::tr("the server refused HELO: %1").arg(reply.text()),
                          reply);
            return;
        }
        endStage(true, ConnectionTest::tr("HELO (the server offers no extensions)"));
        afterEhlo();
    }

    void afterEhlo()
    {
        const ConnectionProfile& profile = request.profile;
        if (mode == Security::StartTls && !tlsAccepted()) {
            const bool offered = capabilities.has(u"STARTTLS"_s);
            if (!offered && opportunistic) {
                goOnUnencrypted();
            } else {
                beginStage(StageId::StartTls);
                if (!offered) {
                    fail(ErrorId::StartTlsNotOffered,
                         profile.security == Security::Auto
                             ? ConnectionTest::tr(
                                   "the server does not offer STARTTLS; security auto requires it "
                                   "towards %1 on port %2 (only a loopback host or port 25 may go "
                                   "on unencrypted)")
                                   .arg(profile.host)
                                   .arg(profile.effectivePort())
                             : ConnectionTest::tr("the server does not offer STARTTLS; Relaydeck "
                                                  "never falls back to plaintext"));
                    return;
                }
                if (opportunistic) // otherwise resolved on connecting: STARTTLS, required
                    resolveAuto(Security::StartTls, u"the server offers STARTTLS"_s);
                session->send({{"STARTTLS", {}}});
                expect(Awaiting::StartTls);
                return;
            }
        }
        if (profile.usesAuthentication())
            startAuth();
        else if (!request.sendTo.isEmpty())
            startSend();
        else
            succeed();
    }

    // --- security auto (engine rule 13) ---------------------------------------------------

    // Records what auto resolved to, in the report and the transcript (whose notes are English,
    // as the dialogue is).
    void resolveAuto(Security resolved, const QString& why)
    {
        report.target.resolvedSecurity = toString(resolved);
        note(u"security auto -> %1: %2"_s.arg(toString(resolved), why));
    }

    // Auto on a STARTTLS port: once the peer is known, decide whether the session may go on
    // unencrypted when STARTTLS is not offered; if it may not, auto is STARTTLS, required.
    void decideOpportunistic(const QHostAddress& peer)
    {
        if (request.profile.security != Security::Auto || mode != Security::StartTls)
            return;
        opportunistic = PlaintextPolicy::allowsOpportunisticPlaintext(request.profile, peer);
        if (!opportunistic)
            resolveAuto(Security::StartTls,
                        u"required: %1 is not a loopback host and the port is not %2"_s
                            .arg(request.profile.host)
                            .arg(AutoSecurity::OpportunisticPort));
    }

    // Auto towards loopback or on port 25 without STARTTLS: on, unencrypted, never silently.
    void goOnUnencrypted()
    {
        const bool onPort25 = AutoSecurity::opportunisticPort(request.profile);
        const QString why =
            onPort25 ? ConnectionTest::tr("the server does not offer STARTTLS on port %1")
                           .arg(AutoSecurity::OpportunisticPort)
                     : ConnectionTest::tr("the server (a loopback host) does not offer STARTTLS");
        resolveAuto(Security::None, onPort25 ? u"STARTTLS not offered on port %1"_s.arg(
                                                   AutoSecurity::OpportunisticPort)
                                             : u"STARTTLS not offered by a loopback host"_s);
        report.warnings.append(
            ConnectionTest::tr("encryption: none (opportunistic): %1, so security auto went on "
                               "unencrypted; credentials, sender and recipients are sent this "
                               "way only to a loopback host")
                .arg(why));
    }

    void onStartTls(const SmtpReply& reply)
    {
        if (reply.code != 220) {
            failWithReply(ErrorId::StartTlsRejected,
                          ConnectionTest::tr("the server refused STARTTLS: %1").arg(reply.text()),
                          reply);
            return;
        }
        if (!session->startTls()) {
            fail(ErrorId::StartTlsInjection,
                 ConnectionTest::tr(
                     "the server sent data after its 220 reply to STARTTLS, before the TLS "
                     "handshake: possible command injection, connection dropped"),
                 reply.text(), false);
            return;
        }
        endStage(true, reply.text());
        beginHandshake();
    }

    // --- AUTH ---------------------------------------------------------------------------

    bool sensitiveCommandsAllowed()
    {
        return PlaintextPolicy::allowsSensitiveCommands(request.profile, tlsAccepted(),
                                                        session->peerAddress());
    }

    void startAuth()
    {
        const ConnectionProfile& profile = request.profile;
        beginStage(StageId::Auth);
        if (!sensitiveCommandsAllowed()) {
            fail(ErrorId::PlaintextAuthRefused,
                 ConnectionTest::tr(
                     "refusing to send credentials over an unencrypted connection to %1")
                     .arg(profile.host));
            return;
        }
        const AuthExchange::Choice choice = AuthExchange::choose(
            profile.auth.mechanism, capabilities.authMechanisms(), profile.usesKerberosTicket());
        if (!choice.ok()) {
            fail(choice.errorId, choice.message);
            return;
        }
        if (awaitingPassword) {
            authOnHold = choice.mechanism; // providePassword() goes on from here
            return;
        }
        sendAuth(choice.mechanism);
    }

    void passwordArrived(const QString& password)
    {
        request.secrets.smtpPassword = password;
        awaitingPassword = false;
        if (const std::optional<AuthMechanism> chosen = std::exchange(authOnHold, std::nullopt);
            chosen && running() && !verdictGiven())
            sendAuth(*chosen);
    }

    void sendAuth(AuthMechanism chosen)
    {
        const ConnectionProfile& profile = request.profile;
        SaslCredentials credentials;
        credentials.username =
            request.secrets.username.isEmpty() ? profile.auth.username : request.secrets.username;
        credentials.password = request.secrets.smtpPassword;
        credentials.host = profile.host;
        credentials.port = profile.effectivePort();
        const AuthExchange::Next next = auth.start(chosen, credentials);
        report.auth.principal = auth.parties().client;
        report.auth.servicePrincipal = auth.parties().service;
        if (!report.auth.servicePrincipal.isEmpty())
            report.auth.mechanism = auth.mechanismName(); // also when it could not begin
        for (const QString& line : next.notes)
            note(line);
        if (next.action == AuthExchange::Next::Action::Send) {
            report.auth.mechanism = auth.mechanismName();
            report.auth.attempted = true;
        }
        followAuth(next);
    }

    // Does what the exchange asks after its start or a reply.
    void followAuth(const AuthExchange::Next& next)
    {
        switch (next.action) {
        case AuthExchange::Next::Action::Send:
            session->send({{next.line, next.shown}});
            expect(Awaiting::Auth);
            return;
        case AuthExchange::Next::Action::Succeed:
            report.auth.ok = true;
            endStage(true, next.message);
            if (!request.sendTo.isEmpty())
                startSend();
            else
                succeed();
            return;
        case AuthExchange::Next::Action::CancelThenFail:
            session->send({{"*", {}}});
            expect(Awaiting::Ignored); // bounded: the reply to "*" may never come
            fail(next.errorId, next.message, next.serverReply);
            return;
        case AuthExchange::Next::Action::Fail:
            fail(next.errorId, next.message, next.serverReply);
            return;
        }
    }

    // --- the test message ---------------------------------------------------------------

    void startSend()
    {
        const ConnectionProfile& profile = request.profile;
        beginStage(StageId::Send);
        if (!sensitiveCommandsAllowed()) {
            fail(ErrorId::PlaintextAuthRefused,
                 ConnectionTest::tr(
                     "refusing to send the sender and recipient over an unencrypted connection "
                     "to %1")
                     .arg(profile.host));
            return;
        }
        TestMessageSpec spec;
        spec.from = sender();
        spec.to = request.sendTo;
        spec.subject = request.subject.isEmpty()
                           ? ConnectionTest::tr("Relaydeck test message (%1)")
                                 .arg(profile.name.isEmpty() ? profile.host : profile.name)
                           : request.subject;
        spec.body =
            ConnectionTest::tr("This message was sent by Relaydeck to test the SMTP connection %1 "
                               "(%2 port %3).")
                .arg(profile.name.isEmpty() ? profile.host : profile.name, profile.host)
                .arg(profile.effectivePort());
        spec.charset = profile.charset;
        spec.heloName = heloName;
        followSubmission(submission.start(spec, capabilities));
    }

    // Does what the submission asks after its start or a reply.
    void followSubmission(const MessageSubmission::Next& next)
    {
        switch (next.action) {
        case MessageSubmission::Next::Action::Send: {
            QList<SmtpSession::Line> commands;
            for (const QByteArray& line : next.lines)
                commands.append({line, {}});
            session->send(commands);
            for (qsizetype i = 0; i < next.lines.size(); ++i)
                expect(Awaiting::Submission);
            return;
        }
        case MessageSubmission::Next::Action::SendMessage:
            session->sendData(next.payload);
            expect(Awaiting::Submission);
            if (capabilities.has(u"PIPELINING"_s)) {
                // The message's reply decides the verdict whatever comes next, so QUIT may go in
                // the same group (RFC 2920 3.1): one round trip less. Both writes leave together.
                session->send({{"QUIT", {}}});
                awaiting.append(Awaiting::Quit);
                quitSent = true;
            }
            return;
        case MessageSubmission::Next::Action::Wait:
            return;
        case MessageSubmission::Next::Action::Succeed:
            endStage(true, next.message);
            succeed();
            return;
        case MessageSubmission::Next::Action::Fail:
            fail(next.errorId, next.message, next.serverReply, next.polite);
            return;
        }
    }
};

ConnectionTest::ConnectionTest(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->replyTimer.setSingleShot(true);
    d->closeTimer.setSingleShot(true);
    // A timeout the user set to N s must not fire at 0.95 N s, as Qt's default coarse timers may.
    d->replyTimer.setTimerType(Qt::PreciseTimer);
    d->overallTimer.setTimerType(Qt::PreciseTimer);
    connect(&d->replyTimer, &QTimer::timeout, this, [this] { d->onReplyTimeout(); });
    connect(&d->overallTimer, &QTimer::timeout, this, [this] {
        d->fail(ErrorId::Timeout,
                ConnectionTest::tr("the test did not finish within its overall deadline of %1 s")
                    .arg(d->timeoutMs() * 3 / 1000),
                {}, false);
    });
    connect(&d->closeTimer, &QTimer::timeout, this, [this] { d->closeNow(); });
    connect(&d->implicitTlsProbe, &ImplicitTlsProbe::answered, this,
            [this] { d->onImplicitTlsAnswered(); });
}

ConnectionTest::~ConnectionTest()
{
    if (d->lookupId >= 0)
        d->resolver->abort(d->lookupId);
}

void ConnectionTest::setWording(const AdviceWording& wording)
{
    d->wording = &wording;
}

void ConnectionTest::setSessionFactory(const SmtpSessionFactory& factory)
{
    d->sessionFactory = &factory;
}

void ConnectionTest::setResolver(const HostResolver& resolver)
{
    d->resolver = &resolver;
}

void ConnectionTest::start(const TestRequest& request)
{
    if (d->phase != Phase::Idle)
        return;
    d->request = request;
    d->start();
}

void ConnectionTest::startAwaitingPassword(const TestRequest& request)
{
    if (d->phase != Phase::Idle)
        return;
    d->awaitingPassword = true;
    start(request);
}

void ConnectionTest::providePassword(const QString& password)
{
    if (d->awaitingPassword)
        d->passwordArrived(password);
}

void ConnectionTest::cancel()
{
    if (!d->running())
        return;
    if (!d->verdictGiven())
        d->fail(ErrorId::Cancelled, ConnectionTest::tr("the test was cancelled"), {}, false);
    else
        d->closeNow();
}

bool ConnectionTest::isRunning() const
{
    return d->running();
}

const TestReport& ConnectionTest::report() const
{
    return d->report;
}

} // namespace relaydeck
