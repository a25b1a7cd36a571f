#include "TestReport.h"

#include "profile/ConnectionProfile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every key of the report's JSON schema (docs/ARCHITECTURE.md, "File formats"), in one place:
// scripts and the GUI key on these words, so they change here or nowhere.
namespace Key {
const QString Ok = u"ok"_s;
const QString Profile = u"profile"_s;
const QString Target = u"target"_s;
const QString Host = u"host"_s;
const QString Port = u"port"_s;
const QString Security = u"security"_s;
const QString Address = u"address"_s;
const QString Proxy = u"proxy"_s;
const QString ResolvedSecurity = u"resolvedSecurity"_s;
const QString Warnings = u"warnings"_s;
const QString Attempts = u"attempts"_s;
const QString StartMs = u"startMs"_s;
const QString Outcome = u"outcome"_s;
const QString Stages = u"stages"_s;
const QString Id = u"id"_s;
const QString Ms = u"ms"_s;
const QString Detail = u"detail"_s;
const QString Server = u"server"_s;
const QString Greeting = u"greeting"_s;
const QString Capabilities = u"capabilities"_s;
const QString AuthMechanisms = u"authMechanisms"_s;
const QString MaxSize = u"maxSize"_s;
const QString Tls = u"tls"_s;
const QString Protocol = u"protocol"_s;
const QString Cipher = u"cipher"_s;
const QString Verified = u"verified"_s;
const QString Errors = u"errors"_s;
const QString Chain = u"chain"_s;
const QString Subject = u"subject"_s;
const QString Issuer = u"issuer"_s;
const QString NotBefore = u"notBefore"_s;
const QString NotAfter = u"notAfter"_s;
const QString Sha256 = u"sha256"_s;
const QString SubjectAltNames = u"subjectAltNames"_s;
const QString Auth = u"auth"_s;
const QString Mechanism = u"mechanism"_s;
const QString Principal = u"principal"_s;
const QString ServicePrincipal = u"servicePrincipal"_s;
const QString Error = u"error"_s;
const QString Stage = u"stage"_s;
const QString Message = u"message"_s;
const QString ServerReply = u"serverReply"_s;
const QString Hint = u"hint"_s;
const QString Transcript = u"transcript"_s;
const QString Time = u"t"_s;
const QString Direction = u"dir"_s;
const QString Line = u"line"_s;
} // namespace Key

// ISO 8601 in UTC ("2025-03-01T12:00:00Z"), so reports compare across time zones; null when the
// certificate carried no usable date.
QJsonValue isoUtc(const QDateTime& when)
{
    if (!when.isValid())
        return QJsonValue(QJsonValue::Null);
    return when.toUTC().toString(Qt::ISODate);
}

QJsonObject toJson(const TestTarget& target)
{
    QJsonArray attempts;
    for (const ConnectAttempt& attempt : target.attempts)
        attempts.append(QJsonObject{
            {Key::Address, attempt.address},
            {Key::StartMs, attempt.startMs},
            {Key::Ms, attempt.ms},
            {Key::Outcome, attempt.outcome},
            {Key::Detail, attempt.detail},
        });
    return QJsonObject{
        {Key::Host, target.host},
        {Key::Port, target.port},
        {Key::Security, target.security},
        {Key::Address, target.address},
        {Key::Proxy, target.proxy},
        {Key::Attempts, attempts},
        {Key::ResolvedSecurity, target.resolvedSecurity.isEmpty()
                                    ? QJsonValue(QJsonValue::Null)
                                    : QJsonValue(target.resolvedSecurity)},
    };
}

QJsonObject toJson(const TestStage& stage)
{
    return QJsonObject{
        {Key::Id, stage.id},
        {Key::Ok, stage.ok},
        {Key::Ms, stage.ms},
        {Key::Detail, stage.detail},
    };
}

QJsonObject toJson(const ServerInfo& server)
{
    return QJsonObject{
        {Key::Greeting, server.greeting},
        {Key::Capabilities, QJsonArray::fromStringList(server.capabilities)},
        {Key::AuthMechanisms, QJsonArray::fromStringList(server.authMechanisms)},
        // -1: the server announced no SIZE (or was never asked); 0: SIZE without a limit.
        {Key::MaxSize,
         server.maxSize < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(server.maxSize)},
    };
}

