#pragma once

#include "common/ValidationIssue.h"

#include <QString>
#include <QVariant>

#include <optional>
#include <utility>
#include <variant>

namespace relaydeck {

// Stable ids of a Failure: front ends and tests key on these words, never rename one.
namespace FailureId {
inline const QString NotFound = QStringLiteral("not-found");
inline const QString NameConflict = QStringLiteral("name-conflict");
inline const QString Invalid = QStringLiteral("invalid");
inline const QString Locked = QStringLiteral("locked");
inline const QString Corrupt = QStringLiteral("corrupt");
inline const QString NewerVersion = QStringLiteral("newer-version");
inline const QString IoError = QStringLiteral("io-error");
inline const QString KeychainFailed = QStringLiteral("keychain-failed");
inline const QString ParseFailed = QStringLiteral("parse-failed");
inline const QString Unsupported = QStringLiteral("unsupported"); // not on this platform
} // namespace FailureId

// Why a core call failed: a stable id (FailureId) and a translated message that says what
// happened and where; issues for Invalid and NameConflict (the fields at fault).
struct Failure
{
    Failure(QString failureId, QString failureMessage, ValidationIssues fieldIssues = {})
        : id(std::move(failureId))
        , message(std::move(failureMessage))
        , issues(std::move(fieldIssues))
    {}

    QString id;
    QString message;
    ValidationIssues issues;
    // The failing call's own account when it has more to say than id and message (e.g. the
    // OAuthError of ProfileLibrary::secretsForTest); documented by that call.
    QVariant detail;
};

// The outcome of a fallible core call: a value, or a Failure.
//     Result<ConnectionProfile> added = store.add(profile);
//     if (!added.ok()) show(added.failure().message); else use(added.value());
template <typename T> class Result
{
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {}
    Result(Failure failure)
        : m_state(std::in_place_index<1>, std::move(failure))
    {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Only when ok().
    const T& value() const& { return std::get<0>(m_state); }
    T& value() & { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    const T& operator*() const { return value(); }
    T& operator*() { return value(); }

    // Only when !ok().
    const Failure& failure() const { return std::get<1>(m_state); }
    // The failure's message; empty when ok() (for logs and test diagnostics).
    QString failureMessage() const { return ok() ? QString() : failure().message; }

private:
    std::variant<T, Failure> m_state;
};

// The outcome of a fallible call that returns nothing: success, or a Failure.
template <> class Result<void>
{
public:
    Result() = default;
    Result(Failure failure)
        : m_failure(std::move(failure))
    {}

    bool ok() const { return !m_failure.has_value(); }
    explicit operator bool() const { return ok(); }

    // Only when !ok().
    const Failure& failure() const { return *m_failure; }
    // The failure's message; empty when ok() (for logs and test diagnostics).
    QString failureMessage() const { return ok() ? QString() : failure().message; }

private:
    std::optional<Failure> m_failure;
};

} // namespace relaydeck
