#pragma once

#include "profile/Presets.h"

#include <QCoreApplication>

#include <optional>

class QWidget;

namespace relaydeck::ui {

class Prompter;

// "New from Preset": which preset (the preset dialog, unless one was picked from a menu) and,
// for presets that need one, which region; the result is the new profile filled from it.
class PresetPrompt
{
    Q_DECLARE_TR_FUNCTIONS(PresetPrompt)

public:
    struct Chosen
    {
        ConnectionProfile profile; // null id, empty name
        Preset preset;
        QString region; // the region chosen, for presets that have regions
    };

    // `presetId` empty: ask which preset. nullopt: cancelled, or an error the user was shown.
    static std::optional<Chosen> ask(QWidget* parent, Prompter& prompter, const QString& presetId);
};

} // namespace relaydeck::ui
