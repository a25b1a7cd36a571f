// The DSN importer (one Symfony-style DSN a line, .env assignments) on a file Relaydeck did
// not write.
#include "ImportCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::checkImport(data, size, relaydeck::ProfileFormat::Dsn);
    return 0;
}
