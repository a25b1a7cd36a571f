#include "TestReportText.h"

#include "StageNames.h"

#include "i18n/LocalDates.h"
#include "profile/ProfileValidation.h"
#include "smtp/ErrorIds.h"

#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

QString TestReportText::pinForm(const QString& sha256)
{
    return ProfileValidation::normalisePin(sha256).value_or(QString());
}

namespace {

// OpenSSL's error strings: "error:0A00010B:SSL routines::wrong version number" (to the end).
const QRegularExpression libraryError(u"[:;,]?\\s*error:[0-9A-Fa-f]{8}:.*$"_s);

} // namespace

QString TestReportText::humanMessage(const QString& message)
{
    const QRegularExpressionMatch match = libraryError.match(message);
    if (!match.hasMatch())
        return message;
    const QString human = message.left(match.capturedStart()).trimmed();
    if (human.isEmpty())
        return tr("The TLS library reported an error.");
    return human.endsWith(u'.') ? human : human + u'.';
}

QString TestReportText::libraryText(const QString& message)
{
    const QRegularExpressionMatch match = libraryError.match(message);
    if (!match.hasMatch())
        return QString();
    QString raw = match.captured();
    while (!raw.isEmpty() && (raw.front() == u':' || raw.front() == u';' || raw.front() == u',' ||
                              raw.front().isSpace()))
        raw.remove(0, 1);
    return raw;
}

QString TestReportText::verdict(const TestReport& report)
{
    if (report.ok) {
        const bool sent =
            std::any_of(report.stages.cbegin(), report.stages.cend(), [](const TestStage& stage) {
                return stage.id == StageId::Send && stage.ok;
            });
        if (sent)
            return tr("Test passed: %1:%2 accepted the test message.")
                .arg(report.target.host)
                .arg(report.target.port);
        if (report.auth.attempted)
            return tr("Test passed: %1:%2 accepted the login (%3).")
                .arg(report.target.host)
                .arg(report.target.port)
                .arg(report.auth.mechanism);
        return tr("Test passed: %1:%2 is reachable and ready.")
            .arg(report.target.host)
            .arg(report.target.port);
    }
    if (report.error.id == ErrorId::Cancelled)
        return tr("Test cancelled.");
    return tr("Test failed at \"%1\".").arg(StageNames::name(report.error.stage));
}

QString TestReportText::transcriptLine(const TranscriptLine& line)
{
    return u"%1 ms  %2 %3"_s.arg(line.t, 6).arg(line.dir).arg(line.line);
}

QString TestReportText::format(const TestReport& report, bool includeTranscript)
{
    QString text;
    const auto field = [&text](const QString& label, const QString& value) {
        if (!value.isEmpty())
            text += label + u": "_s + value + u'\n';
    };
    text += tr("Relaydeck connection test") + u'\n';
    field(tr("Connection"), report.profile);
    field(tr("Server"), u"%1:%2 (%3)"_s.arg(report.target.host)
                            .arg(report.target.port)
                            .arg(report.target.security));
    field(tr("Address"), report.target.address);
    if (!report.target.proxy.isEmpty() && report.target.proxy != u"none"_s)
        field(tr("Proxy"), report.target.proxy);
    text += u'\n' + verdict(report) + u'\n';
    if (!report.ok && !report.error.isNull()) {
        field(tr("Error"), u"%1 (%2)"_s.arg(report.error.message, report.error.id));
        field(tr("Server said"), report.error.serverReply);
        field(tr("Hint"), report.error.hint);
    }
    text += u'\n' + tr("Stages:") + u'\n';
    for (const TestStage& stage : report.stages) {
        text += u"  %1 %2  %3 ms%4\n"_s.arg(stage.ok ? u"\u2713"_s : u"\u2717"_s)
                    .arg(StageNames::name(stage.id))
                    .arg(stage.ms)
                    .arg(stage.detail.isEmpty() ? QString() : u"  "_s + stage.detail);
    }
    text += u'\n';
    field(tr("Greeting"), report.server.greeting);
    field(tr("Capabilities"), report.server.capabilities.join(u", "_s));
    field(tr("Authentication mechanisms"), report.server.authMechanisms.join(u' '));
    if (report.server.maxSize > 0)
        field(tr("Maximum message size"), QLocale().formattedDataSize(report.server.maxSize));
    if (report.auth.attempted)
        field(tr("Authentication"),
              u"%1: %2"_s.arg(report.auth.mechanism,
                              report.auth.ok ? tr("accepted") : tr("refused")));
    if (report.tls.used) {
        field(tr("TLS"), u"%1, %2"_s.arg(report.tls.protocol, report.tls.cipher));
        field(tr("Certificate verified"), report.tls.verified ? tr("yes") : tr("no"));
        for (const QString& error : report.tls.errors)
            field(tr("Verification error"), error);
        for (qsizetype i = 0; i < report.tls.chain.size(); ++i) {
            const CertificateInfo& certificate = report.tls.chain.at(i);
            text += tr("Certificate %1:").arg(i + 1) + u'\n';
            field(u"  "_s + tr("Subject"), certificate.subject);
            field(u"  "_s + tr("Issuer"), certificate.issuer);
            field(u"  "_s + tr("Valid"), tr("%1 to %2")
                                             .arg(LocalDates::dateTime(certificate.notBefore),
                                                  LocalDates::dateTime(certificate.notAfter)));
            field(u"  "_s + tr("Names"), certificate.subjectAltNames.join(u", "_s));
            field(u"  "_s + tr("SHA-256"), certificate.sha256);
        }
    }
    if (includeTranscript && !report.transcript.isEmpty()) {
        text += u'\n' + tr("Transcript (AUTH payloads redacted):") + u'\n';
        for (const TranscriptLine& line : report.transcript)
            text += transcriptLine(line) + u'\n';
    }
    return text;
}

} // namespace relaydeck::ui
