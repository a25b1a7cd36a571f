#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/HostResolver.h"
#include "smtp/SmtpSessionFactory.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace relaydeck::test {

// Everything one ConnectionTest run emitted, collected for assertions.
struct EngineRun
{
    bool finished = false; // finished() came within the wait
    int verdictCount = 0;
    int finishedCount = 0;
    TestReport verdict; // as emitted by verdictReady()
    TestReport report;  // as emitted by finished()
    QStringList stagesStarted;
    QList<TestStage> stagesFinished;
    QList<TranscriptLine> transcript; // as emitted by transcriptLine()
    qint64 verdictMs = -1;            // since start()
    qint64 finishedMs = -1;

    // Ids of the finished stages, in order.
    QStringList stageIds() const;
    // The error, the stages and the transcript in readable form, for failure messages.
    QString describe() const;
    // Every transcript line as "C: ...", "S: ...", "*: ...", joined by newlines.
    QString transcriptText() const;
};

// A profile for a ScriptedSmtpServer: 127.0.0.1:port, the given security, EHLO name
// "client.test", sender "sender@client.test", a 2 s timeout, the test CA as CA file, and no
// authentication (set auth.username to authenticate).
ConnectionProfile scriptedProfile(quint16 port, Security security);

// Runs one ConnectionTest until it finishes or `waitMs` passes (then finished is false), with
// `resolver` for host names and `sessions` for its SmtpSessions when given.
EngineRun runConnectionTest(const TestRequest& request, int waitMs = 20000,
                            const HostResolver* resolver = nullptr,
                            const SmtpSessionFactory* sessions = nullptr);

} // namespace relaydeck::test
