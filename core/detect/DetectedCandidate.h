#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>

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

// Why a candidate is (not) usable. Core names it; the front ends word it with the candidate's
// values (host, TLS protocol, AUTH mechanisms, the probe's error): DesktopWording::verdictWords,
// CliWording::verdictWords. JSON "verdict": the ids of toString().
enum class CandidateVerdict
{
    NotProbed,               // not-probed
    NoAnswer,                // no-answer: no answer within the time limit
    ProbeFailed,             // probe-failed: probe.error says why
    NoEncryption,            // no-encryption
    CertificateForOtherName, // certificate-name-mismatch: not valid for host
    CertificateNotTrusted,   // certificate-not-trusted
    NoUsableMechanism,       // no-usable-mechanism: verified TLS, AUTH nothing Relaydeck can use
    NoAuthenticationOffered, // no-authentication: verified TLS, no AUTH offered
    Usable                   // usable: verified TLS, AUTH mechanisms
};
inline constexpr std::array allCandidateVerdicts{CandidateVerdict::NotProbed,
                                                 CandidateVerdict::NoAnswer,
                                                 CandidateVerdict::ProbeFailed,
                                                 CandidateVerdict::NoEncryption,
                                                 CandidateVerdict::CertificateForOtherName,
                                                 CandidateVerdict::CertificateNotTrusted,
                                                 CandidateVerdict::NoUsableMechanism,
                                                 CandidateVerdict::NoAuthenticationOffered,
                                                 CandidateVerdict::Usable};
QString toString(CandidateVerdict verdict);

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
    bool hasUsableMechanism() const;  // a mechanism AUTH "auto" can take, or none needed
    bool usable() const;              // verified TLS up to the second EHLO
    CandidateVerdict verdict() const; // why (not) usable; otherDomain adds its own caveat

    CandidateSource primarySource() const;
    QString key() const; // host:port:security, lower-case
    // The profile "Use" / --add create: host, port, security, mechanism auto, user name.
    ConnectionProfile toProfile() const;

    // {"host", "port", "security", "source", "mechanisms", "tls", "certificateMatches",
    //  "usable", "verdict", "otherDomain"}; relaydeck-cli adds "reason" in its words.
    QJsonObject toJson() const;
};

} // namespace relaydeck
