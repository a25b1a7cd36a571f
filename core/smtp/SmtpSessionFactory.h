#pragma once

#include <QObject>

namespace relaydeck {

class SmtpSession;

// Creates the SmtpSession a ConnectionTest talks through: the seam where tests put a session
// without a socket (tests/support/FakeSmtpSession) when a real server adds nothing.
class SmtpSessionFactory
{
public:
    virtual ~SmtpSessionFactory() = default;
    // A new session owned by `parent`.
    virtual SmtpSession* create(QObject* parent) const = 0;

    // The real one: an SmtpSession on a QSslSocket.
    static const SmtpSessionFactory& real();
};

} // namespace relaydeck
