// EhloCapabilities::fromReply on every reply the parser makes of the fuzzer's bytes (the way a
// server's EHLO reaches it), and on raw lines no parser checked.
#include "FuzzSupport.h"
#include "smtp/EhloCapabilities.h"
#include "smtp/SmtpReplyParser.h"

#include <QSet>

using relaydeck::EhloCapabilities;
using relaydeck::SmtpReply;

namespace {

void check(const SmtpReply& reply)
{
    const EhloCapabilities capabilities = EhloCapabilities::fromReply(reply);
    FUZZ_CHECK(capabilities.maxSize() >= -1);
    FUZZ_CHECK(capabilities.lines().size() <= reply.lines.size());
    QSet<QString> seen;
    for (const QString& mechanism : capabilities.authMechanisms()) {
        FUZZ_CHECK(!mechanism.isEmpty());
        FUZZ_CHECK(mechanism == mechanism.toUpper());
        FUZZ_CHECK(!seen.contains(mechanism));
        seen.insert(mechanism);
    }
    for (const QString& keyword : {QStringLiteral("AUTH"), QStringLiteral("STARTTLS"),
                                   QStringLiteral("SIZE"), QStringLiteral("PIPELINING")})
        (void)capabilities.has(keyword);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    relaydeck::SmtpReplyParser parser;
    for (const SmtpReply& reply : parser.feed(bytes))
        check(reply);

    // Lines as a reply could never carry them from the parser (empty, blanks only, '=').
    SmtpReply raw;
    raw.code = 250;
    for (const QByteArray& line : bytes.split('\n'))
        raw.lines << QString::fromUtf8(line);
    check(raw);
    return 0;
}
