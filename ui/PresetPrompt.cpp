#include "PresetPrompt.h"

#include "Prompter.h"

namespace relaydeck::ui {

std::optional<PresetPrompt::Chosen> PresetPrompt::ask(QWidget* parent, Prompter& prompter,
                                                      const QString& presetId)
{
    std::optional<PresetChoice> choice;
    const std::optional<Preset> known = presetId.isEmpty() ? std::nullopt : Presets::find(presetId);
    if (known && known->needsRegion()) {
        const std::optional<QString> region = prompter.chooseItem(
            parent, tr("Choose the Region"), tr("%1 region:").arg(known->displayName),
            known->regions, known->defaultRegion);
        if (region)
            choice = PresetChoice{known->id, *region};
    } else if (known) {
        choice = PresetChoice{known->id, QString()};
    } else {
        choice = prompter.choosePreset(parent, presetId);
    }
    if (!choice)
        return std::nullopt;
    const Result<ConnectionProfile> profile = Presets::apply(choice->presetId, choice->region);
    const std::optional<Preset> preset = Presets::find(choice->presetId);
    if (!profile.ok() || !preset) {
        prompter.inform(parent, Prompter::Severity::Error, tr("Preset Not Available"),
                        profile.failureMessage());
        return std::nullopt;
    }
    return Chosen{profile.value(), *preset, choice->region};
}

} // namespace relaydeck::ui
