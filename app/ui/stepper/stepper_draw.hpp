// Drawing helpers the stepper's panels share: the text colour that reads on a fill, and line widths that
// read from the back of the room, from the cell size.
#pragma once

#include <algorithm>

#include <imgui.h>

namespace convscope::ui {

// Black or white, whichever reads on `fill`.
inline ImU32 text_on(ImU32 fill) {
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
    return (0.299f * c.x + 0.587f * c.y + 0.114f * c.z) > 0.6f ? IM_COL32(0, 0, 0, 255)
                                                               : IM_COL32(255, 255, 255, 255);
}

// Grid lines, grid borders and the current window's outline at cell size `cell`.
inline float thin_line(float cell) {
    return std::clamp(cell / 60.0f, 1.0f, 4.0f);
}
inline float border_line(float cell) {
    return std::clamp(cell * 0.035f, 1.5f, 12.0f);
}
inline float outline_line(float cell) {
    return std::clamp(cell * 0.07f, 2.5f, 24.0f);
}

}  // namespace convscope::ui
