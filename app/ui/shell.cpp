// [SECTION] Palette and theme
// [SECTION] Shell: fonts, style, menu, tabs, status line, scripted runs
// [SECTION] Scenes and lessons
// [SECTION] The save dialog, Export frame / animation, About
// [SECTION] Typed requests and the backend probe
// [SECTION] Sleeping when nothing changes
#include "app/ui/shell.hpp"

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
#include "app/ui/handoff.hpp"
#include "core/engine/backend.hpp"
#include "core/io/fileio.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui {

// [SECTION] Palette and theme

namespace {
Palette g_palette = make_palette(Theme::Dark);
}  // namespace

const Palette& palette() {
    return g_palette;
}
void set_palette_theme(Theme theme) {
    g_palette = make_palette(theme);
}

// [SECTION] Shell

Shell::Shell(GuiOptions options, Settings settings, std::string startup_message)
    : m_options(std::move(options)),
      m_settings(std::move(settings)),
      m_views(make_views()),
      m_status(std::move(startup_message)) {
    m_saved_settings = m_settings;
    if (m_options.scale != 0.0f) m_settings.scale = m_options.scale;
    m_settings.scale = std::clamp(m_settings.scale, kMinScale, kMaxScale);
    if (!m_options.lang.empty()) parse_lang(m_options.lang, m_settings.lang);
    if (!m_options.theme.empty()) m_settings.theme = m_options.theme == "light" ? Theme::Light : Theme::Dark;
    // `convscope` opens on the stepper, the lecture's example; --view picks another.
    const std::string wanted = m_options.view.empty() ? std::string("stepper") : m_options.view;
    for (size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i]->id() == wanted) m_current = i;
    set_language(m_settings.lang);
    set_palette_theme(m_settings.theme);
    m_assets = find_assets_dir();
    for (auto& v : m_views) {
        v->apply_options(m_options);
        v->restore_preferences(m_settings);
    }
    // Which backends run here: probed once, off the UI thread (the first frame does not wait for a GPU).
    recheck_backends();
    if (!m_options.image.empty() && m_status.empty()) m_status = trf(Str::msg_image, m_options.image.c_str());
    if (!scripted()) {
        if (auto dir = config_dir()) {
            auto bytes = read_file(*dir + "/recent.json", 1 << 20);
            if (bytes) {
                const std::string text(bytes->begin(), bytes->end());
                for (size_t a = text.find('"'); a != std::string::npos; a = text.find('"', a + 1)) {
                    const size_t b = text.find('"', a + 1);
                    if (b == std::string::npos) break;
                    m_recent.push_back(text.substr(a + 1, b - a - 1));
                    a = b;
                }
            }
        }
    }
    // The last session comes back when nothing else was asked for.
    if (!scripted() && m_options.document.empty() && m_options.preset.empty() && m_options.image.empty() &&
        m_options.view.empty() && m_options.kernel.empty())
        restore_session();
    if (!m_options.document.empty()) open_document(m_options.document);
}

// [SECTION] Scenes and lessons

namespace {

// A refused scene or lesson in the UI's language; the field names are JSON, the same in every language.
std::string scene_error_text(const SceneError& e) {
    const std::string field = e.field.empty() ? std::string(tr(Str::scene_the_file)) : e.field;
    const char* f = field.c_str();
    const std::string detail = e.cause ? tr_error(*e.cause) : e.detail;
    const char* d = detail.c_str();
    std::string what;
    switch (e.code) {
        case SceneErrorCode::CannotRead:
            what = trf(Str::scene_err_read, f, d);
            break;
        case SceneErrorCode::NotJson:
            what = trf(Str::scene_err_json, f, d);
            break;
        case SceneErrorCode::NotConvScope:
            what = trf(Str::scene_err_kind, f);
            break;
        case SceneErrorCode::Version:
            what = trf(Str::scene_err_version, f);
            break;
        case SceneErrorCode::Missing:
            what = trf(Str::scene_err_missing, f);
            break;
        case SceneErrorCode::Type:
            what = trf(Str::scene_err_type, f, d);
            break;
        case SceneErrorCode::Range:
            what = trf(Str::scene_err_range, f, d);
            break;
        case SceneErrorCode::Choice:
            what = trf(Str::scene_err_choice, f, d);
            break;
        case SceneErrorCode::Problem:
            what = trf(Str::scene_err_problem, f, d);
            break;
        case SceneErrorCode::Unsupported:
            what = trf(Str::scene_err_unsupported, f, d);
            break;
    }
    return (e.scene > 0 ? trf(Str::scene_number, e.scene) : std::string()) + what;
}

const std::string& caption_text(const Caption& c) {
    const std::string& mine = language() == Lang::Ko ? c.ko : c.en;
    return mine.empty() ? (language() == Lang::Ko ? c.en : c.ko) : mine;
}

}  // namespace

// Opens a scene or a lesson; a file that is refused leaves everything as it was and says why.
void Shell::open_document(const std::string& path) {
    auto doc = read_document_file(path);
    if (auto* e = std::get_if<SceneError>(&doc)) {
        m_status = trf(Str::scene_refused, scene_error_text(*e).c_str());
        // A scripted run has no one to read the status line: say it on stderr too (the app goes on).
        if (scripted()) std::fprintf(stderr, "convscope: %s\n", m_status.c_str());
        return;
    }
    Document& d = std::get<Document>(doc);
    Lesson lesson;
    if (auto* scene = std::get_if<Scene>(&d))
        lesson.scenes.push_back(std::move(*scene));
    else
        lesson = std::move(std::get<Lesson>(d));
    // The captions' glyphs (Hangul beyond the string table's) go into the font atlas.
    std::string glyphs = lesson.title.en + lesson.title.ko;
    for (const Scene& sc : lesson.scenes) glyphs += sc.caption.en + sc.caption.ko;
    set_extra_glyph_text(glyphs);
    m_fonts_dirty = true;
    m_document_is_scene = std::holds_alternative<Scene>(d);
    m_scene_loaded = false;  // the views still show what was there before
    m_lesson = std::move(lesson);
    m_document = path;
    m_recent.erase(std::remove(m_recent.begin(), m_recent.end(), path), m_recent.end());
    m_recent.insert(m_recent.begin(), path);
    if (m_recent.size() > 8) m_recent.resize(8);
    const size_t first = m_options.scene > 0 ? size_t(m_options.scene - 1) : 0;
    show_scene(std::min(first, m_lesson->scenes.size() - 1));
    m_status = trf(Str::scene_opened, path.c_str());
    mark_saved();
}

void Shell::show_scene(size_t index) {
    if (!m_lesson || index >= m_lesson->scenes.size()) return;
    capture_scene();  // edits made in the scene shown stay in the lesson
    m_scene = index;
    const Scene& sc = m_lesson->scenes[index];
    for (size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i]->id() == to_string(sc.view)) {
            if (m_views[i]->load_scene(sc)) {
                m_scene_loaded = true;
                m_current = i;
                m_select_current = true;
                m_select_left = 2;  // the tab bar is told twice
            } else {
                m_status = tr(Str::scene_no_view);
            }
        }
}

float Shell::lesson_bar_height(bool presenting) const {
    if (!m_lesson) return 0.0f;
    if (!presenting) return ImGui::GetFrameHeightWithSpacing();
    const float px = std::clamp(ImGui::GetMainViewport()->Size.y / 24.0f, 16.0f, 64.0f);
    return px * 2.6f;
}

