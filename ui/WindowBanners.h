#pragma once

#include <QObject>

class QBoxLayout;
class QWidget;

namespace relaydeck::ui {

class Banner;
class SessionSecretStore;

// The two banners across the top of the window: the keychain is not available (passwords are
// kept for this session; Retry uses the keychain again) and connections.json cannot be read
// (nothing can change until Reload succeeds).
class WindowBanners : public QObject
{
    Q_OBJECT

public:
    // `secrets` must outlive the banners; they go into `layout` of `window`.
    WindowBanners(SessionSecretStore& secrets, QWidget* window, QBoxLayout* layout);

    void showKeychainFailed(const QString& message);
    // Empty `message`: the file is readable (the banner goes).
    void showStoreProblem(const QString& message);

signals:
    void keychainRetried(const QString& message);
    void reloadRequested();

private:
    SessionSecretStore& m_secrets;
    Banner* m_keychain;
    Banner* m_store;
};

} // namespace relaydeck::ui
