#include "profile/ProfileStore.h"

#include "profile/JsonProfileFormat.h"
#include "profile/ProfileJson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "ProfileStore" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileStore)
};

Failure failure(const QString& id, const QString& message, const ValidationIssues& issues = {})
{
    return Failure{id, message, issues};
}

const QString fileName = u"connections.json"_s;
const QString formatName = u"relaydeck-profiles"_s;

QString nameKey(const QString& name)
{
    return name.trimmed().toCaseFolded();
}

// The namespace of the ids given to hand-written profiles without one (see readFile).
QUuid idlessNamespace()
{
    return QUuid(u"6f1c3a52-8d4e-4b1f-9a7e-2c5d8e0f4b13"_s);
}

// A message quoting a hand-edited value shows its line breaks and control characters as
// escapes, so the message stays one line in a terminal or a banner.
QString visibleControls(const QString& text)
{
    QString shown;
    for (const QChar c : text) {
        if (c == u'\r')
            shown += u"\\r"_s;
        else if (c == u'\n')
            shown += u"\\n"_s;
        else if (c.category() == QChar::Other_Control)
            shown += u"\\u"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0');
        else
            shown += c;
    }
    return shown;
}

} // namespace

QString toString(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::Fail:
        return u"fail"_s;
    case ConflictPolicy::Skip:
        return u"skip"_s;
    case ConflictPolicy::Rename:
        return u"rename"_s;
    case ConflictPolicy::Replace:
        return u"replace"_s;
    }
    return u"fail"_s;
}

std::optional<ConflictPolicy> conflictPolicyFromString(const QString& word)
{
    for (ConflictPolicy policy : {ConflictPolicy::Fail, ConflictPolicy::Skip,
                                  ConflictPolicy::Rename, ConflictPolicy::Replace}) {
        if (toString(policy) == word.trimmed().toLower())
            return policy;
    }
    return std::nullopt;
}

ProfileStore::ProfileStore(const QString& configDir)
    : m_configDir(configDir.isEmpty() ? defaultConfigDir() : configDir)
{}

QString ProfileStore::defaultConfigDir()
{
    const QString fromEnvironment = qEnvironmentVariable("RELAYDECK_CONFIG_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // AppConfigLocation depends on the application's name; fix it so the CLI and the GUI agree
    // whatever their binaries are called.
    const QString configRoot =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return QDir(configRoot).filePath(u"relaydeck"_s);
}

QString ProfileStore::filePath() const
{
    return QDir(m_configDir).filePath(fileName);
}

QString ProfileStore::backupPath() const
{
    return filePath() + u".bak"_s;
}

QString ProfileStore::lockPath() const
{
    return filePath() + u".lock"_s;
}

Result<void> ProfileStore::load()
{
    QList<ConnectionProfile> profiles;
    Result<void> result = readFile(&profiles);
    m_profiles = result.ok() ? profiles : QList<ConnectionProfile>();
    return result;
}

std::optional<ConnectionProfile> ProfileStore::findByName(const QString& name) const
{
    const QString wanted = nameKey(name);
    for (const ConnectionProfile& profile : m_profiles) {
        if (nameKey(profile.name) == wanted)
            return profile;
    }
    return std::nullopt;
}

std::optional<ConnectionProfile> ProfileStore::findById(const QUuid& id) const
{
    for (const ConnectionProfile& profile : m_profiles) {
        if (profile.id == id)
            return profile;
    }
    return std::nullopt;
}

namespace {

bool nameTaken(const QList<ConnectionProfile>& profiles, const QString& name, const QUuid& except)
{
    const QString wanted = nameKey(name);
    for (const ConnectionProfile& profile : profiles) {
        if (profile.id != except && nameKey(profile.name) == wanted)
            return true;
    }
    return false;
}

QString freeName(const QList<ConnectionProfile>& profiles, const QString& base)
{
    const QString trimmed = base.trimmed();
    if (!nameTaken(profiles, trimmed, QUuid()))
        return trimmed;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1 (%2)"_s.arg(trimmed).arg(n);
        if (!nameTaken(profiles, candidate, QUuid()))
            return candidate;
    }
}

QString nameTakenMessage(const QString& name)
{
    return Text::tr("Another connection is already called '%1' (names are compared ignoring case).")
        .arg(name.trimmed());
}

ValidationIssues validateAgainst(const QList<ConnectionProfile>& profiles,
                                 const ConnectionProfile& profile, ProfileValidation::Check check)
{
    ValidationIssues issues = ProfileValidation::validate(profile, check);
    if (!profile.name.trimmed().isEmpty() && nameTaken(profiles, profile.name, profile.id))
        issues << ValidationIssue{u"name"_s, nameTakenMessage(profile.name)};
    return issues;
}

ValidationIssues onlyField(const ValidationIssues& issues, const QString& field)
{
    ValidationIssues result;
    for (const ValidationIssue& issue : issues) {
        if (issue.field == field)
            result << issue;
    }
    return result;
}

// Invalid, or NameConflict when the only problem is that the name is taken.
Failure rejectIssues(const ValidationIssues& issues, const QString& name)
{
    const bool onlyNameTaken = issues.size() == 1 && issues.first().field == u"name"_s &&
                               issues.first().message == nameTakenMessage(name);
    return failure(
        onlyNameTaken ? FailureId::NameConflict : FailureId::Invalid,
        Text::tr("The connection '%1' was not saved:\n%2").arg(name, formatIssues(issues)), issues);
}

} // namespace

