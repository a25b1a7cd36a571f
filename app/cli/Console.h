#pragma once

#include <QString>

namespace relaydeck::cli {

// Exit codes of relaydeck-cli (docs/ARCHITECTURE.md, "Error ids").
enum ExitCode
{
    ExitOk = 0,         // success
    ExitTestFailed = 1, // the test ran and failed
    ExitError = 2       // bad usage, bad input, or a storage/keychain error; nothing changed
};

// The marks relaydeck-cli puts before a result: passed, failed, not tested.
inline QString resultMark(bool ok)
{
    return ok ? QStringLiteral("\u2713") : QStringLiteral("\u2717"); // ✓ ✗
}
inline QString notTestedMark()
{
    return QStringLiteral("\u2013"); // –
}

// stdout/stderr as UTF-8 text, flushed at once so progress appears as it happens.
class Console
{
public:
    static void out(const QString& text);
    static void err(const QString& text);
};

} // namespace relaydeck::cli
