#include "TokenCommand.h"

#include "CliWording.h"
#include "oauth/OAuthTokenSource.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString TokenCommand::summary() const
{
    return tr("Print a valid OAuth access token of a signed-in connection (refreshed when "
              "needed) and nothing else, e.g. for msmtp's passwordeval.");
}

void TokenCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection's name (any case)."));
}

void TokenCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> profile =
        findOAuthProfile(parser.positionalArguments().first());
    if (!profile)
        return;
    auto* source = new OAuthTokenSource(secretStore(), this);
    source->fetch(*profile, [this, name = profile->name](const OAuthAccessToken& token,
                                                         const OAuthError& error) {
        if (!error.isNull()) {
            const QString hint = error.hint(CliWording::instance(), name);
            fail(u"%1 (%2)"_s.arg(error.message, error.id) +
                     (hint.isEmpty() ? QString() : u'\n' + tr("Hint: %1").arg(hint)),
                 ExitTestFailed);
            return;
        }
        if (!token.warning.isEmpty())
            Console::err(tr("Warning: %1").arg(token.warning) + u'\n');
        Console::out(token.value + u'\n');
        finish(ExitOk);
    });
}

} // namespace relaydeck::cli
