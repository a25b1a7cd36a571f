#include "WindowBanners.h"

#include "Banner.h"
#include "SessionSecretStore.h"

#include <QBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

WindowBanners::WindowBanners(SessionSecretStore& secrets, QWidget* window, QBoxLayout* layout)
    : QObject(window)
    , m_secrets(secrets)
    , m_keychain(new Banner(u"keychainBanner"_s, window))
    , m_store(new Banner(u"storeBanner"_s, window))
{
    layout->addWidget(m_keychain);
    layout->addWidget(m_store);
    connect(&m_secrets, &SessionSecretStore::keychainFailed, this,
            &WindowBanners::showKeychainFailed);
    connect(m_keychain, &Banner::actionTriggered, this, [this] {
        m_secrets.retryKeychain();
        m_keychain->hide();
        emit keychainRetried(tr("Relaydeck will use the keychain again. Save a connection to "
                                "store its password there."));
    });
    connect(m_store, &Banner::actionTriggered, this, &WindowBanners::reloadRequested);
}

void WindowBanners::showKeychainFailed(const QString& message)
{
    m_keychain->showMessage(
        Banner::Kind::Warning,
        tr("The system keychain is not available: %1\nPasswords you enter are kept for this "
           "session only and are not written anywhere. Start or unlock your keyring (e.g. GNOME "
           "Keyring or KWallet), then choose Retry and save the connection again.")
            .arg(message),
        tr("&Retry"));
}

void WindowBanners::showStoreProblem(const QString& message)
{
    if (message.isEmpty()) {
        m_store->hide();
        return;
    }
    m_store->showMessage(Banner::Kind::Error,
                         tr("The connections cannot be read, so nothing can be changed until "
                            "this is fixed: %1")
                             .arg(message),
                         tr("&Reload"));
}

} // namespace relaydeck::ui