// "Scene k of n" and the caption: one line under the view, or large under the canvas when presenting.
void Shell::draw_lesson_bar(bool presenting) {
    if (!m_lesson) return;
    const Scene& sc = m_lesson->scenes[m_scene];
    const std::string counter = trf(Str::lesson_scene_of, int(m_scene + 1), int(m_lesson->scenes.size()));
    const std::string& caption = caption_text(sc.caption);
    const Palette& pal = palette();
    if (presenting) {
        const float h = lesson_bar_height(true);
        const float px = h / 2.6f;
        // Anchored to the bottom of the window, whatever spacing the view left above it.
        const ImVec2 wmin = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
        const ImVec2 a(wmin.x + ImGui::GetStyle().WindowPadding.x, wmin.y + wsize.y - h);
        const float w = wsize.x - 2.0f * ImGui::GetStyle().WindowPadding.x;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImFont* font = m_fonts.for_size(px);
        const float cpx = px * 0.55f;
        const ImVec2 cs = text_size(font, cpx, counter);
        dl->AddText(font, cpx, ImVec2(a.x + w - cs.x - px * 0.3f, a.y + h - cs.y - px * 0.2f), pal.text_muted,
                    counter.c_str());
        // Two lines at most: shrink the caption until it wraps into them.
        float size = px;
        const float wrap = w - cs.x - px;
        for (int i = 0; i < 12 && font->CalcTextSizeA(size, FLT_MAX, wrap, caption.c_str()).y > h * 0.95f;
             ++i)
            size *= 0.9f;
        dl->AddText(font, size, ImVec2(a.x + px * 0.3f, a.y + px * 0.2f), pal.text, caption.c_str(), nullptr,
                    wrap);
        return;
    }
    if (ImGui::SmallButton(tr(Str::lesson_prev)) && m_scene > 0) show_scene(m_scene - 1);
    ImGui::SameLine();
    ImGui::TextUnformatted(counter.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(Str::lesson_next)) && m_scene + 1 < m_lesson->scenes.size())
        show_scene(m_scene + 1);
    ImGui::SameLine();
    ImGui::TextUnformatted(caption.c_str());
}

// The current view's state into the lesson's current scene (when the view shows that kind of scene).
void Shell::capture_scene() {
    if (!m_lesson || !m_scene_loaded || m_scene >= m_lesson->scenes.size()) return;
    Scene& stored = m_lesson->scenes[m_scene];
    View& v = *m_views[m_current];
    if (v.id() != to_string(stored.view)) return;
    std::optional<Scene> now = v.current_scene();
    if (!now) return;
    now->caption = stored.caption;
    now->file = stored.file;
    if (scene_to_json(*now) == scene_to_json(stored)) return;
    now->file.clear();  // changed: saved inline from now on
    stored = std::move(*now);
}

std::string Shell::document_json() {
    capture_scene();
    if (m_document_is_scene && m_lesson->scenes.size() == 1) return scene_to_json(m_lesson->scenes[0]);
    return lesson_to_json(*m_lesson);
}

void Shell::mark_saved() {
    m_saved_edits.clear();
    for (const auto& v : m_views) m_saved_edits.push_back(v->edit_count());
    m_lesson_edited = false;
}

bool Shell::unsaved() {
    if (!m_lesson) return false;
    if (m_lesson_edited) return true;
    for (size_t i = 0; i < m_views.size() && i < m_saved_edits.size(); ++i)
        if (m_views[i]->edit_count() != m_saved_edits[i]) return true;
    return false;
}

// Ctrl+S: the open document, or Save as when there is none.
void Shell::save_document() {
    if (!m_lesson) {
        m_lesson = Lesson{};
        m_lesson->title = {"Lesson", "수업"};
        if (auto sc = m_views[m_current]->current_scene()) m_lesson->scenes.push_back(std::move(*sc));
        if (m_lesson->scenes.empty()) {
            m_lesson.reset();
            m_status = tr(Str::scene_no_view);
            return;
        }
        m_scene = 0;
        m_scene_loaded = true;
        m_document_is_scene = false;
    }
    if (m_document.empty()) {
        m_popup = Popup::SaveAs;
        return;
    }
    save_to(m_document);
}

bool Shell::save_to(const std::string& path) {
    const std::string text = document_json();
    if (const Status st = write_text_file(path, text); !st) {
        m_status = tr_error(st.err());
        return false;
    }
    m_document = path;
    m_status = trf(Str::file_saved, path.c_str());
    m_recent.erase(std::remove(m_recent.begin(), m_recent.end(), path), m_recent.end());
    m_recent.insert(m_recent.begin(), path);
    mark_saved();
    return true;
}

void Shell::update_title() {
    if (!m_window) return;
    std::string t = "ConvScope";
    if (m_lesson) {
        std::string name = m_document.empty() ? caption_text(m_lesson->title) : m_document;
        if (const size_t slash = name.find_last_of('/'); slash != std::string::npos)
            name = name.substr(slash + 1);
        t = name + (unsaved() ? " •" : "") + " — ConvScope";
    }
    if (t != m_title) {
        m_title = t;
        glfwSetWindowTitle(m_window, t.c_str());
    }
}

bool Shell::close_requested() {
    if (unsaved() && !scripted()) {
        m_popup = Popup::Quit;
        return false;
    }
    save_session();
    return true;
}

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

void Shell::draw_file_menu() {
    if (!ImGui::BeginMenu(tr(Str::menu_file))) return;
    if (ImGui::MenuItem(tr(Str::file_new), "Ctrl+N")) new_lesson();
    if (ImGui::MenuItem(tr(Str::file_open), "Ctrl+O")) m_popup = Popup::Open;
    if (ImGui::MenuItem(tr(Str::file_save), "Ctrl+S")) save_document();
    if (ImGui::MenuItem(tr(Str::file_save_as), "Ctrl+Shift+S")) {
        if (!m_lesson) save_document();
        m_popup = Popup::SaveAs;
    }
    if (ImGui::BeginMenu(tr(Str::file_recent), !m_recent.empty())) {
        for (const std::string& r : std::vector<std::string>(m_recent))
            if (ImGui::MenuItem(r.c_str())) open_document(r);
        ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr(Str::file_export_frame), "Ctrl+E")) export_frame();
    const bool on_stepper = m_views[m_current]->id() == "stepper";
    if (ImGui::MenuItem(tr(Str::file_export_anim), "Ctrl+Shift+E", false, on_stepper)) export_animation();
    if (!on_stepper && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr(Str::file_anim_stepper));
    ImGui::Separator();
    if (ImGui::MenuItem(tr(Str::edit_undo), "Ctrl+Z")) m_views[m_current]->undo();
    if (ImGui::MenuItem(tr(Str::edit_redo), "Ctrl+Shift+Z")) m_views[m_current]->redo();
    ImGui::Separator();
    if (ImGui::MenuItem(tr(Str::file_about))) m_popup = Popup::About;
    if (ImGui::MenuItem(tr(Str::quit), "Ctrl+Q")) m_quit_requested = true;
    ImGui::EndMenu();
}

