#include "UiTestSupport.h"

#include "ConnectionListModel.h"
#include "MainWindow.h"
#include "TestAllResultsDialog.h"
#include "TestPanel.h"
#include "i18n/Translations.h"

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "batch/ProfileTestBatch.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAction>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

class TestTestAll : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { installTestTranslations(); }

    void testsEveryConnectionBounded()
    {
        QTemporaryDir dir;
        MemorySecretStore keychain;
        ScriptedPrompter prompter;
        ProfileStore store(dir.path());
        QVERIFY(store.load().ok());

        // Five relays that pass, two that fail (one rejects the greeting, one nobody listens
        // on), one that needs a password nobody stored, and one authenticating with its
        // stored password.
        std::vector<std::unique_ptr<ScriptedSmtpServer>> servers;
        QList<QUuid> passing;
        QList<QUuid> failing;
        const auto addProfile = [&](const QString& name, quint16 port,
                                    const QString& username = QString()) {
            ConnectionProfile profile = scriptedProfile(port, Security::None);
            profile.name = name;
            profile.auth.username = username;
            profile.auth.mechanism =
                username.isEmpty() ? AuthMechanism::None : AuthMechanism::Plain;
            const Result<ConnectionProfile> result = store.add(profile);
            if (!result.ok())
                qWarning("%s", qPrintable(result.failure().message));
            const ConnectionProfile stored = result.ok() ? result.value() : ConnectionProfile();
            return stored.id;
        };
        for (int i = 0; i < 5; ++i) {
            servers.push_back(std::make_unique<ScriptedSmtpServer>(greetingAndEhlo({"8BITMIME"})));
            QVERIFY(servers.back()->listen());
            passing << addProfile(u"Relay %1"_s.arg(i), servers.back()->port());
        }
        servers.push_back(std::make_unique<ScriptedSmtpServer>(
            SmtpScript().send("554 5.7.1 No SMTP service here")));
        QVERIFY(servers.back()->listen());
        failing << addProfile(u"Rejecting"_s, servers.back()->port());
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        failing << addProfile(u"Nobody home"_s, closedPort);
        const QUuid noPassword = addProfile(u"No password"_s, 1, u"ops"_s);
        SmtpScript authScript = greetingAndEhlo({"AUTH PLAIN"});
        authScript.expectPrefix("AUTH PLAIN ").send("235 2.7.0 Authentication successful");
        servers.push_back(std::make_unique<ScriptedSmtpServer>(authScript));
        QVERIFY(servers.back()->listen());
        const QUuid withPassword = addProfile(u"With password"_s, servers.back()->port(), u"ops"_s);
        passing << withPassword;
        keychain.write(secretKey(withPassword, SecretSlot::SmtpPassword), u"pw"_s, nullptr,
                       [](const SecretResult&) {});

        MainWindow window(dir.path(), keychain, prompter);
        window.resize(1280, 800);
        window.show();
        // The connection on screen is the one Test all cannot test: it says why at once.
        QVERIFY(window.selectConnection(noPassword));
        ProfileTestBatch* runner = window.testAllBatch();
        runner->setMaxParallel(2);
        QSignalSpy finished(runner, &ProfileTestBatch::finished);
        QSignalSpy progress(runner, &ProfileTestBatch::progress);
        QAction* testAll = window.findChild<QAction*>(u"testAllAction"_s);
        QVERIFY(testAll->isEnabled());
        testAll->trigger();
        QVERIFY(runner->isRunning());
        QVERIFY(!testAll->isEnabled());
        QVERIFY(window.findChild<QAction*>(u"cancelTestsAction"_s)->isEnabled());
        QVERIFY(finished.wait(30000));

        QCOMPARE(runner->peakParallel(), 2); // parallel, and never more than allowed
        QCOMPARE(progress.last().at(0).toInt(), 9);
        QCOMPARE(progress.last().at(1).toInt(), 9);
        ConnectionListModel* model = window.connectionModel();
        for (const QUuid& id : passing) {
            QCOMPARE(model->result(id).status, LastTestResult::Status::Passed);
            QVERIFY(model->result(id).finishedAt.isValid());
        }
        for (const QUuid& id : failing)
            QCOMPARE(model->result(id).status, LastTestResult::Status::Failed);
        QCOMPARE(model->result(noPassword).status, LastTestResult::Status::Skipped);
        QVERIFY(model->result(noPassword).summary.contains(u"password"_s));
        const auto* verdict = window.findChild<QLabel*>(u"verdictLabel"_s);
        QVERIFY(verdict);
        QVERIFY2(verdict->text().contains(u"No password is stored"_s), qPrintable(verdict->text()));
        QVERIFY(
            window.statusBar()->currentMessage().contains(u"6 passed, 2 failed, 1 not tested"_s));
        for (const auto& server : servers)
            QVERIFY2(server->failures().isEmpty(), qPrintable(server->log()));
        screenshot(&window, u"test-all"_s);

        // The results table: one row per connection, filled as the tests ended.
        auto* results = window.findChild<TestAllResultsDialog*>(u"testAllResults"_s);
        QVERIFY(results);
        QVERIFY(results->isVisible());
        QTableWidget* table = results->table();
        QCOMPARE(table->rowCount(), 9);
        const auto rowOf = [&](const QString& name) {
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, TestAllResultsDialog::ConnectionColumn)->text() == name)
                    return row;
            }
            return -1;
        };
        const auto cell = [&](const QString& name, int column) {
            const int row = rowOf(name);
            return row < 0 ? QString() : table->item(row, column)->text();
        };
        QCOMPARE(cell(u"Relay 0"_s, TestAllResultsDialog::VerdictColumn), u"passed"_s);
        QVERIFY(cell(u"Relay 0"_s, TestAllResultsDialog::TimeColumn).endsWith(u" ms"_s));
        QCOMPARE(cell(u"Rejecting"_s, TestAllResultsDialog::VerdictColumn), u"failed"_s);
        QVERIFY(!cell(u"Rejecting"_s, TestAllResultsDialog::StageColumn).isEmpty());
        QVERIFY(!cell(u"Rejecting"_s, TestAllResultsDialog::ErrorColumn).isEmpty());
        QVERIFY(!cell(u"Nobody home"_s, TestAllResultsDialog::HintColumn).isEmpty());
        QCOMPARE(cell(u"No password"_s, TestAllResultsDialog::VerdictColumn), u"not tested"_s);
        QVERIFY(cell(u"No password"_s, TestAllResultsDialog::ErrorColumn).contains(u"password"_s));
        const int rejecting = rowOf(u"Rejecting"_s);
        QCOMPARE(table->item(rejecting, TestAllResultsDialog::ErrorColumn)->toolTip(),
                 cell(u"Rejecting"_s, TestAllResultsDialog::ErrorColumn));
        screenshot(results, u"test-all-results"_s);

        // Copy report: the text; Save report as JSON: the schema of `test --all --json`.
        results->findChild<QPushButton*>(u"copyTestAllReport"_s)->click();
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY2(copied.contains(u"Nobody home"_s) && copied.contains(u"not tested"_s),
                 qPrintable(copied));
        const QString jsonPath = dir.filePath(u"all.json"_s);
        prompter.saveAnswers.enqueue(jsonPath);
        results->findChild<QPushButton*>(u"saveTestAllReport"_s)->click();
        QFile saved(jsonPath);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(saved.readAll()).object();
        QCOMPARE(json, results->summary().toJson());
        QCOMPARE(json.value(u"total"_s).toInt(), 9);
        QCOMPARE(json.value(u"passed"_s).toInt(), 6);
        QCOMPARE(json.value(u"failed"_s).toInt(), 2);
        QCOMPARE(json.value(u"notTested"_s).toInt(), 1);
        const QJsonArray entries = json.value(u"results"_s).toArray();
        QCOMPARE(entries.size(), 9);
        for (const QJsonValue& entry : entries) {
            const QJsonObject object = entry.toObject();
            QVERIFY(object.contains(u"ok"_s));
            if (object.value(u"profile"_s).toString() == u"No password"_s)
                QVERIFY(object.value(u"notTested"_s).toString().contains(u"password"_s));
            else
                QVERIFY(object.contains(u"stages"_s)); // a test report
        }

        // Selecting a tested connection shows its report in the Test panel.
        QVERIFY(window.selectConnection(failing.first()));
        QVERIFY(window.testPanel()->report().has_value());
        QVERIFY(!window.testPanel()->report()->ok);
        QVERIFY(window.findChild<QTreeWidget*>(u"stagesView"_s)->topLevelItemCount() > 0);
        QVERIFY(prompter.unexpected.isEmpty());
    }
};

QTEST_MAIN(TestTestAll)
#include "tst_testall.moc"
