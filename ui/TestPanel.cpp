#include "TestPanel.h"

#include "DesktopWording.h"
#include "FirstFrame.h"
#include "Icons.h"
#include "OAuthSignInController.h"
#include "Prompter.h"
#include "ReportFile.h"
#include "StageNames.h"
#include "TestReportText.h"
#include "TrustedIssuerFile.h"

#include "i18n/LocalDates.h"
#include "secrets/RuntimeSecretResolver.h"
#include "smtp/ConnectionTest.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

constexpr int stageIdRole = Qt::UserRole;
constexpr int stageDoneRole = Qt::UserRole + 1;

bool offersTrust(const TestReport& report)
{
    const QString& id = report.error.id;
    return !report.ok && !report.tls.chain.isEmpty() &&
           (id == ErrorId::CertificateUntrusted || id == ErrorId::CertificateHostnameMismatch ||
            id == ErrorId::CertificateExpired || id == ErrorId::CertificatePinMismatch);
}

QLabel* wrappingLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QTreeWidgetItem* addField(QTreeWidget* tree, QTreeWidgetItem* parent, const QString& label,
                          const QString& value)
{
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
    item->setText(0, label);
    item->setText(1, value);
    item->setToolTip(1, value);
    return item;
}

} // namespace

TestPanel::TestPanel(Prompter& prompter, QWidget* parent)
    : QWidget(parent)
    , m_prompter(prompter)
    , m_sendTo(new QLineEdit(this))
    , m_test(new QPushButton(Icons::get(u"test"_s), tr("Test"), this))
    , m_cancel(new QPushButton(Icons::get(u"cancel"_s), tr("Cancel"), this))
    , m_verdictIcon(new QLabel(this))
    , m_verdict(wrappingLabel(u"verdictLabel"_s, this))
    , m_elapsed(new QLabel(this))
    , m_error(wrappingLabel(u"errorLabel"_s, this))
    , m_hint(wrappingLabel(u"hintLabel"_s, this))
    , m_unsavedNote(wrappingLabel(u"unsavedResultNote"_s, this))
    , m_trust(new QPushButton(Icons::get(u"trust"_s), tr("Trust This Certificate…"), this))
    , m_switch(new QPushButton(Icons::get(u"switch"_s), QString(), this))
    , m_stages(new QTreeWidget(this))
    , m_details(new QTabWidget(this))
    , m_server(new QTreeWidget(this))
    , m_certificates(new QTreeWidget(this))
    , m_transcript(new QPlainTextEdit(this))
    , m_copy(new QPushButton(Icons::get(u"copy-report"_s), tr("Copy Report"), this))
    , m_save(new QPushButton(Icons::get(u"save"_s), tr("Save Report…"), this))
{
    setObjectName(u"testPanel"_s);
    m_sendTo->setObjectName(u"sendToEdit"_s);
    m_sendTo->setPlaceholderText(tr("optional: recipient@example.com"));
    m_sendTo->setToolTip(tr("Leave empty to stop after authentication; with an address a short "
                            "test message is sent."));
    FirstFrame::enableClearButton(m_sendTo);
    auto* sendToLabel = new QLabel(tr("&Send a test message to:"), this);
    sendToLabel->setBuddy(m_sendTo);
    m_test->setObjectName(u"testButton"_s);
    m_test->setToolTip(tr("Test the connection as it stands in the editor (F5)"));
    m_cancel->setObjectName(u"cancelTestButton"_s);

    QFont verdictFont = m_verdict->font();
    verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.2);
    verdictFont.setBold(true);
    m_verdict->setFont(verdictFont);
    m_verdictIcon->setObjectName(u"verdictIcon"_s);
    m_elapsed->setObjectName(u"elapsedLabel"_s);
    m_elapsed->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setStyleSheet(u"QLabel { background: #fff8e1; border: 1px solid #e2c275; "
                          "border-radius: 4px; padding: 6px; color: #3b2a00; }"_s);
    m_unsavedNote->setText(tr("Tested with unsaved changes: the connection list keeps the saved "
                              "connection's last result."));
    m_unsavedNote->setForegroundRole(QPalette::PlaceholderText);
    m_trust->setObjectName(u"trustCertificateButton"_s);
    m_switch->setObjectName(u"switchSecurityButton"_s);

    m_stages->setObjectName(u"stagesView"_s);
    m_stages->setColumnCount(3);
    m_stages->setHeaderLabels({tr("Stage"), tr("Time"), tr("Detail")});
    m_stages->setRootIsDecorated(false);
    m_stages->setUniformRowHeights(true);
    m_stages->header()->setStretchLastSection(true);
    m_stages->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_stages->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_stages->setMinimumHeight(120);

    m_details->setObjectName(u"testDetailsTabs"_s);
    m_server->setObjectName(u"serverView"_s);
    m_server->setColumnCount(2);
    m_server->setHeaderHidden(true);
    m_server->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_certificates->setObjectName(u"certificateView"_s);
    m_certificates->setColumnCount(2);
    m_certificates->setHeaderHidden(true);
    m_certificates->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_transcript->setObjectName(u"transcriptView"_s);
    m_transcript->setReadOnly(true);
    m_transcript->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_transcript->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_transcript->setPlaceholderText(tr("The SMTP dialogue appears here during a test. Passwords "
                                        "and AUTH data are shown as <redacted>."));
    m_details->addTab(m_server, Icons::get(u"info"_s), tr("Ser&ver"));
    m_details->addTab(m_certificates, Icons::get(u"certificate"_s), tr("Cert&ificates"));
    m_details->addTab(m_transcript, Icons::get(u"transcript"_s), tr("Trans&cript"));

    m_copy->setObjectName(u"copyReportButton"_s);
    m_save->setObjectName(u"saveReportButton"_s);

    auto* sendToRow = new QHBoxLayout;
    sendToRow->addWidget(sendToLabel);
    sendToRow->addWidget(m_sendTo, 1);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_cancel);
    testRow->addStretch(1);

    auto* verdictRow = new QHBoxLayout;
    verdictRow->addWidget(m_verdictIcon, 0, Qt::AlignTop);
    verdictRow->addWidget(m_verdict, 1);
    verdictRow->addWidget(m_elapsed, 0, Qt::AlignTop);

    auto* actionRow = new QHBoxLayout;
    actionRow->addWidget(m_trust);
    actionRow->addWidget(m_switch);
    actionRow->addStretch(1);

    auto* reportRow = new QHBoxLayout;
    reportRow->addStretch(1);
    reportRow->addWidget(m_copy);
    reportRow->addWidget(m_save);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(sendToRow);
    layout->addLayout(testRow);
    layout->addLayout(verdictRow);
    layout->addWidget(m_unsavedNote);
    layout->addWidget(m_error);
    layout->addWidget(m_hint);
    layout->addLayout(actionRow);
    layout->addWidget(m_stages, 2);
    layout->addWidget(m_details, 3);
    layout->addLayout(reportRow);

    connect(m_test, &QPushButton::clicked, this, &TestPanel::testRequested);
    connect(m_sendTo, &QLineEdit::returnPressed, this, [this] {
        if (m_test->isEnabled())
            emit testRequested();
    });
    connect(m_cancel, &QPushButton::clicked, this, &TestPanel::cancel);
    connect(m_trust, &QPushButton::clicked, this, &TestPanel::trustCertificate);
    connect(m_switch, &QPushButton::clicked, this, [this] {
        if (m_suggestion)
            emit switchSecurityRequested(m_suggestion->security, m_suggestion->port);
    });
    connect(m_copy, &QPushButton::clicked, this, &TestPanel::copyReport);
    connect(m_save, &QPushButton::clicked, this, &TestPanel::saveReport);

    setTabOrder(m_sendTo, m_test);
    setTabOrder(m_test, m_cancel);
    setTabOrder(m_cancel, m_trust);
    setTabOrder(m_trust, m_switch);
    setTabOrder(m_switch, m_stages);
    setTabOrder(m_stages, m_details);
    setTabOrder(m_details, m_copy);
    setTabOrder(m_copy, m_save);
    clear();
}

