#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "KeychainSecretStore" (lupdate files
// Text::tr() there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(KeychainSecretStore)
};

enum class Operation
{
    Read,
    Write,
    Remove
};

SecretResult errorResult(const QString& message)
{
    SecretResult result;
    result.status = SecretResult::Status::Error;
    result.message = message;
    return result;
}

// Every QtKeychain outcome in words an admin can act on.
SecretResult resultOf(const QKeychain::Job& job, Operation operation)
{
    const QString details = job.errorString().trimmed();
    const QString withDetails = details.isEmpty() ? QString() : u" ("_s + details + u')';
    SecretResult result;
    switch (job.error()) {
    case QKeychain::NoError:
        if (operation == Operation::Read)
            result.value = static_cast<const QKeychain::ReadPasswordJob&>(job).textData();
        return result;
    case QKeychain::EntryNotFound:
        result.status = SecretResult::Status::NotFound;
        return result;
    case QKeychain::CouldNotDeleteEntry:
        return errorResult(Text::tr("The keychain could not delete the entry%1.").arg(withDetails));
    case QKeychain::AccessDeniedByUser:
        return errorResult(Text::tr("Access to the keychain was refused (the unlock or permission "
                                    "prompt was cancelled)."));
    case QKeychain::AccessDenied:
        return errorResult(Text::tr("The keychain refused access%1. It may be locked: unlock it "
                                    "(e.g. log in to the desktop session) and try again.")
                               .arg(withDetails));
    case QKeychain::NoBackendAvailable:
        return errorResult(
            Text::tr("No keychain is available%1. Start a Secret Service provider such "
                     "as GNOME Keyring or KWallet in this session; Relaydeck never "
                     "stores secrets in plain text.")
                .arg(withDetails));
    case QKeychain::NotImplemented:
        return errorResult(
            Text::tr("The keychain does not support this operation%1.").arg(withDetails));
    case QKeychain::OtherError:
        break;
    }
    // On Linux a missing, unreachable or locked keyring ends up here; tell which from the
    // D-Bus/libsecret text so the admin knows what to start or unlock.
    const auto mentions = [&details](std::initializer_list<const char*> words) {
        for (const char* word : words) {
            if (details.contains(QLatin1String(word), Qt::CaseInsensitive))
                return true;
        }
        return false;
    };
    if (mentions({"autolaunch", "Could not connect", "NoServer", "Failed to connect",
                  "Cannot open D-Bus", "Not connected to D-Bus"}))
        return errorResult(
            Text::tr("No keyring is reachable: there is no D-Bus session bus%1. Run "
                     "Relaydeck in a desktop session (or start one with dbus-run-session "
                     "and an unlocked gnome-keyring-daemon). Relaydeck never stores "
                     "secrets in plain text.")
                .arg(withDetails));
    if (mentions({"ServiceUnknown", "org.freedesktop.secrets", "was not provided"}))
        return errorResult(
            Text::tr("No keyring is running%1. Start a Secret Service provider such as "
                     "GNOME Keyring or KWallet; Relaydeck never stores secrets in plain "
                     "text.")
                .arg(withDetails));
    if (mentions({"locked", "prompt", "collection", "dismissed"}))
        return errorResult(
            Text::tr("The keyring is locked or has no default collection%1. Unlock it "
                     "(log in to the desktop session, or gnome-keyring-daemon --unlock) "
                     "and try again.")
                .arg(withDetails));
    return errorResult(
        Text::tr("The keychain failed%1. Is a keyring (GNOME Keyring, KWallet) running "
                 "and unlocked in this session? Relaydeck never stores secrets in plain "
                 "text.")
            .arg(withDetails));
}

void run(QKeychain::Job* job, Operation operation, int deadlineMs, QObject* context,
         SecretStore::Callback done)
{
    job->setAutoDelete(true); // deletes itself once finished, never before
    job->setInsecureFallback(false);

    // Whichever comes first, the job's answer or the deadline, is reported; the other is ignored.
    auto answered = std::make_shared<bool>(false);
    auto callback = std::make_shared<SecretStore::Callback>(std::move(done));
    QObject* receiver = context ? context : job;

    QObject::connect(job, &QKeychain::Job::finished, receiver,
                     [answered, callback, operation](QKeychain::Job* finishedJob) {
                         if (*answered)
                             return;
                         *answered = true;
                         (*callback)(resultOf(*finishedJob, operation));
                     });
    QTimer::singleShot(deadlineMs, receiver, [answered, callback, deadlineMs] {
        if (*answered)
            return;
        *answered = true;
        (*callback)(
            errorResult(Text::tr("The keychain did not answer within %1 seconds. Is a keyring "
                                 "(GNOME Keyring, KWallet) running and unlocked in this "
                                 "session?")
                            .arg(deadlineMs / 1000.0, 0, 'g', 2)));
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString& service, int deadlineMs)
    : m_service(service)
    , m_deadlineMs(deadlineMs)
{}

void KeychainSecretStore::read(const QString& key, QObject* context, Callback done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, Operation::Read, m_deadlineMs, context, std::move(done));
}

void KeychainSecretStore::write(const QString& key, const QString& value, QObject* context,
                                Callback done)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(value);
    run(job, Operation::Write, m_deadlineMs, context, std::move(done));
}

void KeychainSecretStore::remove(const QString& key, QObject* context, Callback done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, Operation::Remove, m_deadlineMs, context, std::move(done));
}

} // namespace relaydeck
