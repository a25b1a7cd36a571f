#include "ProfileFiles.h"

#include <QFile>
#include <QtGlobal>

namespace relaydeck::test {

ConnectionProfile storeProfile(const QString& configDir, const ConnectionProfile& profile)
{
    ProfileStore store(configDir);
    store.load();
    const Result<ConnectionProfile> result = store.add(profile);
    if (!result.ok()) {
        qWarning("%s", qPrintable(result.failure().message));
        return {};
    }
    return result.value();
}

ProfileStore rereadProfiles(const QString& configDir)
{
    ProfileStore store(configDir);
    store.load();
    return store;
}

QByteArray fileContents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace relaydeck::test
