#pragma once

#include "common/AdviceWording.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QObject>

#include <memory>

namespace relaydeck {

class HostResolver;
class SmtpSession;
class SmtpSessionFactory;

// Runs one connection test: resolve -> connect -> greeting -> ehlo -> [starttls -> tls -> ehlo]
// -> auth -> [send] -> quit, asynchronously on the caller's thread (no blocking calls, no nested
// event loops). Emits progress as it happens and ends with a TestReport.
//
// verdictReady() is emitted as soon as the outcome is known (before the polite QUIT);
// finished() once the connection is closed (QUIT's reply awaited for a short bounded time).
// Each instance runs one test; start() again is not supported.
class ConnectionTest : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionTest(QObject* parent = nullptr);
    ~ConnectionTest() override;

    // The words of the report's hint and of the engine's own advice (default: setting ids);
    // `wording` must outlive the test.
    void setWording(const AdviceWording& wording);

    // Where the test's SmtpSession comes from (default: SmtpSessionFactory::real()); `factory`
    // must outlive the test.
    void setSessionFactory(const SmtpSessionFactory& factory);

    // How host names become addresses (default: HostResolver::system()); `resolver` must
    // outlive the test.
    void setResolver(const HostResolver& resolver);

    void start(const TestRequest& request);
    // Starts while the SMTP password (or token) is still being read from the keychain: the test
    // resolves, connects, negotiates TLS and checks the mechanism meanwhile, and waits at AUTH
    // for providePassword(). If the password cannot come, cancel(). (Test all overlaps its
    // keychain reads, which QtKeychain runs one after the other, with the connections this way.)
    void startAwaitingPassword(const TestRequest& request);
    void providePassword(const QString& password);
    // Abort now: the report gets error id "cancelled"; finished() follows promptly.
    void cancel();

    bool isRunning() const;
    const TestReport& report() const;

signals:
    void stageStarted(const QString& stageId);
    void stageFinished(const relaydeck::TestStage& stage);
    void transcriptLine(const relaydeck::TranscriptLine& line);
    void verdictReady(const relaydeck::TestReport& report);
    void finished(const relaydeck::TestReport& report);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace relaydeck
