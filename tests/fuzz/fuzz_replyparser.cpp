// SmtpReplyParser: arbitrary bytes in arbitrary chunks. The replies and the error must not
// depend on how the bytes were split; every reply is well formed; the buffer stays bounded.
#include "FuzzSupport.h"
#include "smtp/SmtpReplyParser.h"

#include <fuzzer/FuzzedDataProvider.h>

using relaydeck::SmtpReply;
using relaydeck::SmtpReplyParser;

namespace {

struct Outcome
{
    QList<SmtpReply> replies;
    bool error = false;
};

bool sameReplies(const QList<SmtpReply>& a, const QList<SmtpReply>& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).code != b.at(i).code || a.at(i).lines != b.at(i).lines ||
            a.at(i).enhancedStatus != b.at(i).enhancedStatus)
            return false;
    }
    return true;
}

void checkReply(const SmtpReply& reply)
{
    FUZZ_CHECK(reply.code >= 200 && reply.code <= 599);
    FUZZ_CHECK(!reply.lines.isEmpty());
    qsizetype length = 0;
    for (const QString& line : reply.lines)
        length += line.size();
    FUZZ_CHECK(length <= SmtpReplyParser::MaxReplyLength);
    if (!reply.enhancedStatus.isEmpty())
        FUZZ_CHECK(reply.enhancedStatus.at(0).digitValue() == reply.code / 100);
    (void)reply.text();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider input(data, size);
    // Up to 16 chunk lengths first, then the wire bytes.
    QList<int> chunkSizes;
    const int chunkCount = input.ConsumeIntegralInRange<int>(0, 16);
    for (int i = 0; i < chunkCount; ++i)
        chunkSizes << input.ConsumeIntegralInRange<int>(1, 64);
    const std::string rest = input.ConsumeRemainingBytesAsString();
    const QByteArray wire(rest.data(), qsizetype(rest.size()));

    SmtpReplyParser whole;
    Outcome all{whole.feed(wire), whole.hasError()};

    SmtpReplyParser chunked;
    Outcome pieces;
    qsizetype offset = 0;
    for (int i = 0; offset < wire.size(); ++i) {
        const qsizetype length = chunkSizes.isEmpty() ? 1 : chunkSizes.at(i % chunkSizes.size());
        pieces.replies += chunked.feed(wire.mid(offset, length));
        offset += length;
        if (chunked.hasError())
            break;
    }
    pieces.error = chunked.hasError();

    FUZZ_CHECK(all.error == pieces.error);
    FUZZ_CHECK(sameReplies(all.replies, pieces.replies));
    for (const SmtpReply& reply : std::as_const(all.replies))
        checkReply(reply);
    if (all.error) {
        FUZZ_CHECK(!whole.errorString().isEmpty());
        // Failed stays failed until reset(); reset() forgets everything.
        FUZZ_CHECK(whole.feed("250 ok\r\n").isEmpty());
        whole.reset();
        FUZZ_CHECK(!whole.hasError() && !whole.hasPendingData());
        FUZZ_CHECK(whole.feed("250 ok\r\n").size() == 1);
    }
    return 0;
}
