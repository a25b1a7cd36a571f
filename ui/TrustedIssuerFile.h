#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QUuid>

namespace relaydeck::ui {

// The CA file "Trust This Certificate…" writes when the user trusts the issuing CA: one PEM
// file per connection, `trusted-ca/<profile id>.pem` in the application's data folder
// (QStandardPaths::AppDataLocation). Certificates are public: no secret is written.
class TrustedIssuerFile
{
    Q_DECLARE_TR_FUNCTIONS(TrustedIssuerFile)

public:
    static QString pathFor(const QUuid& profileId);
    // Writes `pem` (one or more certificates) atomically; the value is the file's path.
    static Result<QString> write(const QUuid& profileId, const QByteArray& pem);
};

} // namespace relaydeck::ui