TestPanel::~TestPanel()
{
    // The test's signals must not reach a half-destroyed panel.
    if (m_running)
        m_running->disconnect(this);
}

bool TestPanel::isRunning() const
{
    return !m_running.isNull() || m_tokenFetch != 0;
}

QString TestPanel::sendTo() const
{
    return m_sendTo->text().trimmed();
}

void TestPanel::setTestEnabled(bool enabled, const QString& reason)
{
    m_testEnabled = enabled;
    m_test->setToolTip(enabled ? tr("Test the connection as it stands in the editor (F5)")
                               : reason);
    updateButtons();
}

void TestPanel::clear(const QString& message)
{
    m_report.reset();
    m_suggestion.reset();
    m_stages->clear();
    m_server->clear();
    m_certificates->clear();
    m_transcript->clear();
    m_verdictIcon->clear();
    m_elapsed->clear();
    m_verdict->setText(message.isEmpty()
                           ? tr("Press Test to check the connection: each step appears here as "
                                "it happens.")
                           : message);
    m_verdict->setStyleSheet(u"font-weight: normal;"_s);
    m_error->hide();
    m_hint->hide();
    m_unsavedNote->hide();
    updateButtons();
}

void TestPanel::showProblem(const QString& message)
{
    clear();
    m_verdictIcon->setPixmap(Icons::get(u"warning"_s).pixmap(24, 24));
    m_verdict->setText(message);
}

