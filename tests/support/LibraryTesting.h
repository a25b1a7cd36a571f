#pragma once

#include "library/ProfileLibrary.h"

#include <QTest>

#include <optional>

namespace relaydeck::test {

// Helpers for tests of ProfileLibrary.

// Waits for the one `done` answer of a ProfileLibrary operation:
//     LibraryAnswer<ConnectionProfile> answer;
//     library.save(profile, secrets, this, answer.callback());
//     QVERIFY(answer.wait());
template <typename T> struct LibraryAnswer
{
    std::optional<Result<T>> result;

    ProfileLibrary::Done<T> callback()
    {
        return [this](const Result<T>& answer) { result = answer; };
    }
    bool wait(int timeoutMs = 2000)
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, timeoutMs);
    }
};

// A profile for relay.example.com; with `user`, it authenticates (PLAIN) and so may have secrets.
inline ConnectionProfile profileNamed(const QString& name, const QString& user = QString())
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = QStringLiteral("relay.example.com");
    if (!user.isEmpty()) {
        profile.auth.mechanism = AuthMechanism::Plain;
        profile.auth.username = user;
    }
    return profile;
}

} // namespace relaydeck::test
