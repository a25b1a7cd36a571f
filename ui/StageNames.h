#pragma once

#include <QCoreApplication>
#include <QString>

namespace relaydeck::ui {

// The words users read for the test stages (resolve, connect, greeting, ehlo, starttls, tls,
// auth, send, quit).
class StageNames
{
    Q_DECLARE_TR_FUNCTIONS(StageNames)

public:
    static QString name(const QString& stageId);
};

} // namespace relaydeck::ui
