// The pure parts of settings detection: the autoconfig parser, the provider directory, the
// query parser and the ranking of probed candidates.
#include "detect/AutoconfigParser.h"
#include "detect/CandidateRanking.h"
#include "detect/ProviderDirectory.h"
#include "detect/SettingsDetector.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

namespace {

// A candidate whose probe reached the EHLO after TLS (or failed with `errorId`).
DetectedCandidate probed(const QString& host, int port, Security security, bool verified = true,
                         bool matches = true, QStringList mechanisms = {u"PLAIN"_s},
                         const QString& errorId = {})
{
    DetectedCandidate candidate;
    candidate.host = host;
    candidate.port = port;
    candidate.security = security;
    candidate.sources = {CandidateSource::Probe};
    candidate.probed = true;
    candidate.probe.ok = errorId.isEmpty();
    candidate.probe.error.id = errorId;
    candidate.probe.tls.used = security != Security::None;
    candidate.probe.tls.verified = verified && matches;
    candidate.probe.tls.hostnameMatches = matches;
    candidate.probe.tls.protocol = u"TLSv1.3"_s;
    if (candidate.probe.tls.used)
        candidate.probe.tls.chain.append(CertificateInfo{});
    candidate.probe.server.authMechanisms = mechanisms;
    return candidate;
}

QStringList order(const QList<DetectedCandidate>& candidates)
{
    QStringList keys;
    for (const DetectedCandidate& candidate : candidates)
        keys.append(u"%1:%2"_s.arg(candidate.host).arg(candidate.port));
    return keys;
}

} // namespace

