#include "secrets/RuntimeSecretResolver.h"

#include "profile/CommandWords.h"
#include "secrets/ProfileSecretNeeds.h"
#include "smtp/ErrorIds.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "RuntimeSecretResolver".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(RuntimeSecretResolver)
};

constexpr int defaultTimeoutMs = 10'000;
constexpr qsizetype maxStdout = 64 * 1024; // only the first line is used
constexpr qsizetype maxStderr = 16 * 1024;
constexpr int stderrLinesShown = 3;

Failure sourceFailure(const QString& message)
{
    return Failure{ErrorId::PasswordSourceFailed, message};
}

Result<QString> fromEnvironment(const QString& variable, bool password)
{
    const QByteArray name = variable.toLocal8Bit();
    if (!qEnvironmentVariableIsSet(name.constData()))
        return sourceFailure(
            password ? Text::tr("The environment variable %1 that gives the password is not set.")
                           .arg(variable)
                     : Text::tr("The environment variable %1 that gives the user name is not set.")
                           .arg(variable));
    const QString value = qEnvironmentVariable(name.constData());
    if (value.isEmpty())
        return sourceFailure(
            password ? Text::tr("The environment variable %1 that gives the password is empty.")
                           .arg(variable)
                     : Text::tr("The environment variable %1 that gives the user name is empty.")
                           .arg(variable));
    return value;
}

QString commandText(const SecretSource& source)
{
    return CommandWords::join(QStringList{source.program} + source.arguments);
}

void appendCapped(QByteArray& buffer, const QByteArray& data, qsizetype cap)
{
    if (buffer.size() < cap)
        buffer += data.left(cap - buffer.size());
}

} // namespace

bool RuntimeSecretResolver::needed(const ConnectionProfile& profile)
{
    return ProfileSecretNeeds::passwordAtRunTime(profile) ||
           (profile.usesAuthentication() && !profile.auth.usernameVariable.isEmpty());
}

void RuntimeSecretResolver::resolve(const ConnectionProfile& profile, QObject* context, Done done,
                                    int timeoutMs)
{
    auto* resolver = new RuntimeSecretResolver(profile, timeoutMs, std::move(done), context);
    // Later, never inside the call; the resolver dies with `context`.
    QTimer::singleShot(0, resolver, &RuntimeSecretResolver::start);
}

QString RuntimeSecretResolver::disabledCommandNote(const ConnectionProfile& profile,
                                                   const AdviceWording& wording)
{
    const SecretSource& source = profile.auth.passwordSource;
    if (source.kind != SecretSourceKind::Command || source.enabled)
        return {};
    return Text::tr("'%1' takes its password from the command %2, which came from the file: it "
                    "stays disabled until you have checked it and enabled it (%3).")
        .arg(profile.name, commandText(source),
             wording.where(Setting::PasswordCommandEnabled, profile.name));
}

RuntimeSecretResolver::RuntimeSecretResolver(const ConnectionProfile& profile, int timeoutMs,
                                             Done done, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_timeoutMs(timeoutMs > 0                ? timeoutMs
                  : profile.timeoutSeconds > 0 ? profile.timeoutSeconds * 1000
                                               : defaultTimeoutMs)
    , m_done(std::move(done))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RuntimeSecretResolver::onTimeout);
}

void RuntimeSecretResolver::start()
{
    const AuthSettings& auth = m_profile.auth;
    if (m_profile.usesAuthentication() && !auth.usernameVariable.isEmpty()) {
        const Result<QString> username = fromEnvironment(auth.usernameVariable, false);
        if (!username) {
            finish(username.failure());
            return;
        }
        m_secrets.username = username.value();
    }
    if (!ProfileSecretNeeds::passwordAtRunTime(m_profile)) {
        finish(m_secrets);
        return;
    }
    const SecretSource& source = auth.passwordSource;
    if (source.kind == SecretSourceKind::Environment) {
        const Result<QString> password = fromEnvironment(source.variable, true);
        if (!password) {
            finish(password.failure());
            return;
        }
        m_secrets.password = password.value();
        finish(m_secrets);
        return;
    }
    if (!source.enabled) {
        finish(Failure{ErrorId::PasswordCommandDisabled,
                       Text::tr("The password command %1 is disabled.").arg(commandText(source))});
        return;
    }
    runCommand();
}