void TestPanel::start(const TestRequest& request, bool ofUnsavedEdits)
{
    if (isRunning())
        return;
    clear();
    m_unsavedNote->setVisible(ofUnsavedEdits);
    m_profile = request.profile;
    m_testedSendTo = request.sendTo;
    m_verdictIcon->setPixmap(Icons::get(u"status-running"_s).pixmap(24, 24));
    m_clock.start();
    m_elapsedMs = -1;
    if (!RuntimeSecretResolver::needed(request.profile)) {
        startWithSecrets(request, true);
        return;
    }
    // The password (or user name) from an environment variable or a command.
    m_verdict->setText(tr("Reading the password for %1…").arg(request.profile.name));
    const quint64 fetch = m_tokenFetch = ++m_tokenFetches;
    m_readingRunTimeSecrets = true;
    updateButtons();
    emit started();
    ConnectionProfile supplying = request.profile;
    if (!request.secrets.smtpPassword.isEmpty())
        supplying.auth.passwordSource = SecretSource();
    RuntimeSecretResolver::resolve(
        supplying, this, [this, request, fetch](const Result<RuntimeSecrets>& supplied) {
            if (fetch != m_tokenFetch)
                return; // cancelled
            m_tokenFetch = 0;
            m_readingRunTimeSecrets = false;
            if (!supplied.ok()) {
                showEarlyEnd(Diagnosis::reportBeforeConnecting(
                    request.profile, supplied.failure().id, supplied.failure().message,
                    DesktopWording::instance()));
                return;
            }
            TestRequest withSecrets = request;
            supplied->applyTo(withSecrets.secrets);
            startWithSecrets(withSecrets, false);
        });
}