class TestDetection : public QObject
{
    Q_OBJECT

private slots:
    void autoconfigSmtpServerWithPlaceholders()
    {
        const QByteArray xml = R"(<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.org">
  <incomingServer type="imap"><hostname>imap.example.org</hostname><port>993</port>
    <socketType>SSL</socketType></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port>
    <socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username>
    <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
  </outgoingServer>
  <outgoingServer type="smtp"><hostname>out.example.org</hostname><port>465</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
  <outgoingServer type="smtp"><hostname>plain.example.org</hostname><port>25</port>
    <socketType>plain</socketType></outgoingServer>
  <outgoingServer type="smtp"><hostname>odd.example.org</hostname><port>25</port>
    <socketType>carrier-pigeon</socketType></outgoingServer>
  <outgoingServer type="smtp"><hostname>noport.example.org</hostname><port>x</port>
    <socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>)";
        const Result<QList<AutoconfigServer>> parsed =
            AutoconfigParser::parse(xml, u"admin@example.org"_s);
        QVERIFY2(parsed.ok(), qPrintable(parsed.failureMessage()));
        const QList<AutoconfigServer>& servers = parsed.value();
        QCOMPARE(servers.size(), 3);
        QCOMPARE(servers[0].host, u"smtp.example.org"_s);
        QCOMPARE(servers[0].port, 587);
        QVERIFY(servers[0].security == Security::StartTls);
        QCOMPARE(servers[0].username, u"admin"_s);
        QCOMPARE(servers[0].authentication, (QStringList{u"OAuth2"_s, u"password-cleartext"_s}));
        QVERIFY(servers[1].security == Security::ImplicitTls);
        QCOMPARE(servers[1].username, u"admin@example.org"_s);
        QVERIFY(servers[2].security == Security::None);
    }

    void autoconfigRejectsWhatIsNotOne()
    {
        const Result<QList<AutoconfigServer>> html =
            AutoconfigParser::parse("<html><body>hi</body></html>", u"a@b.c"_s);
        QVERIFY(!html);
        QCOMPARE(html.failure().id, FailureId::ParseFailed);
        QVERIFY(!html.failure().message.isEmpty());
        // Not well-formed: nothing from it is trusted, even the part before the error.
        const Result<QList<AutoconfigServer>> broken = AutoconfigParser::parse(
            "<clientConfig><emailProvider><outgoingServer type=\"smtp\"><hostname>a.b"
            "</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>"
            "<broken",
            u"a@b.c"_s);
        QVERIFY(!broken);
        QVERIFY(!broken.failure().message.isEmpty());
    }

    void providers()
    {
        QCOMPARE(ProviderDirectory::presetForDomain(u"GMail.com."_s), u"gmail"_s);
        QCOMPARE(ProviderDirectory::presetForDomain(u"example.org"_s), QString());
        QCOMPARE(ProviderDirectory::presetForMxHost(u"contoso-com.mail.protection.outlook.com."_s),
                 u"office365"_s);
        QCOMPARE(ProviderDirectory::presetForMxHost(u"aspmx.l.google.com"_s), u"gmail"_s);
        QCOMPARE(ProviderDirectory::presetForMxHost(u"mx1.example.pphosted.com"_s), QString());
        // A suffix match is on labels: notgoogle.com is not Google.
        QCOMPARE(ProviderDirectory::presetForMxHost(u"mx.notgoogle.com"_s), QString());
    }

    void queries()
    {
        const auto query = SettingsDetector::parseQuery(u" Admin@Example.ORG "_s);
        QVERIFY2(query.ok(), qPrintable(query.failureMessage()));
        QCOMPARE(query->domain, u"example.org"_s);
        QCOMPARE(query->address, u"Admin@example.org"_s);
        const auto domain = SettingsDetector::parseQuery(u"example.org"_s);
        QVERIFY(domain.ok());
        QVERIFY(domain->address.isEmpty());
        QVERIFY(!SettingsDetector::parseQuery(u"localhost"_s));
        QVERIFY(!SettingsDetector::parseQuery(u"@example.org"_s));
        const auto spaced = SettingsDetector::parseQuery(u"a b@example.org"_s);
        QVERIFY(!spaced);
        QCOMPARE(spaced.failure().id, FailureId::Invalid);
        QVERIFY(!spaced.failure().message.isEmpty());
    }

    void rankingImplicitTlsBeforeStartTls()
    {
        const auto ranked =
            CandidateRanking::sorted({probed(u"smtp.x.org"_s, 25, Security::StartTls),
                                      probed(u"smtp.x.org"_s, 587, Security::StartTls),
                                      probed(u"smtp.x.org"_s, 465, Security::ImplicitTls)});
        QCOMPARE(order(ranked),
                 (QStringList{u"smtp.x.org:465"_s, u"smtp.x.org:587"_s, u"smtp.x.org:25"_s}));
    }

    void rankingVerifiedAndMatchingFirst()
    {
        const auto ranked = CandidateRanking::sorted(
            {probed(u"wrong.x.org"_s, 465, Security::ImplicitTls, true, false),
             probed(u"failed.x.org"_s, 465, Security::ImplicitTls, true, true, {},
                    u"connection-refused"_s),
             probed(u"plain.x.org"_s, 25, Security::None),
             probed(u"good.x.org"_s, 587, Security::StartTls)});
        QCOMPARE(ranked.first().host, u"good.x.org"_s);
        QVERIFY(ranked.first().usable());
        QCOMPARE(ranked.at(1).host, u"wrong.x.org"_s);
        QVERIFY(!ranked.at(1).usable());
        QVERIFY(!ranked.at(1).certificateMatches());
        QCOMPARE(toString(ranked.at(1).verdict()),
                 toString(CandidateVerdict::CertificateForOtherName));
        QVERIFY(!ranked.at(2).usable());
        QVERIFY(!ranked.at(3).usable());
    }

    void rankingUsableMechanismThenOwnDomain()
    {
        DetectedCandidate elsewhere = probed(u"smtp.provider.net"_s, 465, Security::ImplicitTls);
        elsewhere.otherDomain = true;
        const DetectedCandidate gssapiOnly =
            probed(u"a.x.org"_s, 465, Security::ImplicitTls, true, true, {u"GSSAPI"_s});
        const DetectedCandidate own = probed(u"b.x.org"_s, 465, Security::ImplicitTls);
        const auto ranked = CandidateRanking::sorted({gssapiOnly, elsewhere, own});
        QCOMPARE(order(ranked),
                 (QStringList{u"b.x.org:465"_s, u"smtp.provider.net:465"_s, u"a.x.org:465"_s}));
        QVERIFY(!ranked.last().hasUsableMechanism());
        QVERIFY(ranked.at(1).otherDomain);
        QCOMPARE(toString(ranked.at(1).verdict()), toString(CandidateVerdict::Usable));
        QCOMPARE(toString(ranked.last().verdict()), toString(CandidateVerdict::NoUsableMechanism));
    }

    void jsonShape()
    {
        DetectedCandidate candidate = probed(u"smtp.x.org"_s, 465, Security::ImplicitTls);
        candidate.sources = {CandidateSource::Probe, CandidateSource::Srv};
        const QJsonObject json = candidate.toJson();
        QCOMPARE(json.keys(), (QStringList{u"certificateMatches"_s, u"host"_s, u"mechanisms"_s,
                                           u"otherDomain"_s, u"port"_s, u"security"_s, u"source"_s,
                                           u"tls"_s, u"usable"_s, u"verdict"_s}));
        QCOMPARE(json.value(u"verdict"_s).toString(), u"usable"_s);
        QCOMPARE(json.value(u"source"_s).toString(), u"srv"_s);
        QCOMPARE(json.value(u"security"_s).toString(), u"tls"_s);
        QVERIFY(json.value(u"usable"_s).toBool());
    }
};

QTEST_GUILESS_MAIN(TestDetection)
#include "tst_detection.moc"
