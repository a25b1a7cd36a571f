#pragma once

#include "Prompter.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;

namespace relaydeck::ui {

// "Export…": the format (Relaydeck JSON, msmtprc, Symfony DSN) and which connections.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const QList<ConnectionProfile>& profiles, const QList<QUuid>& preselected,
                 QWidget* parent = nullptr);

    ExportChoice choice() const;

    // File name filter and extension for a format ("JSON files (*.json)", "json").
    static QString fileFilter(ProfileFormat format);
    static QString fileExtension(ProfileFormat format);

private:
    void setAllChecked(bool checked);
    void updateState();

    QComboBox* m_format;
    QLabel* m_formatNote;
    QListWidget* m_connections;
    QDialogButtonBox* m_buttons;
};

} // namespace relaydeck::ui