void TestPanel::startWithSecrets(const TestRequest& request, bool announce)
{
    if (!request.profile.usesOAuthSignIn() || !request.secrets.smtpPassword.isEmpty() ||
        !m_signIn) {
        startConnectionTest(request, announce);
        return;
    }
    m_verdict->setText(tr("Getting an OAuth access token for %1…").arg(request.profile.name));
    const quint64 fetch = m_tokenFetch = ++m_tokenFetches;
    updateButtons();
    if (announce)
        emit started();
    m_signIn->fetchAccessToken(
        request.profile, this,
        [this, request, fetch](const OAuthAccessToken& token, const OAuthError& error) {
            if (fetch != m_tokenFetch)
                return; // cancelled
            m_tokenFetch = 0;
            if (!error.isNull()) {
                showEarlyEnd(OAuthTokenSource::failureReport(request.profile, error,
                                                             DesktopWording::instance()));
                return;
            }
            TestRequest withToken = request;
            withToken.secrets.smtpPassword = token.value;
            startConnectionTest(withToken, false);
        });
}

void TestPanel::startConnectionTest(const TestRequest& request, bool announce)
{
    m_verdict->setText(
        tr("Testing %1:%2…").arg(request.profile.host).arg(request.profile.effectivePort()));
    auto* test = new ConnectionTest(this);
    test->setWording(DesktopWording::instance());
    m_running = test;
    connect(test, &ConnectionTest::stageStarted, this, &TestPanel::onStageStarted);
    connect(test, &ConnectionTest::stageFinished, this, &TestPanel::onStageFinished);
    connect(test, &ConnectionTest::transcriptLine, this, &TestPanel::onTranscriptLine);
    connect(test, &ConnectionTest::verdictReady, this, &TestPanel::onVerdict);
    connect(test, &ConnectionTest::finished, this, &TestPanel::onFinished);
    updateButtons();
    if (announce)
        emit started();
    test->start(request);
}

// A test that ended before it connected (no access token, or cancelled while getting one).
void TestPanel::showEarlyEnd(const TestReport& report)
{
    m_elapsedMs = m_clock.elapsed();
    m_report = withDesktopHint(report);
    showStages(report.stages);
    showVerdict(*m_report);
    showDetails(report);
    updateButtons();
    emit finished(report);
}

void TestPanel::cancel()
{
    if (m_tokenFetch) {
        m_tokenFetch = 0;
        OAuthError cancelled;
        cancelled.id = ErrorId::Cancelled;
        cancelled.message = std::exchange(m_readingRunTimeSecrets, false)
                                ? tr("Cancelled while reading the password.")
                                : tr("Cancelled while getting the access token.");
        showEarlyEnd(OAuthTokenSource::failureReport(m_profile, cancelled));
        return;
    }
    if (m_running)
        m_running->cancel();
}

void TestPanel::setStageItem(QTreeWidgetItem* item, const TestStage& stage)
{
    item->setData(0, stageDoneRole, true);
    // The icon says ok or failed (one mark, not an icon and a character); so does the
    // accessible text.
    item->setText(0, StageNames::name(stage.id));
    item->setData(0, Qt::AccessibleTextRole,
                  (stage.ok ? tr("%1: done") : tr("%1: failed")).arg(StageNames::name(stage.id)));
    item->setIcon(0, Icons::get(stage.ok ? u"status-ok"_s : u"status-failed"_s));
    item->setForeground(0, QColor(stage.ok ? u"#2b8a3e"_s : u"#c92a2a"_s));
    item->setText(1, tr("%1 ms").arg(stage.ms));
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(2, stage.detail);
    item->setToolTip(2, stage.detail);
}

void TestPanel::onStageStarted(const QString& stageId)
{
    auto* item = new QTreeWidgetItem(m_stages);
    item->setData(0, stageIdRole, stageId);
    item->setData(0, stageDoneRole, false);
    item->setText(0, u"\u2026  "_s + StageNames::name(stageId));
    item->setIcon(0, Icons::get(u"status-running"_s));
    m_stages->scrollToItem(item);
}

