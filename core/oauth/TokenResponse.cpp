#include "oauth/TokenResponse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(TokenResponse)
};

} // namespace

Result<TokenResponse> TokenResponse::parse(const QByteArray& body, int httpStatus,
                                           const QDateTime& receivedAt)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    if (object.contains(u"error"_s)) {
        return OAuthError::fromEndpoint(object.value(u"error"_s).toString(),
                                        object.value(u"error_description"_s).toString(), httpStatus)
            .toFailure();
    }
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        OAuthError error = OAuthError::failed(
            Text::tr("The token endpoint answered HTTP %1 without a JSON object.").arg(httpStatus));
        error.httpStatus = httpStatus;
        return error.toFailure();
    }
    if (httpStatus < 200 || httpStatus > 299) {
        OAuthError error =
            OAuthError::failed(Text::tr("The token endpoint answered HTTP %1.").arg(httpStatus));
        error.httpStatus = httpStatus;
        return error.toFailure();
    }
    TokenResponse response;
    response.accessToken = object.value(u"access_token"_s).toString();
    response.refreshToken = object.value(u"refresh_token"_s).toString();
    response.tokenType = object.value(u"token_type"_s).toString();
    response.scope = object.value(u"scope"_s).toString();
    response.idToken = object.value(u"id_token"_s).toString();
    // expires_in is a number, but some providers send it as a string.
    const QJsonValue expiresIn = object.value(u"expires_in"_s);
    const qint64 seconds =
        expiresIn.isString() ? expiresIn.toString().toLongLong() : qint64(expiresIn.toDouble(-1));
    if (seconds > 0)
        response.expiresAt = receivedAt.toUTC().addSecs(seconds);
    if (response.accessToken.isEmpty()) {
        return OAuthError::failed(Text::tr("The token endpoint sent no access_token.")).toFailure();
    }
    if (!response.tokenType.isEmpty() &&
        response.tokenType.compare(u"bearer"_s, Qt::CaseInsensitive) != 0) {
        return OAuthError::failed(
                   Text::tr("The token endpoint sent a '%1' token; SMTP needs a Bearer token.")
                       .arg(response.tokenType))
            .toFailure();
    }
    return response;
}

QString TokenResponse::account() const
{
    const QStringList parts = idToken.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload =
        QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    for (const QString& claim : {u"preferred_username"_s, u"email"_s, u"upn"_s, u"sub"_s}) {
        const QString value = claims.value(claim).toString();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

} // namespace relaydeck
