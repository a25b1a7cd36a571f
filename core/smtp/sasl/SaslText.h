#pragma once

#include <QByteArray>
#include <QString>

namespace relaydeck::sasl {

// Small text helpers shared by the mechanisms (not a class: nothing to hold).

// UTF-8 bytes of a user-supplied string, after the light SASLprep of preparedString().
QByteArray prepared(const QString& text);

// A pragmatic SASLprep (RFC 4013): non-ASCII spaces become U+0020, characters "commonly mapped
// to nothing" are dropped and the result is NFKC-normalised. Bidi and prohibited-output checks
// are left to the server, which refuses what it cannot match anyway.
QString preparedString(const QString& text);

// GS2/SCRAM "saslname" escaping (RFC 5801 section 4, RFC 5802 section 5.1): ',' -> "=2C",
// '=' -> "=3D", so a user name can never inject another attribute.
QByteArray escapeSaslName(const QByteArray& name);

// The translated message of a mechanism that got a challenge it did not expect.
QString unexpectedChallengeMessage(const QString& mechanism);

} // namespace relaydeck::sasl
