// Explain this pixel: the input values under the window (padding grey, the max-pool choice marked), the
// weights, the value and how it is shown, every multiply-accumulate term, and the hand-off to the stepper.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/image_lab/image_view.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "app/ui/widgets/overlap.hpp"
#include "core/engine/explain.hpp"

namespace convscope::ui::image_lab {

void ImageView::draw_explain(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    ImGui::BeginChild("##explain", size, true);
    if (!m_lab.trace() || !m_lab.full()) {
        // No pixel yet: the title and how to pick one.
        ImGui::TextColored(to_vec4(pal.strong(Role::Window)), "%s", tr(Str::img_explain));
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
    // The header: which pixel (the title, once there is one), its channel, then the buttons at the right
    // end of the line, where they stay put whatever the pixel's numbers. The longest forms that keep it one
    // line: "Output pixel: row r, column c" or "Pixel (r, c)", "Channel" before R G B or not (the long
    // forms on hover). Where even the short ones do not fit (a large scale on a small screen), each item
    // goes on the next line when the line is full, never over the one before.
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::string where = trf(Str::img_pixel, int(t.oy), int(t.ox));
    const std::string where_short = trf(Str::img_pixel_short, int(t.oy), int(t.ox));
    const bool colour = full.output->dim(0) == 3;
    const char* names[] = {"R", "G", "B"};
    float radios_w = -style.ItemSpacing.x;
    for (const char* name : names)
        radios_w += style.ItemSpacing.x + ImGui::GetFrameHeight() + style.ItemInnerSpacing.x +
                    ImGui::CalcTextSize(name).x;
    const float channel_word_w = ImGui::CalcTextSize(tr(Str::img_channel)).x + style.ItemSpacing.x;
    const float buttons_w = button_width(tr(Str::img_open_stepper)) +
                            (m_pinned ? button_width(tr(Str::img_unpin)) + style.ItemSpacing.x : 0.0f);
    const auto line_w = [&](const std::string& pixel, bool channel_word) {
        return ImGui::CalcTextSize(pixel.c_str()).x +
               (colour ? style.ItemSpacing.x + radios_w + (channel_word ? channel_word_w : 0.0f) : 0.0f) +
               style.ItemSpacing.x + buttons_w;
    };
    const float room = ImGui::GetContentRegionAvail().x;
    const bool long_pixel = line_w(where, false) <= room;
    const bool channel_word = long_pixel && line_w(where, true) <= room;
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(to_vec4(pal.strong(Role::Window)), "%s", (long_pixel ? where : where_short).c_str());
    if (!long_pixel && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", where.c_str());
    guard_item("pixel");
    if (colour) {
        same_line_if_fits(radios_w + (channel_word ? channel_word_w : 0.0f));
        ImGui::BeginGroup();
        if (channel_word) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(tr(Str::img_channel));
            ImGui::SameLine();
        }
        for (int c = 0; c < 3; ++c) {
            if (c) ImGui::SameLine();
            ImGui::RadioButton(names[c], &m_explain_channel, c);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s %s", tr(Str::img_channel), names[c]);
        }
        ImGui::EndGroup();
        guard_item("channel");
    }
    same_line_if_fits(buttons_w);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - buttons_w));
    if (m_pinned) {
        if (ImGui::SmallButton(tr(Str::img_unpin))) m_pinned = false;
        guard_item("unpin");
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
    guard_item("open in stepper");

    // Two grids: the input values under the window (padding grey, the max-pool choice marked), and the
    // weights. Cells too small for legible numbers are shaded by value instead, and name their numbers on
    // hover.
    const FilterSpec& spec = full.spec;
    const ConvFilter* conv = spec.conv();
    const int64_t rows = conv ? conv->kernel.rows : spec.pool()->pool.kernel.h;
    const int64_t cols = conv ? conv->kernel.cols : spec.pool()->pool.kernel.w;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = 14 * s;
    // Each grid's slot: its cells (bound by the panel's height, or by a share of its width), never narrower
    // than 70 px, its title above on one line, shrunk to the slot down to 0.6 of the UI's text size. Where
    // "Input under the window" does not fit at that, the input grid is "Input" (its colour says the rest).
    const float title_h = ImGui::GetTextLineHeightWithSpacing();
    // Never below 0.6 of the text size: a panel too short for them scrolls rather than shrinking them to
    // specks.
    const float cell = std::clamp(std::min((avail.y - title_h) / float(rows), avail.x * 0.22f / float(cols)),
                                  ctx.fonts.ui_size * 0.6f, ctx.fonts.big_size * 2.0f);
    const float grid_w = std::max(cell * float(cols), 70.0f * s);
    const float min_title_px = ctx.fonts.ui_size * 0.6f;
    std::string titles[2] = {tr(Str::img_in_window), tr(Str::img_weights)};
    if (text_size(ctx.fonts.ui, min_title_px, titles[0]).x > grid_w) titles[0] = tr(Str::label_input);
    float title_px = ctx.fonts.ui_size;
    for (const std::string& title : titles)
        title_px = std::max(min_title_px,
                            std::min(title_px, fit_size(ctx.fonts.ui, ctx.fonts.ui_size, grid_w, title)));
    const float number_px = std::min(ctx.fonts.ui_size, cell * 0.42f);
    const bool numbers =
        number_px >= ctx.fonts.ui_size * 0.5f;  // legible numbers, else cells shaded by value
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    std::vector<const TraceTerm*> at(size_t(rows * cols),
                                     nullptr);  // a pool window cut at the border has fewer
    for (const TraceTerm& term : t.terms)
        if (term.ky < rows && term.kx < cols) at[size_t(term.ky * cols + term.kx)] = &term;
    float max_w = 0.0f;
    for (const TraceTerm& term : t.terms) max_w = std::max(max_w, std::fabs(term.w));
    auto grid = [&](ImVec2 top_left, const std::string& title, ImU32 title_col, auto cell_of) {
        dl->AddText(ctx.fonts.ui, title_px, top_left, title_col, title.c_str(), title.c_str() + title.size());
        const ImVec2 g(top_left.x, top_left.y + title_h);
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
    grid(o, titles[0], pal.strong(Role::Input), [&](int64_t r, int64_t c) {
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
    float x = o.x + grid_w + gap;
    if (t.kind == Op::Conv) {
        grid(ImVec2(x, o.y), titles[1], pal.strong(Role::Kernel), [&](int64_t r, int64_t c) {
            const TraceTerm* term = at[size_t(r * cols + c)];
            if (!term) return std::pair{pal.fill(Role::Kernel), std::string()};
            const ImU32 fill = numbers ? pal.fill(Role::Kernel)
                                       : shade(pal.panel, pal.strong(Role::Kernel),
                                               max_w > 0 ? std::fabs(term->w) / max_w : 0.0f);
            return std::pair{fill, format_number(term->w)};
        });
        x += grid_w + gap;
    }

    // The result first (the line that matters), then every multiply-accumulate term, scrolling when long.
    ImGui::SetCursorScreenPos(ImVec2(x, o.y));
    ImGui::BeginGroup();
    const int px = display_value(t.result, full.map, full.range);
    ImGui::PushTextWrapPos(0.0f);  // a narrow panel wraps the line, never cuts it
    // A short panel leaves the map's name (it is in the controls, and on hover) to the sum's room.
    const std::string shown_as = trf(Str::img_shown_as, px, tr(display_map_label(full.map)));
    ImGui::TextColored(to_vec4(pal.strong(Role::Output)), "= %s  → %s", format_number(t.result).c_str(),
                       m_compact ? trf(Str::img_shown_as_short, px).c_str() : shown_as.c_str());
    if (m_compact && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", shown_as.c_str());
    ImGui::PopTextWrapPos();
    guard_item("result");
    // The terms take the rest of the panel, at least two lines of it (the panel scrolls to them when short).
    const float mac_h = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 2);
    ImGui::BeginChild("##mac", ImVec2(0, mac_h), false);
    ImGui::PushTextWrapPos(0.0f);
    for (const std::string& line : tr_mac_lines(explain_tokens(t))) ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::EndChild();
}

}  // namespace convscope::ui::image_lab
