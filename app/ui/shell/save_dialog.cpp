// The in-app save dialog (SaveDialog) and what goes through it: Save as, Export frame and Export animation.
#include "app/ui/shell/save_dialog.hpp"

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
    list_error = {};
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        list_error = Message(Str::file_not_folder, folder);
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
        if (!list_error.empty()) ImGui::TextWrapped("%s", list_error.text().c_str());
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
            m_status = Message(Str::file_exporting, *path);
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
        m_status = Message(Str::file_anim_stepper);
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

}  // namespace convscope::ui
