#pragma once

#include "common/Result.h"
#include "detect/DetectedCandidate.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace relaydeck {

struct DetectionOptions
{
    int timeoutSeconds = 10;          // one probe's time; also bounds the whole detection
    bool allowHttpAutoconfig = false; // also fetch autoconfig over plain http
    QString caFile;                   // extra trusted CAs (PEM), for probes and autoconfig
};

// Finds the SMTP submission settings for "user@domain" or "domain", asynchronously, without
// Widgets and without ever sending a credential. At the same time it looks at:
//  - provider presets matched by the domain, and by its MX hosts (ProviderDirectory);
//  - the domain's Thunderbird autoconfig file over https (http only when allowed);
//  - DNS SRV _submissions._tcp (implicit TLS, RFC 8314) and _submission._tcp (RFC 6186);
//  - smtp.<domain>, mail.<domain> and <domain> on 465 (implicit TLS), 587 and 25 (STARTTLS);
// and probes every host/port found with a ConnectionTest that stops after the EHLO following
// TLS (authentication off, the certificate's problems recorded instead of aborting), then QUIT.
// candidateChanged() reports each candidate as its probe's verdict arrives; finished() comes
// once every lookup and probe is done, at the latest one probe timeout after the DNS answers
// (or after the DNS gave up, which is bounded by the same timeout).
class SettingsDetector : public QObject
{
    Q_OBJECT

public:
    explicit SettingsDetector(QObject* parent = nullptr);
    ~SettingsDetector() override;

    // What the user asked for: "user@domain" or a bare domain (address empty), the domain in
    // ASCII (IDNA).
    struct Query
    {
        QString address;
        QString domain;
    };
    // Splits and checks the query; the Failure invalid (translated message) for something that
    // is neither an address nor a domain.
    static Result<Query> parseQuery(const QString& query);

    // The Failure invalid for a bad query (and, with no message, while a detection runs);
    // otherwise the detection runs.
    Result<void> start(const QString& query, const DetectionOptions& options);
    void cancel(); // finished() follows promptly
    bool isRunning() const;

    QString address() const;
    QString domain() const;
    // Every candidate so far, best first (CandidateRanking).
    QList<DetectedCandidate> candidates() const;

signals:
    // A probe's verdict arrived, or a probed candidate got another source.
    void candidateChanged(const relaydeck::DetectedCandidate& candidate);
    void finished();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace relaydeck
