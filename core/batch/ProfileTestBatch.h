#pragma once

#include "common/AdviceWording.h"
#include "profile/ConnectionProfile.h"
#include "smtp/SmtpSessionFactory.h"
#include "smtp/TestReport.h"
#include "smtp/TestRequest.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUuid>

namespace relaydeck {
class ConnectionTest;
class ProfileLibrary;
struct ProfileSecretValues;
template <typename T> class Result;

// "Test all": tests stored profiles with their keychain secrets, many at once in one thread
// (each ConnectionTest is asynchronous, so fifty tests cost about as much wall time as one).
// Used by the desktop's Test all and by relaydeck-cli's test of all profiles.
//
// The first keychain read goes alone: a locked keyring asks the user once to unlock it, and
// only then do the other profiles' reads follow. Profiles that need no secret start at once;
// after the first answer, a profile that needs only its SMTP password connects while the
// password is read (QtKeychain runs reads one after the other; this hides them behind the
// network), and a password that turns out missing ends that test, unsent, as not tested; one that
// ended sooner (DNS, a refused connection) waits for the answer, so a connection without its
// password is "not tested" whatever its host.
class ProfileTestBatch : public QObject
{
    Q_OBJECT

public:
    // Enough for a whole fleet of relays at once; a server with a per-client connection limit
    // may want fewer (setMaxParallel).
    static constexpr int defaultMaxParallel = 64;

    // The secrets come from `library`'s secretsForTest (an OAuth sign-in gets a fresh access
    // token there); `library` must outlive the batch.
    explicit ProfileTestBatch(ProfileLibrary& library, QObject* parent = nullptr);

    void setMaxParallel(int maxParallel) { m_maxParallel = std::max(1, maxParallel); }
    int maxParallel() const { return m_maxParallel; }
    // The words in which a missing secret and the tests' hints are put (the CLI's flags or the
    // editor's fields); `wording` must outlive the batch.
    void setWording(const AdviceWording& wording) { m_wording = &wording; }
    // Where the tests' SmtpSessions come from (default: the real one); must outlive the batch.
    void setSessionFactory(const SmtpSessionFactory& factory) { m_sessionFactory = &factory; }

    // Starts testing `profiles` (ignored while running or when empty).
    void start(const QList<ConnectionProfile>& profiles);
    // Cancels the running tests and drops the queued ones; finished() follows.
    void cancel();
    bool isRunning() const { return m_total > 0; }

    int total() const { return m_total; }
    int done() const { return m_done; }
    // The most tests that ran (or read secrets) at the same time during the last start().
    int peakParallel() const { return m_peak; }

signals:
    void profileStarted(const QUuid& id);
    void profileFinished(const QUuid& id, const relaydeck::TestReport& report);
    // The test could not run (a secret missing, the keychain failed, cancelled before it
    // started); `reason` says why.
    void profileSkipped(const QUuid& id, const QString& reason);
    void progress(int done, int total);
    void finished();

private:
    enum class KeychainState
    {
        Untouched,
        FirstReadRunning,
        Answered
    };

    void launchMore();
    bool mayLaunchNow(const ConnectionProfile& profile) const;
    void launch(const ConnectionProfile& profile);
    // After the keychain's first answer, a profile that needs only its SMTP password reads it
    // while its test connects: the test waits at AUTH for it.
    void launchReadingPassword(const ConnectionProfile& profile);
    ConnectionTest* newTest(const QUuid& id);
    // Empty when the loaded secrets let the profile be tested; else why not (keychain error,
    // missing password), in m_wording's words.
    QString notTestableReason(const ConnectionProfile& profile,
                              const Result<ProfileSecretValues>& loaded) const;
    void secretsLoaded(const ConnectionProfile& profile, const Result<ProfileSecretValues>& loaded);
    void runTest(const ConnectionProfile& profile, const ConnectionSecrets& secrets);
    // A test ended: its report, or (`skipped` not empty) not tested after all.
    void conclude(const QUuid& id, const TestReport& report, const QString& skipped);
    void skip(const QUuid& id, const QString& reason);
    void complete();

    ProfileLibrary& m_library;
    int m_maxParallel = defaultMaxParallel;
    const AdviceWording* m_wording = &SettingIdWording::instance();
    const SmtpSessionFactory* m_sessionFactory = &SmtpSessionFactory::real();
    KeychainState m_keychain = KeychainState::Untouched;
    QList<ConnectionProfile> m_queue;
    QList<QPointer<ConnectionTest>> m_tests;
    QHash<const ConnectionTest*, QString> m_skipReasons; // cancelled for want of a secret
    QSet<QUuid> m_awaitingPassword;                      // tests started before the password
    QHash<QUuid, TestReport> m_heldReports; // ended before their password read answered
    int m_active = 0;
    int m_total = 0;
    int m_done = 0;
    int m_peak = 0;
    bool m_cancelled = false;
};

} // namespace relaydeck
