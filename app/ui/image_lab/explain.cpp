// Explain this pixel: the input values under the window (padding grey, the max-pool choice marked), the
// weights, the value and how it is shown, every multiply-accumulate term, and the hand-off to the stepper.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/image_lab/image_view.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/explain.hpp"

namespace convscope::ui::image_lab {

void ImageView::draw_explain(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    ImGui::BeginChild("##explain", size, true);
    ImGui::TextColored(to_vec4(pal.strong(Role::Window)), "%s", tr(Str::img_explain));
    if (!m_lab.trace() || !m_lab.full()) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(pal.text_muted));
        if (m_compact && !m_lab.trace_error().has_value()) {
            // One line: as much of the hint as fits, ending in "…", the whole of it on hover.
            const std::string hint = tr(Str::img_explain_hint);
            const float room = ImGui::GetContentRegionAvail().x;
            std::string shown = hint;
            if (ImGui::CalcTextSize(hint.c_str()).x > room) {
                size_t n = hint.size();
                do {
                    do --n;
                    while (n > 0 && (uint8_t(hint[n]) & 0xC0) == 0x80);  // cut between UTF-8 characters
                    shown = hint.substr(0, n) + "…";
                } while (n > 0 && ImGui::CalcTextSize(shown.c_str()).x > room);
            }
            ImGui::TextUnformatted(shown.c_str());
            if (ImGui::IsItemHovered() && shown != hint) ImGui::SetTooltip("%s", hint.c_str());
        } else {
            ImGui::TextWrapped("%s", tr(Str::img_explain_hint));  // wraps in a narrow window, never clips
        }
        ImGui::PopStyleColor();
        if (m_lab.trace_error().has_value()) error_text(tr_error(*m_lab.trace_error()));
        ImGui::EndChild();
        return;
    }
    const Trace& t = *m_lab.trace();
    const LabFrame& full = *m_lab.full();
    ImGui::SameLine();
    ImGui::TextUnformatted(trf(Str::img_pixel, int(t.oy), int(t.ox)).c_str());
    if (full.output->dim(0) == 3) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(Str::img_channel));
        const char* names[] = {"R", "G", "B"};
        for (int c = 0; c < 3; ++c) {
            ImGui::SameLine();
            ImGui::RadioButton(names[c], &m_explain_channel, c);
        }
    }
    // The buttons sit at the right end of the line, where they stay put whatever the pixel's numbers.
    const ImGuiStyle& style = ImGui::GetStyle();
    auto button_w = [&](Str label) { return ImGui::CalcTextSize(tr(label)).x + style.FramePadding.x * 2; };
    const float buttons_w =
        button_w(Str::img_open_stepper) + (m_pinned ? button_w(Str::img_unpin) + style.ItemSpacing.x : 0.0f);
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - buttons_w));
    if (m_pinned) {
        if (ImGui::SmallButton(tr(Str::img_unpin))) m_pinned = false;
        ImGui::SameLine();
    }
    if (ImGui::SmallButton(tr(Str::img_open_stepper))) {
        // The stepper's own limits: grids up to 24×24, kernels up to 7×7.
        auto nb = m_lab.neighbourhood();
        if (nb) {
            ctx.requests.open_in_stepper(StepperRequest{std::move(nb->problem), nb->window});
        } else {
            ctx.notify(nb.err());
        }
    }

    // Two grids: the input values under the window (padding grey, the max-pool choice marked), and the
    // weights. Cells too small for legible numbers are shaded by value instead, and name their numbers on
    // hover.
    const FilterSpec& spec = full.spec;
    const ConvFilter* conv = spec.conv();
    const int64_t rows = conv ? conv->kernel.rows : spec.pool()->pool.kernel.h;
    const int64_t cols = conv ? conv->kernel.cols : spec.pool()->pool.kernel.w;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_h = m_compact ? 0.0f : ImGui::GetTextLineHeightWithSpacing();
    const float cell = std::clamp(std::min((avail.y - label_h) / float(rows), avail.x * 0.22f / float(cols)),
                                  4.0f * s, ctx.fonts.big_size * 2.0f);
    const float number_px = std::min(ctx.fonts.ui_size, cell * 0.42f);
    const bool numbers = number_px >= ctx.fonts.ui_size * 0.6f;
    const float grid_w = std::max(cell * float(cols), 70.0f * s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    std::vector<const TraceTerm*> at(size_t(rows * cols),
                                     nullptr);  // a pool window cut at the border has fewer
    for (const TraceTerm& term : t.terms)
        if (term.ky < rows && term.kx < cols) at[size_t(term.ky * cols + term.kx)] = &term;
    float max_w = 0.0f;
    for (const TraceTerm& term : t.terms) max_w = std::max(max_w, std::fabs(term.w));
    auto grid = [&](ImVec2 top_left, Str title, ImU32 title_col, auto cell_of) {
        const std::string text = tr(title);
        dl->AddText(ctx.fonts.ui, fit_size(ctx.fonts.ui, ctx.fonts.ui_size, grid_w, text), top_left,
                    title_col, text.c_str());
        const ImVec2 g(top_left.x, top_left.y + label_h);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) {
                const ImVec2 a(g.x + float(c) * cell, g.y + float(r) * cell), b(a.x + cell, a.y + cell);
                const auto [fill, value] = cell_of(r, c);
                dl->AddRectFilled(a, b, fill);
                dl->AddRect(a, b, pal.grid_line);
                if (numbers)
                    text_centred(dl, ctx.fonts.ui, number_px, ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2),
                                 pal.text, value, cell - 3 * s);
                const TraceTerm* term = at[size_t(r * cols + c)];
                if (term && ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y &&
                    mouse.y < b.y)
                    ImGui::SetTooltip("x = %s   w = %s", format_number(term->x).c_str(),
                                      format_number(term->w).c_str());
            }
    };
    auto shade = [](ImU32 base, ImU32 tint, float amount) {
        const ImVec4 a = to_vec4(base), b = to_vec4(tint);
        const float k = std::clamp(amount, 0.0f, 1.0f);
        return ImGui::ColorConvertFloat4ToU32(
            ImVec4(a.x + (b.x - a.x) * k, a.y + (b.y - a.y) * k, a.z + (b.z - a.z) * k, 1));
    };
    grid(o, Str::img_in_window, pal.strong(Role::Input), [&](int64_t r, int64_t c) {
        const TraceTerm* term = at[size_t(r * cols + c)];
        if (!term) return std::pair{pal.fill(Role::Padding), std::string()};
        const bool chosen = t.kind == Op::MaxPool && t.argmax >= 0 && &t.terms[size_t(t.argmax)] == term;
        ImU32 fill = chosen          ? pal.fill(Role::Chosen)
                     : term->padding ? pal.fill(Role::Padding)
                                     : pal.fill(Role::Input);
        if (!numbers && !chosen && std::isfinite(term->x))
            fill = shade(IM_COL32_BLACK, IM_COL32_WHITE, term->x / 255.0f);  // the pixels themselves
        return std::pair{
            fill, std::isinf(term->x) ? std::string(term->x < 0 ? "−∞" : "∞") : format_number(term->x)};
    });
    float x = o.x + grid_w + 14 * s;
    if (t.kind == Op::Conv) {
        grid(ImVec2(x, o.y), Str::img_weights, pal.strong(Role::Kernel), [&](int64_t r, int64_t c) {
            const TraceTerm* term = at[size_t(r * cols + c)];
            if (!term) return std::pair{pal.fill(Role::Kernel), std::string()};
            const ImU32 fill = numbers ? pal.fill(Role::Kernel)
                                       : shade(pal.panel, pal.strong(Role::Kernel),
                                               max_w > 0 ? std::fabs(term->w) / max_w : 0.0f);
            return std::pair{fill, format_number(term->w)};
        });
        x += grid_w + 14 * s;
    }

    // The result first (the line that matters), then every multiply-accumulate term, scrolling when long.
    ImGui::SetCursorScreenPos(ImVec2(x, o.y));
    ImGui::BeginGroup();
    const int px = display_value(t.result, full.map, full.range);
    ImGui::TextColored(to_vec4(pal.strong(Role::Output)), "= %s  → %s", format_number(t.result).c_str(),
                       trf(Str::img_shown_as, px, tr(display_map_label(full.map))).c_str());
    ImGui::BeginChild("##mac", ImVec2(0, 0), false);
    ImGui::PushTextWrapPos(0.0f);
    for (const std::string& line : tr_mac_lines(explain_tokens(t))) ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::EndChild();
}

}  // namespace convscope::ui::image_lab
