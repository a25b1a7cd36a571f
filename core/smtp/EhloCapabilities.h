#pragma once

#include "smtp/SmtpReply.h"

#include <QStringList>

namespace relaydeck {

// What a server announced in its EHLO reply (RFC 5321 4.1.1.1): the keywords after the first
// line. Built anew after STARTTLS: nothing learned in plaintext survives the handshake.
class EhloCapabilities
{
public:
    EhloCapabilities() = default;
    static EhloCapabilities fromReply(const SmtpReply& reply);

    // The keyword lines as sent ("SIZE 35882577", "AUTH PLAIN LOGIN").
    const QStringList& lines() const { return m_lines; }
    bool has(const QString& keyword) const;
    // Upper-case SASL names from "AUTH ..." and the obsolete "AUTH=..." form, without repeats.
    const QStringList& authMechanisms() const { return m_authMechanisms; }
    // SIZE parameter: -1 not announced, 0 announced without a limit.
    qint64 maxSize() const { return m_maxSize; }

private:
    QStringList m_lines;
    QStringList m_keywords; // upper-case
    QStringList m_authMechanisms;
    qint64 m_maxSize = -1;
};

} // namespace relaydeck
