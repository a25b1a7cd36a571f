#pragma once

#include "common/AdviceWording.h"
#include "common/ConnectionSecrets.h"
#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#include <functional>
#include <optional>

namespace relaydeck {

// The user name and password a profile takes at run time; nullopt where it takes them from
// elsewhere (the profile's user name field, the keychain, an OAuth sign-in).
struct RuntimeSecrets
{
    std::optional<QString> username;
    std::optional<QString> password;

    // Puts what was supplied into a test's secrets (what was not supplied stays as it is).
    void applyTo(ConnectionSecrets& secrets) const
    {
        if (password)
            secrets.smtpPassword = *password;
        if (username)
            secrets.username = *username;
    }
};

// Reads the secrets a profile supplies at run time (SecretSource, AuthSettings::usernameVariable):
// an environment variable of this process, or the first line a command prints. The command runs
// without a shell (program + arguments as stored), with stdin closed and a timeout (the profile's
// timeout, else 10 s); its trailing line end is not part of the secret. A failure says the exit
// status and the first lines of stderr, never anything of stdout. A command imported from a file
// (SecretSource::enabled false) is never run. Asynchronous: QProcess signals and a timer (engine
// rule 1).
//
// Failures: ErrorId::PasswordSourceFailed (variable not set or empty, command not found, failed,
// timed out, printed nothing) and ErrorId::PasswordCommandDisabled; the message is translated
// and names the variable or program. Diagnosis gives the hint for both ids.
class RuntimeSecretResolver : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const Result<RuntimeSecrets>&)>;

    // True when a test of `profile` needs this class (a run-time password or user name).
    static bool needed(const ConnectionProfile& profile);

    // Reads what `profile` supplies at run time (nothing to read: both nullopt). `done` runs
    // once, later (never inside the call), unless `context` is destroyed first (a running
    // command is then killed). `timeoutMs` 0: the profile's timeout, else 10 s.
    static void resolve(const ConnectionProfile& profile, QObject* context, Done done,
                        int timeoutMs = 0);

    // For an import report: the profile runs a password command that came from the file and is
    // disabled; empty for any other profile. Says where to enable it in `wording`.
    static QString disabledCommandNote(const ConnectionProfile& profile,
                                       const AdviceWording& wording);

private:
    RuntimeSecretResolver(const ConnectionProfile& profile, int timeoutMs, Done done,
                          QObject* parent);
    void start();
    void runCommand();
    void onCommandFinished(int exitCode, QProcess::ExitStatus status);
    void onCommandError(QProcess::ProcessError error);
    void onTimeout();
    void finish(const Result<RuntimeSecrets>& result);
    Failure commandFailure(const QString& what) const;

    ConnectionProfile m_profile;
    int m_timeoutMs = 0;
    Done m_done;
    RuntimeSecrets m_secrets;
    QPointer<QProcess> m_process;
    QTimer m_timer;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_finished = false;
};

} // namespace relaydeck
