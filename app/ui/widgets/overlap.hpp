// Items that must never cover one another (a button drawn over a label when a large scale leaves a line too
// short). A view names each such item right after drawing it; the shell's --report-clipping lists every pair
// in one window whose rectangles overlap this frame, so the tests catch what a person would see as
// overlapping, not only what is cut off.
#pragma once

#include <string>
#include <vector>

namespace convscope::ui {

// The last item drawn (ImGui's item rectangle), in the current window, under `name`.
void guard_item(const char* name);

// This frame's overlapping pairs, as "WINDOW: A / B", then forgets the frame's items. The shell calls it
// once a frame.
std::vector<std::string> take_overlaps();

// Forgets the frame's items unchecked (the shell, once a frame, when nothing asked for a report).
void forget_guarded_items();

}  // namespace convscope::ui
