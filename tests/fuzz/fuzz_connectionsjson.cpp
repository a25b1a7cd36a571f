// ProfileStore::load on a connections.json edited by hand: it loads or says it is damaged;
// what loads has unique names and ids and hosts an import would accept (no CR/LF on the wire),
// and survives a write and a second load unchanged.
#include "FuzzSupport.h"
#include "profile/ProfileStore.h"
#include "smtp/HttpConnectTunnel.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>

using namespace relaydeck;

namespace {

QString folder()
{
    // tmpfs when there is one: the store reads a file each run.
    static QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                                 ? QStringLiteral("/dev/shm/relaydeck-fuzz-XXXXXX")
                                 : QDir::tempPath() + QStringLiteral("/relaydeck-fuzz-XXXXXX"));
    return dir.path();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::ensureApplication();
    ProfileStore store(folder());
    QFile::remove(store.backupPath());
    {
        QFile file(store.filePath());
        FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(reinterpret_cast<const char*>(data), qint64(size));
    }
    const Result<void> result = store.load();
    if (!result.ok()) {
        FUZZ_CHECK(!result.failure().message.isEmpty());
        FUZZ_CHECK(store.profiles().isEmpty());
        return 0;
    }
    QSet<QString> names;
    QSet<QUuid> ids;
    for (const ConnectionProfile& profile : store.profiles()) {
        FUZZ_CHECK(!profile.id.isNull());
        FUZZ_CHECK(!ids.contains(profile.id));
        ids.insert(profile.id);
        const QString key = profile.name.trimmed().toCaseFolded();
        FUZZ_CHECK(!names.contains(key));
        names.insert(key);
        FUZZ_CHECK(ProfileValidation::isValidHost(profile.host));
        FUZZ_CHECK(!profile.host.contains(QLatin1Char('\r')) &&
                   !profile.host.contains(QLatin1Char('\n')));
    }
    // A change writes the file again; the next load reads the same profiles.
    const QList<ConnectionProfile> loaded = store.profiles();
    if (!loaded.isEmpty()) {
        const Result<void> renamed = store.rename(loaded.first().id, loaded.first().name);
        if (renamed.ok()) {
            ProfileStore again(folder());
            FUZZ_CHECK(again.load().ok());
            FUZZ_CHECK(again.profiles().size() == loaded.size());
            for (qsizetype i = 0; i < loaded.size(); ++i) {
                FUZZ_CHECK(again.profiles().at(i).id == loaded.at(i).id);
                FUZZ_CHECK(again.profiles().at(i).host == loaded.at(i).host);
            }
        }
    }
    return 0;
}
