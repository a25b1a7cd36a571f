#include "OAuthSignInController.h"

#include "DesktopWording.h"
#include "oauth/BrowserSignIn.h"
#include "oauth/OAuthTokenSource.h"
#include "secrets/ProfileSecrets.h"
#include "secrets/SecretStore.h"

#include "smtp/ErrorIds.h"

#include <QDesktopServices>
#include <QPointer>

namespace relaydeck::ui {

OAuthSignInController::OAuthSignInController(SecretStore& store, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_openBrowser([](const QUrl& url) { return QDesktopServices::openUrl(url); })
{}

void OAuthSignInController::setState(const ConnectionProfile& profile, OAuthSignInState state)
{
    if (state.status == OAuthSignInState::SignedIn) {
        state.account = m_accounts.value(profile.id);
        if (const auto held = OAuthTokenSource::reusable(profile))
            state.validUntil = held->expiresAt;
    }
    emit stateChanged(profile.id, state);
}

void OAuthSignInController::fail(const ConnectionProfile& profile, const QString& error)
{
    OAuthSignInState state;
    state.status = OAuthSignInState::Failed;
    state.error = error;
    setState(profile, state);
}

void OAuthSignInController::refreshState(const ConnectionProfile& profile)
{
    if (!profile.usesOAuthSignIn())
        return;
    if (profile.id.isNull()) {
        OAuthSignInState state;
        state.status = m_unsavedRefreshToken.isEmpty() ? OAuthSignInState::SignedOut
                                                       : OAuthSignInState::SignedIn;
        setState(profile, state);
        return;
    }
    m_store.read(secretKey(profile.id, SecretSlot::OAuthRefreshToken), this,
                 [this, profile](const SecretResult& read) {
                     OAuthSignInState state;
                     state.status = read.ok() && !read.value.isEmpty()
                                        ? OAuthSignInState::SignedIn
                                        : OAuthSignInState::SignedOut;
                     setState(profile, state);
                 });
}

void OAuthSignInController::signIn(const ConnectionProfile& profile,
                                   const std::optional<QString>& clientSecret)
{
    if (clientSecret) {
        startBrowser(profile, *clientSecret);
        return;
    }
    ProfileSecrets::load(m_store, profile.id, {SecretSlot::OAuthClientSecret}, this,
                         [this, profile](const Result<ProfileSecretValues>& loaded) {
                             if (!loaded.ok()) {
                                 fail(profile, loaded.failure().message);
                                 return;
                             }
                             startBrowser(profile, loaded->value(SecretSlot::OAuthClientSecret));
                         });
}

void OAuthSignInController::startBrowser(const ConnectionProfile& profile,
                                         const QString& clientSecret)
{
    auto* flow = new BrowserSignIn(OAuthClientConfig::forProfile(profile, clientSecret), this);
    flow->setLoginHint(profile.auth.username);
    connect(flow, &BrowserSignIn::finished, this,
            [this, flow, profile](const SignInResult& result) {
                flow->deleteLater();
                finishSignIn(profile, result);
            });
    if (!flow->start())
        return; // finished() follows with the reason
    if (!m_openBrowser(flow->authorizationUrl())) {
        flow->deleteLater();
        fail(profile, tr("The system browser could not be opened."));
        return;
    }
    OAuthSignInState state;
    state.status = OAuthSignInState::SigningIn;
    setState(profile, state);
}

void OAuthSignInController::fetchAccessToken(const ConnectionProfile& profile, QObject* context,
                                             OAuthTokenSource::Callback done)
{
    auto* source = new OAuthTokenSource(m_store, this);
    QPointer<QObject> alive(context);
    source->fetch(profile, [this, source, profile, alive, done](const OAuthAccessToken& token,
                                                                const OAuthError& error) {
        source->deleteLater();
        if (error.isNull()) {
            OAuthSignInState state;
            state.status = OAuthSignInState::SignedIn;
            setState(profile, state); // with the new token's expiry
        } else if (error.id == ErrorId::OAuthSignInRequired) {
            m_accounts.remove(profile.id);
            setState(profile, {});
        }
        if (alive)
            done(token, error);
    });
}

void OAuthSignInController::finishSignIn(const ConnectionProfile& profile,
                                         const SignInResult& result)
{
    if (!result.ok) {
        const QString hint = result.error.hint(DesktopWording::instance(), profile.name);
        fail(profile,
             hint.isEmpty() ? result.error.message : tr("%1 %2").arg(result.error.message, hint));
        return;
    }
    if (result.tokens.refreshToken.isEmpty()) {
        fail(profile, tr("The provider issued no refresh token: add offline_access (or the "
                         "provider's equivalent) to the scope."));
        return;
    }
    OAuthTokenSource::remember(profile, result.tokens.accessToken, result.tokens.expiresAt);
    const QString account = result.tokens.account();
    if (profile.id.isNull()) {
        // Not saved yet: the save writes the refresh token under the new id.
        m_unsavedRefreshToken = result.tokens.refreshToken;
        m_accounts.insert(profile.id, account);
        OAuthSignInState state;
        state.status = OAuthSignInState::SignedIn;
        setState(profile, state);
        emit unsavedSignInChanged();
        return;
    }
    m_store.write(secretKey(profile.id, SecretSlot::OAuthRefreshToken), result.tokens.refreshToken,
                  this, [this, profile, account](const SecretResult& saved) {
                      if (!saved.ok()) {
                          OAuthTokenSource::forget(profile.id);
                          fail(profile, saved.message);
                          return;
                      }
                      m_accounts.insert(profile.id, account);
                      OAuthSignInState state;
                      state.status = OAuthSignInState::SignedIn;
                      setState(profile, state);
                  });
}

void OAuthSignInController::adoptUnsaved(const ConnectionProfile& saved)
{
    if (m_unsavedRefreshToken.isEmpty() || saved.id.isNull())
        return;
    ConnectionProfile draft = saved;
    draft.id = QUuid();
    if (const auto held = OAuthTokenSource::reusable(draft))
        OAuthTokenSource::remember(saved, held->value, held->expiresAt);
    m_accounts.insert(saved.id, m_accounts.value(QUuid()));
    discardUnsaved();
    OAuthSignInState state;
    state.status = OAuthSignInState::SignedIn;
    setState(saved, state);
}

void OAuthSignInController::discardUnsaved()
{
    OAuthTokenSource::forget(QUuid());
    m_accounts.remove(QUuid());
    m_unsavedRefreshToken.clear();
}

void OAuthSignInController::signOut(const ConnectionProfile& profile)
{
    if (profile.id.isNull()) {
        discardUnsaved();
        setState(profile, {});
        emit unsavedSignInChanged();
        return;
    }
    OAuthTokenSource::forget(profile.id);
    m_accounts.remove(profile.id);
    m_store.remove(secretKey(profile.id, SecretSlot::OAuthRefreshToken), this,
                   [this, profile](const SecretResult& removed) {
                       if (removed.status == SecretResult::Status::Error) {
                           fail(profile, removed.message);
                           return;
                       }
                       setState(profile, {});
                   });
}

} // namespace relaydeck::ui
