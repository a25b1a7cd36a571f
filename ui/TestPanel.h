#pragma once

#include "smtp/SecuritySuggestion.h"

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace relaydeck {
class ConnectionTest;
}

namespace relaydeck::ui {

class OAuthSignInController;
class Prompter;

// Runs a ConnectionTest and shows it as it happens: each stage with ✓/✗ and its time, then the
// verdict, the failure and its hint, the server's capabilities, TLS and the certificate chain,
// and the redacted transcript. Offers "Trust this certificate" for an untrusted certificate and
// "Switch to ..." for a port/security mismatch (the MainWindow carries them out), and Copy/Save
// report. The window stays responsive: the test is asynchronous and Cancel stops it.
class TestPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TestPanel(Prompter& prompter, QWidget* parent = nullptr);
    ~TestPanel() override;

    // Gets the access token of a profile that signs in with OAuth (none: such a test needs the
    // token in request.secrets).
    void setSignInController(OAuthSignInController* controller) { m_signIn = controller; }
    // Starts a test of request.profile (ignored while one runs). `ofUnsavedEdits`: the editor's
    // unsaved changes are tested, and the panel says their result is not the saved connection's.
    void start(const TestRequest& request, bool ofUnsavedEdits = false);
    void cancel();
    bool isRunning() const;

    // Shows a finished report (e.g. from Test all) for `profile`.
    void showReport(const TestReport& report, const ConnectionProfile& profile);
    // Shows nothing; `message` says why (e.g. "Select a connection").
    void clear(const QString& message = QString());

    QString sendTo() const;
    // Enables the Test button; `reason` is its tool tip while disabled.
    void setTestEnabled(bool enabled, const QString& reason = QString());
    const std::optional<TestReport>& report() const { return m_report; }
    // Shows `message` as the verdict without running anything (e.g. "enter a password first").
    void showProblem(const QString& message);

signals:
    void testRequested();
    void started();
    void finished(const relaydeck::TestReport& report);
    // The user accepted the leaf certificate: lower-case hex SHA-256 without colons.
    void trustCertificateRequested(const QString& sha256);
    // The user trusts the chain's issuing CA: written to `caFile` (TrustedIssuerFile), which
    // becomes the connection's CA file (and replaces its pins).
    void trustIssuerRequested(const QString& caFile);
    void switchSecurityRequested(relaydeck::Security security, int port);

private:
    void onStageStarted(const QString& stageId);
    void onStageFinished(const TestStage& stage);
    void onTranscriptLine(const TranscriptLine& line);
    void onVerdict(const TestReport& report);
    void onFinished(const TestReport& report);
    // `announce`: emit started() (not yet emitted for this test).
    void startConnectionTest(const TestRequest& request, bool announce);
    // The part of start() after the run-time secrets are read: an OAuth token, then the test.
    void startWithSecrets(const TestRequest& request, bool announce);
    void showEarlyEnd(const TestReport& report);
    void showVerdict(const TestReport& report);
    void showDetails(const TestReport& report);
    // The report as this window shows it: the hint in the editor's words.
    TestReport withDesktopHint(const TestReport& report) const;
    void showStages(const QList<TestStage>& stages);
    void setStageItem(QTreeWidgetItem* item, const TestStage& stage);
    void updateButtons();
    void trustCertificate();
    void copyReport();
    void saveReport();

    Prompter& m_prompter;
    QLineEdit* m_sendTo;
    QPushButton* m_test;
    QPushButton* m_cancel;
    QLabel* m_verdictIcon;
    QLabel* m_verdict;
    QLabel* m_elapsed;
    QLabel* m_error;
    QLabel* m_hint;
    QLabel* m_unsavedNote;
    QPushButton* m_trust;
    QPushButton* m_switch;
    QTreeWidget* m_stages;
    QTabWidget* m_details;
    QTreeWidget* m_server;
    QTreeWidget* m_certificates;
    QPlainTextEdit* m_transcript;
    QPushButton* m_copy;
    QPushButton* m_save;

    QPointer<ConnectionTest> m_running;
    OAuthSignInController* m_signIn = nullptr;
    // The access token fetch or the read of a run-time password under way (0: none).
    quint64 m_tokenFetch = 0;
    quint64 m_tokenFetches = 0;
    bool m_readingRunTimeSecrets = false; // m_tokenFetch is a RuntimeSecretResolver's read
    ConnectionProfile m_profile;
    QString m_testedSendTo; // of the running or last started test
    std::optional<TestReport> m_report;
    std::optional<SecuritySuggestion> m_suggestion;
    QElapsedTimer m_clock;
    qint64 m_elapsedMs = 0;
    bool m_testEnabled = true;
};

} // namespace relaydeck::ui
