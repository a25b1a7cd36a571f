#include "StageNames.h"

#include "smtp/ErrorIds.h"

namespace relaydeck::ui {

QString StageNames::name(const QString& stageId)
{
    if (stageId == StageId::Resolve)
        return tr("Look up the server");
    if (stageId == StageId::Connect)
        return tr("Connect");
    if (stageId == StageId::Greeting)
        return tr("Server greeting");
    if (stageId == StageId::Ehlo)
        return tr("EHLO (capabilities)");
    if (stageId == StageId::StartTls)
        return tr("STARTTLS");
    if (stageId == StageId::Tls)
        return tr("TLS handshake and certificate");
    if (stageId == StageId::Auth)
        return tr("Authentication");
    if (stageId == StageId::Send)
        return tr("Send the test message");
    if (stageId == StageId::Quit)
        return tr("QUIT");
    return stageId;
}

} // namespace relaydeck::ui