void Shell::draw_lesson_menu() {
    if (!ImGui::BeginMenu(tr(Str::menu_lesson), m_lesson.has_value())) return;
    auto& scenes = m_lesson->scenes;
    if (ImGui::MenuItem(tr(Str::lesson_add))) {
        capture_scene();
        if (auto sc = m_views[m_current]->current_scene()) {
            sc->file.clear();
            sc->caption = {};
            scenes.insert(scenes.begin() + std::ptrdiff_t(std::min(m_scene + 1, scenes.size())),
                          std::move(*sc));
            m_scene = std::min(m_scene + 1, scenes.size() - 1);
            m_lesson_edited = true;
        } else {
            m_status = tr(Str::scene_no_view);
        }
    }
    if (ImGui::MenuItem(tr(Str::lesson_caption))) {
        const Caption& c = scenes[m_scene].caption;
        std::snprintf(m_caption_en, sizeof m_caption_en, "%s", c.en.c_str());
        std::snprintf(m_caption_ko, sizeof m_caption_ko, "%s", c.ko.c_str());
        std::snprintf(m_title_buf, sizeof m_title_buf, "%s", caption_text(m_lesson->title).c_str());
        m_popup = Popup::Caption;
    }
    if (ImGui::MenuItem(tr(Str::lesson_up), nullptr, false, m_scene > 0)) {
        capture_scene();
        std::swap(scenes[m_scene], scenes[m_scene - 1]);
        --m_scene;
        m_lesson_edited = true;
    }
    if (ImGui::MenuItem(tr(Str::lesson_down), nullptr, false, m_scene + 1 < scenes.size())) {
        capture_scene();
        std::swap(scenes[m_scene], scenes[m_scene + 1]);
        ++m_scene;
        m_lesson_edited = true;
    }
    if (ImGui::MenuItem(tr(Str::lesson_delete), nullptr, false, scenes.size() > 1)) {
        scenes.erase(scenes.begin() + std::ptrdiff_t(m_scene));
        m_lesson_edited = true;
        const size_t next = std::min(m_scene, scenes.size() - 1);
        m_scene = next;
        const Scene sc = scenes[next];
        for (size_t i = 0; i < m_views.size(); ++i)
            if (m_views[i]->id() == to_string(sc.view) && m_views[i]->load_scene(sc)) {
                m_current = i;
                m_select_current = true;
                m_select_left = 2;
            }
    }
    ImGui::EndMenu();
}

