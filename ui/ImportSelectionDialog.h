#pragma once

#include "Prompter.h"

#include <QDialog>

class QTreeWidget;
class QPushButton;

namespace relaydeck::ui {

// Import's per-connection choice (the desktop's `relaydeck-cli import --only`): one checkbox
// row per connection in the file, with its host and what it needs once imported (a password
// to enter, a password already in the keychain, a sign-in, a name that exists). All checked.
class ImportSelectionDialog : public QDialog
{
    Q_OBJECT

public:
    ImportSelectionDialog(const QString& fileName, const QList<ImportCandidate>& candidates,
                          QWidget* parent = nullptr);

    QStringList chosenNames() const;

private:
    void updateButton();

    QTreeWidget* m_list;
    QPushButton* m_import;
};

} // namespace relaydeck::ui
