// The PyTorch code tab of the network view: the stack as a script that runs as written (the model's cached
// to_pytorch_code), and pasted code built into a stack (an undoable edit), with what the import skipped or
// assumed.
#include <imgui.h>
// imgui_stdlib.h needs imgui.h first.
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/ui/network/network_view.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui::network {

void NetworkView::draw_code_tab(ViewContext& ctx) {
    const Palette& pal = palette();
    std::string code = m_model.code();  // a copy: the read-only field below takes a mutable string
    const float half = ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
    const auto& notes = m_model.notes();
    const auto& skipped = m_model.skipped();
    const bool report = !notes.empty() || !skipped.empty();
    const float full = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 2;
    // The paste box gives room to the import's report under it; the exported code keeps the full height.
    const float height =
        report ? ImGui::GetContentRegionAvail().y * 0.55f - ImGui::GetFrameHeightWithSpacing() * 2 : full;
    ImGui::BeginGroup();
    if (ImGui::Button(tr(Str::net_copy))) {
        ImGui::SetClipboardText(code.c_str());
        ctx.notify(Message(Str::net_copied));
    }
    ImGui::InputTextMultiline("##code", &code, ImVec2(half, std::max(full, 120.0f * ctx.scale)),
                              ImGuiInputTextFlags_ReadOnly);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr(Str::net_paste_title));
    ImGui::InputTextMultiline(
        "##paste", &m_paste,
        ImVec2(half, std::max(height - ImGui::GetFrameHeightWithSpacing() * 2, 80.0f * ctx.scale)));
    if (ImGui::Button(tr(Str::net_paste_clip))) {
        const char* clip = ImGui::GetClipboardText();
        if (clip) m_paste = clip;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_build))) {
        auto built = m_model.apply(network_edit::PasteCode{m_paste});
        if (built) {
            m_selected = m_model.stack().layers.empty() ? -1 : 0;
            ctx.notify(Message(Str::net_built, int(m_model.stack().layers.size())));
        }
    }
    // The model keeps the paste's error: drawn each frame, so it follows a language switch.
    if (const auto& paste_error = m_model.paste_error()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(trf(Str::net_code_error, tr_error(*paste_error).c_str()).c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    // Every line that gave no layer is listed, and what the import assumed.
    if (!notes.empty() || !skipped.empty()) {
        ImGui::BeginChild("##import_report", ImVec2(half, 0), true);
        const ImVec4 muted = ImGui::ColorConvertU32ToFloat4(pal.text_muted);
        ImGui::PushTextWrapPos(0.0f);
        if (!notes.empty()) {
            ImGui::TextUnformatted(tr(Str::net_notes));
            for (const Error& n : notes) ImGui::TextWrapped("· %s", tr_error(n).c_str());
        }
        if (!skipped.empty() && ImGui::TreeNodeEx("##skipped", ImGuiTreeNodeFlags_DefaultOpen, "%s",
                                                  trf(Str::net_skipped, int(skipped.size())).c_str())) {
            // A line of code is shown as written; a note in the current language.
            for (const SkippedLine& k : skipped)
                ImGui::TextColored(muted, "%4d  %s", int(k.line),
                                   k.note ? tr_error(*k.note).c_str() : k.text.c_str());
            ImGui::TreePop();
        }
        ImGui::PopTextWrapPos();
        ImGui::EndChild();
    }
    ImGui::EndGroup();
}

}  // namespace convscope::ui::network
