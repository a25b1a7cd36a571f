#pragma once

#include "library/ProfileLibrary.h"

#include <QCoreApplication>
#include <QStringList>
#include <QUuid>

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

    // Asks for a file, reads it, asks how to handle name clashes and imports. Nothing (a
    // cancelled prompt or an error already shown): nullopt.
    std::optional<Imported> importFile();
    // Tells the user what importFile() did.
    void reportImport(const Imported& imported);
    // Asks which connections, in which format and where, and writes them. The value is the
    // status message (nullopt: nothing exported).
    std::optional<QString> exportFile(const QList<ConnectionProfile>& listed);

private:
    QWidget* m_parent;
    Prompter& m_prompter;
    ProfileLibrary& m_library;
};

} // namespace relaydeck::ui
