// The File and Lesson menus, their popups (open, save as, caption, about, quit), a new lesson, and
// --save-scene.
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

#include "app/ui/shell/texts.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

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
            m_status = Message(Str::scene_no_view);
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

void Shell::new_lesson() {
    capture_scene();
    start_lesson_from_view();
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

}  // namespace convscope::ui
