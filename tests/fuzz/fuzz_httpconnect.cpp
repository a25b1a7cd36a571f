// HttpConnectTunnel::feed: a proxy's answer in arbitrary chunks gives the same verdict, status
// and leftover as in one piece; the buffer stays bounded; a decided tunnel stays decided.
#include "FuzzSupport.h"
#include "smtp/HttpConnectTunnel.h"

#include <fuzzer/FuzzedDataProvider.h>

using relaydeck::HttpConnectTunnel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider input(data, size);
    const int chunk = input.ConsumeIntegralInRange<int>(1, 512);
    const std::string target = input.ConsumeRandomLengthString(64);
    const std::string rest = input.ConsumeRemainingBytesAsString();
    const QByteArray wire(rest.data(), qsizetype(rest.size()));

    // The request: either refused (empty) or exactly one request line and header block.
    const QString host = QString::fromUtf8(target.data(), qsizetype(target.size()));
    const QByteArray request = HttpConnectTunnel::request(host, 587, QStringLiteral("user"),
                                                          QStringLiteral("pass\r\nword"));
    FUZZ_CHECK(request.isEmpty() == !HttpConnectTunnel::isValidTargetHost(host));
    if (!request.isEmpty()) {
        FUZZ_CHECK(request.startsWith("CONNECT "));
        FUZZ_CHECK(request.count("\r\n") == 4);
        FUZZ_CHECK(request.indexOf("\r\n\r\n") == request.size() - 4);
    }

    HttpConnectTunnel whole;
    const HttpConnectTunnel::State verdict = whole.feed(wire);

    HttpConnectTunnel pieces;
    HttpConnectTunnel::State state = HttpConnectTunnel::State::Waiting;
    for (qsizetype offset = 0; offset < wire.size(); offset += chunk)
        state = pieces.feed(wire.mid(offset, chunk));
    if (wire.isEmpty())
        state = pieces.state();

    if (verdict == HttpConnectTunnel::State::Established ||
        verdict == HttpConnectTunnel::State::Refused ||
        verdict == HttpConnectTunnel::State::AuthRefused) {
        FUZZ_CHECK(state == verdict);
        FUZZ_CHECK(pieces.statusCode() == whole.statusCode());
        FUZZ_CHECK(pieces.statusLine() == whole.statusLine());
        FUZZ_CHECK(whole.statusCode() >= 100 && whole.statusCode() <= 999);
        // Chunks after the decision are not the tunnel's: only the bytes of the deciding chunk
        // that follow the blank line are leftover.
        FUZZ_CHECK(wire.endsWith(whole.leftover()));
        FUZZ_CHECK(whole.feed("HTTP/1.1 200 OK\r\n\r\n") == verdict);
    }
    if (verdict == HttpConnectTunnel::State::Waiting)
        FUZZ_CHECK(wire.size() <= HttpConnectTunnel::MaxResponseLength);
    if (state == HttpConnectTunnel::State::Waiting)
        FUZZ_CHECK(!wire.contains("\r\n\r\n"));
    return 0;
}
