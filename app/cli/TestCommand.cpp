#include "TestCommand.h"

#include "CliWording.h"
#include "ConnectionOptions.h"
#include "TestAllOutput.h"
#include "batch/ProfileTestBatch.h"
#include "i18n/LocalDates.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"
#include "secrets/RuntimeSecretResolver.h"
#include "smtp/ConnectionTest.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"
#include "smtp/TestMessage.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {} // namespace

QString TestCommand::summary() const
{
    return tr("Test a stored connection, or an ad-hoc one given with CONN options, or every "
              "stored connection at once (--all).");
}

void TestCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(
        u"NAME"_s, tr("A stored connection (omit it to test only what CONN describes)."),
        u"[NAME]"_s);
    ConnectionOptions::addTo(parser);
    parser.addOptions({
        {u"send-to"_s, tr("Also send a test message to ADDR (default: stop after AUTH)."),
         u"ADDR"_s},
        {u"subject"_s, tr("Subject of the test message."), u"TEXT"_s},
        {u"json"_s, tr("Print the test report as JSON.")},
        {u"transcript"_s, tr("Include the SMTP transcript (AUTH payloads are redacted).")},
        {u"all"_s, tr("Test every stored connection with its keychain secrets, many at once.")},
        {u"parallel"_s,
         tr("With --all: test at most N connections at the same time (default: %1).")
             .arg(ProfileTestBatch::defaultMaxParallel),
         u"N"_s},
    });
}

void TestCommand::run(const QCommandLineParser& parser)
{
    m_json = parser.isSet(u"json"_s);
    m_transcript = parser.isSet(u"transcript"_s);
    if (parser.isSet(u"all"_s)) {
        runAll(parser);
        return;
    }
    if (parser.isSet(u"parallel"_s)) {
        fail(tr("--parallel goes with --all"));
        return;
    }

    TestRequest request;
    request.sendTo = parser.value(u"send-to"_s).trimmed();
    request.subject = parser.value(u"subject"_s);
    if (parser.isSet(u"send-to"_s)) {
        if (const auto checked = SmtpInputValidation::checkAddress(request.sendTo); !checked) {
            fail(u"--send-to: "_s + checked.failure().message);
            return;
        }
    }

    const bool stored = !parser.positionalArguments().isEmpty();
    ConnectionProfile profile;
    if (stored) {
        const std::optional<ConnectionProfile> found =
            findProfile(parser.positionalArguments().first());
        if (!found)
            return;
        profile = *found;
    } else if (!parser.isSet(u"host"_s)) {
        fail(tr("give a stored connection's NAME, or --host for an ad-hoc test"));
        return;
    }

    const Result<QMap<SecretSlot, QString>> options =
        ConnectionOptions::applyAndReadSecrets(parser, profile);
    if (!options) {
        fail(options.failure().message);
        return;
    }
    const QMap<SecretSlot, QString>& given = options.value();
    ValidationIssues issues = ProfileValidation::validate(profile);
    if (!stored) // an ad-hoc connection has no name
        issues.removeIf([](const ValidationIssue& issue) { return issue.field == u"name"_s; });
    if (!issues.isEmpty()) {
        fail(tr("cannot test this connection:\n%1").arg(formatIssues(issues)));
        return;
    }

    const auto withGiven = [given](ConnectionSecrets secrets) {
        if (given.contains(SecretSlot::SmtpPassword))
            secrets.smtpPassword = given.value(SecretSlot::SmtpPassword);
        if (given.contains(SecretSlot::ProxyPassword))
            secrets.proxyPassword = given.value(SecretSlot::ProxyPassword);
        if (given.contains(SecretSlot::ClientKeyPassphrase))
            secrets.clientKeyPassphrase = given.value(SecretSlot::ClientKeyPassphrase);
        return secrets;
    };
    request.profile = profile;
    // Only what the test can use and was not given for this run comes from the keychain.
    QList<SecretSlot> secretSlots = ProfileSecretNeeds::slotsForTest(profile);
    secretSlots.removeIf([&given](SecretSlot slot) { return given.contains(slot); });
    // An OAuth profile's access token comes from its stored sign-in (refreshed when needed).
    const bool signIn =
        stored && profile.usesOAuthSignIn() && !given.contains(SecretSlot::SmtpPassword);
    // A password (or user name) the profile reads when a test runs: its variable or command.
    const bool atRunTime = RuntimeSecretResolver::needed(profile);
    if (!stored && atRunTime) {
        request.secrets = withGiven({});
        startResolvingAtRunTime(request, given.contains(SecretSlot::SmtpPassword));
        return;
    }
    if (!stored || (secretSlots.isEmpty() && !signIn && !atRunTime)) {
        request.secrets = withGiven({});
        startTest(request);
        return;
    }
    library()->secretsForTest(
        profile, this,
        [this, request, given, withGiven, signIn](const Result<ProfileSecretValues>& loaded) {
            if (!loaded.ok() && signIn) {
                // No token, so no test: the report says why (nothing was sent to the server).
                const OAuthError error = ProfileLibrary::oauthErrorOf(loaded.failure())
                                             .value_or(OAuthError::failed(loaded.failureMessage()));
                printVerdict(OAuthTokenSource::failureReport(request.profile, error,
                                                             CliWording::instance()));
                finish(m_exitCode);
                return;
            }
            if (!loaded.ok() && endedBeforeConnecting(request.profile, loaded.failure()))
                return;
            if (loaded.ok() && !loaded->warning.isEmpty())
                Console::err(tr("Warning: %1").arg(loaded->warning) + u'\n');
            TestRequest withSecrets = request;
            if (!loaded.ok() && !given.contains(SecretSlot::SmtpPassword)) {
                fail(loaded.failure().message + u'\n' +
                     tr("Give the password for this run with --password-stdin "
                        "or --password-env VAR."));
                return;
            }
            if (!loaded.ok())
                Console::err(tr("Warning: %1").arg(loaded.failure().message) + u'\n');
            withSecrets.secrets =
                withGiven(loaded.ok() ? loaded->connectionSecrets() : ConnectionSecrets());
            startTest(withSecrets);
        },
        given.keys());
}

