#pragma once

#include "oauth/OAuthTokenSource.h"
#include "oauth/SignInResult.h"
#include "profile/ConnectionProfile.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QUrl>
#include <QUuid>

#include <functional>
#include <optional>

namespace relaydeck {
class SecretStore;
}

namespace relaydeck::ui {

// Where a profile's OAuth 2.0 sign-in stands, as the Authentication tab shows it.
struct OAuthSignInState
{
    enum Status
    {
        SignedOut, // no refresh token in the keychain
        SigningIn, // the browser is open; waiting for the redirect
        SignedIn,  // a refresh token is stored
        Failed     // the last sign-in failed: `error` says why
    };
    Status status = SignedOut;
    QString account;      // who signed in (this session's sign-in only); may be empty
    QDateTime validUntil; // the access token held in memory; invalid: none held
    QString error;
};

// The desktop's OAuth sign-in: "Sign in…" runs BrowserSignIn (PKCE, a one-shot listener on
// 127.0.0.1) with the system browser, saves the refresh token in the keychain slot
// oauth-refresh-token and keeps the access token in memory (OAuthTokenSource); "Sign out"
// deletes the stored token. A connection not saved yet (null id) may sign in too: its refresh
// token is held in memory only (unsavedRefreshToken) until the first save writes it to the
// keychain under the new id (the editor passes it as a changed secret; adoptUnsaved), and is
// dropped when the draft is discarded. stateChanged() tells the tab what to show. The desktop's
// Test asks it for an access token (reused from memory or refreshed), so the tab's state follows
// the tests.
class OAuthSignInController : public QObject
{
    Q_OBJECT

public:
    using BrowserOpener = std::function<bool(const QUrl&)>;

    explicit OAuthSignInController(SecretStore& store, QObject* parent = nullptr);

    // Opens URLs with QDesktopServices unless replaced (widget tests).
    void setBrowserOpener(BrowserOpener opener) { m_openBrowser = std::move(opener); }

    // Reads whether a refresh token is stored, then emits stateChanged().
    void refreshState(const ConnectionProfile& profile);
    // Signs `profile` in (the settings as edited: client id, tenant, endpoints). The client
    // secret is `clientSecret` when given (as typed in the editor), else the stored one.
    void signIn(const ConnectionProfile& profile,
                const std::optional<QString>& clientSecret = std::nullopt);
    void signOut(const ConnectionProfile& profile);
    // The end of a sign-in (BrowserSignIn::finished): saves the refresh token or reports why not.
    void finishSignIn(const ConnectionProfile& profile, const SignInResult& result);

    // The refresh token of a sign-in done before the connection was first saved; empty if none.
    QString unsavedRefreshToken() const { return m_unsavedRefreshToken; }
    // The draft was saved as `saved` (its refresh token went to the keychain with the save): the
    // account and the access token held in memory now belong to saved.id.
    void adoptUnsaved(const ConnectionProfile& saved);
    // The draft was discarded: forgets its tokens.
    void discardUnsaved();

    // A valid access token for a test of `profile` (OAuthTokenSource: reused from memory, else
    // refreshed with the stored refresh token). `done` is dropped when `context` is gone.
    void fetchAccessToken(const ConnectionProfile& profile, QObject* context,
                          OAuthTokenSource::Callback done);

signals:
    void stateChanged(const QUuid& profileId, const relaydeck::ui::OAuthSignInState& state);
    // A sign-in or sign-out of the unsaved draft: its changed secrets changed.
    void unsavedSignInChanged();

private:
    void setState(const ConnectionProfile& profile, OAuthSignInState state);
    void fail(const ConnectionProfile& profile, const QString& error);
    void startBrowser(const ConnectionProfile& profile, const QString& clientSecret);

    SecretStore& m_store;
    BrowserOpener m_openBrowser;
    QHash<QUuid, QString> m_accounts; // who signed in during this session
    QString m_unsavedRefreshToken;    // the draft's (null id); never written to disk
};

} // namespace relaydeck::ui
