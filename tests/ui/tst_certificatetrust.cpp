// "Trust This Certificate…" (issue 14 item 4): the dialog offers the issuing CA of the
// presented chain (saved as the connection's CA file in the data folder) or the leaf alone (a
// pin). Trusting the CA survives a renewal; after pinning, the Server panel says "trusted by
// pin" and lists the errors the pin overrides. Scripted TLS servers with the test CA's chain.
#include "MainWindowFixture.h"
#include "UiTestSupport.h"

#include "CertificateTrustDialog.h"
#include "ConnectionEditor.h"
#include "MainWindow.h"
#include "TestPanel.h"
#include "TestReportText.h"

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"
#include "smtp/ErrorIds.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

using Leaf = TestCertificates::Leaf;

// A server that greets over implicit TLS with `leaf` and, when `withCa`, the test CA behind it.
std::unique_ptr<ScriptedSmtpServer> tlsServer(Leaf leaf, bool withCa)
{
    const TestCertificates& certs = TestCertificates::instance();
    auto server = std::make_unique<ScriptedSmtpServer>(greetingAndEhlo({"SIZE 1000"}));
    server->setImplicitTls(true);
    server->setCertificate(certs.certificate(leaf), certs.key(leaf),
                           withCa ? QList<QSslCertificate>{certs.caCertificate()}
                                  : QList<QSslCertificate>{});
    return server;
}

// The Server panel's rows: "label=value".
QStringList serverRows(const QTreeWidget* view)
{
    QStringList rows;
    for (int i = 0; i < view->topLevelItemCount(); ++i)
        rows << view->topLevelItem(i)->text(0) + u'=' + view->topLevelItem(i)->text(1);
    return rows;
}

} // namespace

class TestCertificateTrust : public QObject, private MainWindowFixture
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> dataHome;

    ConnectionProfile openWith(quint16 port)
    {
        ConnectionProfile profile = scriptedProfile(port, Security::ImplicitTls);
        profile.name = u"Company relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        profile.tls.caFile.clear(); // only the system's CAs: the test CA is unknown
        const ConnectionProfile stored = store(profile);
        openWindow();
        return stored;
    }
    bool runTestAndWait()
    {
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        return QTest::qWaitFor([this] { return !window->testPanel()->isRunning(); }, 20000);
    }
    ConnectionProfile stored(const QUuid& id) const
    {
        return reread().findById(id).value_or(ConnectionProfile());
    }

