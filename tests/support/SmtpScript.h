#pragma once

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <functional>

namespace relaydeck::test {

// One step of a ScriptedSmtpServer's script.
struct SmtpScriptStep
{
    enum class Kind
    {
        Send,         // write `bytes` in ONE write (may hold several lines: injection, pipelining)
        Expect,       // the next client line equals `bytes` (without CRLF)
        ExpectPrefix, // the next client line starts with `bytes`
        ExpectMatch,  // the next client line matches `pattern`
        StartTls,     // start the server side of the TLS handshake now (after "220" to STARTTLS)
        Close,        // close the connection politely (pending writes are flushed)
        Abort,        // reset the connection at once
        Silent,       // from now on record everything and answer nothing (not even QUIT)
        Junk,         // write `count` bytes of 'x' without any CR or LF, paced to bound memory
        ReceiveData, // read a DATA payload up to the "." line (kept as sent, dot-stuffing included)
        SendComputed, // write what `compute` returns for the last client line an Expect* step
                      // matched (a SASL challenge that depends on the client's nonce, ...)
    };

    // Builds a reply from the last matched client line (without its line end; empty before any
    // line matched). CRLF is appended unless the result ends with "\n". An empty result means
    // "the script cannot go on": a script failure, and the client gets a 451.
    using ReplyFunction = std::function<QByteArray(const QByteArray& lastClientLine)>;

    Kind kind = Kind::Send;
    QByteArray bytes;
    QRegularExpression pattern;
    qint64 count = 0;
    ReplyFunction compute;

    // For failure messages: "S: 250 OK", "C~ ^AUTH PLAIN", ...
    QString describe() const;
};

// A script of what the server sends and what it expects from the client, built with the
// chainable methods or parsed from text, one step per line:
//
//   # comment                 (blank lines are ignored too)
//   S: 220 test ESMTP         send; escapes \r \n \t \\ \xHH; CRLF appended unless it already
//                             ends with \n, so "S: 250-a\r\n250 b" is a two-line reply in one write
//   RAW: 220 x\r\n250 y       send exactly these bytes (escapes, nothing appended)
//   C: EHLO client.test       expect this line exactly ("C:" alone expects an empty line)
//   C^ AUTH PLAIN             expect a line starting with this prefix
//   C~ ^AUTH PLAIN \S+$       expect a line matching this regular expression
//   TLS                       start the server side of the TLS handshake
//   CLOSE  ABORT  SILENT      close politely, reset, or stop answering
//   JUNK 10485760             send that many bytes of junk without CRLF
//   DATA                      receive a message body up to "."
//
// Computed replies (sendComputed) exist only in the chainable form: a function has no text.
class SmtpScript
{
public:
    SmtpScript() = default;

    // Parses the text form. A bad line makes parseError() non-empty (and the server records it
    // as a script failure when it starts).
    static SmtpScript parse(const QString& text);

    SmtpScript& send(const QByteArray& reply);
    SmtpScript& sendRaw(const QByteArray& bytes);
    SmtpScript& expect(const QByteArray& line);
    SmtpScript& expectPrefix(const QByteArray& prefix);
    SmtpScript& expectMatch(const QString& regularExpression);
    SmtpScript& startTls();
    SmtpScript& close();
    SmtpScript& abort();
    SmtpScript& silent();
    SmtpScript& junk(qint64 bytes);
    SmtpScript& receiveData();
    SmtpScript& sendComputed(SmtpScriptStep::ReplyFunction compute);
    SmtpScript& append(const SmtpScript& other);

    const QList<SmtpScriptStep>& steps() const { return m_steps; }
    QString parseError() const { return m_parseError; }

    // Backslash escapes of the text form: \r \n \t \\ \xHH.
    static QByteArray unescape(QStringView text);

private:
    QList<SmtpScriptStep> m_steps;
    QString m_parseError;
};

} // namespace relaydeck::test