QJsonObject toJson(const CertificateInfo& certificate)
{
    return QJsonObject{
        {Key::Subject, certificate.subject},
        {Key::Issuer, certificate.issuer},
        {Key::NotBefore, isoUtc(certificate.notBefore)},
        {Key::NotAfter, isoUtc(certificate.notAfter)},
        {Key::Sha256, certificate.sha256},
        {Key::SubjectAltNames, QJsonArray::fromStringList(certificate.subjectAltNames)},
    };
}

QJsonValue toJson(const TlsInfo& tls)
{
    if (!tls.used)
        return QJsonValue(QJsonValue::Null);
    QJsonArray chain;
    for (const CertificateInfo& certificate : tls.chain)
        chain.append(toJson(certificate));
    return QJsonObject{
        {Key::Protocol, tls.protocol}, {Key::Cipher, tls.cipher},
        {Key::Verified, tls.verified}, {Key::Errors, QJsonArray::fromStringList(tls.errors)},
        {Key::Chain, chain},
    };
}

QJsonValue toJson(const AuthInfo& auth)
{
    if (!auth.attempted && auth.principal.isEmpty() && auth.servicePrincipal.isEmpty())
        return QJsonValue(QJsonValue::Null);
    QJsonObject object{
        {Key::Mechanism, auth.mechanism},
        {Key::Ok, auth.ok},
    };
    if (!auth.principal.isEmpty())
        object.insert(Key::Principal, auth.principal);
    if (!auth.servicePrincipal.isEmpty())
        object.insert(Key::ServicePrincipal, auth.servicePrincipal);
    return object;
}

QJsonValue toJson(const TestError& error)
{
    if (error.isNull())
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{
        {Key::Id, error.id},           {Key::Stage, error.stage},
        {Key::Message, error.message}, {Key::ServerReply, error.serverReply},
        {Key::Hint, error.hint},
    };
}

QJsonObject toJson(const TranscriptLine& line)
{
    // The line is written as recorded: the engine has already replaced AUTH payloads with
    // "<redacted>", and nothing here may undo or re-derive that.
    return QJsonObject{
        {Key::Time, line.t},
        {Key::Direction, line.dir.isNull() ? QString() : QString(line.dir)},
        {Key::Line, line.line},
    };
}

} // namespace

QJsonObject TestReport::toJson(bool includeTranscript) const
{
    QJsonArray stageArray;
    for (const TestStage& stage : stages)
        stageArray.append(relaydeck::toJson(stage));

    QJsonObject json{
        {Key::Ok, ok},
        {Key::Profile, profile.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(profile)},
        {Key::Target, relaydeck::toJson(target)},
        {Key::Stages, stageArray},
        {Key::Server, relaydeck::toJson(server)},
        {Key::Tls, relaydeck::toJson(tls)},
        {Key::Auth, relaydeck::toJson(auth)},
        {Key::Error, relaydeck::toJson(error)},
        {Key::Warnings, QJsonArray::fromStringList(warnings)},
    };
    if (includeTranscript) {
        QJsonArray lines;
        for (const TranscriptLine& line : transcript)
            lines.append(relaydeck::toJson(line));
        json.insert(Key::Transcript, lines);
    }
    return json;
}

QString TestTarget::securityText() const
{
    if (security != toString(Security::Auto))
        return security;
    if (resolvedSecurity == toString(Security::ImplicitTls))
        return QCoreApplication::translate("TestReport", "auto -> implicit TLS");
    if (resolvedSecurity == toString(Security::StartTls))
        return QCoreApplication::translate("TestReport", "auto -> STARTTLS");
    if (resolvedSecurity == toString(Security::None))
        return QCoreApplication::translate("TestReport", "auto -> none (opportunistic)");
    return QCoreApplication::translate("TestReport", "auto (not resolved)");
}

qint64 TestReport::totalMs() const
{
    qint64 ms = 0;
    for (const TestStage& stage : stages)
        ms += stage.ms;
    return ms;
}

} // namespace relaydeck