private slots:
    void initTestCase()
    {
        installTestTranslations();
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }
    void init()
    {
        setUpWindowFixture();
        dataHome = std::make_unique<QTemporaryDir>();
        qputenv("XDG_DATA_HOME", dataHome->path().toLocal8Bit());
    }
    void cleanup() { tearDownWindowFixture(); }

    void trustingTheIssuingCaSurvivesARenewal()
    {
        const TestCertificates& certs = TestCertificates::instance();
        // 1: not trusted (the CA is no system CA); 2: the same leaf, now through the CA file;
        // 3: a renewed leaf from the same CA, never seen before.
        auto first = tlsServer(Leaf::Localhost, true);
        auto second = tlsServer(Leaf::Localhost, true);
        auto renewed = tlsServer(Leaf::Renewed, true);
        ConnectionForwarder forwarder;
        QVERIFY(first->listen() && second->listen() && renewed->listen() && forwarder.listen());
        forwarder.addTarget(first->port());
        forwarder.addTarget(second->port());
        forwarder.addTarget(renewed->port());
        const ConnectionProfile profile = openWith(forwarder.port());

        QVERIFY(runTestAndWait());
        QCOMPARE(window->testPanel()->report()->error.id, ErrorId::CertificateUntrusted);
        auto* trust = find<QPushButton>(u"trustCertificateButton"_s);
        QVERIFY(trust->isVisible());

        prompter->trustAnswers << CertificateTrust::IssuingCa;
        QTest::mouseClick(trust, Qt::LeftButton);
        // The dialog was offered the issuer with its subject and fingerprint, and the leaf.
        QCOMPARE(prompter->trustOffers.size(), 1);
        const CertificateTrustOffer offer = prompter->trustOffers.first();
        QVERIFY(offer.issuer.has_value());
        QVERIFY2(offer.issuer->subject.contains(u"Relaydeck Test CA"_s),
                 qPrintable(offer.issuer->subject));
        QCOMPARE(
            offer.issuer->sha256,
            QString::fromLatin1(certs.caCertificate().digest(QCryptographicHash::Sha256).toHex(':'))
                .toUpper());
        QCOMPARE(offer.leaf.sha256, certs.sha256WithColons(Leaf::Localhost));
        QVERIFY(!offer.problems.isEmpty());

        // Saved as the connection's CA file in the data folder; no pin.
        const ConnectionProfile trusted = stored(profile.id);
        QVERIFY2(trusted.tls.caFile.startsWith(dataHome->path()), qPrintable(trusted.tls.caFile));
        QVERIFY(trusted.tls.pinnedSha256.isEmpty());
        QFile caFile(trusted.tls.caFile);
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        QCOMPARE(QSslCertificate::fromData(caFile.readAll()),
                 QList<QSslCertificate>{certs.caCertificate()});

        // Tested again at once: passes, and says verified (not pinned).
        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 20000);
        QVERIFY2(window->testPanel()->report()->ok,
                 qPrintable(TestReportText::format(*window->testPanel()->report())));
        QVERIFY(
            serverRows(find<QTreeWidget>(u"serverView"_s)).contains(u"Certificate verified=yes"_s));

        // The renewal: another leaf from the same CA passes without a question.
        QVERIFY(runTestAndWait());
        QVERIFY2(window->testPanel()->report()->ok,
                 qPrintable(TestReportText::format(*window->testPanel()->report())));
        QCOMPARE(window->testPanel()->report()->tls.chain.first().sha256,
                 certs.sha256WithColons(Leaf::Renewed));
        QCOMPARE(prompter->trustOffers.size(), 1);
    }

    void aPinSaysTrustedByPinAndListsWhatItOverrides()
    {
        const TestCertificates& certs = TestCertificates::instance();
        auto first = tlsServer(Leaf::SelfSigned, false);
        auto second = tlsServer(Leaf::SelfSigned, false);
        ConnectionForwarder forwarder;
        QVERIFY(first->listen() && second->listen() && forwarder.listen());
        forwarder.addTarget(first->port());
        forwarder.addTarget(second->port());
        const ConnectionProfile profile = openWith(forwarder.port());

        QVERIFY(runTestAndWait());
        const QStringList errors = window->testPanel()->report()->tls.errors;
        QVERIFY(!errors.isEmpty());
        prompter->trustAnswers << CertificateTrust::LeafOnly;
        QTest::mouseClick(find<QPushButton>(u"trustCertificateButton"_s), Qt::LeftButton);
        // A self-signed certificate has no issuer to offer.
        QVERIFY(!prompter->trustOffers.first().issuer);
        QCOMPARE(stored(profile.id).tls.pinnedSha256, QStringList{certs.sha256(Leaf::SelfSigned)});
        QVERIFY(stored(profile.id).tls.caFile.isEmpty());

        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 20000);
        QVERIFY(window->testPanel()->report()->ok);
        const QStringList rows = serverRows(find<QTreeWidget>(u"serverView"_s));
        QVERIFY2(rows.contains(u"Certificate verified=trusted by pin"_s),
                 qPrintable(rows.join(u'\n')));
        QVERIFY(!rows.contains(u"Certificate verified=yes"_s));
        for (const QString& error : errors)
            QVERIFY2(rows.contains(u"Overridden by the pin="_s + error), qPrintable(error));
        QVERIFY(rows.filter(u"Verification error"_s).isEmpty());
        screenshot(window.get(), u"trusted-by-pin"_s);
    }

    void theDialogOffersTheIssuerFirst()
    {
        const TestCertificates& certs = TestCertificates::instance();
        CertificateTrustOffer offer;
        offer.connection = u"Company relay"_s;
        offer.problems = {u"The issuer certificate of a locally looked up certificate could not "
                          "be found"_s};
        offer.leaf.subject = u"CN=localhost"_s;
        offer.leaf.issuer = u"O=Relaydeck tests, CN=Relaydeck Test CA"_s;
        offer.leaf.sha256 = certs.sha256WithColons(Leaf::Localhost);
        offer.leaf.notAfter = QDateTime::currentDateTimeUtc().addYears(1);
        CertificateInfo ca;
        ca.subject = u"O=Relaydeck tests, CN=Relaydeck Test CA"_s;
        ca.sha256 = u"AB:CD"_s;
        ca.notAfter = QDateTime::currentDateTimeUtc().addYears(10);
        offer.issuer = ca;
        CertificateTrustDialog dialog(offer);
        auto* issuer = dialog.findChild<QRadioButton*>(u"trustIssuerChoice"_s);
        auto* leaf = dialog.findChild<QRadioButton*>(u"trustLeafChoice"_s);
        QVERIFY(issuer && leaf);
        QVERIFY(!issuer->isHidden());
        QVERIFY(issuer->isChecked());
        QVERIFY(dialog.choice() == CertificateTrust::IssuingCa);
        leaf->setChecked(true);
        QVERIFY(dialog.choice() == CertificateTrust::LeafOnly);
        // The issuer's subject and fingerprint are on show.
        QStringList texts;
        for (const QLabel* label : dialog.findChildren<QLabel*>())
            texts << label->text();
        QVERIFY(texts.contains(ca.subject));
        QVERIFY(texts.contains(ca.sha256));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        screenshot(&dialog, u"certificate-trust-"_s +
                                qEnvironmentVariable("RELAYDECK_UI_TEST_LANGUAGE", u"en"_s));

        offer.issuer.reset();
        CertificateTrustDialog leafOnly(offer);
        QVERIFY(leafOnly.findChild<QRadioButton*>(u"trustIssuerChoice"_s)->isHidden());
        QVERIFY(leafOnly.choice() == CertificateTrust::LeafOnly);
    }
};

QTEST_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
