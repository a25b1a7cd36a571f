// Sizes and dates in the Test panel follow the user's locale (German: "34,22 MiB", "05.12.26"),
// with the German words, not "(none)", English month names or a decimal point.
#include "UiTestSupport.h"

#include "TestPanel.h"
#include "i18n/Translations.h"

#include <QRegularExpression>
#include <QTest>
#include <QTreeWidget>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

// Every "label: value" pair of `tree`, children included.
QStringList fields(const QTreeWidget* tree)
{
    QStringList texts;
    QList<QTreeWidgetItem*> items;
    for (int row = 0; row < tree->topLevelItemCount(); ++row)
        items << tree->topLevelItem(row);
    while (!items.isEmpty()) {
        QTreeWidgetItem* item = items.takeFirst();
        texts << item->text(0) + u": "_s + item->text(1);
        for (int child = 0; child < item->childCount(); ++child)
            items << item->child(child);
    }
    return texts;
}

} // namespace

class TestLocaleFormats : public QObject
{
    Q_OBJECT

private slots:
    void testPanelUsesTheLocale()
    {
        const QLocale german(QLocale::German, QLocale::Germany);
        QCOMPARE(Translations::install(*qApp, german), u"de"_s);
        QLocale::setDefault(german);

        ScriptedPrompter prompter;
        TestPanel panel(prompter);
        ConnectionProfile profile;
        profile.name = u"Relay"_s;
        profile.host = u"smtp.example.com"_s;
        TestReport report;
        report.ok = true;
        report.target = {profile.host, 587, u"starttls"_s, u"192.0.2.1"_s, u"none"_s};
        report.stages = {{u"connect"_s, true, 12, {}}};
        report.server.maxSize = 35882577;
        report.tls.used = true;
        report.tls.verified = true;
        CertificateInfo certificate;
        certificate.subject = u"CN=smtp.example.com"_s;
        certificate.issuer = u"CN=Example CA"_s;
        certificate.notBefore = QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);
        certificate.notAfter = QDateTime(QDate(2026, 12, 24), QTime(8, 0), Qt::UTC);
        report.tls.chain = {certificate};
        panel.showReport(report, profile);

        const QStringList server = fields(panel.findChild<QTreeWidget*>(u"serverView"_s));
        const QString size = german.formattedDataSize(report.server.maxSize);
        QVERIFY(size.contains(u','));
        QVERIFY2(server.contains(u"Maximale Nachrichtengröße: "_s + size),
                 qPrintable(server.join(u" | "_s)));
        const QStringList certificates =
            fields(panel.findChild<QTreeWidget*>(u"certificateView"_s));
        const QString until =
            german.toString(certificate.notAfter.toLocalTime(), QLocale::ShortFormat);
        // Day first, dots, two-digit year: a German date, not "12/24/26".
        QVERIFY2(QRegularExpression(u"^2[45]\\.12\\.26 "_s).match(until).hasMatch(),
                 qPrintable(until));
        QVERIFY2(certificates.contains(u"Gültig bis: "_s + until),
                 qPrintable(certificates.join(u" | "_s)));
        for (const QString& line : certificates + server) {
            QVERIFY2(!line.contains(u"(none)"_s), qPrintable(line));
            QVERIFY2(!line.contains(u"Dec"_s), qPrintable(line));
        }
        QLocale::setDefault(QLocale::c());
    }
};

QTEST_MAIN(TestLocaleFormats)
#include "tst_localeformats.moc"
