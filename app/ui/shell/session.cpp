// The session (each view's state as a scene, the view shown, the recent files) saved at quit and restored at
// the next start, and the settings saved whenever they change.
#include "app/ui/shell/shell.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

// The session (each view's state as a scene) is kept in the config folder and comes back at the next start.
void Shell::save_session() {
    if (scripted()) return;
    auto dir = config_dir();
    if (!dir) return;
    Lesson session;
    session.title = {"last session", "지난 세션"};
    for (const auto& v : m_views)
        if (auto sc = v->current_scene()) {
            sc->file.clear();
            session.scenes.push_back(std::move(*sc));
        }
    if (session.scenes.empty()) return;
    std::string text = lesson_to_json(session, true);
    // The first run has no config folder yet (the settings, written after the last frame, would make it).
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    // The view shown: an extra field, kept by the format's rule for unknown fields.
    text.insert(text.find('{') + 1,
                "\n  \"current_view\": \"" + std::string(m_views[m_current]->id()) + "\",");
    (void)write_text_file(*dir + "/session.json", text);
    std::string recent = "[";
    for (size_t i = 0; i < m_recent.size(); ++i) {
        if (m_recent[i].find('"') != std::string::npos || m_recent[i].find('\\') != std::string::npos)
            continue;
        recent += std::string(recent.size() > 1 ? ", " : "") + "\"" + m_recent[i] + "\"";
    }
    (void)write_text_file(*dir + "/recent.json", recent + "]\n");
}

void Shell::restore_session() {
    auto dir = config_dir();
    if (!dir) return;
    const std::string path = *dir + "/session.json";
    auto doc = read_document_file(path);
    auto* d = std::get_if<Document>(&doc);
    if (!d || !std::holds_alternative<Lesson>(*d)) return;  // none yet, or unreadable: start fresh
    for (const Scene& sc : std::get<Lesson>(*d).scenes)
        for (auto& v : m_views)
            if (v->id() == to_string(sc.view)) v->load_scene(sc);
    auto bytes = read_file(path, 1 << 26);
    if (!bytes) return;
    const std::string text(bytes->begin(), bytes->end());
    constexpr std::string_view key = "\"current_view\": \"";
    const size_t at = text.find(key);
    if (at == std::string::npos) return;
    const size_t a = at + key.size(), b = text.find('"', a);
    const std::string id = b == std::string::npos ? "" : text.substr(a, b - a);
    for (size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i]->id() == id) m_current = i;
}

// Saves the settings whenever they change (not only at exit, so a crash or kill loses nothing); a config
// directory that cannot be written shows a message once and the app keeps running.
void Shell::save_if_changed() {
    if (scripted()) return;
    // Compared as values each frame; serialised to JSON only when something changed.
    for (const auto& v : m_views) v->store_preferences(m_settings);
    if (m_settings == m_saved_settings || ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;  // not mid-drag
    m_saved_settings = m_settings;
    if (const Status s = save_settings(m_settings); !s) m_status = Message(Str::msg_settings_fail, s.err());
}

}  // namespace convscope::ui
