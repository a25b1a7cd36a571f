#pragma once

#include "library/ProfileLibrary.h"

#include <QCoreApplication>
#include <QStringList>
#include <QUuid>

#include <functional>

#include <optional>

class QWidget;

namespace relaydeck::ui {

class Prompter;

// The desktop's Import and Export: the file prompts, the conflict question and the messages.
// Import goes through ProfileLibrary::import; the window only selects and shows the result.
class ConnectionTransfer
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionTransfer)

public:
    struct Imported
    {
        ImportOutcome outcome;
        QStringList lines; // the summary; the first line is the status bar's
        QString details;   // what could not be mapped (empty: everything was)
    };

    ConnectionTransfer(QWidget* parent, Prompter& prompter, ProfileLibrary& library);

    // Asks for a file and reads it, asks the keychain which of its connections have their
    // password there already (our exports keep the id), asks which connections to import
    // (ImportSelectionDialog: what each needs) and how to handle name clashes, and imports.
    // `done` runs later with what was imported; never when a prompt was cancelled or an error
    // was already shown, nor after `context` is gone.
    void importFile(QObject* context, std::function<void(const Imported&)> done);
    // Tells the user what importFile() did.
    void reportImport(const Imported& imported);
    // Asks which connections, in which format and where, and writes them. The value is the
    // status message (nullopt: nothing exported).
    std::optional<QString> exportFile(const QList<ConnectionProfile>& listed);

private:
    struct ReadFile
    {
        QByteArray data;
        QString fileName;
        ImportedProfiles read;
    };
    // Asks which connections to import, then imports them; `inKeychain`: the names whose
    // password the keychain holds, `keychainError` the keychain's error if it could not answer.
    std::optional<Imported> chooseAndImport(const ReadFile& file, const QStringList& inKeychain,
                                            const QString& keychainError);
    QString needsWords(const ConnectionProfile& profile, const QStringList& inKeychain,
                       const QString& keychainError) const;
    static bool needsTypedPassword(const ConnectionProfile& profile);

    QWidget* m_parent;
    Prompter& m_prompter;
    ProfileLibrary& m_library;
};

} // namespace relaydeck::ui
