#include "EditorTestRunner.h"

#include "ConnectionEditor.h"
#include "ConnectionListModel.h"
#include "DesktopWording.h"
#include "EditorSelection.h"
#include "TestPanel.h"
#include "TestReportText.h"
#include "TestResults.h"

#include "common/SmtpInputValidation.h"
#include "secrets/ProfileSecretNeeds.h"
#include "smtp/ErrorIds.h"

namespace relaydeck::ui {

EditorTestRunner::EditorTestRunner(ConnectionEditor& editor, TestPanel& panel, TestResults& results,
                                   const EditorSelection& selection, QObject* parent)
    : QObject(parent)
    , m_editor(editor)
    , m_panel(panel)
    , m_results(results)
    , m_selection(selection)
{
    connect(&m_panel, &TestPanel::testRequested, this, &EditorTestRunner::test);
    connect(&m_panel, &TestPanel::finished, this, &EditorTestRunner::onFinished);
    connect(&m_panel, &TestPanel::switchSecurityRequested, this, &EditorTestRunner::switchSecurity);
}

void EditorTestRunner::test()
{
    if (!m_editor.hasProfile() || m_panel.isRunning())
        return;
    if (!m_editor.isValid()) {
        m_editor.focusFirstIssue();
        m_panel.showProblem(tr("Fix the marked fields before testing."));
        return;
    }
    TestRequest request;
    request.profile = m_editor.editedProfile();
    request.secrets = m_editor.connectionSecrets();
    // A password from a variable or a command is read when the test starts (TestPanel), not
    // taken from the (hidden) password field.
    if (ProfileSecretNeeds::passwordAtRunTime(request.profile))
        request.secrets.smtpPassword.clear();
    request.sendTo = m_panel.sendTo();
    // An OAuth sign-in's access token comes from the sign-in (TestPanel gets it).
    if (const auto missing =
            request.profile.usesOAuthSignIn()
                ? std::nullopt
                : ProfileSecretNeeds::missingSecret(request.profile, request.secrets)) {
        m_panel.showProblem(DesktopWording::instance().missingSecret(*missing));
        m_editor.focusPassword();
        return;
    }
    if (!request.sendTo.isEmpty()) {
        if (const auto checked = SmtpInputValidation::checkAddress(request.sendTo); !checked) {
            m_panel.showProblem(tr("Send a test message to: %1").arg(checked.failure().message));
            return;
        }
    }
    const bool unsaved = m_editor.isDirty() || m_editor.isNew();
    m_testingId = unsaved ? QUuid() : m_selection.editingId();
    if (!m_testingId.isNull())
        m_results.started(m_testingId);
    m_panel.start(request, unsaved);
    emit stateChanged();
}

void EditorTestRunner::stopTesting(const QUuid& id)
{
    if (m_testingId == id)
        m_panel.cancel();
}

void EditorTestRunner::onFinished(const TestReport& report)
{
    const QUuid id = std::exchange(m_testingId, QUuid());
    if (!id.isNull()) {
        if (report.error.id == ErrorId::Cancelled)
            m_results.cancelled(id, report);
        else
            m_results.finished(id, report);
    }
    emit statusMessage(TestReportText::verdict(report));
    emit stateChanged();
}

void EditorTestRunner::switchSecurity(Security security, int port)
{
    if (!m_editor.hasProfile())
        return;
    m_editor.setSecurityAndPort(security, port);
    emit statusMessage(tr("Switched to %1 on port %2; Save to keep it.")
                           .arg(ConnectionListModel::securityName(security))
                           .arg(port));
    test();
}

} // namespace relaydeck::ui
