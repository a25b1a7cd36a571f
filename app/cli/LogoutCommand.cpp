#include "LogoutCommand.h"

#include "oauth/OAuthTokenSource.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString LogoutCommand::summary() const
{
    return tr("Sign a connection out of OAuth: delete its stored refresh token.");
}

void LogoutCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection's name (any case)."));
}

void LogoutCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> profile =
        findProfile(parser.positionalArguments().first());
    if (!profile)
        return;
    OAuthTokenSource::forget(profile->id);
    secretStore().remove(secretKey(profile->id, SecretSlot::OAuthRefreshToken), this,
                         [this, name = profile->name](const SecretResult& removed) {
                             if (removed.status == SecretResult::Status::Error) {
                                 fail(removed.message);
                                 return;
                             }
                             Console::out(tr("Signed '%1' out.").arg(name) + u'\n');
                             finish(ExitOk);
                         });
}

} // namespace relaydeck::cli
