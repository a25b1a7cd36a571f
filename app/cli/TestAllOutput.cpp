#include "TestAllOutput.h"

#include "Console.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

QString indented(const QString& text, qsizetype width)
{
    QString padding(width, u' ');
    QString result = text;
    result.replace(u'\n', u'\n' + padding);
    return result;
}

} // namespace

TestAllOutput::TestAllOutput(const QList<ConnectionProfile>& profiles, bool json)
    : m_profiles(profiles)
    , m_summary(profiles)
    , m_json(json)
{
    for (const ConnectionProfile& profile : profiles)
        m_nameWidth = std::max(m_nameWidth, profile.name.size());
}

void TestAllOutput::printStart(int maxParallel) const
{
    if (m_json)
        return;
    const int total = int(m_profiles.size());
    Console::out((total == 1 ? tr("Testing 1 connection…")
                             : tr("Testing %1 connections, up to %2 at a time…")
                                   .arg(total)
                                   .arg(std::min(total, maxParallel))) +
                 u'\n');
}

QString TestAllOutput::nameColumn(const QUuid& id) const
{
    for (const ConnectionProfile& profile : m_profiles) {
        if (profile.id == id)
            return profile.name.leftJustified(m_nameWidth);
    }
    return QString(m_nameWidth, u' ');
}

void TestAllOutput::addReport(const QUuid& id, const TestReport& report)
{
    m_summary.addReport(id, report);
    if (m_json)
        return;
    const QString target = u"%1:%2 (%3)"_s.arg(report.target.host)
                               .arg(report.target.port)
                               .arg(report.target.securityText());
    const qsizetype detailColumn = 4 + m_nameWidth + 2;
    QString line = u"  %1 %2  "_s.arg(resultMark(report.ok), nameColumn(id));
    if (report.ok) {
        line += tr("%1  passed in %2 ms").arg(target).arg(report.totalMs());
    } else {
        line += tr("%1  failed at %2: %3 (%4)")
                    .arg(target, report.error.stage, report.error.message, report.error.id);
        if (!report.error.serverReply.isEmpty())
            line += u'\n' + QString(detailColumn, u' ') +
                    tr("Server said: %1").arg(indented(report.error.serverReply, detailColumn));
        if (!report.error.hint.isEmpty())
            line += u'\n' + QString(detailColumn, u' ') +
                    tr("Hint: %1").arg(indented(report.error.hint, detailColumn));
    }
    for (const QString& warning : report.warnings)
        line += u'\n' + QString(detailColumn, u' ') +
                tr("Warning: %1").arg(indented(warning, detailColumn));
    Console::out(line + u'\n');
}

void TestAllOutput::addNotTested(const QUuid& id, const QString& reason)
{
    m_summary.addNotTested(id, reason);
    if (m_json)
        return;
    const qsizetype detailColumn = 4 + m_nameWidth + 2;
    Console::out(u"  %1 %2  "_s.arg(notTestedMark(), nameColumn(id)) +
                 tr("not tested: %1").arg(indented(reason, detailColumn)) + u'\n');
}

void TestAllOutput::printSummary() const
{
    if (m_json) {
        Console::out(
            QString::fromUtf8(QJsonDocument(m_summary.toJson()).toJson(QJsonDocument::Indented)));
        return;
    }
    Console::out(tr("Test all: %1 passed, %2 failed, %3 not tested.")
                     .arg(m_summary.passed())
                     .arg(m_summary.failed())
                     .arg(m_summary.notTested()) +
                 u'\n');
}

int TestAllOutput::exitCode() const
{
    if (m_summary.notTested() > 0)
        return ExitError;
    return m_summary.failed() > 0 ? ExitTestFailed : ExitOk;
}

} // namespace relaydeck::cli