void TestPanel::onStageFinished(const TestStage& stage)
{
    // The newest unfinished row of this stage (EHLO runs again after STARTTLS).
    QTreeWidgetItem* item = nullptr;
    for (int row = m_stages->topLevelItemCount() - 1; row >= 0 && !item; --row) {
        QTreeWidgetItem* candidate = m_stages->topLevelItem(row);
        if (candidate->data(0, stageIdRole).toString() == stage.id &&
            !candidate->data(0, stageDoneRole).toBool())
            item = candidate;
    }
    if (!item) {
        item = new QTreeWidgetItem(m_stages);
        item->setData(0, stageIdRole, stage.id);
    }
    setStageItem(item, stage);
    m_stages->scrollToItem(item);
}

void TestPanel::onTranscriptLine(const TranscriptLine& line)
{
    m_transcript->appendPlainText(TestReportText::transcriptLine(line));
}

void TestPanel::onVerdict(const TestReport& report)
{
    m_elapsedMs = m_clock.elapsed();
    m_report = withDesktopHint(report);
    showVerdict(*m_report);
    showDetails(report);
}

void TestPanel::onFinished(const TestReport& report)
{
    if (m_elapsedMs < 0)
        m_elapsedMs = m_clock.elapsed();
    m_report = withDesktopHint(report);
    if (m_running)
        m_running->deleteLater();
    m_running.clear();
    // The final report is the reference: same stages, plus QUIT and the complete transcript.
    showStages(report.stages);
    showVerdict(*m_report);
    showDetails(report);
    m_transcript->clear();
    QStringList lines;
    for (const TranscriptLine& line : report.transcript)
        lines << TestReportText::transcriptLine(line);
    m_transcript->setPlainText(lines.join(u'\n'));
    updateButtons();
    emit finished(report);
}

void TestPanel::showReport(const TestReport& report, const ConnectionProfile& profile)
{
    if (isRunning())
        return;
    clear();
    m_profile = profile;
    m_testedSendTo.clear();
    m_report = withDesktopHint(report);
    m_elapsedMs = -1;
    showStages(report.stages);
    showVerdict(*m_report);
    showDetails(report);
    QStringList lines;
    for (const TranscriptLine& line : report.transcript)
        lines << TestReportText::transcriptLine(line);
    m_transcript->setPlainText(lines.join(u'\n'));
    updateButtons();
}

TestReport TestPanel::withDesktopHint(const TestReport& report) const
{
    // The hint names this window's tabs, fields and buttons, also for a report the engine worded
    // otherwise (and Copy/Save Report keep what the user read).
    TestReport shown = report;
    if (!report.ok && !report.error.isNull()) {
        TestRequest request;
        request.profile = m_profile;
        request.sendTo = m_testedSendTo;
        shown.error.hint = Diagnosis::hint(report, request, DesktopWording::instance());
    }
    return shown;
}

void TestPanel::showStages(const QList<TestStage>& stages)
{
    m_stages->clear();
    for (const TestStage& stage : stages) {
        auto* item = new QTreeWidgetItem(m_stages);
        item->setData(0, stageIdRole, stage.id);
        setStageItem(item, stage);
    }
}

