#include "LoginCommand.h"

#include "CliWording.h"
#include "oauth/BrowserSignIn.h"
#include "oauth/DeviceSignIn.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/ProfileSecrets.h"

#include <QCoreApplication>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

// $BROWSER (the first of a colon-separated list, with its arguments), else the desktop's
// default browser through xdg-open. false when nothing could be started.
bool openInBrowser(const QUrl& url)
{
    QStringList command =
        QProcess::splitCommand(qEnvironmentVariable("BROWSER").section(u':', 0, 0));
    if (command.isEmpty())
        command = {u"xdg-open"_s};
    const QString program = command.takeFirst();
    return QProcess::startDetached(program, command << url.toString(QUrl::FullyEncoded));
}

} // namespace

QString LoginCommand::summary() const
{
    return tr("Sign a connection in with OAuth 2.0 (browser, or --device for a code to enter "
              "elsewhere); the refresh token goes to the keychain.");
}

void LoginCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"NAME"_s, tr("The connection's name (any case)."));
    parser.addOptions({
        {u"device"_s, tr("Sign in with a code entered on another device (no browser here).")},
        {u"no-browser"_s, tr("Print the sign-in URL instead of opening a browser.")},
    });
}

void LoginCommand::run(const QCommandLineParser& parser)
{
    const std::optional<ConnectionProfile> profile =
        findOAuthProfile(parser.positionalArguments().first());
    if (!profile)
        return;
    if (profile->oauth.clientId.isEmpty()) {
        fail(tr("'%1' has no OAuth client id: set it with 'set %1 --oauth-client-id ID'")
                 .arg(profile->name));
        return;
    }
    const bool device = parser.isSet(u"device"_s);
    const bool openBrowser = !parser.isSet(u"no-browser"_s);
    ProfileSecrets::load(
        secretStore(), profile->id, {SecretSlot::OAuthClientSecret}, this,
        [this, profile, device, openBrowser](const Result<ProfileSecretValues>& loaded) {
            if (!loaded.ok()) {
                fail(loaded.failure().message);
                return;
            }
            signIn(*profile, loaded->value(SecretSlot::OAuthClientSecret), device, openBrowser);
        });
}

void LoginCommand::signIn(const ConnectionProfile& profile, const QString& clientSecret,
                          bool device, bool openBrowser)
{
    const OAuthClientConfig config = OAuthClientConfig::forProfile(profile, clientSecret);
    if (device) {
        auto* signIn = new DeviceSignIn(config, this);
        connect(signIn, &DeviceSignIn::userCodeReady, this, [](const DeviceAuthorization& code) {
            Console::out(tr("To sign in, open %1 and enter the code %2")
                             .arg(code.verificationUri, code.userCode) +
                         u'\n');
            if (!code.verificationUriComplete.isEmpty())
                Console::out(tr("or open %1").arg(code.verificationUriComplete) + u'\n');
            Console::out(tr("Waiting for the sign-in…") + u'\n');
        });
        connect(signIn, &DeviceSignIn::finished, this,
                [this, profile](const SignInResult& result) { signedIn(profile, result); });
        signIn->start();
        return;
    }
    auto* signIn = new BrowserSignIn(config, this);
    signIn->setLoginHint(profile.auth.username);
    connect(signIn, &BrowserSignIn::finished, this,
            [this, profile](const SignInResult& result) { signedIn(profile, result); });
    if (!signIn->start())
        return; // finished() follows with the reason
    const QUrl url = signIn->authorizationUrl();
    if (!openBrowser || !openInBrowser(url)) {
        Console::out(tr("Open this URL in a browser to sign in:") + u'\n' +
                     url.toString(QUrl::FullyEncoded) + u'\n');
    } else {
        Console::out(tr("The browser shows the sign-in; waiting for it to finish…") + u'\n');
    }
}

void LoginCommand::signedIn(const ConnectionProfile& profile, const SignInResult& result)
{
    if (!result.ok) {
        const QString hint = result.error.hint(CliWording::instance(), profile.name);
        fail(tr("sign-in failed: %1").arg(result.error.message) +
                 (hint.isEmpty() ? QString() : u'\n' + tr("Hint: %1").arg(hint)),
             ExitTestFailed);
        return;
    }
    if (result.tokens.refreshToken.isEmpty()) {
        fail(tr("the provider issued no refresh token, so Relaydeck could not renew the access "
                "token: add offline_access (or the provider's equivalent) to the scope"),
             ExitTestFailed);
        return;
    }
    OAuthTokenSource::remember(profile, result.tokens.accessToken, result.tokens.expiresAt);
    const QString account = result.tokens.account();
    secretStore().write(
        secretKey(profile.id, SecretSlot::OAuthRefreshToken), result.tokens.refreshToken, this,
        [this, profile, account](const SecretResult& saved) {
            if (!saved.ok()) {
                fail(saved.message);
                return;
            }
            Console::out((account.isEmpty()
                              ? tr("Signed '%1' in.").arg(profile.name)
                              : tr("Signed '%1' in as %2.").arg(profile.name, account)) +
                         u'\n');
            finish(ExitOk);
        });
}

} // namespace relaydeck::cli
