#include "MainWindowFixture.h"
#include "UiTestSupport.h"

#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "MainWindow.h"
#include "TestPanel.h"
#include "TestReportText.h"
#include "i18n/Translations.h"

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"
#include "smtp/ErrorIds.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
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

QStringList stageTexts(const QTreeWidget* stages)
{
    QStringList texts;
    for (int row = 0; row < stages->topLevelItemCount(); ++row)
        texts << stages->topLevelItem(row)->text(0);
    return texts;
}

} // namespace

class TestTestPanel : public QObject, private MainWindowFixture
{
    Q_OBJECT

private:
    // Stores `profile`, opens the window on it.
    ConnectionProfile openWith(ConnectionProfile profile, const QString& password = QString())
    {
        const ConnectionProfile stored = store(profile);
        if (!password.isEmpty())
            keychain->write(secretKey(stored.id, SecretSlot::SmtpPassword), password, nullptr,
                            [](const SecretResult&) {});
        openWindow();
        return stored;
    }
    // A profile without authentication on port 465 (implicit TLS's port).
    static ConnectionProfile onPort465(const QString& name, Security security)
    {
        ConnectionProfile profile;
        profile.name = name;
        profile.host = u"smtp.example.com"_s;
        profile.port = 465;
        profile.security = security;
        profile.auth.mechanism = AuthMechanism::None;
        return profile;
    }
    // A report of a test of `profile` that connected and failed at `stage` (error still to set).
    static TestReport failedAfterConnecting(const ConnectionProfile& profile, const QString& stage)
    {
        TestReport report;
        report.target = {profile.host, profile.effectivePort(), toString(profile.security),
                         u"192.0.2.1"_s, u"none"_s};
        report.stages = {{StageId::Resolve, true, 1, {}},
                         {StageId::Connect, true, 20, {}},
                         {stage, false, 30, {}}};
        return report;
    }
    bool runTestAndWait()
    {
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        return QTest::qWaitFor([this] { return !window->testPanel()->isRunning(); }, 20000);
    }

private slots:
    void initTestCase()
    {
        installTestTranslations();
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
    }
    void init() { setUpWindowFixture(); }
    void cleanup() { tearDownWindowFixture(); }

