#include "app/ui/widgets/draw.hpp"

#include <imgui_internal.h>

#include <string>

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

bool button(const char* label) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const float inner = avail - ImGui::GetStyle().FramePadding.x * 2;  // the label's room
    if (button_width(label) <= avail || inner <= 0) return ImGui::Button(label);
    // ImGui's own word wrap; where not even one character fits a line, one goes on it anyway.
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const char* const end = ImGui::FindRenderedTextEnd(label);
    std::string text;
    for (const char* s = label; s < end;) {
        const char* br = font->CalcWordWrapPositionA(scale, s, end, inner);
        if (br <= s) {
            unsigned int c;
            br = s + ImTextCharFromUtf8(&c, s, end);
        }
        const char* line_end = br;
        while (line_end > s && line_end[-1] == ' ') --line_end;
        if (!text.empty()) text += '\n';
        text.append(s, line_end);
        for (s = br; s < end && (*s == ' ' || *s == '\n');) ++s;
    }
    // An ID that does not change with the line breaks.
    text += "###";
    text += label;
    return ImGui::Button(text.c_str());
}

}  // namespace convscope::ui
