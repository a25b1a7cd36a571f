#include "profile/ProfileJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "ProfileJson" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileJson)
};

// Reads the members of one JSON object, remembering the first problem as "<path>: <what>".
// A missing key or a null leaves the target untouched, so it keeps ConnectionProfile's default.
class FieldReader
{
public:
    FieldReader(const QJsonObject& object, QString prefix)
        : m_object(object)
        , m_prefix(std::move(prefix))
    {}

    bool failed() const { return m_failed; }
    // The first problem, "<path>: <what>"; empty while none.
    QString error() const { return m_error; }

    QString path(const QString& key) const { return m_prefix + key; }

    void fail(const QString& key, const QString& what)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_error = path(key) + u": "_s + what;
    }

    // The value when present and not null; otherwise an undefined value.
    QJsonValue value(const QString& key) const
    {
        const QJsonValue v = m_object.value(key);
        return v.isNull() ? QJsonValue(QJsonValue::Undefined) : v;
    }

    void readString(const QString& key, QString& target)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || m_failed)
            return;
        if (!v.isString()) {
            fail(key, Text::tr("must be a string"));
            return;
        }
        target = v.toString();
    }

    void readBool(const QString& key, bool& target)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || m_failed)
            return;
        if (!v.isBool()) {
            fail(key, Text::tr("must be true or false"));
            return;
        }
        target = v.toBool();
    }

    void readInt(const QString& key, int& target, int minimum, int maximum)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || m_failed)
            return;
        const double number = v.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!v.isDouble() || std::isnan(number) || std::floor(number) != number) {
            fail(key, Text::tr("must be a whole number"));
            return;
        }
        if (number < minimum || number > maximum) {
            fail(key, Text::tr("must be between %1 and %2").arg(minimum).arg(maximum));
            return;
        }
        target = static_cast<int>(number);
    }

    // Reads a word of the CLI vocabulary through `parse`; `what` names the kind in the message.
    template <typename Enum, typename Parse>
    void readWord(const QString& key, Enum& target, Parse parse, const char* unknownMessage)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || m_failed)
            return;
        if (!v.isString()) {
            fail(key, Text::tr("must be a string"));
            return;
        }
        const std::optional<Enum> parsed = parse(v.toString());
        if (!parsed) {
            fail(key, Text::tr(unknownMessage).arg(v.toString()));
            return;
        }
        target = *parsed;
    }

    // A nested object: nullopt when absent (defaults stay), an error when not an object.
    std::optional<QJsonObject> readObject(const QString& key)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() || m_failed)
            return std::nullopt;
        if (!v.isObject()) {
            fail(key, Text::tr("must be an object"));
            return std::nullopt;
        }
        return v.toObject();
    }

private:
    QJsonObject m_object;
    QString m_prefix;
    QString m_error;
    bool m_failed = false;
};

// Pins are stored as lower-case hex without colons; files written by hand may use either.
std::optional<QString> normalisedSha256(const QString& text)
{
    QString hex = text.trimmed().toLower();
    hex.remove(u':');
    static const QRegularExpression sha256Hex(u"^[0-9a-f]{64}$"_s);
    if (!sha256Hex.match(hex).hasMatch())
        return std::nullopt;
    return hex;
}

// {"kind": "environment", "variable": V} or {"kind": "command", "program": P, "arguments": [...],
// "enabled": bool}.
QJsonObject secretSourceJson(const SecretSource& source)
{
    QJsonObject object{{u"kind"_s, toString(source.kind)}};
    if (source.kind == SecretSourceKind::Environment)
        object.insert(u"variable"_s, source.variable);
    if (source.kind == SecretSourceKind::Command) {
        object.insert(u"program"_s, source.program);
        object.insert(u"arguments"_s, QJsonArray::fromStringList(source.arguments));
        object.insert(u"enabled"_s, source.enabled);
    }
    return object;
}

void readSecretSource(FieldReader& reader, SecretSource& source)
{
    reader.readWord(u"kind"_s, source.kind, secretSourceKindFromString,
                    QT_TRANSLATE_NOOP("ProfileJson", "unknown password source '%1' (expected "
                                                     "keychain, environment or command)"));
    reader.readString(u"variable"_s, source.variable);
    reader.readString(u"program"_s, source.program);
    reader.readBool(u"enabled"_s, source.enabled);
    const QJsonValue arguments = reader.value(u"arguments"_s);
    if (reader.failed() || arguments.isUndefined())
        return;
    if (!arguments.isArray()) {
        reader.fail(u"arguments"_s, Text::tr("must be an array of strings"));
        return;
    }
    for (const QJsonValue& argument : arguments.toArray()) {
        if (!argument.isString()) {
            reader.fail(u"arguments"_s, Text::tr("must be an array of strings"));
            return;
        }
        source.arguments << argument.toString();
    }
}

} // namespace

