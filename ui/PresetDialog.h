#pragma once

#include "Prompter.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace relaydeck {
struct Preset;
}

namespace relaydeck::ui {

// "New from Preset": the providers of Presets::all() with their settings and note; Amazon SES
// asks for the region here.
class PresetDialog : public QDialog
{
    Q_OBJECT

public:
    // The note a new connection from `preset` shows: the preset's advice and, for a preset with
    // regions, the region chosen (otherwise visible only inside the server name).
    static QString noteFor(const Preset& preset, const QString& region);
    explicit PresetDialog(QWidget* parent = nullptr);

    void selectPreset(const QString& presetId);
    PresetChoice choice() const;

private:
    void updateDetails();
    void filter(const QString& text);

    QLineEdit* m_search;
    QListWidget* m_presets;
    QLabel* m_settings;
    QLabel* m_note;
    QLabel* m_regionLabel;
    QComboBox* m_region;
    QDialogButtonBox* m_buttons;
};

} // namespace relaydeck::ui
