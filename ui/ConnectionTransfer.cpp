#include "ConnectionTransfer.h"

#include "DesktopWording.h"
#include "ExportDialog.h"
#include "Prompter.h"

#include "secrets/ProfileSecretNeeds.h"
#include "secrets/RuntimeSecretResolver.h"

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

void ConnectionTransfer::importFile(QObject* context, std::function<void(const Imported&)> done)
{
    const QString path = m_prompter.openFileName(
        m_parent, tr("Import Connections"),
        tr("Connection files (*.json *msmtprc* *.conf *.txt *.env);;Relaydeck JSON (*.json);;"
           "msmtp configuration (*msmtprc* *.conf);;DSN lines (*.txt *.env);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_prompter.inform(m_parent, Prompter::Severity::Error, tr("Nothing Imported"),
                          tr("%1 cannot be read: %2").arg(path, file.errorString()));
        return;
    }
    auto readFile = std::make_shared<ReadFile>();
    readFile->data = file.readAll();
    readFile->fileName = QFileInfo(path).fileName();
    // Read once to show what the file holds (and find the names that exist already) before the
    // import.
    Result<ImportedProfiles> read = ProfileFormats::importProfiles(readFile->data, std::nullopt);
    if (!read.ok()) {
        m_prompter.inform(
            m_parent, Prompter::Severity::Error, tr("Nothing Imported"),
            tr("%1: %2\n\nNothing was imported.").arg(readFile->fileName, read.failure().message));
        return;
    }
    readFile->read = std::move(read).value();

    // The keychain check, as `relaydeck-cli import` does it: a connection our export wrote keeps
    // its id, and with it the password stored under that id.
    QList<ConnectionProfile> asking = readFile->read.profiles;
    asking.removeIf([](const ConnectionProfile& p) { return !needsTypedPassword(p); });
    auto finish = [this, readFile, done](const QStringList& inKeychain, const QString& error) {
        if (const std::optional<Imported> imported = chooseAndImport(*readFile, inKeychain, error))
            done(*imported);
    };
    if (asking.isEmpty()) {
        finish({}, {});
        return;
    }
    auto found = std::make_shared<QStringList>();
    auto keychainError = std::make_shared<QString>();
    auto pending = std::make_shared<qsizetype>(asking.size());
    for (const ConnectionProfile& profile : std::as_const(asking)) {
        m_library.secretStore().read(
            secretKey(profile.id, SecretSlot::SmtpPassword), context,
            [found, keychainError, pending, finish, name = profile.name](const SecretResult& r) {
                if (r.ok() && !r.value.isEmpty())
                    *found << name;
                else if (r.status == SecretResult::Status::Error)
                    *keychainError = r.message;
                if (--*pending == 0)
                    finish(*found, *keychainError);
            });
    }
}

bool ConnectionTransfer::needsTypedPassword(const ConnectionProfile& profile)
{
    return ProfileSecretNeeds::needsPassword(profile) && !profile.usesOAuthSignIn() &&
           !ProfileSecretNeeds::passwordAtRunTime(profile);
}

QString ConnectionTransfer::needsWords(const ConnectionProfile& profile,
                                       const QStringList& inKeychain,
                                       const QString& keychainError) const
{
    QString words;
    if (profile.usesOAuthSignIn())
        words = tr("sign in on the Authentication tab");
    else if (!needsTypedPassword(profile))
        words = tr("ready: no password needed");
    else if (inKeychain.contains(profile.name))
        words = tr("ready: its password is in the keychain");
    else if (!keychainError.isEmpty())
        words = tr("a password to enter (the keychain could not be asked)");
    else
        words = tr("a password to enter");
    if (m_library.store().findByName(profile.name))
        words += u"; "_s + tr("the name exists");
    return words;
}

std::optional<ConnectionTransfer::Imported>
ConnectionTransfer::chooseAndImport(const ReadFile& file, const QStringList& inKeychain,
                                    const QString& keychainError)
{
    QList<ImportCandidate> candidates;
    for (const ConnectionProfile& profile : file.read.profiles)
        candidates << ImportCandidate{profile.name, profile.host,
                                      needsWords(profile, inKeychain, keychainError),
                                      m_library.store().findByName(profile.name).has_value()};
    const std::optional<QStringList> chosen =
        m_prompter.chooseImport(m_parent, file.fileName, candidates);
    if (!chosen || chosen->isEmpty())
        return std::nullopt;
    QStringList clashes;
    for (const ImportCandidate& candidate : std::as_const(candidates)) {
        if (candidate.exists && chosen->contains(candidate.name))
            clashes << candidate.name;
    }
    ConflictPolicy policy = ConflictPolicy::Fail;
    if (!clashes.isEmpty()) {
        const std::optional<ConflictPolicy> answer =
            m_prompter.chooseConflictPolicy(m_parent, clashes);
        if (!answer)
            return std::nullopt;
        policy = *answer;
    }
    const Result<ImportReport> imported =
        m_library.import(file.data, file.read.detectedFormat, policy, *chosen);
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
                        .arg(file.fileName);
    for (const ConnectionProfile& profile : outcome.replaced)
        result.lines
            << tr("Replaced the settings of \"%1\" (its passwords stay).").arg(profile.name);
    for (const auto& [from, to] : outcome.renamed)
        result.lines << tr("\"%1\" was imported as \"%2\".").arg(from, to);
    for (const QString& name : outcome.skipped)
        result.lines << tr("Skipped \"%1\": the name exists.").arg(name);
    // Advice from the keychain check: only the added connections whose password is not there.
    QStringList withoutPassword;
    for (const ConnectionProfile& profile : outcome.added) {
        if (needsTypedPassword(profile) && !inKeychain.contains(profile.name))
            withoutPassword << profile.name;
    }
    if (!withoutPassword.isEmpty())
        result.lines << tr("Passwords are not part of an import: enter them on the "
                           "Authentication tab for %1.")
                            .arg(withoutPassword.join(u", "_s));
    // Password commands from the file do not run until the admin enables them.
    for (const ConnectionProfile& profile : outcome.added + outcome.replaced) {
        if (const QString note =
                RuntimeSecretResolver::disabledCommandNote(profile, DesktopWording::instance());
            !note.isEmpty())
            result.lines << note;
    }
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
