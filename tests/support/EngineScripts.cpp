#include "EngineScripts.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

QString explain(const EngineRun& run, const ScriptedSmtpServer& server, const QString& extra)
{
    return run.describe() + u"\n  server:\n"_s + server.log() + u"\n  script failures: "_s +
           server.failures().join(u" | "_s) + (extra.isEmpty() ? QString() : u"\n  "_s + extra);
}

TestRequest scriptedRequest(const ScriptedSmtpServer& server, Security security)
{
    TestRequest request;
    request.profile = scriptedProfile(server.port(), security);
    return request;
}

TestRequest authRequest(const ScriptedSmtpServer& server, AuthMechanism mechanism,
                        const QByteArray& user, const QByteArray& password)
{
    TestRequest request = scriptedRequest(server, Security::StartTls);
    request.profile.auth.mechanism = mechanism;
    request.profile.auth.username = QString::fromLatin1(user);
    request.secrets.smtpPassword = QString::fromLatin1(password);
    return request;
}

QList<QByteArray> authPayloads(const ScriptedSmtpServer& server)
{
    QList<QByteArray> payloads;
    bool inAuth = false;
    // In the order they were sent: plaintext first, then what came inside TLS.
    for (const QByteArray& line : server.plaintextLines() + server.tlsLines()) {
        const QByteArray upper = line.toUpper();
        if (upper.startsWith("AUTH ")) {
            inAuth = true;
            const QList<QByteArray> words = line.split(' ');
            if (words.size() > 2 && words.at(2) != "=")
                payloads.append(words.at(2));
            continue;
        }
        if (!inAuth)
            continue;
        if (upper == "QUIT" || upper.startsWith("MAIL "))
            break;
        if (!line.isEmpty() && line != "*")
            payloads.append(line);
    }
    return payloads;
}

QString secretProblem(const EngineRun& run, const ScriptedSmtpServer& server,
                      const QList<QByteArray>& secrets)
{
    const QString transcript = run.transcriptText();
    const QString json = QString::fromUtf8(QJsonDocument(run.report.toJson(true)).toJson());
    const QList<QByteArray> payloads = authPayloads(server);
    QList<QByteArray> forbidden = payloads;
    for (const QByteArray& secret : secrets)
        forbidden << secret << secret.toBase64() << secret.toBase64(QByteArray::OmitTrailingEquals);
    for (const QByteArray& item : std::as_const(forbidden)) {
        const QString text = QString::fromLatin1(item);
        if (text.size() < 4)
            continue;
        if (transcript.contains(text))
            return u"the transcript contains "_s + text;
        if (json.contains(text))
            return u"the JSON report contains "_s + text;
    }
    if (transcript.count(u"<redacted>"_s) < payloads.size())
        return u"%1 payloads on the wire, but only %2 <redacted> lines in the transcript"_s
            .arg(payloads.size())
            .arg(transcript.count(u"<redacted>"_s));
    return {};
}

} // namespace relaydeck::test