void TestPanel::showVerdict(const TestReport& report)
{
    m_verdict->setText(TestReportText::verdict(report));
    const bool timed = m_elapsedMs >= 0 && report.error.id != ErrorId::Cancelled;
    m_elapsed->setText(timed ? tr("%1 ms").arg(m_elapsedMs) : QString());
    m_elapsed->setToolTip(timed ? tr("Time from the start of the test to the verdict") : QString());
    const bool cancelled = report.error.id == ErrorId::Cancelled;
    m_verdictIcon->setPixmap(Icons::get(report.ok   ? u"status-ok"_s
                                        : cancelled ? u"status-skipped"_s
                                                    : u"status-failed"_s)
                                 .pixmap(24, 24));
    m_verdict->setStyleSheet(report.ok   ? u"color: #2b8a3e;"_s
                             : cancelled ? QString()
                                         : u"color: #c92a2a;"_s);
    if (!report.ok && !report.error.isNull() && !cancelled) {
        // The human words first; the TLS library's own text only in the tool tip and report.
        QString error = TestReportText::humanMessage(report.error.message);
        // The engine's message often quotes the reply already.
        if (!report.error.serverReply.isEmpty() && !error.contains(report.error.serverReply))
            error += u'\n' + tr("The server said: %1").arg(report.error.serverReply);
        m_error->setText(error);
        const QString raw = TestReportText::libraryText(report.error.message);
        m_error->setToolTip(raw.isEmpty() ? QString() : tr("Details: %1").arg(raw));
        m_error->show();
    } else {
        m_error->hide();
    }
    m_suggestion = SecuritySuggestion::forReport(report, m_profile);
    // A pass in plain text that could have been encrypted: the warning stands where a hint would.
    // So do the report's own warnings (security auto that went on unencrypted).
    QStringList warnings = report.warnings;
    if (report.ok && m_suggestion && !m_suggestion->warning.isEmpty())
        warnings.append(m_suggestion->warning);
    const QString hint = !report.ok ? report.error.hint : warnings.join(u' ');
    m_hint->setText(hint.isEmpty() ? QString()
                    : report.ok    ? tr("Warning: %1").arg(hint)
                                   : tr("What to do: %1").arg(hint));
    m_hint->setVisible(!hint.isEmpty());
    updateButtons();
}

void TestPanel::showDetails(const TestReport& report)
{
    m_server->clear();
    addField(m_server, nullptr, tr("Server"),
             u"%1:%2 (%3)"_s.arg(report.target.host)
                 .arg(report.target.port)
                 .arg(report.target.securityText()));
    if (!report.target.address.isEmpty())
        addField(m_server, nullptr, tr("Address"), report.target.address);
    if (!report.target.proxy.isEmpty() && report.target.proxy != u"none"_s)
        addField(m_server, nullptr, tr("Proxy"), report.target.proxy);
    if (!report.server.greeting.isEmpty())
        addField(m_server, nullptr, tr("Greeting"), report.server.greeting);
    if (!report.server.capabilities.isEmpty()) {
        QTreeWidgetItem* capabilities =
            addField(m_server, nullptr, tr("Capabilities"),
                     tr("%n extension(s)", nullptr, int(report.server.capabilities.size())));
        for (const QString& capability : report.server.capabilities)
            addField(m_server, capabilities, capability, QString());
        capabilities->setExpanded(true);
    }
    if (!report.server.authMechanisms.isEmpty())
        addField(m_server, nullptr, tr("Authentication mechanisms"),
                 report.server.authMechanisms.join(u' '));
    if (report.server.maxSize > 0)
        addField(m_server, nullptr, tr("Maximum message size"),
                 QLocale().formattedDataSize(report.server.maxSize));
    if (report.auth.attempted)
        addField(m_server, nullptr, tr("Authentication"),
                 u"%1: %2"_s.arg(report.auth.mechanism,
                                 report.auth.ok ? tr("accepted") : tr("refused")));
    if (report.tls.used) {
        addField(m_server, nullptr, tr("TLS protocol"), report.tls.protocol);
        addField(m_server, nullptr, tr("Cipher"), report.tls.cipher);
        // A pin accepts the certificate despite the errors: say so, and which errors it overrides.
        addField(m_server, nullptr, tr("Certificate verified"),
                 report.tls.pinned     ? tr("trusted by pin")
                 : report.tls.verified ? tr("yes")
                                       : tr("no"));
        for (const QString& error : report.tls.errors)
            addField(m_server, nullptr,
                     report.tls.pinned ? tr("Overridden by the pin") : tr("Verification error"),
                     error);
    }

    m_certificates->clear();
    for (qsizetype i = 0; i < report.tls.chain.size(); ++i) {
        const CertificateInfo& certificate = report.tls.chain.at(i);
        auto* top = new QTreeWidgetItem(m_certificates);
        top->setText(0, i == 0 ? tr("Server certificate") : tr("Issuer %1").arg(i));
        top->setText(1, certificate.subject);
        top->setIcon(0, Icons::get(u"certificate"_s));
        addField(m_certificates, top, tr("Subject"), certificate.subject);
        addField(m_certificates, top, tr("Issuer"), certificate.issuer);
        addField(m_certificates, top, tr("Valid from"),
                 LocalDates::dateTime(certificate.notBefore));
        QTreeWidgetItem* until = addField(m_certificates, top, tr("Valid until"),
                                          LocalDates::dateTime(certificate.notAfter));
        if (certificate.notAfter.isValid() &&
            certificate.notAfter < QDateTime::currentDateTimeUtc())
            until->setForeground(1, QColor(u"#c92a2a"_s));
        if (!certificate.subjectAltNames.isEmpty())
            addField(m_certificates, top, tr("Names"), certificate.subjectAltNames.join(u", "_s));
        QTreeWidgetItem* fingerprint =
            addField(m_certificates, top, tr("SHA-256"), certificate.sha256);
        fingerprint->setFont(1, QFontDatabase::systemFont(QFontDatabase::FixedFont));
        top->setExpanded(i == 0);
    }
    if (offersTrust(report))
        m_details->setCurrentWidget(m_certificates);
}

