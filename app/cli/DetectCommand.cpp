#include "DetectCommand.h"

#include "CliWording.h"

#include "profile/Presets.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

constexpr int MaxTimeoutSeconds = 300;

} // namespace

QString DetectCommand::summary() const
{
    return tr("Find the SMTP settings for an address or domain (presets, MX, autoconfig, DNS "
              "SRV, probes); never sends a credential.");
}

void DetectCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"ADDRESS|DOMAIN"_s,
                                 tr("The email address (user@domain) or the domain."));
    parser.addOptions({
        {u"json"_s, tr("Print the candidates as JSON.")},
        {u"timeout"_s,
         tr("Seconds one probe may take; the whole detection ends within this plus the DNS "
            "time (default 10)."),
         u"S"_s},
        {u"add"_s, tr("Store the best candidate as a new connection with this name."), u"NAME"_s},
        {u"confirm"_s,
         tr("With --add: accept a best candidate in another domain than the address's.")},
        {u"ca-file"_s, tr("Also trust the CA certificates in this file (probes and autoconfig)."),
         u"PEM"_s},
        {u"allow-http"_s, tr("Also fetch the autoconfig file over plain http (insecure).")},
    });
}

void DetectCommand::run(const QCommandLineParser& parser)
{
    m_query = parser.positionalArguments().first();
    m_json = parser.isSet(u"json"_s);
    m_confirmOtherDomain = parser.isSet(u"confirm"_s);
    m_caFile = parser.value(u"ca-file"_s);
    DetectionOptions options;
    if (parser.isSet(u"timeout"_s)) {
        bool ok = false;
        const int seconds = parser.value(u"timeout"_s).toInt(&ok);
        if (!ok || seconds < 1 || seconds > MaxTimeoutSeconds) {
            fail(tr("--timeout expects whole seconds from 1 to %1").arg(MaxTimeoutSeconds));
            return;
        }
        options.timeoutSeconds = seconds;
    }
    options.caFile = m_caFile;
    options.allowHttpAutoconfig = parser.isSet(u"allow-http"_s);
    if (parser.isSet(u"add"_s)) {
        m_addName = parser.value(u"add"_s).trimmed();
        if (m_addName.isEmpty()) {
            fail(tr("--add needs a connection name"));
            return;
        }
        // Check the store before spending seconds on the network.
        ProfileStore* store = loadStore();
        if (!store)
            return;
        if (store->findByName(m_addName)) {
            fail(tr("a connection named '%1' already exists").arg(m_addName));
            return;
        }
    }

    m_detector = new SettingsDetector(this);
    connect(m_detector, &SettingsDetector::candidateChanged, this, &DetectCommand::onCandidate);
    connect(m_detector, &SettingsDetector::finished, this, &DetectCommand::onFinished);
    m_clock.start();
    if (const Result<void> started = m_detector->start(m_query, options); !started) {
        fail(started.failure().message);
        return;
    }
    if (!m_json)
        Console::err(tr("Detecting the SMTP settings for %1 (up to %2 s after the DNS "
                        "answers)…")
                         .arg(m_query)
                         .arg(options.timeoutSeconds) +
                     u'\n');
}

void DetectCommand::onCandidate(const DetectedCandidate& candidate)
{
    if (candidate.usable() && m_firstUsableMs < 0)
        m_firstUsableMs = m_clock.elapsed();
    if (m_json || !candidate.probed)
        return;
    Console::err(
        u"  %1 %2:%3 (%4, %5) %6 ms: %7\n"_s.arg(resultMark(candidate.usable()), candidate.host)
            .arg(candidate.port)
            .arg(toString(candidate.security), toString(candidate.primarySource()))
            .arg(m_clock.elapsed())
            .arg(CliWording::verdictWords(candidate)));
}

