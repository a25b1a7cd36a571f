#include "detect/SettingsDetector.h"

#include "detect/AutoconfigParser.h"
#include "detect/CandidateRanking.h"
#include "detect/ProviderDirectory.h"
#include "profile/Presets.h"
#include "smtp/ConnectionTest.h"
#include "smtp/TlsPeerCheck.h"

#include <QCoreApplication>
#include <QDnsLookup>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct SettingsDetectorText
{
    Q_DECLARE_TR_FUNCTIONS(SettingsDetector)
};

QString withoutTrailingDot(QString name)
{
    while (name.endsWith(u'.'))
        name.chop(1);
    return name.toLower();
}

bool inDomain(const QString& host, const QString& domain)
{
    const QString name = withoutTrailingDot(host);
    return name == domain || name.endsWith(u'.' + domain);
}

struct PortChoice
{
    int port;
    Security security;
};

// The usual submission ports when nothing says which one a host uses.
const QList<PortChoice> usualPorts{
    {465, Security::ImplicitTls}, {587, Security::StartTls}, {25, Security::StartTls}};

} // namespace

struct SettingsDetector::Private
{
    explicit Private(SettingsDetector* owner)
        : q(owner)
    {}

    SettingsDetector* q;
    DetectionOptions options;
    QString address;
    QString domain;
    QList<DetectedCandidate> found;                  // in the order found
    QHash<QString, QPointer<ConnectionTest>> probes; // by candidate key, while running
    QList<QPointer<QDnsLookup>> lookups;
    QList<QPointer<QNetworkReply>> replies;
    QNetworkAccessManager* network = nullptr;
    QTimer dnsLimit;
    QTimer deadline;
    bool running = false;
    bool dnsDone = false;
    bool pastDeadline = false;

    int timeoutMs() const { return std::max(1, options.timeoutSeconds) * 1000; }

    qsizetype indexOf(const QString& key) const
    {
        for (qsizetype i = 0; i < found.size(); ++i)
            if (found.at(i).key() == key)
                return i;
        return -1;
    }

    // Adds (or adds a source to) the candidate host:port/security and probes a new one.
    void offer(DetectedCandidate candidate)
    {
        candidate.host = withoutTrailingDot(candidate.host);
        if (candidate.host.isEmpty() || candidate.port <= 0 || candidate.port > 65535)
            return;
        candidate.otherDomain = !inDomain(candidate.host, domain);
        if (candidate.username.isEmpty())
            candidate.username = address;
        const qsizetype index = indexOf(candidate.key());
        if (index >= 0) {
            DetectedCandidate& known = found[index];
            bool changed = false;
            for (CandidateSource source : std::as_const(candidate.sources)) {
                if (!known.sources.contains(source)) {
                    known.sources.append(source);
                    changed = true;
                }
            }
            if (known.presetId.isEmpty() && !candidate.presetId.isEmpty())
                known.presetId = candidate.presetId;
            if (candidate.sources.contains(CandidateSource::Autoconfig)) {
                known.username = candidate.username;
                known.autoconfigAuthentication = candidate.autoconfigAuthentication;
            }
            if (changed && known.probed)
                emit q->candidateChanged(known);
            return;
        }
        found.append(candidate);
        if (!pastDeadline)
            probe(candidate);
    }

    void offerHost(const QString& host, CandidateSource source, const QString& presetId = {})
    {
        for (const PortChoice& choice : usualPorts) {
            DetectedCandidate candidate;
            candidate.host = host;
            candidate.port = choice.port;
            candidate.security = choice.security;
            candidate.sources = {source};
            candidate.presetId = presetId;
            offer(candidate);
        }
    }

    void offerPreset(const QString& presetId, CandidateSource source)
    {
        const std::optional<Preset> preset = Presets::find(presetId);
        if (!preset || preset->host.isEmpty() || preset->needsRegion())
            return;
        QList<PortChoice> choices{{preset->port, preset->security}};
        for (const PresetAlternative& alternative : preset->alternatives)
            choices.append({alternative.port, alternative.security});
        for (const PortChoice& choice : std::as_const(choices)) {
            DetectedCandidate candidate;
            candidate.host = preset->host;
            candidate.port =
                choice.port > 0 ? choice.port : ConnectionProfile::defaultPort(choice.security);
            candidate.security = choice.security;
            candidate.sources = {source};
            candidate.presetId = preset->id;
            offer(candidate);
        }
    }

    // --- probes --------------------------------------------------------------------------