void TestCommand::runAll(const QCommandLineParser& parser)
{
    // Each stored connection is tested as it is stored: options for one connection make no
    // sense here, and silently ignoring them would test something else than the user asked.
    const QStringList allowed{u"all"_s, u"parallel"_s, u"json"_s, u"config-dir"_s};
    for (const QString& option : parser.optionNames()) {
        if (!allowed.contains(option)) {
            fail(tr("--all tests the stored connections as they are; it takes only --parallel N "
                    "and --json, not --%1")
                     .arg(option));
            return;
        }
    }
    if (!parser.positionalArguments().isEmpty()) {
        fail(tr("give a connection's NAME or --all, not both"));
        return;
    }
    int maxParallel = ProfileTestBatch::defaultMaxParallel;
    if (parser.isSet(u"parallel"_s)) {
        bool ok = false;
        maxParallel = parser.value(u"parallel"_s).toInt(&ok);
        if (!ok || maxParallel < 1 || maxParallel > 1000) {
            fail(tr("--parallel: give a number from 1 to 1000"));
            return;
        }
    }
    ProfileStore* store = loadStore();
    if (!store)
        return;
    const QList<ConnectionProfile> profiles = store->profiles();
    if (profiles.isEmpty()) {
        fail(tr("there are no connections to test in %1 (see 'add')").arg(store->filePath()));
        return;
    }

    auto output = std::make_shared<TestAllOutput>(profiles, m_json);
    auto* batch = new ProfileTestBatch(*library(), this);
    batch->setMaxParallel(maxParallel);
    batch->setWording(CliWording::instance());
    connect(batch, &ProfileTestBatch::profileFinished, this,
            [output](const QUuid& id, const TestReport& report) { output->addReport(id, report); });
    connect(batch, &ProfileTestBatch::profileSkipped, this,
            [output](const QUuid& id, const QString& reason) { output->addNotTested(id, reason); });
    connect(batch, &ProfileTestBatch::finished, this, [this, output] {
        output->printSummary();
        finish(output->exitCode());
    });
    output->printStart(batch->maxParallel());
    batch->start(profiles);
}

void TestCommand::startResolvingAtRunTime(const TestRequest& request, bool passwordGiven)
{
    ConnectionProfile supplying = request.profile;
    if (passwordGiven) // given for this run: the profile's source is not asked
        supplying.auth.passwordSource = SecretSource();
    RuntimeSecretResolver::resolve(
        supplying, this, [this, request](const Result<RuntimeSecrets>& supplied) {
            if (!supplied.ok()) {
                endedBeforeConnecting(request.profile, supplied.failure());
                return;
            }
            TestRequest withSecrets = request;
            supplied->applyTo(withSecrets.secrets);
            startTest(withSecrets);
        });
}

bool TestCommand::endedBeforeConnecting(const ConnectionProfile& profile, const Failure& failure)
{
    if (failure.id != ErrorId::PasswordSourceFailed &&
        failure.id != ErrorId::PasswordCommandDisabled)
        return false;
    // Like a test that failed at AUTH: a report (with --json too) and exit code 1; nothing was
    // sent to the server.
    printVerdict(Diagnosis::reportBeforeConnecting(profile, failure.id, failure.message,
                                                   CliWording::instance()));
    finish(m_exitCode);
    return true;
}

