#pragma once

#include "Command.h"

#include <QDateTime>

#include <optional>

namespace relaydeck::cli {

// show NAME [--json]: one connection, readable or as its profile object exactly as in the file;
// for a profile that signs in with OAuth, also whether it is signed in and until when an access
// token held in memory is valid (never a token).
class ShowCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("show"); }
    QString synopsis() const override { return QStringLiteral("NAME [--json]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;

private:
    // An OAuth profile's sign-in as the keychain and this process know it (never a token).
    struct SignInState
    {
        bool signedIn = false;
        QDateTime validUntil; // the access token held in memory; invalid: none
        QString keychainError;
    };
    void print(const ConnectionProfile& profile, bool json,
               const std::optional<SignInState>& signIn);
};

} // namespace relaydeck::cli
