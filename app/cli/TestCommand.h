#pragma once

#include "Command.h"

#include "smtp/TestRequest.h"

namespace relaydeck {
class ConnectionTest;
struct TestReport;
struct TestStage;
} // namespace relaydeck

namespace relaydeck::cli {

// test [NAME] [CONN] [--send-to ADDR] [--json] [--transcript]: runs a ConnectionTest on a stored
// connection (with its keychain secrets; CONN options override them for this run) or on an
// ad-hoc one from CONN. Prints each stage as it finishes, the verdict as soon as it is known,
// and exits once the connection is closed: 0 passed, 1 failed, 2 could not run.
// test --all [--parallel N] [--json]: tests every stored connection at once in this one process
// (ProfileTestBatch) and prints a line for each as it ends (TestAllOutput).
class TestCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("test"); }
    QString synopsis() const override
    {
        return QStringLiteral("[NAME] [CONN] [--send-to ADDR] [--json] [--transcript] | --all "
                              "[--parallel N] [--json]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;

private:
    void runAll(const QCommandLineParser& parser);
    void startTest(const TestRequest& request);
    // An ad-hoc connection (CONN options only) that reads its password or user name at run time.
    void startResolvingAtRunTime(const TestRequest& request, bool passwordGiven);
    // The test could not start because of `failure`: a run-time password that could not be read
    // (a report, exit code 1) or anything else (exit code 2). False when it was neither.
    bool endedBeforeConnecting(const ConnectionProfile& profile, const Failure& failure);
    void printStage(const TestStage& stage) const;
    void printVerdict(const TestReport& report);

    bool m_json = false;
    bool m_transcript = false;
    bool m_verdictPrinted = false;
    int m_exitCode = ExitError;
};

} // namespace relaydeck::cli
