#include "ImportCommand.h"

#include "CliWording.h"

#include "library/ProfileLibrary.h"
#include "profile/ProfileFormats.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/RuntimeSecretResolver.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

namespace {

QStringList namesOf(const QList<ConnectionProfile>& profiles)
{
    QStringList names;
    for (const ConnectionProfile& profile : profiles)
        names << profile.name;
    return names;
}

} // namespace

QString ImportCommand::summary() const
{
    return tr("Import connections from our JSON, an msmtprc or Symfony DSNs.");
}

void ImportCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(u"FILE"_s, tr("The file to import ('-': standard input)."));
    parser.addOptions({
        {u"format"_s, tr("auto (default: detect from the content), json, msmtp or dsn."),
         u"FORMAT"_s, u"auto"_s},
        {u"only"_s,
         tr("Import only these connections (names as in the file, comma-separated or "
            "repeated)."),
         u"NAME"_s},
        {u"on-conflict"_s,
         tr("When a name exists already: fail (default; nothing changes), skip, rename or "
            "replace."),
         u"POLICY"_s, u"fail"_s},
    });
}

void ImportCommand::run(const QCommandLineParser& parser)
{
    std::optional<ProfileFormat> format;
    const QString formatWord = parser.value(u"format"_s);
    if (formatWord.compare(u"auto"_s, Qt::CaseInsensitive) != 0) {
        format = profileFormatFromString(formatWord);
        if (!format) {
            fail(tr("--format: expected auto, json, msmtp or dsn, not '%1'").arg(formatWord));
            return;
        }
    }
    const auto policy = conflictPolicyFromString(parser.value(u"on-conflict"_s));
    if (!policy) {
        fail(tr("--on-conflict: expected fail, skip, rename or replace, not '%1'")
                 .arg(parser.value(u"on-conflict"_s)));
        return;
    }

    const QString path = parser.positionalArguments().first();
    QFile file;
    if (path == u"-"_s) {
        if (!file.open(stdin, QIODevice::ReadOnly)) {
            fail(tr("cannot read standard input"));
            return;
        }
    } else {
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(tr("cannot read %1: %2").arg(path, file.errorString()));
            return;
        }
    }
    const QByteArray data = file.readAll();

    ProfileLibrary* profiles = library();
    if (!profiles)
        return;
    QStringList only;
    for (const QString& list : parser.values(u"only"_s)) {
        for (const QString& name : list.split(u',', Qt::SkipEmptyParts))
            only << name.trimmed();
    }
    const Result<ImportReport> imported = profiles->import(data, format, *policy, only);
    if (!imported.ok()) {
        if (imported.failure().id == FailureId::ParseFailed ||
            imported.failure().id == FailureId::NotFound)
            fail(tr("%1: %2 (nothing was imported)").arg(path, imported.failure().message));
        else
            fail(imported.failure().message);
        return;
    }
    for (const QString& item : imported->unmapped)
        Console::err(tr("Not imported from %1: %2").arg(path, item) + u'\n');

    const ImportOutcome& outcome = imported->outcome;
    QString text = tr("Imported %n connection(s) (%1)", nullptr,
                      int(outcome.added.size() + outcome.replaced.size()))
                       .arg(toString(imported->detectedFormat));
    QStringList details;
    if (!outcome.added.isEmpty())
        details << tr("added: %1").arg(namesOf(outcome.added).join(u", "_s));
    if (!outcome.replaced.isEmpty())
        details << tr("replaced: %1").arg(namesOf(outcome.replaced).join(u", "_s));
    if (!outcome.skipped.isEmpty())
        details << tr("skipped (name exists): %1").arg(outcome.skipped.join(u", "_s));
    for (const auto& [from, to] : outcome.renamed)
        details << tr("'%1' renamed to '%2'").arg(from, to);
    if (!details.isEmpty())
        text += u": "_s + details.join(u"; "_s);
    Console::out(text + u".\n"_s);
    // Password commands from the file do not run until the admin enables them.
    for (const ConnectionProfile& profile : outcome.added + outcome.replaced) {
        if (const QString note =
                RuntimeSecretResolver::disabledCommandNote(profile, CliWording::instance());
            !note.isEmpty())
            Console::out(note + u'\n');
    }
    adviseMissingPasswords(outcome.added + outcome.replaced);
}

void ImportCommand::adviseMissingPasswords(const QList<ConnectionProfile>& profiles)
{
    QList<ConnectionProfile> needing = profiles;
    needing.removeIf([](const ConnectionProfile& p) {
        return !ProfileSecretNeeds::needsPassword(p) || p.usesOAuthSignIn() || // login signs in
               ProfileSecretNeeds::passwordAtRunTime(p); // read when a test runs
    });
    if (needing.isEmpty()) {
        finish(ExitOk);
        return;
    }
    // Asks the keychain about each; the last answer prints the names without a password.
    auto missing = std::make_shared<QStringList>();
    auto pending = std::make_shared<qsizetype>(needing.size());
    for (const ConnectionProfile& profile : std::as_const(needing)) {
        secretStore().read(secretKey(profile.id, SecretSlot::SmtpPassword), this,
                           [this, missing, pending, name = profile.name](const SecretResult& r) {
                               if (!r.ok() || r.value.isEmpty())
                                   *missing << name;
                               if (--*pending > 0)
                                   return;
                               if (!missing->isEmpty())
                                   Console::out(tr("Passwords are not part of an import; set "
                                                   "them with 'set NAME --password-stdin' for: "
                                                   "%1.")
                                                    .arg(missing->join(u", "_s)) +
                                                u'\n');
                               finish(ExitOk);
                           });
    }
}

} // namespace relaydeck::cli
