// Drawing helpers of the transposed convolution's panel (stepper_transpose_panel.cpp draws the controls,
// header and report, stepper_transpose_grids.cpp the scatter and gather grids): numbers in cells, grid
// labels, operator signs, a wrapping row of text pieces, and the input-kernel-output row of grids.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "app/ui/stepper/stepper_draw.hpp"
#include "app/ui/stepper/stepper_panels.hpp"
#include "app/ui/view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui::transpose_draw {

inline ImU32 lerp(ImU32 a, ImU32 b, float t) {
    const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
    return ImGui::ColorConvertFloat4ToU32(
        ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t, x.z + (y.z - x.z) * t, 1.0f));
}

inline std::string num(double v) {
    return format_number_typeset(v);
}

inline std::string size_text(int64_t h, int64_t w) {
    return std::to_string(h) + "×" + std::to_string(w);
}

// The cells of a grid drawn at `org`, recorded for --report-layout.
struct Grid {
    ImVec2 org;
    float cell;
    ImVec2 at(int64_t y, int64_t x) const { return ImVec2(org.x + float(x) * cell, org.y + float(y) * cell); }
};

inline void number(ImDrawList* dl, ViewContext& ctx, ImVec2 a, float cell, float frac, ImU32 col,
                   const std::string& s, float dy = 0.0f) {
    const float size = cell * frac;
    text_centred(dl, ctx.fonts.for_size(size), size, ImVec2(a.x + cell * 0.5f, a.y + cell * (0.5f + dy)), col,
                 s, cell * 0.86f);
}

inline void label(ImDrawList* dl, ViewContext& ctx, ImVec2 grid_top_left, float px, float max_w, ImU32 col,
                  const std::string& text) {
    ImFont* f = ctx.fonts.for_size(px);
    const float size = fit_size(f, px, max_w, text);
    dl->AddText(f, size, ImVec2(grid_top_left.x, grid_top_left.y - px * 1.3f), col, text.c_str());
}

// An operator sign centred in the gap left of `x`.
inline void op_sign(ImDrawList* dl, ViewContext& ctx, float x, float y, float gap, float cell, const char* s,
                    float scale = 1.0f) {
    const float px = std::min(gap * 0.8f, cell * 0.8f) * scale;
    text_centred(dl, ctx.fonts.for_size(px), px, ImVec2(x - gap * 0.5f, y), palette().text, s, gap);
}

// A row of tokens (text, highlighted or not) that wraps within `width` at the cursor, at the largest size
// ≤ `size` that keeps it within `max_lines` lines; advances the layout.
struct Piece {
    std::string text;
    bool highlight = false;
    bool muted = false;  // not summed yet
};
inline void flow(ViewContext& ctx, const std::vector<Piece>& pieces, float width, float size, int max_lines) {
    const Palette& pal = palette();
    auto lines_at = [&](float s) {
        ImFont* f = ctx.fonts.for_size(s);
        float x = 0;
        int lines = 1;
        for (const Piece& p : pieces) {
            const float w = text_size(f, s, p.text).x;
            if (x > 0 && x + w > width) {
                ++lines;
                x = 0;
            }
            x += w;
        }
        return lines;
    };
    float s = size;
    while (s > 12.0f && lines_at(s) > max_lines) s *= 0.9f;
    ImFont* f = ctx.fonts.for_size(s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    float x = 0, y = 0;
    for (const Piece& p : pieces) {
        const ImVec2 ts = text_size(f, s, p.text);
        if (x > 0 && x + ts.x > width) {
            x = 0;
            y += s * 1.35f;
        }
        const ImVec2 a(start.x + x, start.y + y);
        if (p.highlight) {
            dl->AddRectFilled(ImVec2(a.x - 2, a.y - 1), ImVec2(a.x + ts.x + 2, a.y + ts.y + 1),
                              pal.fill(Role::Term), s * 0.15f);
            dl->AddText(f, s, a, text_on(pal.fill(Role::Term)), p.text.c_str());
        } else {
            dl->AddText(f, s, a, p.muted ? pal.text_muted : pal.text, p.text.c_str());
        }
        x += ts.x;
    }
    ImGui::Dummy(ImVec2(width, y + s * 1.35f));
}

// Input, kernel and output side by side at one cell size (min_cell up to 4 t) above two lines of text, from
// the cursor; the operator signs sit level with the middle of the first `mid_rows` rows (3 at most).
struct GridRow {
    float label_px, cell, gap, gy, mid;
    ImVec2 o0;  // top-left
    Grid in, k, out;
};
inline GridRow grid_row(ImVec2 avail, float t, int64_t in_w, int64_t kw, int64_t ow, float rows,
                        float min_cell, int64_t mid_rows) {
    const float text_h = t * 2.9f;
    const float label_px = std::max(13.0f, t * 0.7f);
    const float cols = float(in_w + kw + ow) + 2.6f;
    const float cell =
        std::clamp(std::min(avail.x / cols, (avail.y - text_h - label_px * 1.6f) / rows), min_cell, t * 4.0f);
    const float gap = cell * 1.3f;
    const ImVec2 o0 = ImGui::GetCursorScreenPos();
    const float gy = o0.y + label_px * 1.4f;
    const Grid in{ImVec2(o0.x, gy), cell};
    const Grid k{ImVec2(o0.x + float(in_w) * cell + gap, gy), cell};
    const Grid out{ImVec2(k.org.x + float(kw) * cell + gap, gy), cell};
    const float mid = gy + float(std::min<int64_t>(mid_rows, 3)) * cell * 0.5f;
    return {label_px, cell, gap, gy, mid, o0, in, k, out};
}

// The operator sign in the gap before grid `g` (`scale` times its size) and the grid's label above it, at
// most as wide as the grid (`width` cells) or `min_cells` cells, in the role's colour.
inline void heading(ImDrawList* dl, ViewContext& ctx, const Grid& g, const char* sign, float scale, float mid,
                    float gap, float label_px, float width, float min_cells, Role role,
                    const std::string& text) {
    op_sign(dl, ctx, g.org.x, mid, gap, g.cell, sign, scale);
    label(dl, ctx, g.org, label_px, std::max(width * g.cell, g.cell * min_cells), palette().strong(role),
          text);
}

// A kh×kw kernel at `g` (weights row-major from `w`), cell (now_y, now_x) in the term colour; recorded in
// `grids`.
inline void kernel_grid(ImDrawList* dl, ViewContext& ctx, const Grid& g, int64_t kh, int64_t kw,
                        const float* w, int64_t now_y, int64_t now_x, GridRects& grids) {
    const Palette& pal = palette();
    const float cell = g.cell;
    for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
            const ImVec2 a = g.at(y, x), b(a.x + cell, a.y + cell);
            const ImU32 fill = y == now_y && x == now_x ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
            dl->AddRectFilled(a, b, fill);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(cell));
            number(dl, ctx, a, cell, 0.5f, text_on(fill), num(w[size_t(y * kw + x)]));
        }
    dl->AddRect(g.org, g.at(kh, kw), pal.strong(Role::Kernel), 0, 0, border_line(cell));
    grids.push_back({g.org.x, g.org.y, g.at(kh, kw).x, g.at(kh, kw).y});
}

}  // namespace convscope::ui::transpose_draw
