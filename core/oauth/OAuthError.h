#pragma once

#include "common/Result.h"
#include "common/Setting.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace relaydeck {

class AdviceWording;

// Why OAuth failed. `id` is a test report error id: oauth-sign-in-required (no refresh token, or
// the provider no longer accepts it: the user must sign in again) or oauth-token-failed (any
// other failure: network, the provider refused the client, a bad answer). `error` and
// `description` are the provider's `error` and `error_description` when it sent them.
struct OAuthError
{
    Q_DECLARE_TR_FUNCTIONS(OAuthError)

public:
    QString id;
    QString error;
    QString description;
    QString message; // translated; includes error and description
    int httpStatus = 0;
    std::optional<Setting> setting; // a setting that must be given first (hint() says where)

    bool isNull() const { return id.isEmpty(); }
    // What an admin can do about it (consent, tenant, public client with a secret, unknown
    // client id, sign in again), or empty. "Sign in again" names the front end's way to sign
    // `profileName` in (setting oauth-sign-in, worded by `wording`; default: the setting id).
    QString hint(const QString& profileName = QString()) const;
    QString hint(const AdviceWording& wording, const QString& profileName) const;

    static OAuthError signInRequired(const QString& why);
    static OAuthError failed(const QString& message);
    // A setting is missing or unusable: `message` says what, hint() where to set it.
    static OAuthError needsSetting(Setting setting, const QString& message);
    static OAuthError missingClientId();
    // From a token or device endpoint's error answer (RFC 6749 section 5.2).
    static OAuthError fromEndpoint(const QString& error, const QString& description,
                                   int httpStatus);

    // As a Failure (id and message; the whole OAuthError in Failure::detail), and back: the
    // OAuthError a Failure carries, nullopt for any other failure.
    Failure toFailure() const;
    static std::optional<OAuthError> of(const Failure& failure);
};

} // namespace relaydeck
