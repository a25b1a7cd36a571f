// Every SASL mechanism's handling of server challenges: SCRAM server-first/final, NTLM type 2,
// CRAM-MD5, XOAUTH2/OAUTHBEARER error JSON, LOGIN prompts, ... The first byte picks the
// mechanism and the path:
//   - direct: the mechanism's respond() gets each raw challenge (separated by "\n--\n");
//   - exchange: AuthExchange gets the replies SmtpReplyParser makes of the bytes (334 lines in
//     base64, then 235/535), as ConnectionTest hands them over.
// Invariants: a challenge-response mechanism never puts the password on the wire; the
// exchange ends within its challenge limit; every Send line is one line.
#include "FuzzSupport.h"
#include "smtp/AuthExchange.h"
#include "smtp/SmtpReplyParser.h"
#include "smtp/sasl/NtlmMechanism.h"
#include "smtp/sasl/SaslMechanismFactory.h"
#include "smtp/sasl/ScramMechanism.h"

using namespace relaydeck;

namespace {

const QList<AuthMechanism> mechanisms{
    AuthMechanism::Plain,       AuthMechanism::Login,       AuthMechanism::CramMd5,
    AuthMechanism::ScramSha1,   AuthMechanism::ScramSha256, AuthMechanism::XOAuth2,
    AuthMechanism::OAuthBearer, AuthMechanism::Ntlm,        AuthMechanism::Anonymous,
    AuthMechanism::External,    AuthMechanism::Auto};

const QString password = QStringLiteral("Fuzz-Secret-Pa55");

SaslCredentials credentials()
{
    SaslCredentials c;
    c.username = QStringLiteral("EXAMPLE\\user");
    c.password = password;
    c.host = QStringLiteral("smtp.example.com");
    c.port = 587;
    return c;
}

// PLAIN, LOGIN and the bearer tokens send the secret by design; the others must not.
bool hidesPassword(AuthMechanism mechanism)
{
    return mechanism == AuthMechanism::CramMd5 || mechanism == AuthMechanism::ScramSha1 ||
           mechanism == AuthMechanism::ScramSha256 || mechanism == AuthMechanism::Ntlm;
}

void checkWire(AuthMechanism mechanism, const QByteArray& bytes)
{
    if (!hidesPassword(mechanism))
        return;
    FUZZ_CHECK(!bytes.contains(password.toUtf8()));
    FUZZ_CHECK(!bytes.contains(QByteArray(reinterpret_cast<const char*>(password.utf16()),
                                          password.size() * 2))); // NTLM's UTF-16LE
}

// The mechanism with its test seams set where it would use random bytes or the clock, so the
// fuzzer can extend SCRAM's nonce (RFC 5802's example nonce) and runs repeat.
std::unique_ptr<SaslMechanism> deterministic(AuthMechanism mechanism)
{
    if (mechanism == AuthMechanism::ScramSha1 || mechanism == AuthMechanism::ScramSha256) {
        auto scram = std::make_unique<ScramMechanism>(mechanism == AuthMechanism::ScramSha1
                                                          ? ScramMechanism::Hash::Sha1
                                                          : ScramMechanism::Hash::Sha256,
                                                      credentials());
        scram->setClientNonce("fyko+d2lbbFgONRv9qkxdawL");
        return scram;
    }
    if (mechanism == AuthMechanism::Ntlm) {
        auto ntlm = std::make_unique<NtlmMechanism>(credentials());
        ntlm->setClientChallenge("\x01\x02\x03\x04\x05\x06\x07\x08");
        ntlm->setTimestamp(0x01d0000000000000ULL);
        ntlm->setWorkstation(QStringLiteral("FUZZ"));
        return ntlm;
    }
    return SaslMechanismFactory::create(mechanism, credentials());
}

void direct(AuthMechanism mechanism, const QByteArray& bytes)
{
    const std::unique_ptr<SaslMechanism> sasl = deterministic(mechanism);
    if (!sasl)
        return;
    FUZZ_CHECK(!sasl->name().isEmpty());
    if (sasl->hasInitialResponse())
        checkWire(mechanism, sasl->initialResponse());
    for (const QByteArray& challenge : fuzz::splitParts(bytes, 8)) {
        const SaslMechanism::Step step = sasl->respond(challenge);
        checkWire(mechanism, step.response);
        if (!step.ok) {
            FUZZ_CHECK(!step.error.isEmpty());
            break;
        }
    }
    (void)sasl->acceptsSuccess();
    FUZZ_CHECK(!sasl->serverError().contains(password.toUtf8()));
}

void exchange(AuthMechanism mechanism, const QByteArray& bytes)
{
    AuthExchange auth;
    AuthExchange::Next next = auth.start(mechanism, credentials());
    SmtpReplyParser parser;
    const QList<SmtpReply> replies = parser.feed(bytes);
    int sends = 0;
    for (const SmtpReply& reply : replies) {
        if (next.action != AuthExchange::Next::Action::Send)
            break;
        FUZZ_CHECK(!next.line.contains('\r') && !next.line.contains('\n'));
        checkWire(mechanism, QByteArray::fromBase64(next.line.mid(next.line.lastIndexOf(' ') + 1)));
        FUZZ_CHECK(!next.shown.contains(password));
        ++sends;
        FUZZ_CHECK(sends <= AuthExchange::MaxChallenges + 2);
        next = auth.onReply(reply);
    }
    if (next.action == AuthExchange::Next::Action::Fail ||
        next.action == AuthExchange::Next::Action::CancelThenFail) {
        FUZZ_CHECK(!next.errorId.isEmpty());
        FUZZ_CHECK(!next.message.contains(password));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::ensureApplication();
    if (size < 1)
        return 0;
    const AuthMechanism mechanism = mechanisms.at(data[0] % mechanisms.size());
    const bool throughExchange = (data[0] / mechanisms.size()) % 2 == 1;
    const QByteArray bytes(reinterpret_cast<const char*>(data) + 1, qsizetype(size) - 1);
    if (throughExchange)
        exchange(mechanism, bytes);
    else
        direct(mechanism, bytes);
    return 0;
}
