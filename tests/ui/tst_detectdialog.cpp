// The "New from Address…" dialog: candidates arriving one by one are listed best first, the
// best usable one is preselected, "Use" needs a usable candidate (and the confirmation for a
// host in another domain), and gives the profile to create.
#include "DesktopWording.h"
#include "DetectDialog.h"

#include "i18n/Translations.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;
using namespace relaydeck::ui;

namespace {

DetectedCandidate candidate(const QString& host, int port, Security security, bool usable,
                            CandidateSource source = CandidateSource::Probe)
{
    DetectedCandidate c;
    c.host = host;
    c.port = port;
    c.security = security;
    c.sources = {source};
    c.username = u"admin@example.org"_s;
    c.probed = true;
    c.probe.ok = true;
    c.probe.tls.used = true;
    c.probe.tls.verified = usable;
    c.probe.tls.hostnameMatches = usable;
    c.probe.tls.protocol = u"TLSv1.3"_s;
    c.probe.tls.chain.append(CertificateInfo{});
    c.probe.server.authMechanisms = {u"PLAIN"_s, u"LOGIN"_s};
    return c;
}

// On an 800×500 screen the dialog fits, the list does not scroll sideways (the verdict column
// takes what the others leave), and the selected candidate's verdict is shown whole below it.
void checkFitsASmallScreen(DetectDialog& dialog, const QString& name)
{
    // Narrower than the screen, as an admin may make it: the columns give up width.
    dialog.resize(640, 420);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCoreApplication::processEvents();
    if (const QString dir = qEnvironmentVariable("RELAYDECK_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(dialog.grab().save(dir + u"/"_s + name + u".png"_s));
    QVERIFY2(dialog.width() <= 800 && dialog.height() <= 500,
             qPrintable(u"%1: %2×%3"_s.arg(name).arg(dialog.width()).arg(dialog.height())));
    auto* list = dialog.findChild<QTreeWidget*>(u"detectCandidates"_s);
    QVERIFY(!list->horizontalScrollBar()->isVisible());
    int columns = 0;
    for (int column = 0; column < list->columnCount(); ++column)
        columns += list->columnWidth(column);
    QVERIFY2(columns <= list->viewport()->width() + 1,
             qPrintable(u"%1: columns %2 px in %3 px"_s.arg(name).arg(columns).arg(
                 list->viewport()->width())));
    QVERIFY2(list->columnWidth(6) >= 100, qPrintable(name));
    auto* verdict = dialog.findChild<QLabel*>(u"detectVerdict"_s);
    QVERIFY(verdict && verdict->isVisible());
    const std::optional<DetectedCandidate> chosen = dialog.chosenCandidate();
    QVERIFY(chosen);
    QVERIFY2(verdict->text().endsWith(DesktopWording::verdictWords(*chosen)),
             qPrintable(verdict->text()));
    QVERIFY2(verdict->heightForWidth(verdict->width()) <= verdict->height() + 1,
             qPrintable(u"%1: the verdict needs %2 px, has %3"_s.arg(name)
                            .arg(verdict->heightForWidth(verdict->width()))
                            .arg(verdict->height())));
}

} // namespace

class TestDetectDialog : public QObject
{
    Q_OBJECT

private slots:
    void candidatesArriveBestFirstAndTheBestIsPreselected()
    {
        DetectDialog dialog;
        auto* list = dialog.findChild<QTreeWidget*>(u"detectCandidates"_s);
        auto* use = dialog.findChild<QPushButton*>(u"detectUse"_s);
        QVERIFY(list && use);
        QVERIFY(!use->isEnabled());

        // A candidate with a certificate for another name arrives first: listed, not chosen.
        dialog.showCandidate(candidate(u"smtp.example.org"_s, 465, Security::ImplicitTls, false));
        QCOMPARE(list->topLevelItemCount(), 1);
        QVERIFY(!dialog.chosenCandidate());
        QVERIFY(!use->isEnabled());
        QCOMPARE(list->topLevelItem(0)->text(4), u"for another name"_s);

        dialog.showCandidate(candidate(u"mail.example.org"_s, 587, Security::StartTls, true));
        QCOMPARE(list->topLevelItemCount(), 2);
        QCOMPARE(list->topLevelItem(0)->text(0), u"mail.example.org"_s);
        QCOMPARE(dialog.chosenCandidate()->host, u"mail.example.org"_s);
        QVERIFY(use->isEnabled());

        // A better one (implicit TLS, from SRV) arrives: it moves to the top and is selected.
        dialog.showCandidate(candidate(u"submit.example.org"_s, 465, Security::ImplicitTls, true,
                                       CandidateSource::Srv));
        QCOMPARE(list->topLevelItem(0)->text(0), u"submit.example.org"_s);
        // Desktop words for the source (not the CLI's "srv"), every source in its tool tip.
        QCOMPARE(list->topLevelItem(0)->text(5), u"DNS SRV record"_s);
        QCOMPARE(list->topLevelItem(1)->text(5), u"Probed"_s);
        QCOMPARE(list->topLevelItem(0)->text(3), u"PLAIN LOGIN"_s);
        // Desktop words for the security (not the CLI's "implicit-tls"), and every column's
        // text in its tool tip (the verdict is often wider than its column).
        QCOMPARE(list->topLevelItem(0)->text(2), u"Implicit TLS"_s);
        QCOMPARE(list->topLevelItem(1)->text(2), u"STARTTLS"_s);
        QVERIFY(!list->topLevelItem(0)->text(6).isEmpty());
        QCOMPARE(list->topLevelItem(0)->toolTip(6), list->topLevelItem(0)->text(6));
        QCOMPARE(dialog.chosenCandidate()->host, u"mail.example.org"_s); // kept the selection
        list->setCurrentItem(list->topLevelItem(0));
        dialog.showFinished();
        QVERIFY(dialog.findChild<QLabel*>(u"detectStatus"_s)->text().contains(u"best"_s));
        // RELAYDECK_SCREENSHOT_DIR=DIR keeps a picture of the dialog to look at.
        if (const QString dir = qEnvironmentVariable("RELAYDECK_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog.resize(dialog.sizeHint().expandedTo(QSize(700, 400)));
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.grab().save(dir + u"/detect-dialog.png"_s));
        }

        checkFitsASmallScreen(dialog, u"detect-dialog-small"_s);

        const std::optional<ConnectionProfile> profile = dialog.chosenProfile();
        QVERIFY(profile);
        QCOMPARE(profile->host, u"submit.example.org"_s);
        QCOMPARE(profile->port, 465);
        QVERIFY(profile->security == Security::ImplicitTls);
        QVERIFY(profile->auth.mechanism == AuthMechanism::Auto);
        QCOMPARE(profile->auth.username, u"admin@example.org"_s);
    }

    void anotherDomainNeedsConfirmation()
    {
        DetectDialog dialog;
        DetectedCandidate office =
            candidate(u"smtp.office365.com"_s, 587, Security::StartTls, true, CandidateSource::Mx);
        office.otherDomain = true;
        office.presetId = u"office365"_s;
        dialog.showCandidate(office);
        auto* use = dialog.findChild<QPushButton*>(u"detectUse"_s);
        auto* confirm = dialog.findChild<QCheckBox*>(u"detectConfirmOtherDomain"_s);
        QCOMPARE(dialog.chosenCandidate()->host, u"smtp.office365.com"_s);
        QVERIFY(!use->isEnabled());
        QVERIFY(!confirm->isHidden());
        confirm->setChecked(true);
        QVERIFY(use->isEnabled());
        QCOMPARE(dialog.chosenProfile()->preset, u"office365"_s);
    }

    void aBadQueryIsExplained()
    {
        DetectDialog dialog;
        dialog.setQuery(u"not a domain"_s);
        QTest::mouseClick(dialog.findChild<QPushButton*>(u"detectStart"_s), Qt::LeftButton);
        QVERIFY(dialog.findChild<QLabel*>(u"detectStatus"_s)
                    ->text()
                    .contains(u"neither an email address nor a domain"_s));
    }

    void sourcesInDesktopWordsAndGerman()
    {
        DetectedCandidate both =
            candidate(u"smtp.example.org"_s, 465, Security::ImplicitTls, true, CandidateSource::Mx);
        both.sources << CandidateSource::Probe;
        both.probe.error.message = u"x"_s;
        {
            DetectDialog dialog;
            dialog.showCandidate(both);
            QTreeWidgetItem* item =
                dialog.findChild<QTreeWidget*>(u"detectCandidates"_s)->topLevelItem(0);
            QCOMPARE(item->text(5), u"Mail server (MX)"_s);
            QCOMPARE(item->toolTip(5), u"Mail server (MX), Probed"_s);
        }
        // The German dialog (the last test: the translation stays installed): every column and
        // source translated.
        Translations::install(*qApp, QLocale(QLocale::German, QLocale::Germany));
        DetectDialog dialog;
        dialog.setQuery(u"admin@example.org"_s);
        dialog.showCandidate(both);
        dialog.showCandidate(
            candidate(u"mail.example.org"_s, 587, Security::StartTls, true, CandidateSource::Srv));
        dialog.showCandidate(candidate(u"example.org"_s, 25, Security::StartTls, false));
        dialog.showFinished();
        auto* list = dialog.findChild<QTreeWidget*>(u"detectCandidates"_s);
        QCOMPARE(list->topLevelItem(0)->text(5), u"Mailserver (MX)"_s);
        QCOMPARE(list->topLevelItem(1)->text(5), u"DNS-SRV-Eintrag"_s);
        QCOMPARE(list->headerItem()->text(5), u"Quelle"_s);
        // The Verdict column in German too (core gives an id, the desktop words it).
        QCOMPARE(list->topLevelItem(0)->text(6), DesktopWording::verdictWords(both));
        QVERIFY2(list->topLevelItem(0)->text(6).startsWith(u"TLSv1.3 geprüft"_s),
                 qPrintable(list->topLevelItem(0)->text(6)));
        QVERIFY2(list->topLevelItem(2)->text(6).contains(u"Zertifikat"_s),
                 qPrintable(list->topLevelItem(2)->text(6)));
        if (const QString dir = qEnvironmentVariable("RELAYDECK_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog.resize(dialog.sizeHint().expandedTo(QSize(700, 400)));
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.grab().save(dir + u"/detect-dialog-de.png"_s));
        }
        // The German verdicts are long: still no sideways scrolling at 800×500.
        dialog.findChild<QTreeWidget*>(u"detectCandidates"_s)
            ->setCurrentItem(list->topLevelItem(2));
        checkFitsASmallScreen(dialog, u"detect-dialog-small-de"_s);
    }
};

QTEST_MAIN(TestDetectDialog)
#include "tst_detectdialog.moc"
