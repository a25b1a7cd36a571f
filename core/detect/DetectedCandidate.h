#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace relaydeck {

// Where a detected host/port came from. Words (JSON "source"): preset|mx|autoconfig|srv|probe.
enum class CandidateSource
{
    Autoconfig, // the domain's Thunderbird autoconfig file
    Srv,        // DNS SRV _submissions._tcp / _submission._tcp
    Preset,     // a provider preset matched by the domain
    Mx,         // a provider preset matched by the domain's MX hosts, or an MX host itself
    Probe       // smtp./mail./the domain itself on the usual ports
};
QString toString(CandidateSource source);

// One host/port/security proposal and what its probe saw (greeting, capabilities, TLS, AUTH
// mechanisms). The probe never authenticates.
struct DetectedCandidate
{
    QString host;
    int port = 0;
    Security security = Security::StartTls;
    QList<CandidateSource> sources;       // every source that named it, the first is shown
    QString presetId;                     // the provider preset it matches, if any
    QString username;                     // autoconfig's username with its placeholders filled in
    QStringList autoconfigAuthentication; // autoconfig's <authentication> values, e.g. OAuth2
    bool otherDomain = false;             // not in the address's domain: the admin must confirm it

    bool probed = false; // the probe's verdict is in
    TestReport probe;    // what the probe saw (no AUTH was attempted)

    // Ranking inputs, derived from the probe.
    bool reachedEhloAfterTls() const;
    bool tlsVerified() const;
    bool certificateMatches() const;
    bool hasUsableMechanism() const; // a mechanism AUTH "auto" can take, or none needed
    bool usable() const;             // verified TLS up to the second EHLO
    QString reason() const;          // why (not) usable, in words (translated)

    CandidateSource primarySource() const;
    QString key() const; // host:port:security, lower-case
    // The profile "Use" / --add create: host, port, security, mechanism auto, user name.
    ConnectionProfile toProfile() const;

    // {"host", "port", "security", "source", "mechanisms", "tls", "certificateMatches",
    //  "usable", "reason"}
    QJsonObject toJson() const;
};

} // namespace relaydeck
