#pragma once

// The importers' shared oracle: whatever a file says, an import either fails with a message or
// yields profiles; what it yields exports and imports again (same format) to as many profiles.
// JSON, Relaydeck's own format, must give them back field for field.

#include "FuzzSupport.h"
#include "profile/ProfileFormats.h"
#include "profile/ProfileJson.h"

namespace fuzz {

inline void checkImport(const uint8_t* data, size_t size, relaydeck::ProfileFormat format)
{
    using namespace relaydeck;
    ensureApplication();
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const Result<ImportedProfiles> imported = ProfileFormats::importProfiles(bytes, format);
    (void)ProfileFormats::detect(bytes);
    if (!imported.ok()) {
        FUZZ_CHECK(!imported.failure().message.isEmpty());
        return;
    }
    const ImportedProfiles& result = *imported;
    const QByteArray exported = ProfileFormats::exportProfiles(result.profiles, format);
    const Result<ImportedProfiles> reimported = ProfileFormats::importProfiles(exported, format);
    if (!reimported.ok())
        std::fprintf(stderr, "re-import failed: %s\n", qPrintable(reimported.failure().message));
    FUZZ_CHECK(reimported.ok());
    const ImportedProfiles& again = *reimported;
    FUZZ_CHECK(again.profiles.size() == result.profiles.size());
    if (format != ProfileFormat::Json)
        return;
    for (qsizetype i = 0; i < result.profiles.size(); ++i) {
        ConnectionProfile first = result.profiles.at(i);
        ConnectionProfile second = again.profiles.at(i);
        first.id = second.id = QUuid(); // kept from the file or fresh: not compared
        FUZZ_CHECK(ProfileJson::toJson(first) == ProfileJson::toJson(second));
    }
}

} // namespace fuzz
