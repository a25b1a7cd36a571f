#pragma once

#include <QDateTime>
#include <QString>

namespace relaydeck::ui {

// What the connection list shows about a profile's last test.
struct LastTestResult
{
    enum class Status
    {
        Untested,
        Running,
        Passed,
        Failed,
        Skipped // could not run (e.g. no password stored)
    };
    Status status = Status::Untested;
    QDateTime finishedAt;
    QString summary; // one line: the error message, or what was verified

    bool operator==(const LastTestResult&) const = default;
};

} // namespace relaydeck::ui
