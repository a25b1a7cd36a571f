#pragma once

#include "Prompter.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;

namespace relaydeck::ui {

// "New from Preset": the providers of Presets::all() with their settings and note; Amazon SES
// asks for the region here.
class PresetDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PresetDialog(QWidget* parent = nullptr);

    void selectPreset(const QString& presetId);
    PresetChoice choice() const;

private:
    void updateDetails();

    QListWidget* m_presets;
    QLabel* m_settings;
    QLabel* m_note;
    QLabel* m_regionLabel;
    QComboBox* m_region;
    QDialogButtonBox* m_buttons;
};

} // namespace relaydeck::ui
