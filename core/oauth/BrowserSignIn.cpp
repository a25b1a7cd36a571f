#include "oauth/BrowserSignIn.h"

#include "oauth/Pkce.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(BrowserSignIn)
};

} // namespace

BrowserSignIn::BrowserSignIn(const OAuthClientConfig& config, QObject* parent)
    : QObject(parent)
    , m_endpoint(new TokenEndpoint(config, this))
    , m_listener(new RedirectListener(this))
{
    connect(m_listener, &RedirectListener::finished, this, &BrowserSignIn::onRedirect);
}

QString BrowserSignIn::redirectUriFor(OAuthProvider provider, quint16 port)
{
    const QString host = provider == OAuthProvider::Microsoft ? u"localhost"_s : u"127.0.0.1"_s;
    return u"http://%1:%2/"_s.arg(host).arg(port);
}

QUrl BrowserSignIn::buildAuthorizationUrl(const OAuthClientConfig& config,
                                          const QString& redirectUri, const QByteArray& state,
                                          const QByteArray& challenge, const QString& loginHint)
{
    QUrl url = config.endpoints.authorizationUrl;
    QUrlQuery query(url);
    query.addQueryItem(u"response_type"_s, u"code"_s);
    query.addQueryItem(u"client_id"_s, config.clientId);
    query.addQueryItem(u"redirect_uri"_s, redirectUri);
    query.addQueryItem(u"scope"_s, config.endpoints.scope);
    query.addQueryItem(u"state"_s, QString::fromLatin1(state));
    query.addQueryItem(u"code_challenge"_s, QString::fromLatin1(challenge));
    query.addQueryItem(u"code_challenge_method"_s, u"S256"_s);
    if (!loginHint.isEmpty())
        query.addQueryItem(u"login_hint"_s, loginHint);
    // Google hands out a refresh token only with offline access and a consent prompt.
    if (config.provider == OAuthProvider::Google) {
        query.addQueryItem(u"access_type"_s, u"offline"_s);
        query.addQueryItem(u"prompt"_s, u"consent"_s);
    }
    // Spaces as %20 and '+' or ':' in values encoded, whatever QUrlQuery's defaults.
    QString encoded;
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!encoded.isEmpty())
            encoded += u'&';
        encoded += QString::fromLatin1(QUrl::toPercentEncoding(key) + '=' +
                                       QUrl::toPercentEncoding(value));
    }
    url.setQuery(encoded, QUrl::StrictMode);
    return url;
}

bool BrowserSignIn::start()
{
    const OAuthClientConfig& config = m_endpoint->config();
    OAuthError problem;
    if (config.clientId.isEmpty())
        problem = OAuthError::missingClientId();
    else if (!OAuthEndpoints::isAllowedEndpoint(config.endpoints.authorizationUrl))
        problem = OAuthError::failed(
            Text::tr("The authorization URL '%1' is not usable: it must be https (http only "
                     "on this machine).")
                .arg(config.endpoints.authorizationUrl.toString()));
    if (problem.isNull()) {
        m_state = Pkce::newState();
        m_verifier = Pkce::newVerifier();
        if (!m_listener->listen(m_state, m_timeoutMs))
            problem = OAuthError::failed(Text::tr("Cannot listen for the sign-in on 127.0.0.1: %1")
                                             .arg(m_listener->errorString()));
    }
    if (!problem.isNull()) {
        QTimer::singleShot(0, this, [this, problem] { fail(problem); });
        return false;
    }
    m_redirectUri = redirectUriFor(config.provider, m_listener->port());
    m_authorizationUrl = buildAuthorizationUrl(config, m_redirectUri, m_state,
                                               Pkce::challengeFor(m_verifier), m_loginHint);
    return true;
}

void BrowserSignIn::onRedirect(const RedirectResult& redirect)
{
    switch (redirect.outcome) {
    case RedirectResult::Outcome::TimedOut:
        fail(OAuthError::failed(Text::tr("No sign-in arrived within %n minute(s).", nullptr,
                                         std::max(1, m_timeoutMs / 60000))));
        return;
    case RedirectResult::Outcome::StateMismatch:
        fail(OAuthError::failed(Text::tr("The answer to the sign-in did not carry the state "
                                         "Relaydeck sent: rejected, nothing was signed in.")));
        return;
    case RedirectResult::Outcome::ProviderError: {
        OAuthError error = OAuthError::fromEndpoint(redirect.error, redirect.errorDescription, 0);
        fail(error);
        return;
    }
    case RedirectResult::Outcome::Code:
        break;
    }
    m_endpoint->exchangeCode(
        redirect.code, m_verifier, m_redirectUri,
        [this](const std::optional<TokenResponse>& tokens, const OAuthError& error) {
            if (!tokens) {
                fail(error);
                return;
            }
            emit finished(SignInResult{true, *tokens, {}});
        });
}

void BrowserSignIn::fail(const OAuthError& error)
{
    emit finished(SignInResult{false, {}, error});
}

} // namespace relaydeck
