#pragma once

// What every fuzz target shares: one QCoreApplication for the whole run and a check that
// aborts (a crash libFuzzer keeps as a reproducer) when an invariant does not hold.

#include <QByteArray>
#include <QCoreApplication>
#include <QList>

#include <cstdio>
#include <cstdlib>

namespace fuzz {

inline void ensureApplication()
{
    static int argc = 1;
    static char name[] = "relaydeck-fuzz";
    static char* argv[] = {name, nullptr};
    static QCoreApplication* application =
        QCoreApplication::instance() ? nullptr : new QCoreApplication(argc, argv);
    (void)application;
}

[[noreturn]] inline void fail(const char* what, const char* file, int line)
{
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}

// The fuzzer's bytes cut at each "\n--\n" into at most `limit` parts (server turns, challenges).
inline QList<QByteArray> splitParts(const QByteArray& bytes, qsizetype limit)
{
    QList<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() < limit) {
        const qsizetype at = bytes.indexOf("\n--\n", from);
        if (at < 0) {
            parts << bytes.mid(from);
            break;
        }
        parts << bytes.mid(from, at - from);
        from = at + 4;
    }
    return parts;
}

} // namespace fuzz

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            fuzz::fail(#condition, __FILE__, __LINE__);                                            \
    } while (false)
