#pragma once

#include "profile/ConnectionProfile.h"
#include "smtp/sasl/SaslMechanism.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace relaydeck {

struct SmtpReply;

// The SMTP AUTH exchange of RFC 4954 for one connection test, without a socket: it owns the
// SASL mechanism, counts the server's challenges (more than MaxChallenges fail,
// docs/ARCHITECTURE.md engine rule 7), decides whether the initial response goes with the AUTH
// command (at most MaxCommandLength octets) or in the first 334 reply, and says after the start and
// after each server reply what the caller must do next. ConnectionTest sends the lines, keeps the
// transcript, the stages and the timers.
class AuthExchange
{
public:
    // RFC 4954 4: an AUTH command line, initial response included, may be up to 12288 octets.
    static constexpr qsizetype MaxCommandLength = 12288;
    // Engine rule 7 (docs/ARCHITECTURE.md): more than five challenges is a failure.
    static constexpr int MaxChallenges = 5;

    struct Next
    {
        enum class Action
        {
            Send,           // send `line`; the transcript shows `shown`; another reply follows
            Succeed,        // the server accepted the login; `message` is the stage's detail
            Fail,           // the exchange is over: fail with errorId, message, serverReply
            CancelThenFail, // send "*" to cancel the exchange (its reply is ignored), then fail
        };
        Action action = Action::Fail;
        QByteArray line;     // Send: the raw command or base64 response, without CRLF
        QString shown;       // Send: the redacted text ("AUTH PLAIN <redacted>", "<redacted>")
        QString errorId;     // Fail, CancelThenFail
        QString message;     // Fail, CancelThenFail: the error; Succeed: "PLAIN accepted"
        QString serverReply; // Fail, CancelThenFail: the reply's text (empty before any reply)
        QStringList notes;   // start(): facts for the transcript's notes (who logs on to whom)
    };

    // The mechanism to use for the profile's `configured` one and the server's `offered` AUTH
    // words: Auto picks the strongest in common, or, with `kerberosTicket` (the profile's "use my
    // Kerberos ticket"), GSSAPI and nothing else. On failure `mechanism` is None and errorId is
    // auth-not-offered or auth-mechanism-unavailable, with a message.
    struct Choice
    {
        AuthMechanism mechanism = AuthMechanism::None;
        QString errorId;
        QString message;
        bool ok() const { return errorId.isEmpty(); }
    };
    static Choice choose(AuthMechanism configured, const QStringList& offered,
                         bool kerberosTicket = false);

    AuthExchange();
    ~AuthExchange();
    AuthExchange(const AuthExchange&) = delete;
    AuthExchange& operator=(const AuthExchange&) = delete;

    // Creates the mechanism and returns the AUTH command to send (Send), or a Fail with
    // auth-mechanism-unavailable when Relaydeck cannot use it, or with the mechanism's own error
    // when it cannot begin (GSSAPI without a usable Kerberos ticket). Call once.
    Next start(AuthMechanism mechanism, const SaslCredentials& credentials);
    // The next step for a reply to the AUTH command or to a response. Only after a Send.
    Next onReply(const SmtpReply& reply);

    // The SASL name ("PLAIN") once start() created the mechanism; empty before or on failure.
    QString mechanismName() const { return m_name; }
    // Who logs on to whom, as far as the mechanism knows it (SaslMechanism::parties).
    SaslMechanism::Parties parties() const;

private:
    std::unique_ptr<SaslMechanism> m_mechanism;
    QString m_name;
    bool m_initialResponseSent = false;
    int m_challenges = 0;
};

} // namespace relaydeck
