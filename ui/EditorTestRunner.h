#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/TestReport.h"

#include <QObject>
#include <QUuid>

namespace relaydeck::ui {

class ConnectionEditor;
class EditorSelection;
class TestPanel;
class TestResults;

// Test (F5): tests the connection as it stands in the editor in the Test panel, after checking
// what a test needs (valid fields, its password, a valid test recipient). A result belongs to
// the settings it tested: the list records it for the stored connection only when the editor
// holds no unsaved changes; a test of unsaved edits is marked as such in the panel.
class EditorTestRunner : public QObject
{
    Q_OBJECT

public:
    // The parts must outlive the runner.
    EditorTestRunner(ConnectionEditor& editor, TestPanel& panel, TestResults& results,
                     const EditorSelection& selection, QObject* parent = nullptr);

    void test();
    // Stops the test when it is of the stored connection `id` (about to be deleted).
    void stopTesting(const QUuid& id);
    // "Switch to ...": changes the editor's security and port, and tests again.
    void switchSecurity(Security security, int port);

signals:
    void stateChanged();
    void statusMessage(const QString& message);

private:
    void onFinished(const TestReport& report);

    ConnectionEditor& m_editor;
    TestPanel& m_panel;
    TestResults& m_results;
    const EditorSelection& m_selection;
    QUuid m_testingId; // the stored connection under test (null: unsaved edits, or none)
};

} // namespace relaydeck::ui
