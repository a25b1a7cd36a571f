#include "detect/DetectedCandidate.h"

#include "smtp/AuthExchange.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace relaydeck {

QString toString(CandidateSource source)
{
    switch (source) {
    case CandidateSource::Autoconfig:
        return u"autoconfig"_s;
    case CandidateSource::Srv:
        return u"srv"_s;
    case CandidateSource::Preset:
        return u"preset"_s;
    case CandidateSource::Mx:
        return u"mx"_s;
    case CandidateSource::Probe:
        break;
    }
    return u"probe"_s;
}

bool DetectedCandidate::reachedEhloAfterTls() const
{
    return probed && probe.ok && probe.tls.used && security != Security::None;
}

bool DetectedCandidate::tlsVerified() const
{
    return reachedEhloAfterTls() && probe.tls.verified;
}

bool DetectedCandidate::certificateMatches() const
{
    return probe.tls.used && !probe.tls.chain.isEmpty() && probe.tls.hostnameMatches;
}

bool DetectedCandidate::hasUsableMechanism() const
{
    if (!reachedEhloAfterTls())
        return false;
    if (probe.server.authMechanisms.isEmpty())
        return true; // a relay that does not ask for AUTH
    return AuthExchange::choose(AuthMechanism::Auto, probe.server.authMechanisms).ok();
}

bool DetectedCandidate::usable() const
{
    return tlsVerified() && certificateMatches();
}

CandidateVerdict DetectedCandidate::verdict() const
{
    if (!probed)
        return CandidateVerdict::NotProbed;
    if (!probe.ok && probe.error.id == u"cancelled"_s)
        return CandidateVerdict::NoAnswer;
    if (!probe.ok)
        return CandidateVerdict::ProbeFailed;
    if (security == Security::None)
        return CandidateVerdict::NoEncryption;
    if (!certificateMatches())
        return CandidateVerdict::CertificateForOtherName;
    if (!probe.tls.verified)
        return CandidateVerdict::CertificateNotTrusted;
    if (!hasUsableMechanism())
        return CandidateVerdict::NoUsableMechanism;
    if (probe.server.authMechanisms.isEmpty())
        return CandidateVerdict::NoAuthenticationOffered;
    return CandidateVerdict::Usable;
}

QString toString(CandidateVerdict verdict)
{
    switch (verdict) {
    case CandidateVerdict::NotProbed:
        return u"not-probed"_s;
    case CandidateVerdict::NoAnswer:
        return u"no-answer"_s;
    case CandidateVerdict::ProbeFailed:
        return u"probe-failed"_s;
    case CandidateVerdict::NoEncryption:
        return u"no-encryption"_s;
    case CandidateVerdict::CertificateForOtherName:
        return u"certificate-name-mismatch"_s;
    case CandidateVerdict::CertificateNotTrusted:
        return u"certificate-not-trusted"_s;
    case CandidateVerdict::NoUsableMechanism:
        return u"no-usable-mechanism"_s;
    case CandidateVerdict::NoAuthenticationOffered:
        return u"no-authentication"_s;
    case CandidateVerdict::Usable:
        break;
    }
    return u"usable"_s;
}

CandidateSource DetectedCandidate::primarySource() const
{
    CandidateSource best = CandidateSource::Probe;
    for (CandidateSource source : sources)
        if (static_cast<int>(source) < static_cast<int>(best))
            best = source;
    return best;
}

QString DetectedCandidate::key() const
{
    return u"%1:%2:%3"_s.arg(host.toLower()).arg(port).arg(relaydeck::toString(security));
}

ConnectionProfile DetectedCandidate::toProfile() const
{
    ConnectionProfile profile;
    profile.host = host;
    profile.port = port;
    profile.security = security;
    profile.auth.mechanism = AuthMechanism::Auto;
    profile.auth.username = username;
    profile.preset = presetId;
    return profile;
}

QJsonObject DetectedCandidate::toJson() const
{
    QJsonValue tls = QJsonValue::Null;
    if (probe.tls.used) {
        QJsonObject object{
            {u"protocol"_s, probe.tls.protocol},
            {u"cipher"_s, probe.tls.cipher},
            {u"verified"_s, probe.tls.verified},
            {u"errors"_s, QJsonArray::fromStringList(probe.tls.errors)},
        };
        if (!probe.tls.chain.isEmpty()) {
            const CertificateInfo& leaf = probe.tls.chain.first();
            object.insert(u"subject"_s, leaf.subject);
            object.insert(u"subjectAltNames"_s, QJsonArray::fromStringList(leaf.subjectAltNames));
            object.insert(u"sha256"_s, leaf.sha256);
        }
        tls = object;
    }
    return QJsonObject{
        {u"host"_s, host},
        {u"port"_s, port},
        {u"security"_s, relaydeck::toString(security)},
        {u"source"_s, relaydeck::toString(primarySource())},
        {u"mechanisms"_s, QJsonArray::fromStringList(probe.server.authMechanisms)},
        {u"tls"_s, tls},
        {u"certificateMatches"_s, certificateMatches()},
        {u"usable"_s, usable()},
        {u"verdict"_s, toString(verdict())},
        {u"otherDomain"_s, otherDomain},
    };
}

} // namespace relaydeck