    void probe(const DetectedCandidate& candidate)
    {
        ConnectionProfile profile;
        profile.host = candidate.host;
        profile.port = candidate.port;
        profile.security = candidate.security;
        profile.timeoutSeconds = std::max(1, options.timeoutSeconds);
        // Never authenticate while detecting: no user name, no mechanism.
        profile.auth.mechanism = AuthMechanism::None;
        profile.auth.username.clear();
        // Record the certificate's problems instead of stopping at them, to see the server's
        // AUTH mechanisms after TLS anyway; nothing secret is sent, and the ranking and the
        // "usable" verdict are about verification.
        profile.tls.verifyPeer = false;
        profile.tls.caFile = options.caFile;

        auto* test = new ConnectionTest(q);
        const QString key = candidate.key();
        probes.insert(key, test);
        QObject::connect(test, &ConnectionTest::verdictReady, q,
                         [this, key](const TestReport& report) { onVerdict(key, report); });
        QObject::connect(test, &ConnectionTest::finished, q, [this, key, test] {
            if (probes.value(key) == test)
                probes.remove(key);
            test->deleteLater();
            checkDone();
        });
        TestRequest request;
        request.profile = profile;
        test->start(request);
    }

    void onVerdict(const QString& key, const TestReport& report)
    {
        const qsizetype index = indexOf(key);
        if (index < 0)
            return;
        DetectedCandidate& candidate = found[index];
        candidate.probed = true;
        candidate.probe = report;
        emit q->candidateChanged(candidate);
    }

    // --- DNS -----------------------------------------------------------------------------

    void lookUp(QDnsLookup::Type type, const QString& name)
    {
        auto* lookup = new QDnsLookup(type, name, q);
        lookups.append(lookup);
        QObject::connect(lookup, &QDnsLookup::finished, q, [this, lookup] {
            onLookup(lookup);
            lookups.removeAll(lookup);
            lookup->deleteLater();
            if (lookups.isEmpty())
                onDnsDone();
        });
        lookup->lookup();
    }

    void onLookup(QDnsLookup* lookup)
    {
        if (lookup->error() != QDnsLookup::NoError)
            return;
        if (lookup->type() == QDnsLookup::MX) {
            QList<QDnsMailExchangeRecord> records = lookup->mailExchangeRecords();
            std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
                return a.preference() < b.preference();
            });
            for (const QDnsMailExchangeRecord& record : std::as_const(records)) {
                const QString host = withoutTrailingDot(record.exchange());
                const QString presetId = ProviderDirectory::presetForMxHost(host);
                if (!presetId.isEmpty())
                    offerPreset(presetId, CandidateSource::Mx);
                else if (inDomain(host, domain))
                    offerHost(host, CandidateSource::Mx);
                // An MX host elsewhere that maps to no provider (a filtering service, say)
                // says nothing about where to submit mail: ignored.
            }
            return;
        }
        const bool implicitTls = lookup->name().startsWith(u"_submissions."_s);
        for (const QDnsServiceRecord& record : lookup->serviceRecords()) {
            const QString target = withoutTrailingDot(record.target());
            if (target.isEmpty() || record.port() == 0)
                continue; // "." : the service is decidedly not available (RFC 2782)
            DetectedCandidate candidate;
            candidate.host = target;
            candidate.port = record.port();
            candidate.security = implicitTls ? Security::ImplicitTls : Security::StartTls;
            candidate.sources = {CandidateSource::Srv};
            offer(candidate);
        }
    }

    void onDnsDone()
    {
        if (dnsDone)
            return;
        dnsDone = true;
        dnsLimit.stop();
        for (const QPointer<QDnsLookup>& lookup : QList(lookups))
            if (lookup)
                lookup->abort();
        // The probes' time starts counting for the whole detection now.
        deadline.start(timeoutMs());
        checkDone();
    }

    // --- autoconfig ----------------------------------------------------------------------

    void fetchAutoconfig(const QUrl& url)
    {
        QNetworkRequest request(url);
        TlsSettings tls;
        tls.caFile = options.caFile;
        const Result<QSslConfiguration> configured =
            TlsPeerCheck(tls).configure(QSslConfiguration::defaultConfiguration(), {});
        if (!configured)
            return;
        QSslConfiguration ssl = configured.value();
        if (!options.caFile.isEmpty())
            ssl.addCaCertificates(QSslConfiguration::systemCaCertificates());
        request.setSslConfiguration(ssl);
        request.setTransferTimeout(timeoutMs());
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             options.allowHttpAutoconfig
                                 ? QNetworkRequest::NoLessSafeRedirectPolicy
                                 : QNetworkRequest::SameOriginRedirectPolicy);
        QNetworkReply* reply = network->get(request);
        replies.append(reply);
        QObject::connect(reply, &QNetworkReply::finished, q, [this, reply] {
            replies.removeAll(reply);
            reply->deleteLater();
            const bool ok =
                reply->error() == QNetworkReply::NoError &&
                reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 &&
                (reply->url().scheme() == u"https"_s || options.allowHttpAutoconfig);
            if (ok && !pastDeadline) {
                const QByteArray body = reply->read(1024 * 1024);
                const QString who = address.isEmpty() ? domain : address;
                const Result<QList<AutoconfigServer>> servers = AutoconfigParser::parse(body, who);
                for (const AutoconfigServer& server :
                     servers.ok() ? servers.value() : QList<AutoconfigServer>()) {
                    DetectedCandidate candidate;
                    candidate.host = server.host;
                    candidate.port = server.port;
                    candidate.security = server.security;
                    candidate.sources = {CandidateSource::Autoconfig};
                    candidate.username = server.username;
                    candidate.autoconfigAuthentication = server.authentication;
                    offer(candidate);
                }
            }
            checkDone();
        });
    }

    void startAutoconfig()
    {
        const QString who = address.isEmpty() ? domain : address;
        QUrlQuery query;
        query.addQueryItem(u"emailaddress"_s, who);
        QUrl first(u"https://autoconfig.%1/mail/config-v1.1.xml"_s.arg(domain));
        first.setQuery(query);
        fetchAutoconfig(first);
        fetchAutoconfig(
            QUrl(u"https://%1/.well-known/autoconfig/mail/config-v1.1.xml"_s.arg(domain)));
        if (options.allowHttpAutoconfig) {
            QUrl plain = first;
            plain.setScheme(u"http"_s);
            fetchAutoconfig(plain);
        }
    }

    // --- the end -------------------------------------------------------------------------

    void onDeadline()
    {
        pastDeadline = true;
        for (const QPointer<QNetworkReply>& reply : QList(replies))
            if (reply)
                reply->abort();
        for (const QPointer<ConnectionTest>& test : QList(probes.values()))
            if (test)
                test->cancel();
        checkDone();
    }

    void checkDone()
    {
        if (!running || !dnsDone || !replies.isEmpty() || !probes.isEmpty())
            return;
        running = false;
        deadline.stop();
        dnsLimit.stop();
        QMetaObject::invokeMethod(
            q, [this] { emit q->finished(); }, Qt::QueuedConnection);
    }
};

