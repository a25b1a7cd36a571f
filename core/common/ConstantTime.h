#pragma once

#include <QByteArray>

namespace relaydeck {

// Compares two byte strings in a time that depends only on their lengths, not on where they
// differ: for secrets an attacker may probe (OAuth state, SCRAM server signatures).
inline bool constantTimeEqual(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

} // namespace relaydeck
