#pragma once

#include "EngineRun.h"
#include "ScriptedSmtpServer.h"
#include "SmtpScript.h"
#include "TestCertificates.h"

#include <QByteArray>
#include <QList>
#include <QString>

// Script fragments and checks shared by the engine tests (tests/engine/tst_engine_*.cpp).
namespace relaydeck::test {

// A complete multi-line EHLO reply: "250-test.example ...\r\n250-CAP\r\n250 LAST" (no final CRLF:
// SmtpScript::send adds it).
inline QByteArray ehloReply(const QList<QByteArray>& capabilities)
{
    QList<QByteArray> lines = {"test.example greets client.test"};
    lines += capabilities;
    QByteArray reply;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            reply += "\r\n";
        reply += (i + 1 < lines.size() ? "250-" : "250 ") + lines.at(i);
    }
    return reply;
}

// Greeting and EHLO in plaintext (or, with setImplicitTls, inside TLS).
inline SmtpScript greetingAndEhlo(const QList<QByteArray>& capabilities)
{
    return SmtpScript()
        .send("220 test.example ESMTP ready")
        .expect("EHLO client.test")
        .send(ehloReply(capabilities));
}

// Greeting, plaintext EHLO offering STARTTLS (plus `before`), STARTTLS, the handshake, and the
// second EHLO answered with `after`.
inline SmtpScript startTlsPrefix(const QList<QByteArray>& before, const QList<QByteArray>& after)
{
    return greetingAndEhlo(QList<QByteArray>{"STARTTLS"} + before)
        .expect("STARTTLS")
        .send("220 2.0.0 Ready to start TLS")
        .startTls()
        .expect("EHLO client.test")
        .send(ehloReply(after));
}

// The run (error, stages, transcript), the server's log and its script failures, plus `extra`:
// the message for a failed QVERIFY2.
QString explain(const EngineRun& run, const ScriptedSmtpServer& server, const QString& extra = {});

// A request for scriptedProfile(server.port(), security): no authentication, no message.
TestRequest scriptedRequest(const ScriptedSmtpServer& server, Security security);

// The account the authentication tests log in with.
inline constexpr char ScriptedUser[] = "user@client.test";
inline constexpr char ScriptedPassword[] = "Pa55-w0rd!xyz";

// A STARTTLS request that authenticates with `mechanism` as user/password (no message).
TestRequest authRequest(const ScriptedSmtpServer& server, AuthMechanism mechanism,
                        const QByteArray& user = ScriptedUser,
                        const QByteArray& password = ScriptedPassword);

// The SASL payloads the client put on the wire, read from what the server received: AUTH's
// initial response and every line that answers a 334 ("*", "=" and empty lines carry nothing).
QList<QByteArray> authPayloads(const ScriptedSmtpServer& server);

// Engine rule 10 (docs/ARCHITECTURE.md): no SASL payload and none of `secrets` (nor their base64)
// in the transcript or the JSON report, and every line that carried a payload shown as
// "<redacted>". Empty when all is well, else what is wrong.
QString secretProblem(const EngineRun& run, const ScriptedSmtpServer& server,
                      const QList<QByteArray>& secrets);

inline void presentLeaf(ScriptedSmtpServer& server, TestCertificates::Leaf leaf)
{
    const TestCertificates& certs = TestCertificates::instance();
    server.setCertificate(certs.certificate(leaf), certs.key(leaf));
}

// The first client line carrying credentials or the envelope (AUTH, MAIL, RCPT, DATA), inside
// TLS or not; empty when there is none.
inline QByteArray firstSensitiveLine(const ScriptedSmtpServer& server)
{
    return server.firstLineStartingWith({"AUTH", "MAIL", "RCPT", "DATA"}, false);
}

// Plaintext client lines other than EHLO, STARTTLS and QUIT: what a client that requires TLS
// must never send before it.
inline QList<QByteArray> unexpectedPlaintext(const ScriptedSmtpServer& server)
{
    QList<QByteArray> unexpected;
    for (const QByteArray& line : server.plaintextLines()) {
        if (line != "EHLO client.test" && line != "STARTTLS" && line != "QUIT")
            unexpected.append(line);
    }
    return unexpected;
}

} // namespace relaydeck::test
