#include "TrustedIssuerFile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

QString TrustedIssuerFile::pathFor(const QUuid& profileId)
{
    const QString id =
        (profileId.isNull() ? QUuid::createUuid() : profileId).toString(QUuid::WithoutBraces);
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(u"trusted-ca/"_s + id + u".pem"_s);
}

Result<QString> TrustedIssuerFile::write(const QUuid& profileId, const QByteArray& pem)
{
    const QString path = pathFor(profileId);
    QSaveFile file(path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) || !file.open(QIODevice::WriteOnly) ||
        file.write(pem) != pem.size() || !file.commit())
        return Failure{
            FailureId::IoError,
            tr("The CA file %1 cannot be written: %2").arg(path, file.errorString()),
        };
    return path;
}

} // namespace relaydeck::ui
