#include "oauth/OAuthTokenSource.h"

#include "common/AdviceWording.h"
#include "oauth/TokenEndpoint.h"
#include "secrets/ProfileSecrets.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"

#include <QCryptographicHash>
#include <QHash>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(OAuthTokenSource)
};

struct HeldToken
{
    QString value;
    QDateTime expiresAt;
    QByteArray settingsKey; // a token for other settings (client, scope, URLs) is not reused
};

// Access tokens of this process, by profile id. Memory only.
QHash<QUuid, HeldToken>& heldTokens()
{
    static QHash<QUuid, HeldToken> tokens;
    return tokens;
}

QByteArray settingsKey(const ConnectionProfile& profile)
{
    const OAuthSettings& o = profile.oauth;
    const QString text = QStringList{toString(o.provider), o.tenant,   o.clientId,
                                     o.authorizationUrl,   o.tokenUrl, o.scope}
                             .join(u'\n');
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

// Tokens are handed out with at least this much life left (a test takes seconds; msmtp sends
// right after asking).
constexpr qint64 minimumLifetimeSeconds = 60;

} // namespace

OAuthTokenSource::OAuthTokenSource(SecretStore& store, QObject* parent)
    : QObject(parent)
    , m_store(store)
{}

QList<SecretSlot> OAuthTokenSource::secretSlots()
{
    return {SecretSlot::OAuthRefreshToken, SecretSlot::OAuthClientSecret};
}

void OAuthTokenSource::forget(const QUuid& profileId)
{
    heldTokens().remove(profileId);
}

void OAuthTokenSource::remember(const ConnectionProfile& profile, const QString& accessToken,
                                const QDateTime& expiresAt)
{
    heldTokens().insert(profile.id, HeldToken{accessToken, expiresAt, settingsKey(profile)});
}

std::optional<OAuthAccessToken> OAuthTokenSource::reusable(const ConnectionProfile& profile)
{
    const auto it = heldTokens().constFind(profile.id);
    if (it == heldTokens().cend() || it->settingsKey != settingsKey(profile) ||
        !it->expiresAt.isValid() ||
        QDateTime::currentDateTimeUtc().secsTo(it->expiresAt) < minimumLifetimeSeconds)
        return std::nullopt;
    return OAuthAccessToken{it->value, it->expiresAt, false, false, {}};
}

void OAuthTokenSource::fetch(const ConnectionProfile& profile, Callback done)
{
    if (const auto held = reusable(profile)) {
        done(*held, {});
        return;
    }
    ProfileSecrets::load(m_store, profile.id, secretSlots(), this,
                         [this, profile, done](const Result<ProfileSecretValues>& loaded) {
                             if (!loaded.ok()) {
                                 done({}, OAuthError::failed(loaded.failure().message));
                                 return;
                             }
                             fetch(profile, *loaded, done);
                         });
}

void OAuthTokenSource::fetch(const ConnectionProfile& profile, const ProfileSecretValues& secrets,
                             Callback done)
{
    if (const auto held = reusable(profile)) {
        done(*held, {});
        return;
    }
    const QString refreshToken = secrets.value(SecretSlot::OAuthRefreshToken);
    if (refreshToken.isEmpty()) {
        done({},
             OAuthError::signInRequired(
                 Text::tr("'%1' is not signed in: no refresh token is stored.").arg(profile.name)));
        return;
    }
    auto* endpoint = new TokenEndpoint(
        OAuthClientConfig::forProfile(profile, secrets.value(SecretSlot::OAuthClientSecret)), this);
    endpoint->refresh(refreshToken, [this, endpoint, profile, refreshToken,
                                     done](const std::optional<TokenResponse>& tokens,
                                           const OAuthError& error) {
        endpoint->deleteLater();
        if (!tokens) {
            done({}, error);
            return;
        }
        OAuthAccessToken token{tokens->accessToken, tokens->expiresAt, true, false, {}};
        remember(profile, token.value, token.expiresAt);
        if (tokens->refreshToken.isEmpty() || tokens->refreshToken == refreshToken) {
            done(token, {});
            return;
        }
        // Rotated: the old refresh token is spent; the new one must be kept or the next test
        // finds the profile signed out.
        token.rotated = true;
        m_store.write(secretKey(profile.id, SecretSlot::OAuthRefreshToken), tokens->refreshToken,
                      this, [token, done](const SecretResult& saved) mutable {
                          if (!saved.ok())
                              token.warning = Text::tr("The provider issued a new refresh token, "
                                                       "but it could not be saved: %1")
                                                  .arg(saved.message);
                          done(token, {});
                      });
    });
}

TestReport OAuthTokenSource::failureReport(const ConnectionProfile& profile,
                                           const OAuthError& error)
{
    return failureReport(profile, error, SettingIdWording::instance());
}

TestReport OAuthTokenSource::failureReport(const ConnectionProfile& profile,
                                           const OAuthError& error, const AdviceWording& wording)
{
    TestReport report =
        Diagnosis::reportBeforeConnecting(profile, error.id, error.message, wording);
    report.error.hint = error.hint(wording, profile.name); // the provider's own advice
    return report;
}

} // namespace relaydeck
