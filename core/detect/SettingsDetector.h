#pragma once

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

    // Splits and checks the query: address empty for a bare domain. false and *error
    // (translated) for something that is neither.
    static bool parseQuery(const QString& query, QString* address, QString* domain, QString* error);

    // false and *error for a bad query; otherwise the detection runs.
    bool start(const QString& query, const DetectionOptions& options, QString* error = nullptr);
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
