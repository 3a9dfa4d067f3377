#include "app/ui/shell/settings.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/io/fileio.hpp"

namespace convscope::ui {
namespace {

using json = nlohmann::json;

// mkdir -p for the config directory.
Status make_dirs(const std::string& path) {
    for (size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') continue;
        const std::string part = path.substr(0, i);
        if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST)
            return fail<ErrCode::cannot_create>(part, os_reason(errno));
    }
    return {};
}

template <class T>
void read_field(const json& j, const char* key, T& out) {
    const auto it = j.find(key);
    if (it == j.end()) return;
    try {
        out = it->get<T>();
    } catch (const json::exception&) {
        // A wrong type keeps the default: a hand-edited file never stops the app.
    }
}

}  // namespace

Result<std::string> config_dir() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return std::string(xdg) + "/convscope";
    const char* home = std::getenv("HOME");
    if (home && *home) return std::string(home) + "/.config/convscope";
    return fail<ErrCode::settings_no_home>();
}

std::string settings_to_json(const Settings& s) {
    json j;
    j["version"] = 1;
    j["scale"] = s.scale;
    j["theme"] = s.theme == Theme::Light ? "light" : "dark";
    j["lang"] = lang_code(s.lang);
    j["window"] = {{"x", s.window_x}, {"y", s.window_y}, {"w", s.window_w}, {"h", s.window_h}};
    j["speed"] = s.speed;
    return j.dump(2) + "\n";
}

Result<Settings> settings_from_json(const std::string& text) {
    const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail<ErrCode::settings_not_object>();
    Settings s;
    read_field(j, "scale", s.scale);
    s.scale = std::clamp(s.scale, kMinScale, kMaxScale);
    s.scale_chosen = j.contains("scale");
    std::string theme, lang;
    read_field(j, "theme", theme);
    if (theme == "light") s.theme = Theme::Light;
    read_field(j, "lang", lang);
    parse_lang(lang, s.lang);
    if (const auto w = j.find("window"); w != j.end() && w->is_object()) {
        read_field(*w, "x", s.window_x);
        read_field(*w, "y", s.window_y);
        read_field(*w, "w", s.window_w);
        read_field(*w, "h", s.window_h);
    }
    s.window_w = std::clamp(s.window_w, 320, 16384);
    s.window_h = std::clamp(s.window_h, 240, 16384);
    read_field(j, "speed", s.speed);
    s.speed = std::clamp(s.speed, 0.25f, 20.0f);
    return s;
}

Settings load_settings(std::optional<Error>& error) {
    error.reset();
    auto dir = config_dir();
    if (!dir) {
        error = dir.err();
        return {};
    }
    const std::string path = *dir + "/settings.json";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};  // first run
    auto bytes = read_file(path, 1 << 20);
    if (!bytes) {
        error = bytes.err();
        return {};
    }
    auto s = settings_from_json(std::string(bytes->begin(), bytes->end()));
    if (!s) {
        error = fail<ErrCode::path_colon>(path, s.err());
        return {};
    }
    return *s;
}

Status save_settings(const Settings& s) {
    auto dir = config_dir();
    if (!dir) return dir.err();
    if (auto st = make_dirs(*dir); !st) return st;
    const std::string text = settings_to_json(s);
    return write_file_atomic(
        *dir + "/settings.json",
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace convscope::ui