    void passingTestShowsEveryStage()
    {
        ScriptedSmtpServer server(greetingAndEhlo({"PIPELINING", "SIZE 35882577", "8BITMIME"}));
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Local relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        const ConnectionProfile stored = openWith(profile);

        TestPanel* panel = window->testPanel();
        QSignalSpy started(panel, &TestPanel::started);
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        QCOMPARE(started.count(), 1);
        // Asynchronous: the window is responsive while the test runs.
        QVERIFY(panel->isRunning());
        QVERIFY(find<QPushButton>(u"cancelTestButton"_s)->isEnabled());
        QVERIFY(!find<QPushButton>(u"testButton"_s)->isEnabled());
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Running);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 20000);

        QVERIFY2(panel->report() && panel->report()->ok,
                 qPrintable(TestReportText::format(*panel->report())));
        const QStringList stages = stageTexts(find<QTreeWidget>(u"stagesView"_s));
        QVERIFY2(stages.size() >= 4, qPrintable(stages.join(u" | "_s)));
        // One mark per stage: the icon, no ✓ character besides it; the accessible text says it.
        auto* stageView = find<QTreeWidget>(u"stagesView"_s);
        for (int row = 0; row < stageView->topLevelItemCount(); ++row) {
            const QTreeWidgetItem* item = stageView->topLevelItem(row);
            QVERIFY2(!item->text(0).contains(u"\u2713"_s), qPrintable(item->text(0)));
            QVERIFY(!item->icon(0).isNull());
            QVERIFY2(item->data(0, Qt::AccessibleTextRole).toString().endsWith(u"done"_s),
                     qPrintable(item->text(0)));
        }
        QVERIFY(stages.join(u'|').contains(u"Server greeting"_s));
        QVERIFY(stages.join(u'|').contains(u"EHLO"_s));
        QVERIFY(find<QTreeWidget>(u"stagesView"_s)->topLevelItem(0)->text(1).endsWith(u" ms"_s));
        QVERIFY(find<QLabel>(u"verdictLabel"_s)->text().startsWith(u"Test passed"_s));
        QVERIFY(find<QLabel>(u"hintLabel"_s)->isHidden());
        QVERIFY(!find<QPushButton>(u"trustCertificateButton"_s)->isVisible());
        // Capabilities and the transcript are there.
        auto* server_ = find<QTreeWidget>(u"serverView"_s);
        const QList<QTreeWidgetItem*> capabilities =
            server_->findItems(u"PIPELINING"_s, Qt::MatchRecursive | Qt::MatchExactly, 0);
        QCOMPARE(capabilities.size(), 1);
        const QString transcript = find<QPlainTextEdit>(u"transcriptView"_s)->toPlainText();
        QVERIFY(transcript.contains(u"EHLO client.test"_s));
        QVERIFY(transcript.contains(u"220 test.example ESMTP ready"_s));
        // The list shows the result, and it survives a restart.
        const LastTestResult result = window->connectionModel()->result(stored.id);
        QCOMPARE(result.status, LastTestResult::Status::Passed);
        QVERIFY(result.finishedAt.isValid());
        screenshot(window.get(), u"test-passed"_s);

        // Copy report: readable text, the verdict and the stages.
        QTest::mouseClick(find<QPushButton>(u"copyReportButton"_s), Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY(copied.contains(u"Test passed"_s));
        QVERIFY(copied.contains(u"127.0.0.1"_s));
        // Save report as JSON: the report schema of docs/ARCHITECTURE.md, with the transcript.
        const QString json = dir->filePath(u"report.json"_s);
        prompter->saveAnswers << json;
        QTest::mouseClick(find<QPushButton>(u"saveReportButton"_s), Qt::LeftButton);
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(object.value(u"ok"_s).toBool(), true);
        QVERIFY(object.value(u"stages"_s).isArray());
        QVERIFY(object.value(u"transcript"_s).isArray());
        // ...and as text.
        const QString text = dir->filePath(u"report.txt"_s);
        prompter->saveAnswers << text;
        QTest::mouseClick(find<QPushButton>(u"saveReportButton"_s), Qt::LeftButton);
        QFile textFile(text);
        QVERIFY(textFile.open(QIODevice::ReadOnly));
        QVERIFY(textFile.readAll().startsWith("Relaydeck connection test"));

        window->close();
        window.reset();
        window = std::make_unique<MainWindow>(dir->path(), *keychain, *prompter);
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Passed);
    }

    void failureShowsTheHint()
    {
        SmtpScript script = greetingAndEhlo({"AUTH PLAIN LOGIN"});
        script.expectPrefix("AUTH PLAIN ")
            .send("535-5.7.8 Username and Password not accepted.\r\n"
                  "535 5.7.8 https://support.google.com/mail/?p=BadCredentials");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Needs login"_s;
        profile.auth.username = u"user@client.test"_s;
        profile.auth.mechanism = AuthMechanism::Plain;
        const ConnectionProfile stored = openWith(profile, u"wrong-password"_s);
        QTRY_COMPARE(find<QLineEdit>(u"passwordEdit"_s)->text(), u"wrong-password"_s);

        QVERIFY(runTestAndWait());
        const TestReport report = *window->testPanel()->report();
        QVERIFY(!report.ok);
        QCOMPARE(report.error.id, ErrorId::AuthFailed);
        const QStringList stages = stageTexts(find<QTreeWidget>(u"stagesView"_s));
        // The failing stage says so (its icon and its accessible text).
        bool failedStage = false;
        auto* stageView = find<QTreeWidget>(u"stagesView"_s);
        for (int row = 0; row < stageView->topLevelItemCount(); ++row)
            failedStage = failedStage || stageView->topLevelItem(row)
                                             ->data(0, Qt::AccessibleTextRole)
                                             .toString()
                                             .endsWith(u"failed"_s);
        QVERIFY2(failedStage, qPrintable(stages.join(u" | "_s)));
        auto* verdict = find<QLabel>(u"verdictLabel"_s);
        QVERIFY2(verdict->text().contains(u"Authentication"_s), qPrintable(verdict->text()));
        auto* error = find<QLabel>(u"errorLabel"_s);
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(u"535"_s));
        auto* hint = find<QLabel>(u"hintLabel"_s);
        QVERIFY(hint->isVisible());
        QVERIFY(!report.error.hint.isEmpty());
        QVERIFY(hint->text().contains(report.error.hint));
        // The password is in no transcript or report.
        QVERIFY(!find<QPlainTextEdit>(u"transcriptView"_s)
                     ->toPlainText()
                     .contains(u"wrong-password"_s));
        QVERIFY(!TestReportText::format(report).contains(u"wrong-password"_s));
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Failed);
        screenshot(window.get(), u"test-failed-auth"_s);
    }

    void trustingTheCertificatePinsAndPasses()
    {
        const TestCertificates& certs = TestCertificates::instance();
        // First run: a self-signed certificate, no CA vouches for it. Second run: the same
        // certificate, now pinned. Each ScriptedSmtpServer serves one client, so the profile's
        // port forwards to the first, then the second.
        ScriptedSmtpServer first(greetingAndEhlo({"SIZE 1000"}));
        first.setImplicitTls(true);
        presentLeaf(first, TestCertificates::Leaf::SelfSigned);
        ScriptedSmtpServer second(greetingAndEhlo({"SIZE 1000"}));
        second.setImplicitTls(true);
        presentLeaf(second, TestCertificates::Leaf::SelfSigned);
        QVERIFY(first.listen());
        QVERIFY(second.listen());
        ConnectionForwarder forwarder;
        QVERIFY(forwarder.listen());
        forwarder.addTarget(first.port());
        forwarder.addTarget(second.port());

        ConnectionProfile profile = scriptedProfile(forwarder.port(), Security::ImplicitTls);
        profile.name = u"Self-signed relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        profile.tls.caFile.clear();
        const ConnectionProfile stored = openWith(profile);

        QVERIFY(runTestAndWait());
        const TestReport failed = *window->testPanel()->report();
        QCOMPARE(failed.error.id, ErrorId::CertificateUntrusted);
        auto* trust = find<QPushButton>(u"trustCertificateButton"_s);
        QVERIFY(trust->isVisible());
        // The certificate chain is shown with its fingerprint.
        auto* chain = find<QTreeWidget>(u"certificateView"_s);
        QVERIFY(chain->topLevelItemCount() >= 1);
        QVERIFY(!chain
                     ->findItems(certs.sha256WithColons(TestCertificates::Leaf::SelfSigned),
                                 Qt::MatchRecursive | Qt::MatchExactly, 1)
                     .isEmpty());
        screenshot(window.get(), u"test-untrusted"_s);

        // Cancel in the trust dialog changes nothing.
        prompter->trustAnswers << std::nullopt;
        QTest::mouseClick(trust, Qt::LeftButton);
        QVERIFY(!window->editor()->isDirty());
        QVERIFY(ProfileStore(dir->path()).findById(stored.id) == std::nullopt ||
                true); // (a fresh store is not loaded; checked below)

        prompter->trustAnswers << CertificateTrust::LeafOnly;
        QTest::mouseClick(trust, Qt::LeftButton);
        QVERIFY(prompter->last(u"trust"_s)
                    ->text.contains(certs.sha256WithColons(TestCertificates::Leaf::SelfSigned)));
        // Pinned and saved...
        ProfileStore store(dir->path());
        QVERIFY(store.load().ok());
        QCOMPARE(store.findById(stored.id)->tls.pinnedSha256,
                 QStringList{certs.sha256(TestCertificates::Leaf::SelfSigned)});
        QVERIFY(!window->editor()->isDirty());
        // ...and tested again, which now passes.
        QVERIFY(window->testPanel()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 20000);
        QVERIFY2(window->testPanel()->report()->ok,
                 qPrintable(TestReportText::format(*window->testPanel()->report())));
        QVERIFY(!trust->isVisible());
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Passed);
        QCOMPARE(prompter->count(u"trust"_s), 2);
    }

    void cancelStopsTheTest()
    {
        SmtpScript script;
        script.silent(); // accept the connection, never greet
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Silent"_s;
        profile.auth.mechanism = AuthMechanism::None;
        profile.timeoutSeconds = 60;
        openWith(profile);
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        QVERIFY(window->testPanel()->isRunning());
        QTRY_VERIFY(server.isClientConnected());
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(find<QPushButton>(u"cancelTestButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 5000);
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(window->testPanel()->report()->error.id, ErrorId::Cancelled);
        QCOMPARE(find<QLabel>(u"verdictLabel"_s)->text(), u"Test cancelled."_s);
    }

    void missingPasswordIsSaidBeforeTesting()
    {
        ConnectionProfile profile = scriptedProfile(1, Security::None);
        profile.name = u"No password"_s;
        profile.auth.username = u"ops"_s;
        openWith(profile);
        QTest::qWait(20);
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        QVERIFY(!window->testPanel()->isRunning());
        QVERIFY(find<QLabel>(u"verdictLabel"_s)->text().contains(u"password"_s));
        QCOMPARE(window->editor()->tabs()->currentIndex(), 1);
    }

    // A password from an environment variable: read when Test starts (not the keychain's, not
    // the hidden field's); unset, the test ends before connecting with the desktop's hint.
    void passwordFromTheEnvironmentIsReadWhenTesting()
    {
        const QByteArray expectedAuth =
            "AUTH PLAIN " + QByteArray("\0ops\0from-env", 13).toBase64();
        SmtpScript script = greetingAndEhlo({"AUTH PLAIN"});
        script.expect(expectedAuth).send("235 2.7.0 ok").expect("QUIT").send("221 bye");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"From env"_s;
        profile.auth.username = u"ops"_s;
        profile.auth.mechanism = AuthMechanism::Plain;
        profile.auth.passwordSource.kind = SecretSourceKind::Environment;
        profile.auth.passwordSource.variable = u"RELAYDECK_UI_TEST_PW"_s;
        qputenv("RELAYDECK_UI_TEST_PW", "from-env");
        openWith(profile, u"stale-keychain-password"_s);
        QTest::qWait(20);
        QVERIFY(runTestAndWait());
        TestReport report = *window->testPanel()->report();
        QVERIFY2(report.ok, qPrintable(report.error.message));

        qunsetenv("RELAYDECK_UI_TEST_PW");
        QVERIFY(runTestAndWait());
        report = *window->testPanel()->report();
        QCOMPARE(report.error.id, ErrorId::PasswordSourceFailed);
        QVERIFY(report.error.message.contains(u"RELAYDECK_UI_TEST_PW"_s));
        QVERIFY(find<QLabel>(u"errorLabel"_s)->isVisible());
    }

    void disabledCommandNamesTheEnabledBox()
    {
        ConnectionProfile profile = scriptedProfile(1, Security::None);
        profile.name = u"Imported"_s;
        profile.auth.username = u"ops"_s;
        profile.auth.passwordSource.kind = SecretSourceKind::Command;
        profile.auth.passwordSource.program = u"echo"_s;
        profile.auth.passwordSource.arguments = {u"pw"_s};
        profile.auth.passwordSource.enabled = false;
        openWith(profile);
        QTest::qWait(20);
        QVERIFY(runTestAndWait());
        const TestReport report = *window->testPanel()->report();
        QCOMPARE(report.error.id, ErrorId::PasswordCommandDisabled);
        QVERIFY2(report.error.hint.contains(u"Authentication tab → Command: Enabled"_s),
                 qPrintable(report.error.hint));
    }

    void badTestRecipientIsRefused()
    {
        ConnectionProfile profile = scriptedProfile(1, Security::None);
        profile.name = u"Relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        openWith(profile);
        QTest::keyClicks(find<QLineEdit>(u"sendToEdit"_s), u"not an address"_s);
        QTest::mouseClick(find<QPushButton>(u"testButton"_s), Qt::LeftButton);
        QVERIFY(!window->testPanel()->isRunning());
        QVERIFY(find<QLabel>(u"verdictLabel"_s)->text().startsWith(u"Send a test message to"_s));
    }

    void sendsATestMessageWhenAsked()
    {
        SmtpScript script = greetingAndEhlo({"8BITMIME"});
        script.expect("MAIL FROM:<sender@client.test>")
            .send("250 2.1.0 OK")
            .expect("RCPT TO:<admin@example.test>")
            .send("250 2.1.5 OK")
            .expect("DATA")
            .send("354 Go ahead")
            .receiveData()
            .send("250 2.0.0 Queued as 12345");
        ScriptedSmtpServer server(script);
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        openWith(profile);
        QTest::keyClicks(find<QLineEdit>(u"sendToEdit"_s), u"admin@example.test"_s);
        QVERIFY(runTestAndWait());
        QVERIFY2(window->testPanel()->report()->ok,
                 qPrintable(TestReportText::format(*window->testPanel()->report()) + u'\n' +
                            server.log()));
        QVERIFY(server.dataPayload().contains("To: admin@example.test"));
        QVERIFY(stageTexts(find<QTreeWidget>(u"stagesView"_s)).join(u'|').contains(u"Send"_s));
    }

    void hintNamesTheEditorsFieldsNotFlags()
    {
        // The engine's hint names relaydeck-cli's flags; the panel shows the same advice with
        // this window's tabs and buttons, and Copy Report keeps what the user read.
        const ConnectionProfile saved =
            openWith(onPort465(u"Self-signed relay"_s, Security::ImplicitTls));
        TestReport report = failedAfterConnecting(saved, StageId::Tls);
        CertificateInfo leaf;
        leaf.subject = u"CN=relay.example.com"_s;
        leaf.issuer = leaf.subject;
        leaf.sha256 = u"AB:CD:EF"_s;
        report.tls.used = true;
        report.tls.chain = {leaf};
        report.error = {ErrorId::CertificateUntrusted,
                        StageId::Tls,
                        u"Untrusted."_s,
                        {},
                        u"... (--ca-file ca.pem) ... (relaydeck-cli: --pin AB:CD:EF)"_s};
        window->testPanel()->showReport(report, saved);
        auto* hint = find<QLabel>(u"hintLabel"_s);
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(u"Encryption tab → CA file"_s), qPrintable(hint->text()));
        QVERIFY2(hint->text().contains(u"Trust This Certificate"_s), qPrintable(hint->text()));
        QVERIFY2(!hint->text().contains(u"--"_s), qPrintable(hint->text()));
        QCOMPARE(hint->text(), u"What to do: %1"_s.arg(window->testPanel()->report()->error.hint));
    }

    void testOfUnsavedEditsLeavesTheSavedResult()
    {
        // A result belongs to the settings it tested: a test of unsaved edits is marked as such
        // and the list keeps the saved connection's last result, also after Revert.
        ScriptedSmtpServer server(greetingAndEhlo({"8BITMIME"}));
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Saved relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        const ConnectionProfile stored = openWith(profile);
        QVERIFY(runTestAndWait());
        QVERIFY(window->testPanel()->report() && window->testPanel()->report()->ok);
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Passed);
        QVERIFY(!find<QLabel>(u"unsavedResultNote"_s)->isVisible());

        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        find<QSpinBox>(u"portSpin"_s)->setValue(closedPort);
        QVERIFY(window->editor()->isDirty());
        QVERIFY(runTestAndWait());
        QVERIFY(window->testPanel()->report() && !window->testPanel()->report()->ok);
        QVERIFY(find<QLabel>(u"unsavedResultNote"_s)->isVisible());
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Passed);

        window->revert();
        QVERIFY(!window->editor()->isDirty());
        QCOMPARE(window->connectionModel()->result(stored.id).status,
                 LastTestResult::Status::Passed);
        QVERIFY(window->testPanel()->report() && window->testPanel()->report()->ok);
        QVERIFY(!find<QLabel>(u"unsavedResultNote"_s)->isVisible());
        QVERIFY(prompter->unexpected.isEmpty());
    }

    void plaintextPassWarnsWhenStartTlsIsOffered()
    {
        // Security "none" against a server that offers STARTTLS: passed, with a warning and a
        // one-click switch to STARTTLS.
        ScriptedSmtpServer server(greetingAndEhlo({"STARTTLS", "8BITMIME"}));
        QVERIFY(server.listen());
        ConnectionProfile profile = scriptedProfile(server.port(), Security::None);
        profile.name = u"Plain relay"_s;
        profile.auth.mechanism = AuthMechanism::None;
        openWith(profile);
        QVERIFY(runTestAndWait());
        QVERIFY(window->testPanel()->report() && window->testPanel()->report()->ok);
        auto* hint = find<QLabel>(u"hintLabel"_s);
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(u"STARTTLS"_s) && hint->text().contains(u"unencrypted"_s),
                 qPrintable(hint->text()));
        auto* button = find<QPushButton>(u"switchSecurityButton"_s);
        QVERIFY(button->isVisible());
        QCOMPARE(button->text(), u"Switch to STARTTLS (port %1)"_s.arg(server.port()));
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(toString(window->editor()->editedProfile().security),
                 toString(Security::StartTls));
        QCOMPARE(window->editor()->editedProfile().effectivePort(), int(server.port()));
        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 20000);
        window->editor()->revert();

        // Without STARTTLS on offer a plaintext pass says nothing more.
        ScriptedSmtpServer bare(greetingAndEhlo({"8BITMIME"}));
        QVERIFY(bare.listen());
        ConnectionProfile other = scriptedProfile(bare.port(), Security::None);
        other.name = u"Bare relay"_s;
        other.auth.mechanism = AuthMechanism::None;
        window.reset();
        const ConnectionProfile bareStored = openWith(other);
        QVERIFY(window->selectConnection(bareStored.id));
        QVERIFY(runTestAndWait());
        QVERIFY(window->testPanel()->report() && window->testPanel()->report()->ok);
        QVERIFY(!find<QLabel>(u"hintLabel"_s)->isVisible());
        QVERIFY(!find<QPushButton>(u"switchSecurityButton"_s)->isVisible());
    }

    void portSecurityMismatchOffersASwitch()
    {
        // Which switch fits which failure is tst_securitysuggestion's business (core); here:
        // the window offers it, and the button switches the editor and tests again.
        const ConnectionProfile saved = openWith(onPort465(u"Mismatch"_s, Security::StartTls));
        TestReport report = failedAfterConnecting(saved, StageId::Greeting);
        report.error = {ErrorId::GreetingTimeout, StageId::Greeting, u"No greeting."_s, {}, {}};
        window->testPanel()->showReport(report, saved);
        auto* button = find<QPushButton>(u"switchSecurityButton"_s);
        QVERIFY(button->isVisible());
        QCOMPARE(button->text(), u"Switch to implicit TLS (port 465)"_s);
        QSignalSpy switched(window->testPanel(), &TestPanel::switchSecurityRequested);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(switched.count(), 1);
        QCOMPARE(toString(window->editor()->editedProfile().security),
                 toString(Security::ImplicitTls));
        QCOMPARE(window->editor()->editedProfile().effectivePort(), 465);
        QVERIFY(window->editor()->isDirty()); // the user saves it if it works
        QTRY_VERIFY_WITH_TIMEOUT(!window->testPanel()->isRunning(), 20000);
        prompter->unsavedAnswers << Prompter::UnsavedChangesAnswer::Discard;
    }
};

QTEST_MAIN(TestTestPanel)
#include "tst_testpanel.moc"
