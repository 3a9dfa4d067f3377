#include "app/ui/widgets/draw.hpp"

#include <imgui_internal.h>

namespace convscope::ui {

bool checkbox(const char* label, bool* v) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float box = ImGui::GetFrameHeight();
    const float text = ImGui::CalcTextSize(label, nullptr, true).x;
    if (box + st.ItemInnerSpacing.x + text <= ImGui::GetContentRegionAvail().x)
        return ImGui::Checkbox(label, v);
    ImGui::PushID(label);
    bool changed = ImGui::Checkbox("##box", v);
    ImGui::SameLine(0.0f, st.ItemInnerSpacing.x);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label, ImGui::FindRenderedTextEnd(label));
    ImGui::PopTextWrapPos();
    if (ImGui::IsItemClicked()) {
        *v = !*v;
        changed = true;
    }
    ImGui::PopID();
    return changed;
}

}  // namespace convscope::ui
