// The GUI's settings (scale, theme, language, window geometry, playback speed), kept as JSON in
// the user's config directory ($XDG_CONFIG_HOME/convscope or ~/.config/convscope) and written atomically. A
// config directory that cannot be read or written gives a message; the app keeps running with defaults.
#pragma once

#include <optional>
#include <string>

#include "app/ui/strings.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/support/result.hpp"

namespace convscope::ui {

struct Settings {
    float scale = 1.0f;  // 1 to 3
    // False until a scale was chosen (a settings file without one: the first start), when the shell picks
    // one from the monitor; saved with the scale, so the user's choice is remembered.
    bool scale_chosen = false;
    Theme theme = Theme::Dark;
    Lang lang = Lang::En;
    int window_x = -1, window_y = -1;  // −1: let the window manager place it
    int window_w = 1280, window_h = 800;
    float speed = 1.5f;  // stepper playback, steps per second
    bool operator==(const Settings&) const = default;
};

inline constexpr float kMinScale = 1.0f, kMaxScale = 3.0f;

// The config directory (not created), or an error when neither $XDG_CONFIG_HOME nor $HOME is set.
Result<std::string> config_dir();

// Settings from the config file; defaults when there is none. A file that cannot be read or parsed gives
// defaults and the reason in `error` (coded, for the status line to word in the UI's language); else `error`
// is empty.
Settings load_settings(std::optional<Error>& error);

// Creates the config directory if needed and writes settings.json atomically.
Status save_settings(const Settings& s);

// Settings as JSON text and back (missing or wrong-typed fields keep their defaults).
std::string settings_to_json(const Settings& s);
Result<Settings> settings_from_json(const std::string& text);

}  // namespace convscope::ui