void RuntimeSecretResolver::runCommand()
{
    const SecretSource& source = m_profile.auth.passwordSource;
    m_process = new QProcess(this);
    m_process->setProgram(source.program);
    m_process->setArguments(source.arguments);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { appendCapped(m_stdout, m_process->readAllStandardOutput(), maxStdout); });
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { appendCapped(m_stderr, m_process->readAllStandardError(), maxStderr); });
    connect(m_process, &QProcess::finished, this, &RuntimeSecretResolver::onCommandFinished);
    connect(m_process, &QProcess::errorOccurred, this, &RuntimeSecretResolver::onCommandError);
    m_timer.start(m_timeoutMs);
    m_process->start();
}

Failure RuntimeSecretResolver::commandFailure(const QString& what) const
{
    // stderr's first lines say why; stdout may hold (part of) the secret and is never shown.
    QStringList lines = QString::fromLocal8Bit(m_stderr).split(u'\n');
    for (QString& line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    QString message = what;
    if (!lines.isEmpty())
        message +=
            u' ' + Text::tr("It said: %1").arg(lines.mid(0, stderrLinesShown).join(u" / "_s));
    return sourceFailure(message);
}

void RuntimeSecretResolver::onCommandFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_finished)
        return;
    appendCapped(m_stdout, m_process->readAllStandardOutput(), maxStdout);
    appendCapped(m_stderr, m_process->readAllStandardError(), maxStderr);
    const QString command = commandText(m_profile.auth.passwordSource);
    if (status == QProcess::CrashExit) {
        finish(commandFailure(
            Text::tr("The password command %1 was stopped by a signal.").arg(command)));
        return;
    }
    if (exitCode != 0) {
        finish(commandFailure(Text::tr("The password command %1 failed with exit status %2.")
                                  .arg(command)
                                  .arg(exitCode)));
        return;
    }
    QString firstLine = QString::fromUtf8(m_stdout.left(m_stdout.indexOf('\n')));
    m_stdout.fill('\0');
    if (firstLine.endsWith(u'\r'))
        firstLine.chop(1);
    if (firstLine.isEmpty()) {
        finish(commandFailure(
            Text::tr("The password command %1 printed no password on its first line.")
                .arg(command)));
        return;
    }
    m_secrets.password = firstLine;
    finish(m_secrets);
}

void RuntimeSecretResolver::onCommandError(QProcess::ProcessError error)
{
    if (m_finished || error != QProcess::FailedToStart)
        return; // a crash or a timeout ends in finished() or onTimeout()
    finish(sourceFailure(
        Text::tr("The password command %1 could not be started: %2.")
            .arg(commandText(m_profile.auth.passwordSource), m_process->errorString())));
}

void RuntimeSecretResolver::onTimeout()
{
    if (m_finished)
        return;
    const int seconds = (m_timeoutMs + 999) / 1000;
    finish(commandFailure(Text::tr("The password command %1 did not finish within %2 s.")
                              .arg(commandText(m_profile.auth.passwordSource))
                              .arg(seconds)));
}

void RuntimeSecretResolver::finish(const Result<RuntimeSecrets>& result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Killed; the QProcess lives on until the process has ended, so nothing waits for it.
        QProcess* process = m_process;
        process->disconnect(this);
        process->setParent(nullptr);
        connect(process, &QProcess::finished, process, &QObject::deleteLater);
        process->kill();
    }
    const Done done = std::move(m_done);
    deleteLater();
    done(result);
}

} // namespace relaydeck
