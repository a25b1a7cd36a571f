#pragma once

namespace relaydeck {

// Who reads advice: a person at a terminal (name relaydeck-cli's flags, e.g. "--ca-file ca.pem")
// or a person in the desktop editor (name its tabs, fields and buttons). The advice itself is the
// same; only the way it names a setting differs.
enum class HintStyle
{
    CommandLine,
    Desktop
};

} // namespace relaydeck
