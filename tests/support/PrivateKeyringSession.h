#pragma once

#include <QString>

#include <optional>

namespace relaydeck::test {

// Whether a test can run without a private keyring session (see rerunInPrivateKeyringSession).
enum class KeyringSession
{
    Required,   // the whole test is about the keychain: fail when dbus-run-session is missing
    IfInstalled // only some cases need it: run as it is when dbus-run-session or
                // gnome-keyring-daemon is missing (those cases skip)
};

// Runs this test program again inside its own D-Bus session (dbus-run-session) with an unlocked
// gnome-keyring-daemon and a temporary HOME, so it neither needs nor touches the caller's
// keyring. Returns that run's exit code for main() to return; nullopt when the tests are to run
// in this process: we already are that run (or, with IfInstalled, the tools are missing).
std::optional<int> rerunInPrivateKeyringSession(int& argc, char* argv[], KeyringSession need);

// True in the run rerunInPrivateKeyringSession started: the keyring is ours to use.
bool inPrivateKeyringSession();

// `secret-tool lookup server relaydeck user KEY`, the command docs/ARCHITECTURE.md ("Secret slots")
// promises (and the msmtp export uses): the stored secret, or nullopt when there is none or
// secret-tool failed.
std::optional<QString> secretToolLookup(const QString& key);

} // namespace relaydeck::test
