// Small drawing helpers shared by the views (canvas pattern: InvisibleButton + ImDrawList), so every view
// draws numbers, cells and formulas the same way.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <string>

namespace convscope::ui {

// Width × height of `text` in `font` at `size` pixels.
inline ImVec2 text_size(ImFont* font, float size, const std::string& text) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str(), text.c_str() + text.size());
}

// The largest size ≤ `max_size` at which `text` fits `max_width` (never below 1 pixel).
inline float fit_size(ImFont* font, float max_size, float max_width, const std::string& text) {
    const float w = text_size(font, max_size, text).x;
    return w <= max_width || w <= 0 ? max_size : std::max(1.0f, max_size * max_width / w);
}

// Draws `text` centred on `centre`, shrunk to fit `max_width`.
inline void text_centred(ImDrawList* dl, ImFont* font, float size, ImVec2 centre, ImU32 col,
                         const std::string& text, float max_width) {
    const float s = fit_size(font, size, max_width, text);
    const ImVec2 ts = text_size(font, s, text);
    dl->AddText(font, s, ImVec2(centre.x - ts.x * 0.5f, centre.y - ts.y * 0.5f), col, text.c_str(),
                text.c_str() + text.size());
}

// A line of text in `font` at `size` at the cursor, advancing the layout like ImGui::Text.
inline void text_line(ImFont* font, float size, ImU32 col, const std::string& text) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 ts = text_size(font, size, text);
    ImGui::GetWindowDrawList()->AddText(font, size, pos, col, text.c_str(), text.c_str() + text.size());
    ImGui::Dummy(ts);
}

// The rule items flow by (same_line_if_fits, RowFlow): an item `width` wide goes on the line after one ending
// at `last_right` when it ends, `gap` later, by `line_right`.
inline bool fits_after(float last_right, float gap, float width, float line_right) {
    return last_right + gap + width <= line_right;
}

// Puts the next item, `width` wide, beside the last one when the line has room for it, else at the start of
// the next line (a large UI scale on a narrow panel): items flow like words, never over one another.
// Decided before SameLine: a SameLine then NewLine would leave the layout's right edge one item spacing past
// the last item, which the clipping report counted as content cut off (8 px at scale 2 in Korean).
// `spacing`: the gap before the item, as ImGui::SameLine's (< 0: the style's item spacing).
inline void same_line_if_fits(float width, float spacing = -1.0f) {
    const float gap = spacing < 0.0f ? ImGui::GetStyle().ItemSpacing.x : spacing;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (fits_after(ImGui::GetItemRectMax().x, gap, width, right)) ImGui::SameLine(0.0f, spacing);
}

// Items placed as same_line_if_fits places them, measured before they are drawn (how many rows a toolbar
// will take): the first item starts the first row, each next one goes beside the last when it fits.
struct RowFlow {
    float line_width;                             // from the line's start to its right edge
    float gap = ImGui::GetStyle().ItemSpacing.x;  // between items on a row
    int rows = 0;
    float right = 0.0f;  // of the last item, from the line's start

    void place(float width) {
        if (rows > 0 && fits_after(right, gap, width, line_width)) {
            right += gap + width;
        } else {
            ++rows;
            right = width;
        }
    }
};

// The width of a button labelled `label` (its text, up to any "##", and its frame padding).
inline float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

// A checkbox whose label wraps at the panel's edge when it is too long for one line (a long label, Korean,
// a large scale on a narrow panel) instead of running past it; a click on the label toggles it too.
bool checkbox(const char* label, bool* v);  // draw.cpp

// A button whose label breaks into lines at the panel's edge, as text wraps, when it is too wide for one
// line ("Save animation as GIF…" at scale 2 on a 1024-wide window ran 46 px past the stepper's settings).
bool button(const char* label);  // draw.cpp

// A paragraph in `font` at `size` at the cursor, wrapped at `width`, advancing the layout.
inline void text_wrapped(ImFont* font, float size, ImU32 col, const std::string& text, float width) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const char* b = text.c_str();
    const char* e = b + text.size();
    const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, width, b, e);
    ImGui::GetWindowDrawList()->AddText(font, size, pos, col, b, e, width);
    ImGui::Dummy(ImVec2(std::min(ts.x, width), ts.y));
}

// Diagonal hatching inside a rectangle: marks cells that are not part of the image (padding, unreached).
inline void hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float spacing, float thickness) {
    dl->PushClipRect(a, b, true);
    const float h = b.y - a.y;
    for (float x = a.x - h; x < b.x; x += spacing)
        dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), col, thickness);
    dl->PopClipRect();
}

// The colour with its alpha multiplied by `alpha`.
inline ImU32 with_alpha(ImU32 col, float alpha) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(col);
    c.w *= alpha;
    return ImGui::ColorConvertFloat4ToU32(c);
}

}  // namespace convscope::ui
