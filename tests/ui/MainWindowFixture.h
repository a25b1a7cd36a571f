#pragma once

// The fixture of the ui tests that drive a whole MainWindow: a fresh config folder, an in-memory
// keychain and a scripted Prompter per test function, the window opened on them, and a check
// after each function that nothing unexpected was asked. A test class derives from it (after
// QObject) and calls setUpWindowFixture() in init() and tearDownWindowFixture() in cleanup().
// Header only: tests/support does not link the ui library.

#include "ConnectionEditor.h"
#include "MainWindow.h"
#include "UiTestSupport.h"

#include "ProfileFiles.h"
#include "secrets/MemorySecretStore.h"

#include <QTemporaryDir>

#include <memory>

namespace relaydeck::uitest {

class MainWindowFixture
{
protected:
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<MemorySecretStore> keychain;
    std::unique_ptr<ScriptedPrompter> prompter;
    std::unique_ptr<MainWindow> window;

    void setUpWindowFixture()
    {
        dir = std::make_unique<QTemporaryDir>();
        QVERIFY(dir->isValid());
        keychain = std::make_unique<MemorySecretStore>();
        prompter = std::make_unique<ScriptedPrompter>();
    }
    void tearDownWindowFixture()
    {
        if (window) {
            // Nothing left to ask about: close without a question.
            window->editor()->revert();
            window.reset();
        }
        QVERIFY2(prompter->unexpected.isEmpty(),
                 qPrintable(prompter->unexpected.join(QStringLiteral("; "))));
    }
    // Opens the window on the config folder; `size` empty keeps what the window restored itself.
    void
    openWindow(QSize size = QSize(1280, 800),
               MainWindow::KeychainFallback fallback = MainWindow::KeychainFallback::SessionMemory)
    {
        window = std::make_unique<MainWindow>(dir->path(), *keychain, *prompter, nullptr, fallback);
        if (size.isValid())
            window->resize(size);
        window->show();
    }
    // Adds `profile` to the config folder's connections.json (before the window is opened, or as
    // the CLI would while it is).
    ConnectionProfile store(const ConnectionProfile& profile)
    {
        return test::storeProfile(dir->path(), profile);
    }
    ProfileStore reread() const { return test::rereadProfiles(dir->path()); }
    template <typename T> T* find(const QString& name) const
    {
        T* widget = window->findChild<T*>(name);
        if (!widget)
            qWarning("no child %s", qPrintable(name));
        return widget;
    }
};

} // namespace relaydeck::uitest
