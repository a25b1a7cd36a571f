#include "ProfileTestBatch.h"

#include "library/ProfileLibrary.h"
#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"
#include "secrets/RuntimeSecretResolver.h"
#include "smtp/ConnectionTest.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"

#include <utility>

namespace relaydeck {

ProfileTestBatch::ProfileTestBatch(ProfileLibrary& library, QObject* parent)
    : QObject(parent)
    , m_library(library)
{}

void ProfileTestBatch::start(const QList<ConnectionProfile>& profiles)
{
    if (isRunning() || profiles.isEmpty())
        return;
    m_queue = profiles;
    m_total = int(profiles.size());
    m_done = 0;
    m_active = 0;
    m_peak = 0;
    m_cancelled = false;
    emit progress(0, m_total);
    launchMore();
}

void ProfileTestBatch::cancel()
{
    if (!isRunning())
        return;
    m_cancelled = true;
    // Queued profiles are simply not tested; running ones end with "cancelled".
    const QList<ConnectionProfile> dropped = std::exchange(m_queue, {});
    for (const ConnectionProfile& profile : dropped)
        skip(profile.id, tr("Test all was cancelled."));
    for (const QPointer<ConnectionTest>& test : std::as_const(m_tests)) {
        if (test)
            test->cancel();
    }
    if (m_active == 0)
        complete();
}

void ProfileTestBatch::launchMore()
{
    for (auto it = m_queue.begin(); it != m_queue.end() && m_active < m_maxParallel;) {
        if (!mayLaunchNow(*it)) {
            ++it;
            continue;
        }
        const ConnectionProfile profile = *it;
        it = m_queue.erase(it);
        launch(profile);
    }
    if (m_active == 0 && m_queue.isEmpty() && isRunning())
        complete();
}

bool ProfileTestBatch::mayLaunchNow(const ConnectionProfile& profile) const
{
    // While the first keychain read is out, profiles with secrets wait for its answer.
    return m_keychain != KeychainState::FirstReadRunning ||
           ProfileSecretNeeds::slotsForTest(profile).isEmpty();
}

void ProfileTestBatch::launch(const ConnectionProfile& profile)
{
    ++m_active;
    m_peak = std::max(m_peak, m_active);
    emit profileStarted(profile.id);
    const QList<SecretSlot> secretSlots = ProfileSecretNeeds::slotsForTest(profile);
    // A password or user name read at run time (variable, command) comes through the library too.
    const bool atRunTime = RuntimeSecretResolver::needed(profile);
    if (secretSlots.isEmpty() && !atRunTime) {
        runTest(profile, {});
        return;
    }
    if (m_keychain == KeychainState::Answered && !atRunTime &&
        secretSlots == QList<SecretSlot>{SecretSlot::SmtpPassword}) {
        launchReadingPassword(profile);
        return;
    }
    const bool readsKeychain = !secretSlots.isEmpty();
    if (m_keychain == KeychainState::Untouched && readsKeychain)
        m_keychain = KeychainState::FirstReadRunning;
    m_library.secretsForTest(
        profile, this, [this, profile, readsKeychain](const Result<ProfileSecretValues>& loaded) {
            if (readsKeychain)
                m_keychain = KeychainState::Answered;
            secretsLoaded(profile, loaded);
            // The profiles that waited for the keychain's first answer.
            launchMore();
        });
}

void ProfileTestBatch::launchReadingPassword(const ConnectionProfile& profile)
{
    TestRequest request;
    request.profile = profile;
    QPointer<ConnectionTest> test = newTest(profile.id);
    m_awaitingPassword.insert(profile.id);
    test->startAwaitingPassword(request);
    m_library.secretsForTest(
        profile, this, [this, profile, test](const Result<ProfileSecretValues>& loaded) {
            m_awaitingPassword.remove(profile.id);
            const QString reason = notTestableReason(profile, loaded);
            if (const auto held = m_heldReports.find(profile.id); held != m_heldReports.end()) {
                // It ended before the password came (e.g. at DNS): without a password it is
                // "not tested", as a profile whose password was read first would be.
                const TestReport report = *held;
                m_heldReports.erase(held);
                conclude(profile.id, report, reason);
                return;
            }
            if (!test || !test->isRunning())
                return;
            if (reason.isEmpty()) {
                test->providePassword(loaded->value(SecretSlot::SmtpPassword));
                return;
            }
            // Not tested after all: the connection closes without a credential sent.
            m_skipReasons.insert(test, reason);
            test->cancel();
        });
}

QString ProfileTestBatch::notTestableReason(const ConnectionProfile& profile,
                                            const Result<ProfileSecretValues>& loaded) const
{
    if (!loaded.ok()) {
        // An OAuth sign-in that failed says what to do, in the caller's words.
        const Failure& failure = loaded.failure();
        const std::optional<OAuthError> oauth = ProfileLibrary::oauthErrorOf(failure);
        const bool runTimeSource = failure.id == ErrorId::PasswordSourceFailed ||
                                   failure.id == ErrorId::PasswordCommandDisabled;
        const QString hint = oauth           ? oauth->hint(*m_wording, profile.name)
                             : runTimeSource ? Diagnosis::reportBeforeConnecting(
                                                   profile, failure.id, failure.message, *m_wording)
                                                   .error.hint
                                             : QString();
        return hint.isEmpty() ? loaded.failure().message : loaded.failure().message + u' ' + hint;
    }
    const auto missing = ProfileSecretNeeds::missingSecret(profile, loaded->connectionSecrets());
    return missing ? m_wording->missingSecret(*missing) : QString();
}

void ProfileTestBatch::secretsLoaded(const ConnectionProfile& profile,
                                     const Result<ProfileSecretValues>& loaded)
{
    const QString reason =
        m_cancelled ? tr("Test all was cancelled.") : notTestableReason(profile, loaded);
    if (reason.isEmpty()) {
        runTest(profile, loaded->connectionSecrets());
        return;
    }
    --m_active;
    skip(profile.id, reason);
}

ConnectionTest* ProfileTestBatch::newTest(const QUuid& id)
{
    auto* test = new ConnectionTest(this);
    test->setWording(*m_wording);
    test->setSessionFactory(*m_sessionFactory);
    m_tests << test;
    connect(test, &ConnectionTest::finished, this, [this, test, id](const TestReport& report) {
        m_tests.removeAll(test);
        test->deleteLater();
        const QString reason = m_skipReasons.take(test);
        if (m_awaitingPassword.contains(id) && report.error.id != ErrorId::Cancelled) {
            m_heldReports.insert(id, report); // until the keychain says whether there is one
            return;
        }
        conclude(id, report, reason);
    });
    return test;
}

void ProfileTestBatch::conclude(const QUuid& id, const TestReport& report, const QString& skipped)
{
    --m_active;
    if (!skipped.isEmpty()) {
        skip(id, skipped);
    } else {
        ++m_done;
        emit profileFinished(id, report);
        emit progress(m_done, m_total);
    }
    launchMore();
}

void ProfileTestBatch::runTest(const ConnectionProfile& profile, const ConnectionSecrets& secrets)
{
    ConnectionTest* test = newTest(profile.id);
    TestRequest request;
    request.profile = profile;
    request.secrets = secrets;
    test->start(request);
}

void ProfileTestBatch::skip(const QUuid& id, const QString& reason)
{
    ++m_done;
    emit profileSkipped(id, reason);
    emit progress(m_done, m_total);
}

void ProfileTestBatch::complete()
{
    m_total = 0;
    m_tests.clear();
    m_skipReasons.clear();
    m_awaitingPassword.clear();
    m_heldReports.clear();
    m_keychain = KeychainState::Untouched;
    emit finished();
}

} // namespace relaydeck