void TestPanel::updateButtons()
{
    const bool running = isRunning();
    m_test->setEnabled(!running && m_testEnabled);
    m_cancel->setEnabled(running);
    m_sendTo->setEnabled(!running);
    const bool finished = m_report.has_value() && !running;
    m_copy->setEnabled(finished);
    m_save->setEnabled(finished);
    m_trust->setVisible(finished && offersTrust(*m_report));
    m_switch->setVisible(finished && m_suggestion.has_value());
    if (m_suggestion)
        m_switch->setText(m_suggestion->label());
}

void TestPanel::trustCertificate()
{
    if (!m_report || m_report->tls.chain.isEmpty())
        return;
    const QList<CertificateInfo>& chain = m_report->tls.chain;
    const QString pin = TestReportText::pinForm(chain.first().sha256);
    if (pin.isEmpty())
        return;
    CertificateTrustOffer offer;
    offer.connection = m_profile.name.isEmpty() ? m_profile.host : m_profile.name;
    offer.problems = m_report->tls.errors.isEmpty() ? QStringList{m_report->error.message}
                                                    : m_report->tls.errors;
    offer.leaf = chain.first();
    // The issuer is offered when the server presented it (the top of its chain); the CA file
    // then holds every certificate above the leaf, so the chain verifies to it.
    QByteArray issuers;
    for (qsizetype i = 1; i < chain.size(); ++i)
        issuers += chain.at(i).pem;
    if (chain.size() > 1 && !chain.last().pem.isEmpty())
        offer.issuer = chain.last();
    const std::optional<CertificateTrust> choice = m_prompter.chooseCertificateTrust(this, offer);
    if (!choice)
        return;
    if (*choice == CertificateTrust::LeafOnly || !offer.issuer) {
        emit trustCertificateRequested(pin);
        return;
    }
    const Result<QString> written = TrustedIssuerFile::write(m_profile.id, issuers);
    if (!written.ok()) {
        m_prompter.inform(this, Prompter::Severity::Error, tr("Not Trusted"),
                          written.failure().message);
        return;
    }
    emit trustIssuerRequested(written.value());
}

void TestPanel::copyReport()
{
    if (!m_report)
        return;
    QGuiApplication::clipboard()->setText(TestReportText::format(*m_report));
}

void TestPanel::saveReport()
{
    if (!m_report)
        return;
    const QString base = m_profile.name.isEmpty() ? m_profile.host : m_profile.name;
    ReportFile::save(this, m_prompter, tr("Save Test Report"), u"relaydeck-test-"_s + base,
                     TestReportText::format(*m_report),
                     QJsonDocument(m_report->toJson(true)).toJson(QJsonDocument::Indented));
}

} // namespace relaydeck::ui