QJsonObject ProfileJson::toJson(const ConnectionProfile& profile)
{
    QJsonObject auth{
        {u"mechanism"_s, toString(profile.auth.mechanism)},
        {u"username"_s, profile.auth.username},
        {u"allowPlaintext"_s, profile.auth.allowPlaintext},
    };
    // Only profiles with a run-time source carry these keys, so every other profile's JSON stays
    // as it was.
    if (profile.auth.passwordSource.kind != SecretSourceKind::Keychain)
        auth.insert(u"passwordSource"_s, secretSourceJson(profile.auth.passwordSource));
    if (!profile.auth.usernameVariable.isEmpty())
        auth.insert(u"usernameVariable"_s, profile.auth.usernameVariable);
    if (profile.auth.useKerberosTicket) // only when set: files without Kerberos stay as they were
        auth.insert(u"useKerberosTicket"_s, true);

    QJsonObject tls{
        {u"verify"_s, profile.tls.verifyPeer},
        {u"minVersion"_s, toString(profile.tls.minimumVersion)},
        {u"caFile"_s, profile.tls.caFile},
        {u"pinnedSha256"_s, QJsonArray::fromStringList(profile.tls.pinnedSha256)},
        {u"clientCertificate"_s, profile.tls.clientCertificateFile},
        {u"clientKey"_s, profile.tls.clientKeyFile},
    };
    if (profile.tls.maximumVersion) // absent: the newest version there is
        tls.insert(u"maxVersion"_s, toString(*profile.tls.maximumVersion));

    QJsonObject proxy{
        {u"type"_s, toString(profile.proxy.type)}, {u"host"_s, profile.proxy.host},
        {u"port"_s, profile.proxy.port},           {u"username"_s, profile.proxy.username},
        {u"domain"_s, profile.proxy.domain},
    };

    QJsonObject options;
    for (auto it = profile.options.cbegin(); it != profile.options.cend(); ++it)
        options.insert(it.key(), it.value());

    QJsonObject object{
        {u"id"_s, profile.id.isNull() ? QString() : profile.id.toString(QUuid::WithoutBraces)},
        {u"name"_s, profile.name},
        {u"description"_s, profile.description},
        {u"host"_s, profile.host},
        {u"port"_s, profile.port},
        {u"security"_s, toString(profile.security)},
        {u"timeout"_s, profile.timeoutSeconds},
        {u"sender"_s, profile.sender},
        {u"heloName"_s, profile.heloName},
        {u"charset"_s, profile.charset},
        {u"auth"_s, auth},
        {u"tls"_s, tls},
        {u"proxy"_s, proxy},
        {u"options"_s, options},
        {u"preset"_s, profile.preset},
    };
    // Only profiles that sign in with OAuth carry the key, so every other profile's JSON stays
    // as it was.
    if (profile.oauth.provider != OAuthProvider::None) {
        object.insert(u"oauth"_s,
                      QJsonObject{
                          {u"provider"_s, toString(profile.oauth.provider)},
                          {u"tenant"_s, profile.oauth.tenant},
                          {u"clientId"_s, profile.oauth.clientId},
                          {u"authorizationUrl"_s, profile.oauth.authorizationUrl},
                          {u"tokenUrl"_s, profile.oauth.tokenUrl},
                          {u"deviceAuthorizationUrl"_s, profile.oauth.deviceAuthorizationUrl},
                          {u"scope"_s, profile.oauth.scope},
                      });
    }
    return object;
}