QString ProfileStore::uniqueName(const QString& base) const
{
    return freeName(m_profiles, base);
}

ValidationIssues ProfileStore::validate(const ConnectionProfile& profile,
                                        ProfileValidation::Check check) const
{
    return validateAgainst(m_profiles, profile, check);
}

Result<void> ProfileStore::readFile(QList<ConnectionProfile>* profiles) const
{
    profiles->clear();
    const QString path = filePath();
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return failure(FailureId::IoError,
                       Text::tr("Cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray data = file.readAll();

    const auto corrupt = [&path](const QString& where) {
        return failure(
            FailureId::Corrupt,
            Text::tr("%1 is damaged (%2). Relaydeck will not read or change it until you fix "
                     "it or move it away (the previous version may be in %1.bak).")
                .arg(path, where));
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = qBound(qsizetype(0), qsizetype(parseError.offset), data.size());
        const qsizetype line = data.left(offset).count('\n') + 1;
        const qsizetype column = offset - (data.lastIndexOf('\n', offset - 1) + 1) + 1;
        return corrupt(
            Text::tr("line %1, column %2: %3").arg(line).arg(column).arg(parseError.errorString()));
    }
    if (!document.isObject())
        return corrupt(Text::tr("the top level must be an object"));
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != formatName)
        return corrupt(Text::tr("\"format\" must be \"%1\"").arg(formatName));
    const QJsonValue version = root.value(u"version"_s);
    if (!version.isDouble() || version.toDouble() != double(version.toInt()) || version.toInt() < 1)
        return corrupt(Text::tr("\"version\" must be a whole number"));
    if (version.toInt() > JsonProfileFormat::currentVersion)
        return failure(
            FailureId::NewerVersion,
            Text::tr("%1 was written by a newer Relaydeck (file version %2; this Relaydeck "
                     "knows version %3). Update Relaydeck; it will not read or change the "
                     "file until then.")
                .arg(path)
                .arg(version.toInt())
                .arg(JsonProfileFormat::currentVersion));
    const QJsonValue list = root.value(u"profiles"_s);
    if (!list.isArray())
        return corrupt(Text::tr("\"profiles\" must be an array"));

    const QJsonArray array = list.toArray();
    QSet<QString> names;
    QSet<QUuid> ids;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject())
            return corrupt(Text::tr("profiles[%1] must be an object").arg(i));
        Result<ConnectionProfile> profile = ProfileJson::fromJson(array.at(i).toObject());
        if (!profile)
            return corrupt(u"profiles[%1].%2"_s.arg(i).arg(profile.failure().message));
        if (profile->name.trimmed().isEmpty())
            return corrupt(Text::tr("profiles[%1].name is empty").arg(i));
        if (names.contains(nameKey(profile->name)))
            return corrupt(
                Text::tr("profiles[%1].name: '%2' is used twice").arg(i).arg(profile->name));
        names.insert(nameKey(profile->name));
        // A hand-written profile without an id gets one; it is saved with the next change. The
        // same one at every read (derived from the name, unique in the file): a change re-reads
        // the file and must find the profile under the id the last load() gave it (found by
        // fuzzing: a random id here made update() of that profile fail with NotFound).
        if (profile->id.isNull())
            profile->id = QUuid::createUuidV5(idlessNamespace(), nameKey(profile->name));
        if (ids.contains(profile->id))
            return corrupt(Text::tr("profiles[%1].id: '%2' is used twice")
                               .arg(i)
                               .arg(profile->id.toString(QUuid::WithoutBraces)));
        ids.insert(profile->id);
        *profiles << *profile;
    }
    // Hosts as an import checks them: a hand-edited host with a line break would otherwise
    // reach the wire (an HTTP CONNECT request line, the transcript).
    for (qsizetype i = 0; i < profiles->size(); ++i) {
        for (const QString& field : {u"host"_s, u"proxy.host"_s}) {
            const ValidationIssues issues = ProfileValidation::validateField(
                profiles->at(i), field, ProfileValidation::Check::WithoutFiles);
            if (!issues.isEmpty()) {
                const QString problem = visibleControls(issues.first().message);
                profiles->clear();
                return corrupt(u"profiles[%1].%2: %3"_s.arg(i).arg(field, problem));
            }
        }
    }
    return {};
}