SettingsDetector::SettingsDetector(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->network = new QNetworkAccessManager(this);
    d->dnsLimit.setSingleShot(true);
    d->deadline.setSingleShot(true);
    connect(&d->dnsLimit, &QTimer::timeout, this, [this] { d->onDnsDone(); });
    connect(&d->deadline, &QTimer::timeout, this, [this] { d->onDeadline(); });
}

SettingsDetector::~SettingsDetector()
{
    for (const QPointer<ConnectionTest>& test : d->probes.values())
        if (test)
            test->disconnect(this);
}

Result<SettingsDetector::Query> SettingsDetector::parseQuery(const QString& query)
{
    const QString text = query.trimmed();
    const qsizetype at = text.lastIndexOf(u'@');
    const QString local = at >= 0 ? text.left(at) : QString();
    const QString name = withoutTrailingDot(at >= 0 ? text.mid(at + 1) : text);
    const QString ace = QString::fromLatin1(QUrl::toAce(name));
    static const QRegularExpression domainPattern(
        u"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$"_s);
    if (ace.isEmpty() || !domainPattern.match(ace).hasMatch()) {
        return Failure{
            FailureId::Invalid,
            SettingsDetectorText::tr("'%1' is neither an email address nor a domain").arg(query)};
    }
    if (at >= 0 && (local.isEmpty() || local.contains(QRegularExpression(u"[\\s<>\"]"_s)))) {
        return Failure{FailureId::Invalid,
                       SettingsDetectorText::tr("'%1' is not a valid email address").arg(query)};
    }
    return Query{at >= 0 ? local + u'@' + ace : QString(), ace};
}

Result<void> SettingsDetector::start(const QString& query, const DetectionOptions& options)
{
    if (d->running)
        return Failure{FailureId::Invalid, QString()};
    const Result<Query> parsed = parseQuery(query);
    if (!parsed)
        return parsed.failure();
    d->address = parsed->address;
    d->domain = parsed->domain;
    d->options = options;
    d->running = true;
    d->dnsDone = false;
    d->pastDeadline = false;
    d->found.clear();

    d->dnsLimit.start(d->timeoutMs());
    d->lookUp(QDnsLookup::MX, d->domain);
    d->lookUp(QDnsLookup::SRV, u"_submissions._tcp."_s + d->domain);
    d->lookUp(QDnsLookup::SRV, u"_submission._tcp."_s + d->domain);
    d->startAutoconfig();
    const QString presetId = ProviderDirectory::presetForDomain(d->domain);
    if (!presetId.isEmpty())
        d->offerPreset(presetId, CandidateSource::Preset);
    for (const QString& host :
         QStringList{u"smtp."_s + d->domain, u"mail."_s + d->domain, d->domain})
        d->offerHost(host, CandidateSource::Probe);
    return {};
}

void SettingsDetector::cancel()
{
    if (!d->running)
        return;
    d->onDnsDone();
    d->deadline.stop();
    d->onDeadline();
}

bool SettingsDetector::isRunning() const
{
    return d->running;
}

QString SettingsDetector::address() const
{
    return d->address;
}

QString SettingsDetector::domain() const
{
    return d->domain;
}

QList<DetectedCandidate> SettingsDetector::candidates() const
{
    return CandidateRanking::sorted(d->found);
}

} // namespace relaydeck
