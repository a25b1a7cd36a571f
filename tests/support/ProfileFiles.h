#pragma once

#include "profile/ProfileStore.h"

#include <QByteArray>
#include <QString>

namespace relaydeck::test {

// connections.json in a test's config folder, as another process (the CLI) would touch it.

// Adds `profile` to the file in `configDir`; returns it as stored (with its new id), or an empty
// profile after a warning when the store refuses it.
ConnectionProfile storeProfile(const QString& configDir, const ConnectionProfile& profile);
// The file in `configDir`, read afresh.
ProfileStore rereadProfiles(const QString& configDir);
// The bytes of `path` (empty when it cannot be read): for checks that no secret reached a file.
QByteArray fileContents(const QString& path);

} // namespace relaydeck::test
