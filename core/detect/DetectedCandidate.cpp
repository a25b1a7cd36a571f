#include "detect/DetectedCandidate.h"

#include "smtp/AuthExchange.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct DetectedCandidateText
{
    Q_DECLARE_TR_FUNCTIONS(DetectedCandidate)
};

} // namespace

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

QString DetectedCandidate::reason() const
{
    using T = DetectedCandidateText;
    QString text;
    if (!probed)
        text = T::tr("not probed");
    else if (!probe.ok && probe.error.id == u"cancelled"_s)
        text = T::tr("no answer within the time limit");
    else if (!probe.ok)
        text = probe.error.message.isEmpty() ? probe.error.id : probe.error.message;
    else if (security == Security::None)
        text = T::tr("no encryption: not usable");
    else if (!certificateMatches())
        text = T::tr("the certificate is not valid for %1").arg(host);
    else if (!probe.tls.verified)
        text = T::tr("the certificate is not trusted");
    else if (!hasUsableMechanism())
        text = T::tr("verified %1, but no AUTH mechanism Relaydeck can use (%2)")
                   .arg(probe.tls.protocol, probe.server.authMechanisms.join(u' '));
    else if (probe.server.authMechanisms.isEmpty())
        text = T::tr("verified %1, no authentication offered").arg(probe.tls.protocol);
    else
        text = T::tr("verified %1, AUTH %2")
                   .arg(probe.tls.protocol, probe.server.authMechanisms.join(u' '));
    if (otherDomain)
        text += u"; "_s + T::tr("%1 is in another domain: confirm before using it").arg(host);
    return text;
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
        {u"reason"_s, reason()},
    };
}

} // namespace relaydeck
