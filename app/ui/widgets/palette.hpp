// One colour per role, the same in every view: input, padding, kernel, output, current window (and a few
// helper roles). Colours come from the Okabe–Ito palette, which stays distinguishable under the common
// colour-vision deficiencies. A view asks `palette().fill(Role::Kernel)`; it never picks its own colours for
// these roles.
//
//   const Palette& p = palette();
//   draw->AddRectFilled(a, b, p.fill(Role::Input));
//   draw->AddRect(a, b, p.strong(Role::Window), 0, 0, 3 * scale);
#pragma once

#include <imgui.h>

namespace convscope::ui {

enum class Theme { Light, Dark };

enum class Role {
    Input,      // sky blue: the input image's cells
    Padding,    // grey: the zero-padding ring (not part of the image)
    Kernel,     // orange: the filter and its weights
    Output,     // bluish green: output cells
    Window,     // vermillion: the current window and the current output cell
    Term,       // yellow: the term being multiplied right now
    Feeds,      // reddish purple: outputs an input cell feeds (hover)
    Chosen,     // blue: the element max pooling chose
    Unreached,  // dark shade: rows/columns no window reaches
    Count
};

// Okabe–Ito, as 0xRRGGBB.
namespace okabe_ito {
inline constexpr unsigned kOrange = 0xE69F00, kSkyBlue = 0x56B4E9, kBluishGreen = 0x009E73,
                          kYellow = 0xF0E442, kBlue = 0x0072B2, kVermillion = 0xD55E00,
                          kReddishPurple = 0xCC79A7, kGrey = 0x999999, kBlack = 0x000000;
}

struct Palette {
    Theme theme = Theme::Dark;
    ImU32 background, panel, text, text_muted, grid_line;

    // Cell background for a role: the role's colour blended toward the background, so numbers stay legible.
    ImU32 fill(Role r) const { return m_fill[int(r)]; }
    // The role's full-strength colour, for outlines, labels and legends.
    ImU32 strong(Role r) const { return m_strong[int(r)]; }

    ImU32 m_fill[int(Role::Count)];
    ImU32 m_strong[int(Role::Count)];
};

// The palette of a theme.
inline Palette make_palette(Theme theme) {
    auto rgb = [](unsigned c, float a = 1.0f) {
        return ImGui::ColorConvertFloat4ToU32(ImVec4(
            float((c >> 16) & 255) / 255.0f, float((c >> 8) & 255) / 255.0f, float(c & 255) / 255.0f, a));
    };
    auto mix = [](unsigned c, unsigned bg, float t) {
        auto ch = [&](int s) { return float((c >> s) & 255) * t + float((bg >> s) & 255) * (1 - t); };
        return ImGui::ColorConvertFloat4ToU32(ImVec4(ch(16) / 255.0f, ch(8) / 255.0f, ch(0) / 255.0f, 1.0f));
    };
    using namespace okabe_ito;
    const bool dark = theme == Theme::Dark;
    const unsigned bg = dark ? 0x1E1E22 : 0xFAFAF7;
    Palette p;
    p.theme = theme;
    p.background = rgb(bg);
    p.panel = rgb(dark ? 0x2A2A30 : 0xEDEDE8);
    p.text = rgb(dark ? 0xF2F2F2 : 0x111111);
    p.text_muted = rgb(dark ? 0xA0A0A8 : 0x5A5A5A);
    p.grid_line = rgb(dark ? 0x606068 : 0x8A8A8A);
    const unsigned colours[int(Role::Count)] = {kSkyBlue, kGrey,          kOrange, kBluishGreen, kVermillion,
                                                kYellow,  kReddishPurple, kBlue,   kBlack};
    const float tint = dark ? 0.38f : 0.30f;
    for (int r = 0; r < int(Role::Count); ++r) {
        p.m_fill[r] = mix(colours[r], bg, tint);
        p.m_strong[r] = rgb(colours[r]);
    }
    // The padding ring is a flat neutral, darker/lighter than the background, so it reads as "not the image".
    p.m_fill[int(Role::Padding)] = rgb(dark ? 0x3A3A40 : 0xD4D4D0);
    p.m_strong[int(Role::Padding)] = rgb(dark ? 0x8C8C94 : 0x707070);
    // The yellow term highlight must stay light in both themes for dark text on it.
    p.m_fill[int(Role::Term)] = rgb(kYellow);
    p.m_fill[int(Role::Unreached)] = rgb(0x000000, dark ? 0.55f : 0.35f);
    p.m_strong[int(Role::Unreached)] = rgb(dark ? 0x000000 : 0x333333);
    return p;
}

// The palette in use (set by the shell when the theme changes).
const Palette& palette();
void set_palette_theme(Theme theme);

}  // namespace convscope::ui
