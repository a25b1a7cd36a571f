#pragma once

#include "oauth/OAuthError.h"
#include "profile/ConnectionProfile.h"
#include "secrets/SecretStore.h"
#include "smtp/TestReport.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace relaydeck {

class AdviceWording;
struct ProfileSecretValues;

// An access token, in memory only.
struct OAuthAccessToken
{
    QString value;
    QDateTime expiresAt;    // UTC; invalid when the provider did not say
    bool refreshed = false; // fetched now (not reused from memory)
    bool rotated = false;   // the provider sent a new refresh token, now in the keychain
    QString warning;        // e.g. the rotated refresh token could not be saved
};

// Given a profile that signs in with OAuth and the SecretStore: a valid access token, or why
// there is none. A token still valid for a minute is reused from memory (this process only; it
// never touches a disk); otherwise the refresh token from the keychain is exchanged, and a
// rotated refresh token is saved back before the token is handed out. No refresh token, or one
// the provider no longer accepts, is OAuthError id oauth-sign-in-required.
//
// Used wherever a test reads its secrets (relaydeck-cli test NAME, test --all, Test, Test all)
// and by relaydeck-cli token NAME.
class OAuthTokenSource : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const OAuthAccessToken& token, const OAuthError& error)>;

    explicit OAuthTokenSource(SecretStore& store, QObject* parent = nullptr);

    // Reads the refresh token and client secret from the keychain, then as below.
    void fetch(const ConnectionProfile& profile, Callback done);
    // With the refresh token and client secret already read (a test's keychain read).
    void fetch(const ConnectionProfile& profile, const ProfileSecretValues& secrets, Callback done);

    // The slots fetch() reads.
    static QList<SecretSlot> secretSlots();
    // Forgets the token held in memory for a profile (sign-out, a server that refused it).
    static void forget(const QUuid& profileId);
    // Keeps a token from a sign-in in memory (the caller saves the refresh token).
    static void remember(const ConnectionProfile& profile, const QString& accessToken,
                         const QDateTime& expiresAt);
    // The token in memory for this profile, if it is valid for at least a minute more.
    static std::optional<OAuthAccessToken> reusable(const ConnectionProfile& profile);

    // The report of a test that could not start for want of a token: stage auth failed with the
    // error's id, message and hint (worded by `wording`); nothing was sent to the SMTP server.
    static TestReport failureReport(const ConnectionProfile& profile, const OAuthError& error);
    static TestReport failureReport(const ConnectionProfile& profile, const OAuthError& error,
                                    const AdviceWording& wording);

private:
    SecretStore& m_store;
};

} // namespace relaydeck
