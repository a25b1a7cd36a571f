// Engine rule 4 (docs/ARCHITECTURE.md) as a pure decision, including the remote-plaintext case the
// scripted servers (all on loopback) cannot show.
#include "smtp/PlaintextPolicy.h"
#include "smtp/ProxyConfiguration.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

class PlaintextPolicyTest : public QObject
{
    Q_OBJECT

private slots:
    void decisions_data()
    {
        QTest::addColumn<int>("security");
        QTest::addColumn<bool>("allowPlaintext");
        QTest::addColumn<bool>("tlsAccepted");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<bool>("allowed");
        const int none = int(Security::None), starttls = int(Security::StartTls),
                  tls = int(Security::ImplicitTls), automatic = int(Security::Auto);
        QTest::newRow("none, remote") << none << false << false << u"192.0.2.10"_s << false;
        QTest::newRow("none, remote, allowed") << none << true << false << u"192.0.2.10"_s << true;
        QTest::newRow("none, loopback v4") << none << false << false << u"127.0.0.1"_s << true;
        QTest::newRow("none, loopback v6") << none << false << false << u"::1"_s << true;
        QTest::newRow("none, via proxy") << none << false << false << QString() << false;
        QTest::newRow("starttls, no tls") << starttls << true << false << u"127.0.0.1"_s << false;
        QTest::newRow("starttls, tls") << starttls << false << true << u"192.0.2.10"_s << true;
        QTest::newRow("tls, not accepted") << tls << true << false << u"::1"_s << false;
        QTest::newRow("tls, accepted") << tls << false << true << QString() << true;
        // Auto that went on unencrypted: loopback only; allowing plaintext takes security none.
        QTest::newRow("auto, tls") << automatic << false << true << u"192.0.2.10"_s << true;
        QTest::newRow("auto, remote") << automatic << false << false << u"192.0.2.10"_s << false;
        QTest::newRow("auto, remote, allowed")
            << automatic << true << false << u"192.0.2.10"_s << false;
        QTest::newRow("auto, via proxy") << automatic << true << false << QString() << false;
        QTest::newRow("auto, loopback v4") << automatic << false << false << u"127.0.0.1"_s << true;
        QTest::newRow("auto, loopback v6") << automatic << false << false << u"::1"_s << true;
    }

    // Engine rule 13: where security auto may go on without STARTTLS.
    void opportunistic_data()
    {
        QTest::addColumn<int>("security");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<bool>("allowed");
        const int automatic = int(Security::Auto), starttls = int(Security::StartTls),
                  none = int(Security::None);
        QTest::newRow("auto 587 remote") << automatic << 587 << u"192.0.2.10"_s << false;
        QTest::newRow("auto default port remote") << automatic << 0 << u"192.0.2.10"_s << false;
        QTest::newRow("auto 587 loopback") << automatic << 587 << u"127.0.0.1"_s << true;
        QTest::newRow("auto 587 loopback v6") << automatic << 587 << u"::1"_s << true;
        QTest::newRow("auto 25 remote") << automatic << 25 << u"192.0.2.10"_s << true;
        QTest::newRow("auto 25 via proxy") << automatic << 25 << QString() << true;
        QTest::newRow("auto 2525 via proxy") << automatic << 2525 << QString() << false;
        QTest::newRow("auto 465 loopback") << automatic << 465 << u"127.0.0.1"_s << false;
        QTest::newRow("starttls 25 remote") << starttls << 25 << u"192.0.2.10"_s << false;
        QTest::newRow("starttls loopback") << starttls << 587 << u"127.0.0.1"_s << false;
        QTest::newRow("none") << none << 25 << u"127.0.0.1"_s << false;
    }

    void opportunistic()
    {
        QFETCH(int, security);
        QFETCH(int, port);
        QFETCH(QString, peer);
        QFETCH(bool, allowed);
        ConnectionProfile profile;
        profile.security = static_cast<Security>(security);
        profile.port = port;
        QCOMPARE(PlaintextPolicy::allowsOpportunisticPlaintext(
                     profile, peer.isEmpty() ? QHostAddress() : QHostAddress(peer)),
                 allowed);
    }

    void decisions()
    {
        QFETCH(int, security);
        QFETCH(bool, allowPlaintext);
        QFETCH(bool, tlsAccepted);
        QFETCH(QString, peer);
        QFETCH(bool, allowed);
        ConnectionProfile profile;
        profile.security = static_cast<Security>(security);
        profile.auth.allowPlaintext = allowPlaintext;
        QCOMPARE(PlaintextPolicy::allowsSensitiveCommands(
                     profile, tlsAccepted, peer.isEmpty() ? QHostAddress() : QHostAddress(peer)),
                 allowed);
    }

    void proxiesForProfiles()
    {
        ConnectionProfile profile;
        profile.host = u"smtp.example.com"_s;
        QCOMPARE(ProxyConfiguration::proxyFor(profile, {}).type(), QNetworkProxy::NoProxy);
        QCOMPARE(ProxyConfiguration::describe(profile), u"none"_s);

        profile.proxy.type = ProxyType::Socks5;
        profile.proxy.host = u"proxy.lan"_s;
        profile.proxy.port = 1080;
        profile.proxy.username = u"alice"_s;
        QNetworkProxy proxy = ProxyConfiguration::proxyFor(profile, u"pw"_s);
        QCOMPARE(proxy.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(proxy.hostName(), u"proxy.lan"_s);
        QCOMPARE(proxy.port(), 1080);
        QCOMPARE(proxy.user(), u"alice"_s);
        QCOMPARE(proxy.password(), u"pw"_s);
        QVERIFY(ProxyConfiguration::resolvesRemotely(proxy));
        QCOMPARE(ProxyConfiguration::describe(profile), u"socks5://alice@proxy.lan:1080"_s);

        profile.proxy.type = ProxyType::Http;
        profile.proxy.domain = u"CORP"_s;
        proxy = ProxyConfiguration::proxyFor(profile, u"pw"_s);
        QCOMPARE(proxy.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(proxy.user(), u"CORP\\alice"_s);
        QVERIFY(proxy.capabilities().testFlag(QNetworkProxy::TunnelingCapability));
        QCOMPARE(ProxyConfiguration::describe(profile), u"http://alice@proxy.lan:1080"_s);
        // The password is never part of the description.
        QVERIFY(!ProxyConfiguration::describe(profile).contains(u"pw"_s));
    }
};

QTEST_GUILESS_MAIN(PlaintextPolicyTest)
#include "tst_plaintextpolicy.moc"