Result<void> ProfileStore::writeFile(const QList<ConnectionProfile>& profiles) const
{
    const QString path = filePath();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(FailureId::IoError,
                       Text::tr("Cannot write %1: %2").arg(path, file.errorString()));
    file.write(JsonProfileFormat::exportProfiles(profiles));

    // Keep the previous version (only ever a file that read correctly: writes refuse otherwise).
    if (QFile::exists(path)) {
        const QString backup = backupPath();
        const QString backupTemp = backup + u".new"_s;
        QFile::remove(backupTemp);
        if (!QFile::copy(path, backupTemp)) {
            file.cancelWriting();
            file.commit();
            return failure(FailureId::IoError,
                           Text::tr("Cannot keep a backup of %1 in %2; nothing was changed.")
                               .arg(path, backup));
        }
        QFile::remove(backup);
        QFile::rename(backupTemp, backup);
    }
    if (!file.commit())
        return failure(
            FailureId::IoError,
            Text::tr("Cannot write %1: %2; nothing was changed.").arg(path, file.errorString()));
    return {};
}

template <typename Change> Result<void> ProfileStore::change(Change&& apply)
{
    if (!QDir().mkpath(m_configDir))
        return failure(FailureId::IoError,
                       Text::tr("Cannot create the configuration folder %1.").arg(m_configDir));
    QLockFile lock(lockPath());
    if (!lock.tryLock(lockTimeoutMs)) {
        if (lock.error() == QLockFile::LockFailedError)
            return failure(
                FailureId::Locked,
                Text::tr("Another Relaydeck is changing the profiles right now (lock file %1). "
                         "Try again in a moment.")
                    .arg(lockPath()));
        return failure(FailureId::IoError,
                       Text::tr("Cannot create the lock file %1.").arg(lockPath()));
    }
    // Apply the change to what is on disk now, not to what we read earlier: another process may
    // have changed the file since.
    QList<ConnectionProfile> profiles;
    Result<void> result = readFile(&profiles);
    if (!result.ok())
        return result;
    result = apply(profiles);
    if (!result.ok())
        return result;
    result = writeFile(profiles);
    if (result.ok())
        m_profiles = profiles;
    return result;
}

Result<ConnectionProfile> ProfileStore::add(const ConnectionProfile& profile)
{
    ConnectionProfile fresh = profile;
    fresh.name = fresh.name.trimmed();
    if (fresh.id.isNull())
        fresh.id = QUuid::createUuid();
    const Result<void> result = change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        for (const ConnectionProfile& existing : profiles) {
            if (existing.id == fresh.id)
                return failure(FailureId::Invalid,
                               Text::tr("A connection with the id %1 exists already.")
                                   .arg(fresh.id.toString(QUuid::WithoutBraces)));
        }
        const ValidationIssues issues =
            validateAgainst(profiles, fresh, ProfileValidation::Check::WithoutFiles);
        if (!issues.isEmpty())
            return rejectIssues(issues, fresh.name);
        profiles << fresh;
        return {};
    });
    if (!result.ok())
        return result.failure();
    return fresh;
}

Result<ConnectionProfile> ProfileStore::update(const ConnectionProfile& profile)
{
    ConnectionProfile updated = profile;
    updated.name = updated.name.trimmed();
    const Result<void> result = change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        const auto it = std::find_if(profiles.begin(), profiles.end(),
                                     [&](const auto& p) { return p.id == updated.id; });
        if (it == profiles.end())
            return failure(FailureId::NotFound,
                           Text::tr("The connection '%1' no longer exists.").arg(updated.name));
        const ValidationIssues issues =
            validateAgainst(profiles, updated, ProfileValidation::Check::WithoutFiles);
        if (!issues.isEmpty())
            return rejectIssues(issues, updated.name);
        *it = updated;
        return {};
    });
    if (!result.ok())
        return result.failure();
    return updated;
}