// The file, caption, about and quit questions: small modal popups with a path field (ImGui has no file
// dialog; a path typed or pasted is what every desktop accepts).
void Shell::draw_popups() {
    static const char* const ids[] = {"", "##open", "##saveas", "##caption", "##about", "##quit"};
    if (m_popup == Popup::SaveAs) {
        // Save as goes through the save dialog, in the document's folder.
        const std::filesystem::path doc(m_document);
        m_dialog.open(SaveDialog::Purpose::SaveAs, m_document.empty() ? "" : doc.parent_path().string(),
                      m_document.empty() ? "lesson.json" : doc.filename().string());
        m_popup = Popup::None;
    }
    if (m_popup != Popup::None) {
        if (m_popup == Popup::Open) {
            std::snprintf(m_path, sizeof m_path, "%s", m_document.c_str());
            m_confirm_overwrite = false;
        }
        ImGui::OpenPopup(ids[int(m_popup)]);
        m_popup = Popup::None;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float width = std::min(vp->Size.x * 0.8f, ImGui::GetFontSize() * 40.0f);
    const auto centre = [&] {
        ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.4f),
                                ImGuiCond_Always, ImVec2(0.5f, 0.5f));
        ImGui::SetNextWindowSize(ImVec2(width, 0));
    };
    centre();
    if (ImGui::BeginPopupModal("##open", nullptr, ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(tr(Str::file_open));
        ImGui::SetNextItemWidth(-1);
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        const bool enter =
            ImGui::InputText("##path", m_path, sizeof m_path, ImGuiInputTextFlags_EnterReturnsTrue);
        for (const std::string& r : m_recent)
            if (ImGui::Selectable(r.c_str())) std::snprintf(m_path, sizeof m_path, "%s", r.c_str());
        if (ImGui::Button(tr(Str::file_ok)) || enter) {
            open_document(m_path);
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(Str::file_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
            ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    centre();
    if (ImGui::BeginPopupModal("##caption", nullptr, ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(tr(Str::lesson_title));
        ImGui::SetNextItemWidth(-1);
        ImGui::InputText("##title", m_title_buf, sizeof m_title_buf);
        ImGui::TextUnformatted(tr(Str::caption_en));
        ImGui::InputTextMultiline("##en", m_caption_en, sizeof m_caption_en,
                                  ImVec2(-1, ImGui::GetFontSize() * 3));
        ImGui::TextUnformatted(tr(Str::caption_ko));
        ImGui::InputTextMultiline("##ko", m_caption_ko, sizeof m_caption_ko,
                                  ImVec2(-1, ImGui::GetFontSize() * 3));
        if (ImGui::Button(tr(Str::file_ok)) && m_lesson) {
            Caption& c = m_lesson->scenes[m_scene].caption;
            c.en = m_caption_en;
            c.ko = m_caption_ko;
            (language() == Lang::Ko ? m_lesson->title.ko : m_lesson->title.en) = m_title_buf;
            m_lesson_edited = true;
            std::string glyphs = m_lesson->title.en + m_lesson->title.ko;
            for (const Scene& sc : m_lesson->scenes) glyphs += sc.caption.en + sc.caption.ko;
            set_extra_glyph_text(glyphs);
            m_fonts_dirty = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(Str::file_cancel))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    centre();
    draw_about();
    centre();
    if (ImGui::BeginPopupModal("##quit", nullptr, ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(tr(Str::quit_unsaved));
        ImGui::TextDisabled("%s", tr(Str::quit_keys));
        // Keys too (S, D, Escape): a question at quit is answered from the keyboard.
        const bool key_save = ImGui::IsKeyPressed(GLFW_KEY_S),  // ImGui 1.86 indexes keys by GLFW's codes
            key_discard = ImGui::IsKeyPressed(GLFW_KEY_D),
                   key_cancel = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        if (ImGui::Button(tr(Str::quit_save)) || key_save) {
            ImGui::CloseCurrentPopup();
            if (m_document.empty()) {
                m_quit_after_save = true;
                m_popup = Popup::SaveAs;
            } else if (save_to(m_document)) {
                save_session();
                m_exit = true;
            }
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(Str::quit_discard)) || key_discard) {
            save_session();
            m_exit = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(Str::file_cancel)) || key_cancel) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// --save-scene: what the current view shows, written as a scene file (exit status 2 with one error line when
// the view cannot say or the file cannot be written).
void Shell::save_scene_and_exit() {
    View& v = *m_views[m_current];
    std::optional<Scene> sc = v.current_scene();
    if (!sc) {
        std::fprintf(stderr, "error: --save-scene: the %s view cannot be saved as a scene yet\n",
                     std::string(v.id()).c_str());
        m_exit_status = 2;
        return;
    }
    if (m_lesson && m_lesson->scenes[m_scene].view == sc->view && sc->caption == Caption{})
        sc->caption = m_lesson->scenes[m_scene].caption;
    if (const Status st = write_text_file(m_options.save_scene, scene_to_json(*sc)); !st) {
        std::fprintf(stderr, "error: %s\n", st.error().c_str());
        m_exit_status = 2;
    }
}

void Shell::apply_style() {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (m_settings.theme == Theme::Dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    const Palette& p = palette();
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(p.background);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    style.Colors[ImGuiCol_MenuBarBg] = ImGui::ColorConvertU32ToFloat4(p.panel);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(p.text);
    if (m_settings.theme == Theme::Light) {
        // ImGui's light frames are white on our off-white background: give them an edge and a tint.
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0.86f, 0.88f, 0.92f, 1.0f);
        style.Colors[ImGuiCol_Border] = ImVec4(0.55f, 0.55f, 0.60f, 0.6f);
        style.FrameBorderSize = 1.0f;
    }
    style.WindowRounding = 0.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(10, 8);
    style.ScaleAllSizes(m_scale);
}

void Shell::before_frame() {
    // The scale drawn: the user's, unless the window is too short for it (3× menus, tabs, toolbar and status
    // line on a 768-pixel screen would leave no canvas): then the largest quarter step that leaves room.
    int win_w = 0, win_h = 0;
    if (m_window) glfwGetWindowSize(m_window, &win_w, &win_h);
    const float fits =
        win_h > 0 ? std::max(kMinScale, std::floor(float(win_h) / 350.0f * 4.0f) / 4.0f) : kMaxScale;
    m_scale = std::min(m_settings.scale, fits);
    if (m_built_scale != m_scale) m_fonts_dirty = true;
    if (!m_fonts_dirty) return;
    std::string message;
    m_fonts = build_fonts(m_assets, m_scale, message);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().FontDefault = m_fonts.ui;
    apply_style();
    m_built_scale = m_scale;
    m_fonts_dirty = false;
    // Without the bundled fonts there are no Hangul glyphs: show English rather than question marks.
    m_hangul = message.empty();
    if (!m_hangul) {
        m_status = message;
        set_language(Lang::En);
    }
}

void Shell::set_scale(float scale) {
    // Quarter steps keep the font sizes whole-ish and the scale predictable from the keyboard.
    m_settings.scale = std::clamp(std::round(scale * 4.0f) / 4.0f, kMinScale, kMaxScale);
}

// The monitor that holds most of the window (full screen goes there), else the primary one.
GLFWmonitor* current_monitor(GLFWwindow* window) {
    int wx = 0, wy = 0, ww = 0, wh = 0;
    glfwGetWindowPos(window, &wx, &wy);
    glfwGetWindowSize(window, &ww, &wh);
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* best = glfwGetPrimaryMonitor();
    long best_area = -1;
    for (int i = 0; i < count; ++i) {
        int mx = 0, my = 0;
        glfwGetMonitorPos(monitors[i], &mx, &my);
        const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]);
        if (!mode) continue;
        const long ox = std::max(0, std::min(wx + ww, mx + mode->width) - std::max(wx, mx));
        const long oy = std::max(0, std::min(wy + wh, my + mode->height) - std::max(wy, my));
        if (ox * oy > best_area) best_area = ox * oy, best = monitors[i];
    }
    return best;
}

// The UI scale for a first start on `monitor`: at least its content scale, and large enough that the UI
// text is at least 1/60 of its height (18 px at 1080, 36 px at 2160), in quarter steps.
float scale_for_monitor(GLFWmonitor* monitor) {
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return 1.0f;
    float cx = 1.0f, cy = 1.0f;
    glfwGetMonitorContentScale(monitor, &cx, &cy);
    const float wanted = std::max(cy, float(mode->height) / 60.0f / kUiFontPx);
    return std::clamp(std::ceil(wanted * 4.0f - 0.01f) / 4.0f, kMinScale, kMaxScale);
}

void Shell::attach(GLFWwindow* window, KeyQueue* keys) {
    m_window = window;
    m_keys = keys;
    if (!scripted() && m_options.scale == 0.0f && !m_settings.scale_chosen) {
        m_settings.scale = scale_for_monitor(current_monitor(window));
        m_settings.scale_chosen = true;
    }
    if (m_options.present_in_window)
        m_present = true;  // handouts: the presented layout at the window's size
    else if (m_options.present)
        set_present(true);
    else if (m_options.fullscreen)
        set_fullscreen(true);
}

bool Shell::windowed_geometry(int& x, int& y, int& w, int& h) const {
    if (!m_fullscreen) return false;
    x = m_windowed[0], y = m_windowed[1], w = m_windowed[2], h = m_windowed[3];
    return true;
}

void Shell::set_fullscreen(bool on) {
    if (!m_window || on == m_fullscreen) return;
    if (on) {
        GLFWmonitor* monitor = current_monitor(m_window);
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;
        glfwGetWindowPos(m_window, &m_windowed[0], &m_windowed[1]);
        glfwGetWindowSize(m_window, &m_windowed[2], &m_windowed[3]);
        m_full_w = mode->width;
        m_full_h = mode->height;
        glfwSetWindowMonitor(m_window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(m_window, nullptr, m_windowed[0], m_windowed[1], m_windowed[2], m_windowed[3],
                             0);
    }
    m_fullscreen = on;
}

void Shell::set_present(bool on) {
    if (on == m_present) return;
    if (on) m_full_before_present = m_fullscreen;
    set_fullscreen(on || m_full_before_present);
    m_present = on;
    m_blank = Blank::None;
    m_select_current = true;  // the tab bar comes back on the view that was presented
}

// Takes this frame's presses from the queue: the shell's own keys here, the rest for the current view.
void Shell::handle_keys() {
    std::vector<KeyPress> presses;
    const ImGuiIO& io = ImGui::GetIO();
    if (m_keys) {
        presses.swap(m_keys->presses);
        m_keys->text_input = io.WantTextInput;
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) || ImGui::IsMouseClicked(ImGuiMouseButton_Right))
            m_keys->navigating = false;
    }
    m_view_keys.clear();
    m_modal_enter = false;
    // A question or dialog is up: its keys are its own (Enter answers it: the stepping keys never reach
    // ImGui outside a text field), and nothing reaches the view behind it.
    if (ImGui::GetTopMostPopupModal() != nullptr) {
        for (const KeyPress& k : presses)
            if (k.key == GLFW_KEY_ENTER || k.key == GLFW_KEY_KP_ENTER) m_modal_enter = true;
        return;
    }
    for (const KeyPress& k : presses) {
        const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
        if (ctrl) {
            if (k.key == GLFW_KEY_EQUAL || k.key == GLFW_KEY_KP_ADD) set_scale(m_settings.scale + 0.25f);
            if (k.key == GLFW_KEY_MINUS || k.key == GLFW_KEY_KP_SUBTRACT) set_scale(m_settings.scale - 0.25f);
            if (k.key == GLFW_KEY_0 || k.key == GLFW_KEY_KP_0) set_scale(1.0f);
            if (k.key == GLFW_KEY_Q) m_quit_requested = true;
            if (!io.WantTextInput) {  // a text field undoes its own typing
                if (k.key == GLFW_KEY_Z && !shift) m_views[m_current]->undo();
                if ((k.key == GLFW_KEY_Z && shift) || k.key == GLFW_KEY_Y) m_views[m_current]->redo();
            }
            if (k.key == GLFW_KEY_S && !shift) save_document();
            if (k.key == GLFW_KEY_S && shift) {
                if (!m_lesson) save_document();
                m_popup = Popup::SaveAs;
            }
            if (k.key == GLFW_KEY_O) m_popup = Popup::Open;
            if (k.key == GLFW_KEY_N) new_lesson();
            if (k.key == GLFW_KEY_E && !shift) export_frame();
            if (k.key == GLFW_KEY_E && shift) export_animation();
            if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && size_t(k.key - GLFW_KEY_1) < m_views.size()) {
                m_current = size_t(k.key - GLFW_KEY_1);
                m_select_current = true;
            }
            continue;
        }
        if (io.WantTextInput) continue;  // a text field has these keys
        // Navigating with the keyboard (after Tab): the arrows, Space and Enter move ImGui's focus, not the
        // stepper.
        if (m_keys && m_keys->navigating && is_stepping_key(k.key)) continue;
        const bool black = k.key == GLFW_KEY_B || k.key == GLFW_KEY_PERIOD;
        const bool white = k.key == GLFW_KEY_W || k.key == GLFW_KEY_COMMA;
        // Blanked: the same key, a step key or Escape brings back the exact step; nothing else happens.
        if (m_blank != Blank::None) {
            if (k.key == m_blank_key || black || white || is_stepping_key(k.key) || k.key == GLFW_KEY_N ||
                k.key == GLFW_KEY_P || k.key == GLFW_KEY_ESCAPE)
                m_blank = Blank::None;
            continue;
        }
        if (black || white) {
            m_blank = black ? Blank::Black : Blank::White;
            m_blank_key = k.key;
        } else if (k.key == GLFW_KEY_F5) {
            set_present(!m_present);
        } else if (k.key == GLFW_KEY_F11) {
            if (m_present)
                set_present(false);
            else
                set_fullscreen(!m_fullscreen);
        } else if (k.key == GLFW_KEY_F1 || (k.key == GLFW_KEY_SLASH && shift)) {
            m_help = !m_help;
        } else if (k.key == GLFW_KEY_ESCAPE && m_capture.gif_recording()) {
            m_view_keys.push_back(k);  // cancels the recording (the view decides)
        } else if (k.key == GLFW_KEY_ESCAPE && m_help) {
            m_help = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_keys && m_keys->navigating) {
            m_keys->navigating = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_present) {
            set_present(false);
        } else if (k.key == GLFW_KEY_ESCAPE && m_fullscreen) {
            set_fullscreen(false);
        } else if (m_lesson && (k.key == GLFW_KEY_PAGE_DOWN || k.key == GLFW_KEY_PAGE_UP) && !shift &&
                   (k.key == GLFW_KEY_PAGE_DOWN
                        ? m_views[m_current]->at_scene_end() && m_scene + 1 < m_lesson->scenes.size()
                        : m_views[m_current]->at_scene_start() && m_scene > 0)) {
            // In a lesson, the clicker walks on from the last step of a scene into the next scene.
            show_scene(k.key == GLFW_KEY_PAGE_DOWN ? m_scene + 1 : m_scene - 1);
        } else {
            m_view_keys.push_back(k);
        }
    }
}

// The key help: every key of the stepper and the shell, in the UI's language, over the view.
void Shell::draw_help() {
    if (!m_help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->Size.x * 0.95f, vp->Size.y * 0.95f));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("##keyhelp", nullptr, flags)) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().strong(Role::Output));
        ImGui::TextUnformatted(tr(Str::help_title));
        ImGui::PopStyleColor();
        ImGui::Separator();
        const std::pair<std::string, Str> rows[] = {
            {"PageDown  →  ↓  N  Enter", Str::help_next},
            {"PageUp  ←  ↑  P  Backspace", Str::help_prev},
            {"Space", Str::help_play},
            {"Home  End", Str::help_ends},
            {"R", Str::help_reveal},
            {tr(Str::key_digits), Str::help_jump},
            {"B  .", Str::help_black},
            {"W  ,", Str::help_white},
            {"F5", Str::help_present},
            {"F11", Str::help_full},
            {"Ctrl+1 … Ctrl+4", Str::help_views},
            {"Ctrl+=  Ctrl+−  Ctrl+0", Str::help_scale},
            {"Tab", Str::help_nav},
            {"F1  ?", Str::help_help},
        };
        if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (const auto& [keys, what] : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(tr(what));
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void Shell::draw_menu() {
    if (!ImGui::BeginMenuBar()) return;
    draw_file_menu();
    draw_lesson_menu();
    if (ImGui::BeginMenu(tr(Str::menu_view))) {
        if (ImGui::BeginMenu(tr(Str::language))) {
            for (Lang l : {Lang::En, Lang::Ko})
                if (ImGui::MenuItem(tr(l == Lang::En ? Str::lang_en : Str::lang_ko), nullptr,
                                    m_settings.lang == l)) {
                    m_settings.lang = l;
                    set_language(l);
                    m_status.clear();  // it was written in the other language
                }
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu(tr(Str::theme))) {
            for (Theme t : {Theme::Light, Theme::Dark})
                if (ImGui::MenuItem(tr(t == Theme::Light ? Str::theme_light : Str::theme_dark), nullptr,
                                    m_settings.theme == t)) {
                    m_settings.theme = t;
                    set_palette_theme(t);
                    m_fonts_dirty = true;  // restyles too
                }
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem(tr(Str::present), "F5", m_present)) set_present(!m_present);
        if (ImGui::MenuItem(tr(Str::fullscreen), "F11", m_fullscreen)) set_fullscreen(!m_fullscreen);
        if (ImGui::MenuItem(tr(Str::key_help), "F1", m_help)) m_help = !m_help;
        // The backends are probed once at start-up; a GPU plugged in or a driver fixed later is found here.
        if (ImGui::MenuItem(tr(Str::recheck_gpu), nullptr, false, !m_probe.valid())) recheck_backends();
        if (m_backends.probed) {
            ImGui::TextDisabled("%s", trf(Str::backend_probed, m_backends.fastest.c_str()).c_str());
            if (!m_backends.why_not_gpu.empty() && ImGui::IsItemHovered())
                ImGui::SetTooltip("gpu: %s", m_backends.why_not_gpu.c_str());
        }
        ImGui::Separator();
        if (ImGui::MenuItem(tr(Str::scale_up), "Ctrl+=")) set_scale(m_settings.scale + 0.25f);
        if (ImGui::MenuItem(tr(Str::scale_down), "Ctrl+-")) set_scale(m_settings.scale - 0.25f);
        float s = m_settings.scale;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        // Applied when the slider is released, so the atlas is not rebuilt on every drag step.
        if (ImGui::SliderFloat(tr(Str::ui_scale), &s, kMinScale, kMaxScale, "%.2f×")) m_pending_scale = s;
        if (ImGui::IsItemDeactivatedAfterEdit()) set_scale(m_pending_scale);
        ImGui::EndMenu();
    }
    // Quick switches on the bar itself: a teacher changes these in front of the class (where they fit; the
    // View menu has them all).
    if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 14.0f) {
        ImGui::EndMenuBar();
        return;
    }
    ImGui::Separator();
    if (m_hangul && ImGui::SmallButton(m_settings.lang == Lang::En ? tr(Str::lang_ko) : tr(Str::lang_en))) {
        m_settings.lang = m_settings.lang == Lang::En ? Lang::Ko : Lang::En;
        set_language(m_settings.lang);
        m_status.clear();  // it was written in the other language
    }
    if (ImGui::SmallButton(m_settings.theme == Theme::Dark ? tr(Str::theme_light) : tr(Str::theme_dark))) {
        m_settings.theme = m_settings.theme == Theme::Dark ? Theme::Light : Theme::Dark;
        set_palette_theme(m_settings.theme);
        m_fonts_dirty = true;
    }
    if (ImGui::SmallButton(" − ")) set_scale(m_settings.scale - 0.25f);
    ImGui::Text("%s×", format_number(m_scale).c_str());
    if (m_scale < m_settings.scale && ImGui::IsItemHovered())
        ImGui::SetTooltip(tr(Str::scale_limited), format_number(m_settings.scale).c_str());
    if (ImGui::SmallButton(" + ")) set_scale(m_settings.scale + 0.25f);
    ImGui::EndMenuBar();
}

