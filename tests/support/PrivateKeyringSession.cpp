#include "PrivateKeyringSession.h"

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

namespace {

// Set in the re-run: the tests run there.
const char* const insideSessionVariable = "RELAYDECK_TEST_PRIVATE_KEYRING_SESSION";

} // namespace

bool inPrivateKeyringSession()
{
    return qEnvironmentVariableIsSet(insideSessionVariable);
}

std::optional<int> rerunInPrivateKeyringSession(int& argc, char* argv[], KeyringSession need)
{
    if (inPrivateKeyringSession())
        return std::nullopt;
    QCoreApplication app(argc, argv);
    if (need == KeyringSession::IfInstalled &&
        (QStandardPaths::findExecutable(u"dbus-run-session"_s).isEmpty() ||
         QStandardPaths::findExecutable(u"gnome-keyring-daemon"_s).isEmpty()))
        return std::nullopt;

    QTemporaryDir home;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QString::fromLatin1(insideSessionVariable), u"1"_s);
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    environment.insert(u"XDG_RUNTIME_DIR"_s, home.path());
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    QStringList arguments = QCoreApplication::arguments();
    const QString self = arguments.takeFirst();
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(u"dbus-run-session"_s,
                  QStringList{u"--"_s, u"sh"_s, u"-c"_s,
                              u"echo -n pw | gnome-keyring-daemon --unlock "
                              u"--components=secrets >/dev/null && exec \"$0\" \"$@\""_s,
                              self} +
                      arguments);
    if (!process.waitForStarted()) {
        qCritical("cannot start dbus-run-session (Debian package dbus)");
        return 1;
    }
    process.waitForFinished(-1);
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : 1;
}

std::optional<QString> secretToolLookup(const QString& key)
{
    QProcess process;
    process.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, u"relaydeck"_s, u"user"_s, key});
    if (!process.waitForFinished(20000) || process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace relaydeck::test
