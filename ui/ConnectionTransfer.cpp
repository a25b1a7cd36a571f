#include "ConnectionTransfer.h"

#include "ExportDialog.h"
#include "Prompter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

ConnectionTransfer::ConnectionTransfer(QWidget* parent, Prompter& prompter, ProfileLibrary& library)
    : m_parent(parent)
    , m_prompter(prompter)
    , m_library(library)
{}

std::optional<ConnectionTransfer::Imported> ConnectionTransfer::importFile()
{
    const QString path = m_prompter.openFileName(
        m_parent, tr("Import Connections"),
        tr("Connection files (*.json *msmtprc* *.conf *.txt *.env);;Relaydeck JSON (*.json);;"
           "msmtp configuration (*msmtprc* *.conf);;DSN lines (*.txt *.env);;All files (*)"));
    if (path.isEmpty())
        return std::nullopt;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_prompter.inform(m_parent, Prompter::Severity::Error, tr("Nothing Imported"),
                          tr("%1 cannot be read: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    const QString fileName = QFileInfo(path).fileName();
    // Read once to find the names that exist already, so the question comes before the import.
    const Result<ImportedProfiles> read = ProfileFormats::importProfiles(data, std::nullopt);
    if (!read.ok()) {
        m_prompter.inform(
            m_parent, Prompter::Severity::Error, tr("Nothing Imported"),
            tr("%1: %2\n\nNothing was imported.").arg(fileName, read.failure().message));
        return std::nullopt;
    }
    QStringList clashes;
    for (const ConnectionProfile& profile : read->profiles) {
        if (m_library.store().findByName(profile.name))
            clashes << profile.name;
    }
    ConflictPolicy policy = ConflictPolicy::Fail;
    if (!clashes.isEmpty()) {
        const std::optional<ConflictPolicy> chosen =
            m_prompter.chooseConflictPolicy(m_parent, clashes);
        if (!chosen)
            return std::nullopt;
        policy = *chosen;
    }
    const Result<ImportReport> imported = m_library.import(data, read->detectedFormat, policy);
    if (!imported.ok()) {
        m_prompter.inform(m_parent, Prompter::Severity::Error, tr("Nothing Imported"),
                          imported.failure().message);
        return std::nullopt;
    }
    const ImportOutcome& outcome = imported->outcome;
    const QStringList& unmapped = imported->unmapped;
    Imported result{outcome, {}, {}};
    result.lines << tr("Imported %n connection(s) from %1.", nullptr,
                       int(outcome.added.size() + outcome.replaced.size()))
                        .arg(fileName);
    for (const ConnectionProfile& profile : outcome.replaced)
        result.lines
            << tr("Replaced the settings of \"%1\" (its passwords stay).").arg(profile.name);
    for (const auto& [from, to] : outcome.renamed)
        result.lines << tr("\"%1\" was imported as \"%2\".").arg(from, to);
    for (const QString& name : outcome.skipped)
        result.lines << tr("Skipped \"%1\": the name exists.").arg(name);
    if (!outcome.added.isEmpty())
        result.lines << tr(
            "Passwords are not part of an import: enter them on the Authentication tab.");
    if (!unmapped.isEmpty()) {
        result.details =
            tr("Not imported (no equivalent in Relaydeck):") + u'\n' + unmapped.join(u'\n');
        result.lines << tr("%n setting(s) could not be mapped; see the details.", nullptr,
                           int(unmapped.size()));
    }
    return result;
}

void ConnectionTransfer::reportImport(const Imported& imported)
{
    m_prompter.inform(m_parent,
                      imported.details.isEmpty() ? Prompter::Severity::Information
                                                 : Prompter::Severity::Warning,
                      tr("Import Finished"), imported.lines.join(u'\n'), imported.details);
}

std::optional<QString> ConnectionTransfer::exportFile(const QList<ConnectionProfile>& listed)
{
    const std::optional<ExportChoice> choice = m_prompter.chooseExport(m_parent, listed, {});
    if (!choice || choice->profileIds.isEmpty())
        return std::nullopt;
    QList<ConnectionProfile> profiles;
    for (const QUuid& id : choice->profileIds) {
        if (const auto profile = m_library.store().findById(id))
            profiles << *profile;
    }
    const QString suggested = QDir::home().filePath(u"relaydeck-connections."_s +
                                                    ExportDialog::fileExtension(choice->format));
    const QString path = m_prompter.saveFileName(m_parent, tr("Export Connections"), suggested,
                                                 ExportDialog::fileFilter(choice->format));
    if (path.isEmpty())
        return std::nullopt;
    const QByteArray data = ProfileFormats::exportProfiles(profiles, choice->format);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        m_prompter.inform(m_parent, Prompter::Severity::Error, tr("Nothing Exported"),
                          tr("%1 cannot be written: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    return tr("Exported %n connection(s) to %1.", nullptr, int(profiles.size()))
        .arg(QDir::toNativeSeparators(path));
}

} // namespace relaydeck::ui