void Shell::draw_view(View& v, bool presenting, float status_h) {
    // Flattened for keyboard navigation: the arrows go from the tabs straight into the view's controls.
    ImGui::BeginChild("##view", ImVec2(0, -status_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NavFlattened);
    ViewContext ctx{
        m_scale,    m_fonts,   m_options, m_capture, [this](std::string m) { notify(std::move(m)); },
        m_requests, m_backends};
    // Keys pressed before a blank in the same frame still count; while blank the shell keeps them all.
    ctx.keys = &m_view_keys;
    ctx.presenting = presenting;
    v.draw_content(ctx);
    m_view_min = ImGui::GetWindowPos();
    m_view_max = ImVec2(m_view_min.x + ImGui::GetWindowSize().x, m_view_min.y + ImGui::GetWindowSize().y);
    // An exported frame is the part the view names (the stepper's canvas), else the whole view.
    if (auto r = m_requests.take_frame_region())
        run_pending_export(ImVec2(r->x0, r->y0), ImVec2(r->x1, r->y1));
    else
        run_pending_export(m_view_min, m_view_max);
    ImGui::EndChild();
}

void Shell::draw() {
    ++m_frame;
    take_backend_probe();
    handle_keys();
    take_dropped_files();
    // A view's own export buttons open the save dialog, as the File menu does.
    if (m_requests.take_export_frame_asked()) export_frame();
    if (m_requests.take_export_animation_asked()) export_animation();
    // A view asked for another one (the image lab's "open in stepper", a dropped image).
    if (auto v = m_requests.take_view()) {
        for (size_t i = 0; i < m_views.size(); ++i)
            if (m_views[i]->id() == *v) m_current = i, m_select_current = true, m_select_left = 2;
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    if (m_present) {
        // Presentation: the current view's canvas alone, no menus, tabs or status line.
        ImGui::Begin("##convscope", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
        draw_view(*m_views[m_current], true, lesson_bar_height(true));
        draw_lesson_bar(true);
        ImGui::End();
    } else {
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar |
                                       ImGuiWindowFlags_NoSavedSettings;
        ImGui::Begin("##convscope", nullptr, flags);
        draw_menu();

        const float status_h = ImGui::GetFrameHeightWithSpacing();
        // Tabs that do not fit scroll (arrows at the end) rather than lose their names.
        if (ImGui::BeginTabBar("views", ImGuiTabBarFlags_FittingPolicyScroll)) {
            for (size_t i = 0; i < m_views.size(); ++i) {
                View& v = *m_views[i];
                const ImGuiTabItemFlags tab_flags =
                    (m_select_current && i == m_current) ? ImGuiTabItemFlags_SetSelected : 0;
                // The ### id keeps the tab the same when its label changes language.
                const std::string label = std::string(tr(v.title())) + "###" + std::string(v.id());
                if (ImGui::BeginTabItem(label.c_str(), nullptr, tab_flags)) {
                    if (!m_select_current) m_current = i;
                    draw_view(v, false, status_h + lesson_bar_height(false));
                    draw_lesson_bar(false);
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
        // The tab bar may ignore the request on its very first frame (no tabs known yet): ask twice.
        if (m_select_current && m_frame >= 2 && --m_select_left <= 0) m_select_current = false;
        ImGui::Separator();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().text_muted), "%s", m_status.c_str());
        ImGui::End();
    }
    save_if_changed();
    draw_popups();
    handle_save_dialog();
    update_title();
    draw_help();

    // The blank screen covers everything; the step is kept underneath.
    if (m_blank != Blank::None)
        ImGui::GetForegroundDrawList()->AddRectFilled(
            vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y),
            m_blank == Blank::Black ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255));
    // Presenting, the pointer hides after two idle seconds and comes back when it moves.
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MousePos.x != m_last_mouse.x || io.MousePos.y != m_last_mouse.y || ImGui::IsAnyMouseDown()) {
        m_last_mouse = io.MousePos;
        m_mouse_moved_at = glfwGetTime();  // wall time: ImGui's clock stands still while the app sleeps
    }
    if ((m_present || m_blank != Blank::None) && glfwGetTime() - m_mouse_moved_at > 2.0)
        ImGui::SetMouseCursor(ImGuiMouseCursor_None);
}

// Saves the settings whenever they change (not only at exit, so a crash or kill loses nothing); a config
// directory that cannot be written shows a message once and the app keeps running.
void Shell::save_if_changed() {
    if (scripted()) return;
    // Compared as values each frame; serialised to JSON only when something changed.
    for (const auto& v : m_views) v->store_preferences(m_settings);
    if (m_settings == m_saved_settings || ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;  // not mid-drag
    m_saved_settings = m_settings;
    if (const Status s = save_settings(m_settings); !s)
        m_status = trf(Str::msg_settings_fail, tr_error(s.err()).c_str());
}

// Every window drawn this frame whose content runs past what it shows without a scrollbar to reach it: wider
// than the window (no horizontal scrollbar), or taller with scrolling off. A label cut at the pane's edge, a
// button half outside, a photo pushed below the bottom: what a person sees as clipped. JSON, for the tests.
namespace {
std::string clipping_report() {
    std::string out = "{\"clipped\":[";
    bool first = true;
    for (const ImGuiWindow* w : GImGui->Windows) {
        if (!w->Active || w->Hidden || w->SkipItems) continue;
        const float over_x = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        const float over_y = w->DC.CursorMaxPos.y - w->InnerClipRect.Max.y;
        const bool cut_x = over_x > 1.0f && !(w->Flags & ImGuiWindowFlags_HorizontalScrollbar);
        const bool cut_y = over_y > 1.0f && (w->Flags & ImGuiWindowFlags_NoScrollbar);
        if (!cut_x && !cut_y) continue;
        std::string name;
        for (const char* c = w->Name; *c; ++c)
            if (*c != '"' && *c != '\\' && uint8_t(*c) >= 0x20) name += *c;
        char buf[96];
        std::snprintf(buf, sizeof buf, "\",\"x\":%.1f,\"y\":%.1f}", cut_x ? over_x : 0.0f,
                      cut_y ? over_y : 0.0f);
        out += std::string(first ? "" : ",") + "{\"window\":\"" + name + buf;
        first = false;
    }
    return out + "]}\n";
}
}  // namespace

void Shell::after_render(int fb_width, int fb_height) {
    const ImGuiIO& io = ImGui::GetIO();
    if (!m_options.report_clipping.empty()) {
        const std::string report = clipping_report();
        if (report != m_last_clipping) {
            m_last_clipping = report;
            if (std::FILE* f = std::fopen(m_options.report_clipping.c_str(), "w")) {
                std::fputs(report.c_str(), f);
                std::fclose(f);
            }
        }
    }
    m_capture.after_render(fb_width, fb_height, io.DisplayFramebufferScale,
                           [this](std::string m) { notify(std::move(m)); });
    plan_next_frame();
    if (m_quit_requested) {
        m_quit_requested = false;
        if (close_requested()) m_exit = true;
    }
    if (!scripted()) return;
    const int target = m_options.frames > 0 ? m_options.frames : 3;
    bool busy = m_capture.gif_recording();
    // Full screen takes effect when the window system says so: wait for the framebuffer to fill it.
    if (m_fullscreen && (fb_width != m_full_w || fb_height != m_full_h) && m_frame < 600) busy = true;
    if (m_options.exit_after > 0 && ImGui::GetTime() < m_options.exit_after) return;
    for (const auto& v : m_views) busy = busy || v->busy();
    // A scripted run that never settles still ends (a GIF of the largest problem is a few hundred frames).
    if ((m_frame < target || busy) && m_frame < target + 100000) return;
    if (!m_options.save_scene.empty()) save_scene_and_exit();
    if (!m_options.screenshot.empty()) {
        const Status s =
            write_png(m_options.screenshot, read_framebuffer(0, 0, fb_width, fb_height, fb_height));
        if (!s) std::fprintf(stderr, "error: %s\n", s.error().c_str());
        if (!s) m_exit_status = 2;
    }
    if (m_capture.failed()) {
        std::fprintf(stderr, "error: %s\n", m_capture.last_error().c_str());
        m_exit_status = 2;
    }
    m_exit = true;
}

}  // namespace convscope::ui

namespace convscope::ui {

// [SECTION] The save dialog, Export frame / animation, About

void SaveDialog::open(Purpose p, std::string start_folder, std::string file_name) {
    purpose = p;
    std::error_code ec;
    if (start_folder.empty()) start_folder = std::filesystem::current_path(ec).string();
    if (ec || start_folder.empty()) start_folder = ".";
    folder = std::move(start_folder);
    name = std::move(file_name);
    extension = p == Purpose::SaveAs ? ".json" : p == Purpose::ExportFrame ? ".png" : ".gif";
    confirm_replace = false;
    just_opened = true;
    list();
}

void SaveDialog::list() {
    namespace fs = std::filesystem;
    subfolders.clear();
    files.clear();
    list_error.clear();
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        list_error = trf(Str::file_not_folder, folder.c_str());
        return;
    }
    // Bounded: a folder of a million files lists its first kMaxEntries names, never the whole of it.
    size_t seen = 0;
    for (; it != fs::directory_iterator() && seen < kMaxEntries * 4; it.increment(ec), ++seen) {
        if (ec) break;
        const std::string n = it->path().filename().string();
        if (n.empty() || n[0] == '.') continue;  // hidden
        std::error_code e2;
        if (it->is_directory(e2)) {
            if (subfolders.size() < kMaxEntries) subfolders.push_back(n);
        } else if (n.size() > extension.size() &&
                   n.compare(n.size() - extension.size(), extension.size(), extension) == 0) {
            if (files.size() < kMaxEntries) files.push_back(n);
        }
    }
    std::sort(subfolders.begin(), subfolders.end());
    std::sort(files.begin(), files.end());
}

std::optional<std::string> SaveDialog::draw(bool enter_key) {
    namespace fs = std::filesystem;
    if (purpose == Purpose::None) return std::nullopt;
    static constexpr const char* kId = "##savedialog";
    if (just_opened) {
        ImGui::OpenPopup(kId);
        just_opened = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float fs_px = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.9f, fs_px * 44.0f), 0));
    std::optional<std::string> chosen;
    bool open =
        ImGui::BeginPopupModal(kId, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
    if (!open) {
        purpose = Purpose::None;  // closed from outside (it cannot be, but never stay half open)
        return std::nullopt;
    }
    const Str title = purpose == Purpose::SaveAs        ? Str::file_save_as
                      : purpose == Purpose::ExportFrame ? Str::file_export_frame
                                                        : Str::file_export_anim;
    ImGui::PushStyleColor(ImGuiCol_Text, palette().strong(Role::Output));
    ImGui::TextUnformatted(tr(title));
    ImGui::PopStyleColor();
    if (purpose == Purpose::ExportAnimation) ImGui::TextDisabled("%s", tr(Str::file_anim_stepper));
    ImGui::Separator();
    ImGui::TextUnformatted(tr(Str::file_folder));
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(folder.c_str());
    ImGui::PopTextWrapPos();
    // The folder list: parent, subfolders (a click goes in), then the files of this kind (a click takes the
    // name).
    const float list_h = std::min(vp->Size.y * 0.4f, fs_px * 14.0f);
    std::string go_to;
    if (ImGui::BeginChild("##entries", ImVec2(0, list_h), true)) {
        const fs::path here(folder);
        if (here.has_parent_path() && here.parent_path() != here && ImGui::Selectable(tr(Str::file_parent)))
            go_to = here.parent_path().string();
        for (const std::string& d : subfolders)
            if (ImGui::Selectable((d + "/").c_str())) go_to = (here / d).string();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
        for (const std::string& f : files)
            if (ImGui::Selectable(f.c_str(), f == name)) {
                name = f;
                confirm_replace = false;
            }
        ImGui::PopStyleColor();
        if (!list_error.empty()) ImGui::TextWrapped("%s", list_error.c_str());
    }
    ImGui::EndChild();
    if (!go_to.empty()) {
        folder = go_to;
        confirm_replace = false;
        list();
    }
    ImGui::TextUnformatted(tr(Str::file_name));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    char buf[512];
    std::snprintf(buf, sizeof buf, "%s", name.c_str());
    const bool enter = ImGui::InputText("##name", buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue);
    if (name != buf) {
        name = buf;
        confirm_replace = false;
    }
    // The path: a name without the kind's ending gets it; a name with a slash is taken as typed (relative to
    // the folder shown).
    std::string file = name;
    if (!file.empty() && (file.size() < extension.size() ||
                          file.compare(file.size() - extension.size(), extension.size(), extension) != 0))
        file += extension;
    const std::string path =
        file.empty() ? std::string() : (fs::path(folder) / file).lexically_normal().string();
    std::error_code ec;
    const bool exists = !path.empty() && fs::exists(path, ec);
    const bool is_folder = !path.empty() && fs::is_directory(path, ec);
    bool save = false;
    if (confirm_replace) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(trf(Str::file_overwrite, path.c_str()).c_str());
        ImGui::PopTextWrapPos();
        // Enter a second time replaces: the question is answered from the keyboard too.
        save = ImGui::Button(tr(Str::file_replace)) || enter || enter_key;
    } else {
        if (name.empty()) ImGui::TextDisabled("%s", tr(Str::file_no_name));
        if (is_folder) ImGui::TextDisabled("%s", trf(Str::file_not_folder, path.c_str()).c_str());
        ImGui::BeginDisabled(name.empty() || is_folder);
        if ((ImGui::Button(tr(Str::file_save_button)) || enter || enter_key) && !name.empty() && !is_folder) {
            if (exists)
                confirm_replace = true;
            else
                save = true;
        }
        ImGui::EndDisabled();
    }
    ImGui::SameLine();
    const bool cancel =
        ImGui::Button(tr(Str::file_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    if (save && !is_folder) chosen = path;
    if (chosen || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (cancel && !chosen)
        purpose = Purpose::None;  // a chosen path: the caller reads the purpose, then ends it
    return chosen;
}

// The dialog's answer: Save as writes the document; an export frame waits until the dialog has left the
// picture (two frames), an animation is the stepper's (a typed request).
void Shell::handle_save_dialog() {
    const SaveDialog::Purpose purpose = m_dialog.purpose;
    std::optional<std::string> path = m_dialog.draw(m_modal_enter);
    if (!path) {
        if (purpose == SaveDialog::Purpose::SaveAs && m_dialog.purpose == SaveDialog::Purpose::None)
            m_quit_after_save = false;  // cancelled
        return;
    }
    m_dialog.purpose = SaveDialog::Purpose::None;
    switch (purpose) {
        case SaveDialog::Purpose::SaveAs:
            if (save_to(*path) && m_quit_after_save) {
                save_session();
                m_exit = true;
            }
            m_quit_after_save = false;
            break;
        case SaveDialog::Purpose::ExportFrame:
            m_export_frame_path = *path;
            m_export_frame_delay = 3;
            break;
        case SaveDialog::Purpose::ExportAnimation:
            m_requests.export_animation(*path);
            m_status = trf(Str::file_exporting, path->c_str());
            break;
        case SaveDialog::Purpose::None:
            break;
    }
}

// A suggested export name: the view and the scene, e.g. "stepper-scene-3.png".
static std::string export_name(std::string_view view, const std::optional<Lesson>& lesson, size_t scene,
                               const char* ext) {
    std::string n(view);
    if (lesson) n += "-scene-" + std::to_string(scene + 1);
    return n + ext;
}

static std::string export_folder_for(const std::string& document) {
    if (document.empty()) return "";
    return std::filesystem::path(document).parent_path().string();
}

void Shell::export_frame() {
    m_dialog.open(SaveDialog::Purpose::ExportFrame, export_folder_for(m_document),
                  export_name(m_views[m_current]->id(), m_lesson, m_scene, ".png"));
}

void Shell::export_animation() {
    if (m_views[m_current]->id() != "stepper") {
        m_status = tr(Str::file_anim_stepper);
        return;
    }
    m_dialog.open(SaveDialog::Purpose::ExportAnimation, export_folder_for(m_document),
                  export_name("stepper", m_lesson, m_scene, ".gif"));
}

// Called inside the view's child window after the view drew: the region saved is the view's (no menus).
void Shell::run_pending_export(ImVec2 view_min, ImVec2 view_max) {
    if (m_export_frame_path.empty()) return;
    if (--m_export_frame_delay > 0) return;
    m_capture.request_png(std::exchange(m_export_frame_path, std::string()), view_min, view_max);
}

void Shell::new_lesson() {
    capture_scene();
    m_lesson = Lesson{};
    m_lesson->title = {"Lesson", "수업"};
    if (auto sc = m_views[m_current]->current_scene()) m_lesson->scenes.push_back(std::move(*sc));
    if (m_lesson->scenes.empty()) {
        m_lesson.reset();
        m_status = tr(Str::scene_no_view);
    }
    m_document.clear();
    m_document_is_scene = false;
    m_scene = 0;
    m_scene_loaded = true;
    mark_saved();
    m_lesson_edited = m_lesson.has_value();
}

// About: the version, what ConvScope is, and every library and asset it ships with, with its licence.
void Shell::draw_about() {
    if (!ImGui::BeginPopupModal("##about", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(trf(Str::about_text, CONVSCOPE_VERSION).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    ImGui::TextUnformatted(tr(Str::about_libraries));
    // Names and licences are proper names: the same in every language.
    static const std::pair<const char*, const char*> libraries[] = {
        {"Dear ImGui 1.86", "MIT"},
        {"GLFW 3.3", "zlib/libpng"},
        {"glad 2 (generated loader)", "MIT; Khronos specifications: Apache 2.0"},
        {"stb_image, stb_truetype (stb)", "MIT / public domain"},
        {"libpng 1.6", "libpng (PNG Reference Library License 2)"},
        {"libjpeg-turbo 2.1", "IJG, BSD-3-Clause, zlib"},
        {"giflib 5.2", "MIT"},
        {"zlib", "zlib"},
        {"nlohmann/json", "MIT"},
        {"CLI11", "BSD-3-Clause"},
        {"DejaVu Sans", "Bitstream Vera, public domain changes"},
        {"NanumGothic", "SIL Open Font License 1.1"},
    };
    if (ImGui::BeginTable("##libs", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        for (const auto& [lib, licence] : libraries) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(lib);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(licence);
        }
        ImGui::EndTable();
    }
    if (ImGui::Button(tr(Str::file_ok)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// [SECTION] Typed requests and the backend probe

// Files dropped on the window: a scene or lesson (.json) opens as a document, anything else goes to the
// image lab.
void Shell::take_dropped_files() {
    if (!m_keys || m_keys->dropped.empty()) return;
    std::vector<std::string> images;
    for (std::string& p : std::exchange(m_keys->dropped, {})) {
        const bool json = p.size() >= 5 && p.compare(p.size() - 5, 5, ".json") == 0;
        if (json)
            open_document(p);
        else
            images.push_back(std::move(p));
    }
    if (!images.empty()) m_requests.files_dropped(std::move(images), "image");
}

void Shell::recheck_backends() {
    if (m_probe.valid()) return;  // one probe at a time
    m_probe = std::async(std::launch::async, [] {
        BackendInfo info;
        info.fastest = std::string(fastest_backend(&info.why_not_gpu).name());
        info.probed = true;
        return info;
    });
}

void Shell::take_backend_probe() {
    if (!m_probe.valid() || m_probe.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    m_backends = m_probe.get();
}

// [SECTION] Sleeping when nothing changes

namespace {

// A 64-bit hash of bytes folded into `h`, eight bytes at a time (a frame's draw data is up to a few MB).
uint64_t hash_bytes(uint64_t h, const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    for (; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;  // leftovers
    return h;
}

// What this frame shows: every vertex, index, clip rectangle and texture of the draw data. Two equal hashes
// in a row mean the picture has settled.
uint64_t picture_hash() {
    uint64_t h = 1469598103934665603ull;
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!dd) return h;
    h = hash_bytes(h, &dd->DisplaySize, sizeof dd->DisplaySize);
    for (int l = 0; l < dd->CmdListsCount; ++l) {
        const ImDrawList* list = dd->CmdLists[l];
        h = hash_bytes(h, list->VtxBuffer.Data, size_t(list->VtxBuffer.Size) * sizeof(ImDrawVert));
        h = hash_bytes(h, list->IdxBuffer.Data, size_t(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
        for (const ImDrawCmd& c : list->CmdBuffer) {
            h = hash_bytes(h, &c.ClipRect, sizeof c.ClipRect);
            h = hash_bytes(h, &c.TextureId, sizeof c.TextureId);
            h = hash_bytes(h, &c.ElemCount, sizeof c.ElemCount);
        }
    }
    return h;
}

// The input ImGui saw this frame: pointer, buttons, wheel, keys, typed characters, focus.
uint64_t input_hash() {
    const ImGuiIO& io = ImGui::GetIO();
    uint64_t h = 1469598103934665603ull;
    h = hash_bytes(h, &io.MousePos, sizeof io.MousePos);
    h = hash_bytes(h, io.MouseDown, sizeof io.MouseDown);
    h = hash_bytes(h, &io.MouseWheel, sizeof io.MouseWheel);
    h = hash_bytes(h, &io.MouseWheelH, sizeof io.MouseWheelH);
    h = hash_bytes(h, io.KeysDown, sizeof io.KeysDown);
    h = hash_bytes(h, &io.KeyMods, sizeof io.KeyMods);
    h = hash_bytes(h, &io.DisplaySize, sizeof io.DisplaySize);
    h = hash_bytes(h, io.InputQueueCharacters.Data, size_t(io.InputQueueCharacters.Size) * sizeof(ImWchar));
    return h;
}

}  // namespace

// Decides, after each frame, whether the next one is drawn at once or after a sleep (glfwWaitEventsTimeout
// in main): frames while a view animates or works, while a button is held (a drag), while the picture still
// changes after input (ImGui settles over a couple of frames), and for three frames after any input.
void Shell::plan_next_frame() {
    const bool views_want = m_requests.take_frames_wanted();
    const uint64_t picture = picture_hash(), input = input_hash();
    const bool picture_changed = picture != m_last_picture, input_changed = input != m_last_input;
    m_last_picture = picture;
    m_last_input = input;
    if (input_changed) m_frames_to_draw = std::max(m_frames_to_draw, 3);
    bool busy =
        views_want || picture_changed || ImGui::IsAnyMouseDown() || m_capture.gif_recording() ||
        m_fonts_dirty || m_popup != Popup::None || !m_export_frame_path.empty() ||
        m_requests.animation_export_pending() || m_quit_requested || m_select_current ||
        (m_keys && (!m_keys->presses.empty() || !m_keys->held_releases.empty() || !m_keys->dropped.empty()));
    for (const auto& v : m_views) busy = busy || v->busy();
    if (m_frames_to_draw > 0) {
        --m_frames_to_draw;
        busy = true;
    }
    if (scripted() || busy) {
        m_wait = 0.0;
        return;
    }
    // Asleep: wake for what is due without input.
    double wait = 5.0;                                             // a safety net; nothing needs it
    if (m_probe.valid()) wait = std::min(wait, 0.05);              // the backend probe's answer
    if (ImGui::GetIO().WantTextInput) wait = std::min(wait, 0.3);  // the caret blinks
    const double hide_at = m_mouse_moved_at + 2.05;
    if ((m_present || m_blank != Blank::None) && glfwGetTime() < hide_at)
        wait = std::min(wait, std::max(0.01, hide_at - glfwGetTime()));  // the pointer hides
    m_wait = wait;
}

}  // namespace convscope::ui
