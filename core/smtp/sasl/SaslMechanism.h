#pragma once

#include <QByteArray>
#include <QString>

namespace relaydeck {

// Credentials a SASL mechanism may use. For XOAUTH2/OAUTHBEARER the password is the token.
struct SaslCredentials
{
    QString username;
    QString password;
    QString host; // the SMTP host (OAUTHBEARER's host=, NTLM target)
    int port = 0;
    QString domain; // NTLM domain; empty: taken from "DOMAIN\user" if present
};

// One client-side SASL exchange (RFC 4422). The SMTP session does the base64 framing of
// RFC 4954; a mechanism only sees and produces raw bytes.
class SaslMechanism
{
public:
    struct Step
    {
        bool ok = true;      // false: the exchange must be aborted ("*"); error says why
        QByteArray response; // raw bytes to send (may be empty)
        QString error;
        // With ok false: Relaydeck itself will not complete the mechanism with this server
        // (e.g. NTLMv1 only), so the credentials were never tried: auth-mechanism-unavailable,
        // not auth-failed.
        bool declined = false;
        // With ok false: the report's error id; empty: auth-failed.
        QString errorId = {};
    };

    virtual ~SaslMechanism() = default;

    // The IANA name, upper-case ("PLAIN", "SCRAM-SHA-256").
    virtual QString name() const = 0;
    // Called once before the AUTH command: a mechanism that needs something from this machine
    // first (GSSAPI: the user's Kerberos ticket) fails here, and nothing is sent.
    virtual Step begin() { return {}; }
    // Who logs on to whom when the mechanism knows more than the user name, once begin()
    // succeeded (GSSAPI: the client principal of the ticket and the service principal
    // smtp@HOST); for the transcript's notes and the report. Never a secret.
    struct Parties
    {
        QString client;
        QString service;
    };
    virtual Parties parties() const { return {}; }
    // True when the mechanism can send its first message with the AUTH command (saves a round
    // trip, RFC 4954 section 4).
    virtual bool hasInitialResponse() const = 0;
    virtual QByteArray initialResponse() = 0;
    // The next client message for a decoded server challenge (a 334 line).
    virtual Step respond(const QByteArray& challenge) = 0;
    // Asked when the server says 235: false when the mechanism could not verify the server
    // (e.g. SCRAM's server signature was never received or was wrong).
    virtual bool acceptsSuccess() const { return true; }
    // What the server said about a failure inside the exchange (e.g. OAuth's JSON error
    // challenge); empty when it said nothing. Never holds a secret.
    virtual QByteArray serverError() const { return {}; }
};

} // namespace relaydeck