void TestCommand::startTest(const TestRequest& request)
{
    if (const auto missing = ProfileSecretNeeds::missingSecret(request.profile, request.secrets)) {
        fail(CliWording::instance().missingSecret(*missing));
        return;
    }
    auto* test = new ConnectionTest(this);
    test->setWording(CliWording::instance());
    if (!m_json) {
        const TestTarget target{request.profile.host,
                                request.profile.effectivePort(),
                                toString(request.profile.security),
                                {},
                                {}};
        Console::out(
            tr("Testing %1%2:%3 (%4)")
                .arg(request.profile.name.isEmpty() ? QString() : request.profile.name + u" = "_s,
                     target.host)
                .arg(target.port)
                .arg(target.security) +
            u'\n');
        connect(test, &ConnectionTest::stageFinished, this, [this](const TestStage& stage) {
            // QUIT is a courtesy after the verdict: it does not belong under it.
            if (!m_verdictPrinted)
                printStage(stage);
        });
    }
    connect(test, &ConnectionTest::verdictReady, this, [this](const TestReport& report) {
        // With --json --transcript the report is printed once the transcript is complete.
        if (!(m_json && m_transcript))
            printVerdict(report);
    });
    connect(test, &ConnectionTest::finished, this, [this](const TestReport& report) {
        if (!m_verdictPrinted)
            printVerdict(report);
        if (m_transcript && !m_json) {
            QString text = tr("Transcript:") + u'\n';
            for (const TranscriptLine& line : report.transcript)
                text += u"  %1 ms  %2 %3\n"_s.arg(line.t, 6).arg(line.dir).arg(line.line);
            Console::out(text);
        }
        finish(m_exitCode);
    });
    test->start(request);
}

void TestCommand::printStage(const TestStage& stage) const
{
    Console::out(u"  %1 %2 %3 ms%4\n"_s.arg(resultMark(stage.ok))
                     .arg(stage.id.leftJustified(9))
                     .arg(stage.ms, 5)
                     .arg(stage.detail.isEmpty() ? QString() : u"  "_s + stage.detail));
}

void TestCommand::printVerdict(const TestReport& report)
{
    m_verdictPrinted = true;
    m_exitCode = report.ok ? ExitOk : ExitTestFailed;
    if (m_json) {
        Console::out(QString::fromUtf8(
            QJsonDocument(report.toJson(m_transcript)).toJson(QJsonDocument::Indented)));
        return;
    }

    QString text;
    const auto line = [&text](const QString& label, const QString& value) {
        if (!value.isEmpty())
            text += QString(label + u':').leftJustified(15) + value + u'\n';
    };
    line(tr("Server"),
         u"%1:%2 (%3)%4"_s.arg(report.target.host)
             .arg(report.target.port)
             .arg(report.target.securityText())
             .arg(report.target.address.isEmpty() ? QString() : u" "_s + report.target.address));
    if (report.target.security == toString(Security::Auto))
        line(tr("Security"), report.target.securityText());
    if (!report.target.proxy.isEmpty() && report.target.proxy != u"none"_s)
        line(tr("Proxy"), report.target.proxy);
    line(tr("Greeting"), report.server.greeting);
    line(tr("Capabilities"), report.server.capabilities.join(u", "_s));
    if (report.tls.used) {
        QStringList tls{report.tls.protocol, report.tls.cipher,
                        report.tls.verified ? tr("certificate verified")
                                            : tr("certificate NOT verified")};
        tls.removeAll(QString());
        line(tr("TLS"), tls.join(u", "_s));
        for (const QString& error : report.tls.errors)
            line(tr("TLS error"), error);
        if (!report.tls.chain.isEmpty()) {
            const CertificateInfo& leaf = report.tls.chain.first();
            line(tr("Certificate"),
                 tr("%1, issued by %2, valid until %3")
                     .arg(leaf.subject, leaf.issuer, LocalDates::dateTime(leaf.notAfter)));
            line(tr("SHA-256"), leaf.sha256);
        }
    }
    if (report.auth.attempted)
        line(tr("Auth"), u"%1 %2"_s.arg(report.auth.mechanism,
                                        report.auth.ok ? tr("accepted") : tr("refused")));
    if (report.ok) {
        text += resultMark(true) + u' ' + tr("Test passed.") + u'\n';
    } else {
        text += resultMark(false) + u' ' +
                tr("Test failed at %1: %2 (%3)")
                    .arg(report.error.stage, report.error.message, report.error.id) +
                u'\n';
        line(tr("Server said"), report.error.serverReply);
        line(tr("Hint"), report.error.hint);
    }
    for (const QString& warning : report.warnings)
        text += tr("Warning: %1").arg(warning) + u'\n';
    Console::out(text);
}

} // namespace relaydeck::cli
