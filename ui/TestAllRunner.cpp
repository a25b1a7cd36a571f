#include "TestAllRunner.h"

#include "secrets/ProfileSecretNeeds.h"
#include "secrets/ProfileSecrets.h"
#include "smtp/ConnectionTest.h"

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

TestAllRunner::TestAllRunner(SecretStore& secrets, QObject* parent)
    : QObject(parent)
    , m_secrets(secrets)
{}

void TestAllRunner::start(const QList<ConnectionProfile>& profiles)
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

void TestAllRunner::cancel()
{
    if (!isRunning())
        return;
    m_cancelled = true;
    // Queued profiles are simply not tested; running ones end with "cancelled".
    const QList<ConnectionProfile> dropped = m_queue;
    m_queue.clear();
    for (const ConnectionProfile& profile : dropped) {
        emit profileSkipped(profile.id, tr("Test all was cancelled."));
        ++m_done;
    }
    for (const QPointer<ConnectionTest>& test : std::as_const(m_tests)) {
        if (test)
            test->cancel();
    }
    emit progress(m_done, m_total);
    if (m_active == 0)
        complete();
}

void TestAllRunner::launchMore()
{
    while (m_active < m_maxParallel && !m_queue.isEmpty())
        launch(m_queue.takeFirst());
    if (m_active == 0 && m_queue.isEmpty() && isRunning())
        complete();
}

void TestAllRunner::launch(const ConnectionProfile& profile)
{
    ++m_active;
    m_peak = std::max(m_peak, m_active);
    emit profileStarted(profile.id);
    if (!ProfileSecretNeeds::mayHaveSecrets(profile)) {
        runTest(profile, {});
        return;
    }
    ProfileSecrets::load(
        m_secrets, profile.id, this, [this, profile](const ProfileSecretsResult& loaded) {
            if (m_cancelled) {
                --m_active;
                ++m_done;
                emit profileSkipped(profile.id, tr("Test all was cancelled."));
                emit progress(m_done, m_total);
                launchMore();
                return;
            }
            const ConnectionSecrets secrets = loaded.secrets.connectionSecrets();
            QString missing;
            if (!loaded.ok)
                missing = loaded.message;
            else
                missing = ProfileSecretNeeds::missingSecret(profile, secrets, HintStyle::Desktop);
            if (!missing.isEmpty()) {
                --m_active;
                ++m_done;
                emit profileSkipped(profile.id, missing);
                emit progress(m_done, m_total);
                launchMore();
                return;
            }
            runTest(profile, secrets);
        });
}

void TestAllRunner::runTest(const ConnectionProfile& profile, const ConnectionSecrets& secrets)
{
    auto* test = new ConnectionTest(this);
    m_tests << test;
    const QUuid id = profile.id;
    connect(test, &ConnectionTest::finished, this, [this, test, id](const TestReport& report) {
        m_tests.removeAll(test);
        test->deleteLater();
        --m_active;
        ++m_done;
        emit profileFinished(id, report);
        emit progress(m_done, m_total);
        launchMore();
    });
    TestRequest request;
    request.profile = profile;
    request.secrets = secrets;
    test->start(request);
}

void TestAllRunner::complete()
{
    m_total = 0;
    m_tests.clear();
    emit finished();
}

} // namespace relaydeck::ui
