// The open-image dialog: recent files on the left, the folder on the right, a path field.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>

#include "app/ui/image_lab/image_view.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui::image_lab {
namespace {

namespace fs = std::filesystem;

bool is_image_name(const fs::path& p) {
    std::string ext = p.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    // The formats core/io/image.hpp decodes; PSD, HDR and PIC files are refused there with a message.
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pnm", ".ppm", ".pgm"})
        if (ext == e) return true;
    return false;
}

}  // namespace

void ImageView::draw_file_browser(ViewContext& ctx) {
    const float s = ctx.scale;
    if (m_browser_open) {
        ImGui::OpenPopup("##open_image");
        m_browser_open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(760 * s, 480 * s), ImGuiCond_Appearing);
    // Opaque, in the panel colour: the photo behind a see-through dialog makes its list hard to read.
    ImGui::PushStyleColor(ImGuiCol_PopupBg, to_vec4(palette().panel));
    const bool open = ImGui::BeginPopupModal("##open_image", nullptr, ImGuiWindowFlags_NoTitleBar);
    ImGui::PopStyleColor();
    if (!open) return;
    ImGui::TextUnformatted(tr(Str::img_open_title));
    ImGui::Separator();
    std::string pick;
    const float bottom = ImGui::GetFrameHeightWithSpacing() * 2;
    // Recent files on the left, the folder on the right.
    ImGui::BeginChild("##recent", ImVec2(240 * s, -bottom), true);
    ImGui::TextColored(to_vec4(palette().text_muted), "%s", tr(Str::img_recent));
    for (const std::string& r : m_recent)
        if (ImGui::Selectable(fs::path(r).filename().string().c_str())) pick = r;
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##folder", ImVec2(0, -bottom), true);
    if (ImGui::SmallButton(tr(Str::img_up))) m_browser_dir = fs::path(m_browser_dir).parent_path().string();
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(palette().text_muted), "%s", m_browser_dir.c_str());
    std::error_code ec;
    std::vector<fs::path> dirs, files;
    for (fs::directory_iterator it(m_browser_dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(".")) continue;
        std::error_code e2;
        if (it->is_directory(e2))
            dirs.push_back(it->path());
        else if (is_image_name(it->path()))
            files.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
    std::sort(files.begin(), files.end());
    for (const fs::path& d : dirs)
        if (ImGui::Selectable((d.filename().string() + "/").c_str())) m_browser_dir = d.string();
    for (const fs::path& f : files)
        if (ImGui::Selectable(f.filename().string().c_str(), m_browser_path == f.string(),
                              ImGuiSelectableFlags_AllowDoubleClick)) {
            m_browser_path = f.string();
            if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) pick = m_browser_path;
        }
    // The OS's reason in the current language (std::filesystem reports errno values on POSIX).
    if (ec) error_text(tr_error(fail<ErrCode::cannot_open>(m_browser_dir, os_reason(ec.value()))));
    ImGui::EndChild();
    label(Str::img_path);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputText("##browser_path", &m_browser_path, ImGuiInputTextFlags_EnterReturnsTrue))
        pick = m_browser_path;
    if (ImGui::Button(tr(Str::img_open_button)) && !m_browser_path.empty()) pick = m_browser_path;
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    if (!pick.empty()) {
        m_lab.load(pick);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace convscope::ui::image_lab