void DetectCommand::printCandidates(const QList<DetectedCandidate>& candidates) const
{
    if (m_json) {
        QJsonArray array;
        for (const DetectedCandidate& candidate : candidates) {
            QJsonObject entry = candidate.toJson();
            entry.insert(u"reason"_s, CliWording::verdictWords(candidate));
            array.append(entry);
        }
        const QJsonObject object{{u"query"_s, m_query}, {u"candidates"_s, array}};
        Console::out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)));
        return;
    }
    QString text = tr("Candidates for %1, best first:").arg(m_query) + u'\n';
    int number = 0;
    for (const DetectedCandidate& candidate : candidates) {
        QStringList sources;
        for (CandidateSource source : candidate.sources)
            sources.append(toString(source));
        text += u"%1. %2 %3:%4 (%5)  "_s.arg(++number)
                    .arg(candidate.usable() ? resultMark(true)
                         : candidate.probed ? resultMark(false)
                                            : notTestedMark(),
                         candidate.host)
                    .arg(candidate.port)
                    .arg(toString(candidate.security)) +
                tr("source: %1").arg(sources.join(u", "_s));
        if (!candidate.presetId.isEmpty())
            text += u"  "_s + tr("preset: %1").arg(candidate.presetId);
        text += u"\n    "_s + CliWording::verdictWords(candidate) + u'\n';
        const TestReport& probe = candidate.probe;
        if (!probe.server.greeting.isEmpty())
            text += u"    "_s + tr("greeting: %1").arg(probe.server.greeting) + u'\n';
        if (!probe.server.capabilities.isEmpty())
            text += u"    "_s +
                    tr("capabilities: %1").arg(probe.server.capabilities.join(u", "_s)) + u'\n';
        if (probe.tls.used && !probe.tls.chain.isEmpty()) {
            const CertificateInfo& leaf = probe.tls.chain.first();
            text +=
                u"    "_s +
                tr("TLS: %1, certificate %2 (%3)%4")
                    .arg(probe.tls.protocol.isEmpty() ? tr("handshake failed") : probe.tls.protocol,
                         leaf.subject, leaf.subjectAltNames.join(u", "_s),
                         candidate.certificateMatches() ? QString()
                                                        : u" "_s + tr("for another name")) +
                u'\n';
        }
        if (!candidate.autoconfigAuthentication.isEmpty())
            text += u"    "_s +
                    tr("autoconfig: user %1, authentication %2")
                        .arg(candidate.username, candidate.autoconfigAuthentication.join(u", "_s)) +
                    u'\n';
    }
    if (candidates.isEmpty())
        text += u"    "_s + tr("(none found)") + u'\n';
    Console::out(text);
}

bool DetectCommand::addBest(const QList<DetectedCandidate>& candidates)
{
    const DetectedCandidate& best = candidates.first();
    if (best.otherDomain && !m_confirmOtherDomain) {
        fail(tr("the best candidate %1 is in another domain than %2; check it and add "
                "--confirm to store it")
                 .arg(best.host, m_detector->domain()));
        return false;
    }
    ProfileStore* store = loadStore();
    if (!store)
        return false;
    ConnectionProfile profile = best.toProfile();
    profile.name = m_addName;
    profile.tls.caFile = m_caFile;
    const ValidationIssues issues = store->validate(profile);
    if (!issues.isEmpty()) {
        fail(tr("the connection was not added:\n%1").arg(formatIssues(issues)));
        return false;
    }
    const Result<ConnectionProfile> added = store->add(profile);
    if (!added.ok()) {
        fail(added.failure().message);
        return false;
    }
    const ConnectionProfile& stored = *added;
    const QString message = tr("Added '%1' (%2:%3, %4).")
                                .arg(stored.name, stored.host)
                                .arg(stored.effectivePort())
                                .arg(toString(stored.security)) +
                            u'\n';
    if (m_json)
        Console::err(message);
    else
        Console::out(message);
    if (!stored.preset.isEmpty())
        if (const auto preset = Presets::find(stored.preset); preset && !preset->note.isEmpty())
            Console::err(tr("Note: %1").arg(preset->note) + u'\n');
    return true;
}

void DetectCommand::onFinished()
{
    const QList<DetectedCandidate> candidates = m_detector->candidates();
    printCandidates(candidates);
    const bool usable = !candidates.isEmpty() && candidates.first().usable();
    if (!m_json)
        Console::err(
            tr("Done in %1 ms; the first usable candidate after %2.")
                .arg(m_clock.elapsed())
                .arg(m_firstUsableMs < 0 ? tr("(none)") : tr("%1 ms").arg(m_firstUsableMs)) +
            u'\n');
    if (!usable) {
        if (!m_addName.isEmpty())
            Console::err(tr("No usable candidate: nothing was added.") + u'\n');
        finish(ExitTestFailed);
        return;
    }
    if (!m_addName.isEmpty() && !addBest(candidates))
        return;
    finish(ExitOk);
}

} // namespace relaydeck::cli
