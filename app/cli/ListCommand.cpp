#include "ListCommand.h"

#include "CliWording.h"
#include "profile/ProfileJson.h"
#include "secrets/ProfileSecretNeeds.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace relaydeck::cli {

QString ListCommand::summary() const
{
    return QCoreApplication::translate("relaydeck-cli", "List the stored connections.");
}

void ListCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({u"json"_s, QCoreApplication::translate("relaydeck-cli",
                                                             "Print an array of profile objects, "
                                                             "exactly as in connections.json.")});
}

void ListCommand::run(const QCommandLineParser& parser)
{
    ProfileStore* store = loadStore();
    if (!store)
        return;
    if (parser.isSet(u"json"_s)) {
        QJsonArray array;
        for (const ConnectionProfile& profile : store->profiles())
            array.append(ProfileJson::toJson(profile));
        Console::out(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
        finish(ExitOk);
        return;
    }
    if (store->profiles().isEmpty()) {
        Console::err(QCoreApplication::translate(
                         "relaydeck-cli", "No connections yet in %1. Create one with 'add NAME "
                                          "--host H' or from a preset ('presets' lists them).")
                         .arg(store->filePath()) +
                     u'\n');
        finish(ExitOk);
        return;
    }
    QList<QStringList> rows;
    rows << QStringList{QCoreApplication::translate("relaydeck-cli", "NAME"),
                        QCoreApplication::translate("relaydeck-cli", "SERVER"),
                        QCoreApplication::translate("relaydeck-cli", "SECURITY"),
                        QCoreApplication::translate("relaydeck-cli", "USER"),
                        QCoreApplication::translate("relaydeck-cli", "PROXY"),
                        QCoreApplication::translate("relaydeck-cli", "PASSWORD")};
    for (const ConnectionProfile& profile : store->profiles()) {
        rows << QStringList{profile.name,
                            u"%1:%2"_s.arg(profile.host).arg(profile.effectivePort()),
                            toString(profile.security),
                            !profile.usesAuthentication() ? u"-"_s
                            : profile.auth.usernameVariable.isEmpty()
                                ? profile.auth.username
                                : u'$' + profile.auth.usernameVariable,
                            toString(profile.proxy.type),
                            !ProfileSecretNeeds::needsPassword(profile) ? u"-"_s
                            : profile.usesOAuthSignIn()
                                ? QCoreApplication::translate("relaydeck-cli", "OAuth sign-in")
                                : CliWording::passwordSourceWords(profile)};
    }
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const QStringList& row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    QString text;
    for (const QStringList& row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths[i] + 2) : row.at(i);
        text += line.trimmed() + u'\n';
    }
    Console::out(text);
    finish(ExitOk);
}

} // namespace relaydeck::cli
