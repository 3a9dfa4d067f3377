#include "app/ui/widgets/overlap.hpp"

#include <imgui.h>
#include <imgui_internal.h>

namespace convscope::ui {

namespace {
struct GuardedItem {
    ImGuiID window;
    std::string window_name;
    std::string name;
    ImRect rect;
};
std::vector<GuardedItem>& items() {
    static std::vector<GuardedItem> frame;
    return frame;
}
}  // namespace

void guard_item(const char* name) {
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    if (!w || items().size() >= 256) return;  // bounded: a frame guards a few dozen items
    items().push_back({w->ID, w->Name, name, ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax())});
}

std::vector<std::string> take_overlaps() {
    std::vector<std::string> out;
    const std::vector<GuardedItem>& all = items();
    for (size_t i = 0; i < all.size(); ++i)
        for (size_t j = i + 1; j < all.size(); ++j) {
            const GuardedItem &a = all[i], &b = all[j];
            if (a.window != b.window) continue;
            // More than a pixel of overlap both ways: touching edges and rounding are not an overlap.
            const float ox = std::min(a.rect.Max.x, b.rect.Max.x) - std::max(a.rect.Min.x, b.rect.Min.x);
            const float oy = std::min(a.rect.Max.y, b.rect.Max.y) - std::max(a.rect.Min.y, b.rect.Min.y);
            if (ox > 1.0f && oy > 1.0f) out.push_back(a.window_name + ": " + a.name + " / " + b.name);
        }
    items().clear();
    return out;
}

void forget_guarded_items() {
    items().clear();
}

}  // namespace convscope::ui
