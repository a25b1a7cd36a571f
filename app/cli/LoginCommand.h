#pragma once

#include "Command.h"

namespace relaydeck {
struct SignInResult;
}

namespace relaydeck::cli {

// login NAME [--device] [--no-browser]: OAuth sign-in; the refresh token goes to the keychain.
class LoginCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("login"); }
    QString synopsis() const override { return QStringLiteral("NAME [--device] [--no-browser]"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser& parser) override;
    int minimumArguments() const override { return 1; }
    int maximumArguments() const override { return 1; }
    void run(const QCommandLineParser& parser) override;

private:
    void signIn(const ConnectionProfile& profile, const QString& clientSecret, bool device,
                bool openBrowser);
    void signedIn(const ConnectionProfile& profile, const SignInResult& result);
};

} // namespace relaydeck::cli