Result<void> ProfileStore::rename(const QUuid& id, const QString& newName)
{
    return change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        const auto it = std::find_if(profiles.begin(), profiles.end(),
                                     [&](const auto& p) { return p.id == id; });
        if (it == profiles.end())
            return failure(FailureId::NotFound, Text::tr("The connection no longer exists."));
        ConnectionProfile renamed = *it;
        renamed.name = newName.trimmed();
        const ValidationIssues issues = onlyField(
            validateAgainst(profiles, renamed, ProfileValidation::Check::WithoutFiles), u"name"_s);
        if (!issues.isEmpty())
            return rejectIssues(issues, renamed.name);
        *it = renamed;
        return {};
    });
}

Result<ConnectionProfile> ProfileStore::copy(const QUuid& id, const QString& newName)
{
    ConnectionProfile created;
    const Result<void> result = change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        const auto it = std::find_if(profiles.cbegin(), profiles.cend(),
                                     [&](const auto& p) { return p.id == id; });
        if (it == profiles.cend())
            return failure(FailureId::NotFound, Text::tr("The connection no longer exists."));
        created = *it;
        created.id = QUuid::createUuid();
        created.name = newName.trimmed();
        const ValidationIssues issues = onlyField(
            validateAgainst(profiles, created, ProfileValidation::Check::WithoutFiles), u"name"_s);
        if (!issues.isEmpty())
            return rejectIssues(issues, created.name);
        profiles << created;
        return {};
    });
    if (!result.ok())
        return result.failure();
    return created;
}

Result<void> ProfileStore::remove(const QUuid& id)
{
    return change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        const qsizetype removed =
            profiles.removeIf([&](const ConnectionProfile& p) { return p.id == id; });
        if (removed == 0)
            return failure(FailureId::NotFound, Text::tr("The connection no longer exists."));
        return {};
    });
}

Result<ImportOutcome> ProfileStore::importProfiles(const QList<ConnectionProfile>& incoming,
                                                   ConflictPolicy policy)
{
    ImportOutcome outcome;
    const Result<void> result = change([&](QList<ConnectionProfile>& profiles) -> Result<void> {
        outcome = ImportOutcome();
        QList<ConnectionProfile> working = profiles;
        QStringList conflicts;
        for (const ConnectionProfile& original : incoming) {
            ConnectionProfile profile = original;
            // An id from the file keeps the keychain entries stored under it (a re-import of our
            // own export); one a stored profile has already gets a new id, and with it no secret.
            const bool idTaken =
                std::any_of(working.cbegin(), working.cend(),
                            [&](const ConnectionProfile& p) { return p.id == original.id; });
            if (original.id.isNull() || idTaken)
                profile.id = QUuid::createUuid();
            profile.name = profile.name.trimmed();
            const auto existing =
                std::find_if(working.begin(), working.end(), [&](const ConnectionProfile& p) {
                    return nameKey(p.name) == nameKey(profile.name);
                });
            if (existing != working.end() && !profile.name.isEmpty()) {
                switch (policy) {
                case ConflictPolicy::Fail:
                    conflicts << profile.name;
                    continue;
                case ConflictPolicy::Skip:
                    outcome.skipped << profile.name;
                    continue;
                case ConflictPolicy::Rename: {
                    const QString name = freeName(working, profile.name);
                    outcome.renamed << qMakePair(profile.name, name);
                    profile.name = name;
                    break;
                }
                case ConflictPolicy::Replace:
                    // The existing entry keeps its id so its keychain entries stay usable.
                    profile.id = existing->id;
                    profile.name = existing->name;
                    break;
                }
            }
            const ValidationIssues issues =
                ProfileValidation::validate(profile, ProfileValidation::Check::WithoutFiles);
            if (!issues.isEmpty())
                return failure(FailureId::Invalid,
                               Text::tr("The imported connection '%1' is not valid; nothing was "
                                        "imported:\n%2")
                                   .arg(profile.name, formatIssues(issues)),
                               issues);
            if (existing != working.end() && policy == ConflictPolicy::Replace) {
                *existing = profile;
                outcome.replaced << profile;
            } else {
                working << profile;
                outcome.added << profile;
            }
        }
        if (!conflicts.isEmpty())
            return failure(
                FailureId::NameConflict,
                Text::tr("These connections exist already: %1. Nothing was imported; choose "
                         "to skip, rename or replace them.")
                    .arg(conflicts.join(u", "_s)));
        profiles = working;
        return {};
    });
    if (!result.ok())
        return result.failure();
    return outcome;
}

} // namespace relaydeck
