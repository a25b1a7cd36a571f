#include "UiTestSupport.h"

#include "ExportDialog.h"
#include "PresetDialog.h"
#include "TestReportText.h"

#include "profile/Presets.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

class TestDialogs : public QObject
{
    Q_OBJECT

private slots:
    void presetDialogShowsNotesAndRegions()
    {
        PresetDialog dialog;
        dialog.show();
        auto* list = dialog.findChild<QListWidget*>(u"presetList"_s);
        QCOMPARE(list->count(), Presets::all().size());
        auto* note = dialog.findChild<QLabel*>(u"presetNoteLabel"_s);
        auto* region = dialog.findChild<QComboBox*>(u"regionCombo"_s);
        auto* settings = dialog.findChild<QLabel*>(u"presetSettings"_s);

        dialog.selectPreset(u"office365"_s);
        QCOMPARE(note->text(), Presets::find(u"office365"_s)->note);
        QVERIFY(note->text().contains(u"5.7.139"_s));
        QVERIFY(!region->isVisible());
        QVERIFY(settings->text().contains(u"smtp.office365.com"_s));
        QCOMPARE(dialog.choice().presetId, u"office365"_s);
        QVERIFY(dialog.choice().region.isEmpty());

        dialog.selectPreset(u"ses"_s);
        QVERIFY(region->isVisible());
        QCOMPARE(region->count(), Presets::find(u"ses"_s)->regions.size());
        QCOMPARE(region->currentText(), u"us-east-1"_s);
        region->setCurrentText(u"eu-west-1"_s);
        QVERIFY(settings->text().contains(u"email-smtp.eu-west-1.amazonaws.com"_s));
        QCOMPARE(dialog.choice().presetId, u"ses"_s);
        QCOMPARE(dialog.choice().region, u"eu-west-1"_s);
        QVERIFY(note->text().contains(u"IAM"_s));
        screenshot(&dialog, u"preset-dialog"_s);

        // Gmail: the alternative port is mentioned; Create accepts.
        dialog.selectPreset(u"gmail"_s);
        QVERIFY(settings->text().contains(u"587"_s));
        auto* create = dialog.findChild<QPushButton*>(u"createButton"_s);
        QVERIFY(create->isEnabled());
        QVERIFY(create->isDefault() || create->autoDefault());
        QTest::mouseClick(create, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.choice().presetId, u"gmail"_s);
    }

    void presetDialogSearchesAndShowsEveryProvider()
    {
        PresetDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* list = dialog.findChild<QListWidget*>(u"presetList"_s);
        auto* search = dialog.findChild<QLineEdit*>(u"presetSearch"_s);
        QVERIFY(search);
        // The last provider is not cut off: its row lies inside the viewport.
        const QRect last = list->visualItemRect(list->item(list->count() - 1));
        QVERIFY2(list->viewport()->rect().contains(last), "the last provider is cut off");
        QVERIFY(!list->verticalScrollBar()->isVisible());
        // Typing narrows the list and selects the first match.
        QTest::keyClicks(search, u"amazon"_s);
        int shown = 0;
        for (int row = 0; row < list->count(); ++row)
            shown += list->item(row)->isHidden() ? 0 : 1;
        QCOMPARE(shown, 1);
        QCOMPARE(dialog.choice().presetId, u"ses"_s);
        search->clear();
        for (int row = 0; row < list->count(); ++row)
            QVERIFY(!list->item(row)->isHidden());
    }

    void exportDialogChoosesFormatAndConnections()
    {
        QList<ConnectionProfile> profiles;
        for (const QString& name : {u"Alpha"_s, u"Beta"_s, u"Gamma"_s}) {
            ConnectionProfile profile;
            profile.id = QUuid::createUuid();
            profile.name = name;
            profiles << profile;
        }
        ExportDialog dialog(profiles, {});
        dialog.show();
        auto* list = dialog.findChild<QListWidget*>(u"exportConnectionList"_s);
        auto* exportButton = dialog.findChild<QPushButton*>(u"exportButton"_s);
        QCOMPARE(list->count(), 3);
        QCOMPARE(dialog.choice().profileIds.size(), 3); // all, by default
        QCOMPARE(toString(dialog.choice().format), u"json"_s);
        QTest::mouseClick(dialog.findChild<QPushButton*>(u"selectNoneButton"_s), Qt::LeftButton);
        QVERIFY(dialog.choice().profileIds.isEmpty());
        QVERIFY(!exportButton->isEnabled());
        list->item(1)->setCheckState(Qt::Checked);
        QVERIFY(exportButton->isEnabled());
        auto* format = dialog.findChild<QComboBox*>(u"formatCombo"_s);
        format->setCurrentIndex(format->findData(int(ProfileFormat::Dsn)));
        QCOMPARE(toString(dialog.choice().format), u"dsn"_s);
        QCOMPARE(dialog.choice().profileIds, QList<QUuid>{profiles.at(1).id});
        QVERIFY(dialog.findChild<QLabel*>(u"formatNote"_s)->text().contains(u"smtp://"_s));
        screenshot(&dialog, u"export-dialog"_s);

        // Preselected connections only.
        ExportDialog preselected(profiles, {profiles.at(2).id});
        QCOMPARE(preselected.choice().profileIds, QList<QUuid>{profiles.at(2).id});
    }

    void reportTextCarriesNoSecretAndPinsNormalise()
    {
        QCOMPARE(TestReportText::pinForm(u"AB:CD:"_s + u"EF:"_s.repeated(29) + u"01"_s),
                 u"abcd"_s + u"ef"_s.repeated(29) + u"01"_s);
        QVERIFY(TestReportText::pinForm(u"not a pin"_s).isEmpty());
        TestReport report;
        report.ok = false;
        report.target = {u"smtp.example.com"_s, 587, u"starttls"_s, {}, u"none"_s};
        report.error = {u"auth-failed"_s, u"auth"_s, u"Authentication failed."_s,
                        u"535 5.7.8 Bad credentials"_s, u"Use an app password."_s};
        report.transcript = {{5, u'C', u"AUTH PLAIN <redacted>"_s}};
        const QString text = TestReportText::format(report);
        QVERIFY(text.contains(u"Test failed at \"Authentication\"."_s));
        QVERIFY(text.contains(u"Use an app password."_s));
        QVERIFY(text.contains(u"535 5.7.8 Bad credentials"_s));
        QVERIFY(text.contains(u"AUTH PLAIN <redacted>"_s));
    }
};

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
