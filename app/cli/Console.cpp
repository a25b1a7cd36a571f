#include "Console.h"

#include <cstdio>

namespace relaydeck::cli {

namespace {

void write(std::FILE* stream, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stream);
    std::fflush(stream);
}

} // namespace

void Console::out(const QString& text)
{
    write(stdout, text);
}

void Console::err(const QString& text)
{
    write(stderr, text);
}

} // namespace relaydeck::cli
