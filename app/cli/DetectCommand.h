#pragma once

#include "Command.h"

#include "detect/SettingsDetector.h"

#include <QElapsedTimer>

namespace relaydeck::cli {

// detect ADDRESS|DOMAIN [--json] [--timeout S] [--add NAME]: finds and probes the SMTP
// settings for an address or domain (SettingsDetector), prints the candidates best first, and
// with --add stores the best one as a connection. Never sends a credential.
class DetectCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("detect"); }
    QString synopsis() const override
    {
        return QStringLiteral("ADDRESS|DOMAIN [--json] [--timeout S] [--add NAME]");
    }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;

private:
    void onCandidate(const DetectedCandidate& candidate);
    void onFinished();
    void printCandidates(const QList<DetectedCandidate>& candidates) const;
    // Stores the best candidate as --add NAME; false when it failed (fail() was called).
    bool addBest(const QList<DetectedCandidate>& candidates);

    SettingsDetector* m_detector = nullptr;
    QElapsedTimer m_clock;
    qint64 m_firstUsableMs = -1;
    QString m_query;
    QString m_addName;
    QString m_caFile;
    bool m_json = false;
    bool m_confirmOtherDomain = false;
};

} // namespace relaydeck::cli
