#include "oauth/OAuthError.h"

#include "common/AdviceWording.h"
#include "smtp/ErrorIds.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

OAuthError OAuthError::signInRequired(const QString& why)
{
    OAuthError error;
    error.id = ErrorId::OAuthSignInRequired;
    error.message = why;
    return error;
}

OAuthError OAuthError::failed(const QString& message)
{
    OAuthError error;
    error.id = ErrorId::OAuthTokenFailed;
    error.message = message;
    return error;
}

OAuthError OAuthError::needsSetting(Setting setting, const QString& message)
{
    OAuthError error = failed(message);
    error.setting = setting;
    return error;
}

OAuthError OAuthError::missingClientId()
{
    return needsSetting(Setting::OAuthClientId,
                        tr("No client id is set: enter the client id of your app registration."));
}

OAuthError OAuthError::fromEndpoint(const QString& error, const QString& description,
                                    int httpStatus)
{
    const QString said = description.isEmpty() ? error : error + u": "_s + description;
    // invalid_grant on a refresh: the refresh token expired, was revoked or belongs to another
    // client. Only a new sign-in helps.
    OAuthError result = error == u"invalid_grant"_s
                            ? signInRequired(tr("The provider no longer accepts the sign-in (%1). "
                                                "Sign in again.")
                                                 .arg(said))
                            : failed(tr("The provider refused the request: %1").arg(said));
    result.error = error;
    result.description = description;
    result.httpStatus = httpStatus;
    return result;
}

QString OAuthError::hint(const QString& profileName) const
{
    return hint(SettingIdWording::instance(), profileName);
}

QString OAuthError::hint(const AdviceWording& wording, const QString& profileName) const
{
    if (setting)
        return tr("Set it: %1.").arg(wording.where(*setting));
    const QString text = error + u' ' + description;
    const auto says = [&text](const char16_t* code) {
        return text.contains(QString::fromUtf16(code));
    };
    if (says(u"AADSTS700016") || error == u"invalid_client"_s || error == u"unauthorized_client"_s)
        return says(u"AADSTS700025") || says(u"AADSTS7000218")
                   ? tr("Microsoft expects a client secret for this app, or treat it as a public "
                        "client: allow public client flows in the app registration.")
                   : tr("The provider does not know this client id, or it may not use this "
                        "flow: check the client id (and the tenant) of your app registration.");
    if (says(u"AADSTS700025"))
        return tr("The app is registered as a public client: remove the stored client secret.");
    if (says(u"AADSTS90002") || says(u"AADSTS50020") || says(u"AADSTS90072"))
        return tr("The tenant is wrong for this account: enter your directory (tenant) id or "
                  "domain, or 'organizations'.");
    if (says(u"AADSTS65001") || error == u"consent_required"_s ||
        error == u"interaction_required"_s)
        return tr("The app lacks consent for SMTP.Send: grant it (an administrator may have to) "
                  "and sign in again.");
    if (error == u"access_denied"_s)
        return tr("The sign-in was denied or cancelled in the browser: sign in again and allow "
                  "the access.");
    if (id == ErrorId::OAuthSignInRequired)
        return tr("Sign in again (%1).").arg(wording.where(Setting::OAuthSignIn, profileName));
    return {};
}

Failure OAuthError::toFailure() const
{
    Failure failure(id, message);
    failure.detail = QVariant::fromValue(*this);
    return failure;
}

std::optional<OAuthError> OAuthError::of(const Failure& failure)
{
    if (!failure.detail.canConvert<OAuthError>())
        return std::nullopt;
    return failure.detail.value<OAuthError>();
}

} // namespace relaydeck