Result<ConnectionProfile> ProfileJson::fromJson(const QJsonObject& object)
{
    ConnectionProfile profile;
    FieldReader top(object, QString());
    const auto malformed = [](const FieldReader& reader) {
        return Failure{FailureId::ParseFailed, reader.error()};
    };

    QString idText;
    top.readString(u"id"_s, idText);
    if (!top.failed() && !idText.trimmed().isEmpty()) {
        profile.id = QUuid::fromString(idText.trimmed());
        if (profile.id.isNull())
            top.fail(u"id"_s, Text::tr("'%1' is not a UUID").arg(idText));
    }

    top.readString(u"name"_s, profile.name);
    top.readString(u"description"_s, profile.description);
    top.readString(u"host"_s, profile.host);
    top.readInt(u"port"_s, profile.port, 0, 65535);
    top.readWord(u"security"_s, profile.security, securityFromString,
                 QT_TRANSLATE_NOOP("ProfileJson",
                                   "unknown security '%1' (expected none, starttls, tls or auto)"));
    top.readInt(u"timeout"_s, profile.timeoutSeconds, 0, 24 * 60 * 60);
    top.readString(u"sender"_s, profile.sender);
    top.readString(u"heloName"_s, profile.heloName);
    top.readString(u"charset"_s, profile.charset);
    top.readString(u"preset"_s, profile.preset);
    if (top.failed())
        return malformed(top);

    if (const auto auth = top.readObject(u"auth"_s)) {
        FieldReader reader(*auth, u"auth."_s);
        reader.readWord(u"mechanism"_s, profile.auth.mechanism, authMechanismFromString,
                        QT_TRANSLATE_NOOP("ProfileJson", "unknown mechanism '%1'"));
        reader.readString(u"username"_s, profile.auth.username);
        reader.readBool(u"allowPlaintext"_s, profile.auth.allowPlaintext);
        reader.readString(u"usernameVariable"_s, profile.auth.usernameVariable);
        if (reader.failed())
            return malformed(reader);
        if (const auto source = reader.readObject(u"passwordSource"_s)) {
            FieldReader sourceReader(*source, u"auth.passwordSource."_s);
            readSecretSource(sourceReader, profile.auth.passwordSource);
            if (sourceReader.failed())
                return malformed(sourceReader);
        }
        reader.readBool(u"useKerberosTicket"_s, profile.auth.useKerberosTicket);
        if (reader.failed())
            return malformed(reader);
    }
    if (top.failed())
        return malformed(top);

    if (const auto tls = top.readObject(u"tls"_s)) {
        FieldReader reader(*tls, u"tls."_s);
        reader.readBool(u"verify"_s, profile.tls.verifyPeer);
        reader.readWord(
            u"minVersion"_s, profile.tls.minimumVersion, tlsMinimumVersionFromString,
            QT_TRANSLATE_NOOP("ProfileJson", "unknown TLS version '%1' (expected 1.0, 1.1, 1.2 or 1.3)"));
        if (!reader.value(u"maxVersion"_s).isUndefined() &&
            !reader.value(u"maxVersion"_s).isNull()) {
            TlsMinimumVersion maximum = TlsMinimumVersion::Tls13;
            reader.readWord(
                u"maxVersion"_s, maximum, tlsMinimumVersionFromString,
                QT_TRANSLATE_NOOP("ProfileJson", "unknown TLS version '%1' (expected 1.0, 1.1, 1.2 or 1.3)"));
            profile.tls.maximumVersion = maximum;
        }
        reader.readString(u"caFile"_s, profile.tls.caFile);
        reader.readString(u"clientCertificate"_s, profile.tls.clientCertificateFile);
        reader.readString(u"clientKey"_s, profile.tls.clientKeyFile);
        const QJsonValue pins = reader.value(u"pinnedSha256"_s);
        if (!reader.failed() && !pins.isUndefined()) {
            if (!pins.isArray()) {
                reader.fail(u"pinnedSha256"_s, Text::tr("must be an array of strings"));
            } else {
                const QJsonArray array = pins.toArray();
                for (qsizetype i = 0; i < array.size() && !reader.failed(); ++i) {
                    const QString key = u"pinnedSha256[%1]"_s.arg(i);
                    if (!array.at(i).isString()) {
                        reader.fail(key, Text::tr("must be a string"));
                        break;
                    }
                    const auto pin = normalisedSha256(array.at(i).toString());
                    if (!pin) {
                        reader.fail(key,
                                    Text::tr("'%1' is not a SHA-256 fingerprint (64 hex digits)")
                                        .arg(array.at(i).toString()));
                        break;
                    }
                    profile.tls.pinnedSha256 << *pin;
                }
            }
        }
        if (reader.failed())
            return malformed(reader);
    }
    if (top.failed())
        return malformed(top);

    if (const auto proxy = top.readObject(u"proxy"_s)) {
        FieldReader reader(*proxy, u"proxy."_s);
        reader.readWord(u"type"_s, profile.proxy.type, proxyTypeFromString,
                        QT_TRANSLATE_NOOP("ProfileJson",
                                          "unknown proxy type '%1' (expected none, system, "
                                          "socks5 or http)"));
        reader.readString(u"host"_s, profile.proxy.host);
        reader.readInt(u"port"_s, profile.proxy.port, 0, 65535);
        reader.readString(u"username"_s, profile.proxy.username);
        reader.readString(u"domain"_s, profile.proxy.domain);
        if (reader.failed())
            return malformed(reader);
    }
    if (top.failed())
        return malformed(top);

    if (const auto oauth = top.readObject(u"oauth"_s)) {
        FieldReader reader(*oauth, u"oauth."_s);
        reader.readWord(u"provider"_s, profile.oauth.provider, oauthProviderFromString,
                        QT_TRANSLATE_NOOP("ProfileJson",
                                          "unknown OAuth provider '%1' (expected none, microsoft, "
                                          "google or custom)"));
        reader.readString(u"tenant"_s, profile.oauth.tenant);
        reader.readString(u"clientId"_s, profile.oauth.clientId);
        reader.readString(u"authorizationUrl"_s, profile.oauth.authorizationUrl);
        reader.readString(u"tokenUrl"_s, profile.oauth.tokenUrl);
        reader.readString(u"deviceAuthorizationUrl"_s, profile.oauth.deviceAuthorizationUrl);
        reader.readString(u"scope"_s, profile.oauth.scope);
        if (reader.failed())
            return malformed(reader);
    }
    if (top.failed())
        return malformed(top);

    if (const auto options = top.readObject(u"options"_s)) {
        for (auto it = options->constBegin(); it != options->constEnd(); ++it) {
            if (!it.value().isString()) {
                top.fail(u"options."_s + it.key(), Text::tr("must be a string"));
                return malformed(top);
            }
            profile.options.insert(it.key(), it.value().toString());
        }
    }
    if (top.failed())
        return malformed(top);

    return profile;
}

} // namespace relaydeck
