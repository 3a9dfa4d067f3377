// The stepper's text on the canvas: the multiply-accumulate line (the model's tokens, coloured by role and
// by where the playhead is), the output-size formula with the floor's note, the colour key, and the layout
// of the canvas that holds them with the grids.
//
// [SECTION] Multiply-accumulate line
// [SECTION] Output size and legend
// [SECTION] The canvas
#include <cmath>

#include "app/ui/stepper/stepper_draw.hpp"
#include "app/ui/stepper/stepper_view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui {

// [SECTION] Multiply-accumulate line

// The model's tokens in the UI's language and colours: done terms plain, the current term on yellow, terms
// still to come faint; padding terms on the padding colour, as their cells are (visibly zero, visibly not
// the image); max pooling's chosen term ringed once the window is complete.
std::vector<StepperView::Token> StepperView::mac_tokens() const {
    const Palette& pal = palette();
    std::vector<Token> v;
    const Trace* t = current_trace();
    if (!t) return v;
    const auto plain = [&](std::string text, ImU32 col) {
        v.push_back(Token{std::move(text), col, 0, false});
    };
    // The lecture's formula heads the lines when there is more than one plain sum.
    if ((t->kind == Op::Conv || t->kind == Op::ConvTranspose) && (t->channels.size() > 1 || t->has_bias)) {
        // A sentence as one token per word, so it wraps like the sums do.
        const std::string text = tr(Str::mac_formula);
        for (size_t at = 0; at < text.size();) {
            const size_t next = text.find(' ', text.find_first_not_of(' ', at));
            plain(text.substr(at, next == std::string::npos ? std::string::npos : next - at), pal.text_muted);
            at = next;
        }
        v.push_back(Token{"", 0, 0, true});
    }
    for (const MacToken& k : m_model.mac_tokens(MacStyle::Board)) {
        Token out{k.text, k.time == MacTime::Later ? pal.text_muted : pal.text, 0, false};
        switch (k.role) {
            case MacRole::Newline:
                out.newline = true;
                break;
            case MacRole::Channel:
                out.text = tr_mac_text(k);
                out.col = pal.text_muted;
                break;
            case MacRole::Bias:
            case MacRole::Empty:
            case MacRole::Truncated:
                out.text = tr_mac_text(k);
                break;
            case MacRole::Input:
            case MacRole::Padding:
                if (k.role == MacRole::Padding) {
                    out.bg = pal.fill(Role::Padding);
                    out.col = pal.strong(Role::Padding);
                } else {
                    out.col = pal.text;
                }
                if (k.time == MacTime::Later) out.col = with_alpha(out.col, 0.4f);
                if (k.time == MacTime::Current) {
                    out.bg = pal.fill(Role::Term);
                    out.col = text_on(out.bg);
                }
                if (t->kind == Op::MaxPool && m_model.complete() && k.term == t->argmax) {
                    out.bg = pal.strong(Role::Chosen);
                    out.col = text_on(out.bg);
                }
                break;
            case MacRole::Text:
            case MacRole::Output:
                break;
        }
        v.push_back(std::move(out));
    }
    return v;
}

// The MAC text size: a little larger than the canvas text, shrunk (to 70% at most) so the longest line fits
// `width` when it can; many lines (several channels) keep to about a quarter of the canvas height. What
// still does not fit wraps (flow_tokens), never clips.
float StepperView::mac_size(ViewContext& ctx, const std::vector<Token>& tokens, float width) const {
    const float base = m_t * 1.1f;
    ImFont* f = ctx.fonts.for_size(base);
    float longest = 0, x = 0;
    int lines = 1;
    for (const Token& k : tokens) {
        if (k.newline) {
            x = 0;
            ++lines;
            continue;
        }
        x += text_size(f, base, k.text).x;
        longest = std::max(longest, x);
    }
    const float size = longest <= width ? base : std::max(base * 0.7f, base * width / longest);
    const float cap = ImGui::GetContentRegionAvail().y * 0.25f / (1.35f * float(lines));
    return std::max({12.0f, m_t * 0.55f, std::min(size, cap)});
}

// Lays the tokens out left to right at `size`, wrapping at token boundaries; returns the height used. Draws
// when `draw`.
float StepperView::flow_tokens(ViewContext& ctx, const std::vector<Token>& tokens, float width, float size,
                               bool draw) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = ctx.fonts.for_size(size);
    const float line_h = size * 1.35f;
    const ImVec2 org = ImGui::GetCursorScreenPos();
    float x = 0, y = 0;
    bool line_empty = true;
    for (const Token& k : tokens) {
        if (k.newline) {
            if (!line_empty) y += line_h;
            x = 0;
            line_empty = true;
            continue;
        }
        std::string text = k.text;
        ImVec2 ts = text_size(f, size, text);
        if (x > 0 && x + ts.x > width) {
            x = 0;
            y += line_h;
            // A wrapped line starts at its text, not at the separator's space.
            text.erase(0, text.find_first_not_of(' '));
            ts = text_size(f, size, text);
        }
        if (draw) {
            const ImVec2 p(org.x + x, org.y + y);
            const float pad = size * 0.1f;
            if (k.bg)
                dl->AddRectFilled(ImVec2(p.x - pad, p.y - pad * 0.5f),
                                  ImVec2(p.x + ts.x + pad, p.y + ts.y + pad * 0.5f), k.bg, pad);
            dl->AddText(f, size, p, k.col, text.c_str());
        }
        x += ts.x;
        line_empty = false;
    }
    return line_empty ? y : y + line_h;
}

// [SECTION] Output size and legend

// The formula lines "H_out = ⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3", and in `notes` why the floor drops rows/columns
// when the division is not whole.
std::vector<std::string> StepperView::size_lines(std::vector<std::string>* notes) const {
    std::vector<std::string> lines;
    for (const StepperSizeLine& l : m_model.size_lines()) {
        lines.push_back(std::string(l.name) + " = " + tr_axis_formula(l.axis));
        if (!notes || !l.note) continue;
        const std::string q = format_number(l.note->quotient);
        const std::string fl = std::to_string(l.note->floored);
        const int64_t n = l.note->unreached;
        const std::string which = n == 1   ? std::string(tr(l.rows ? Str::rows_1 : Str::cols_1))
                                  : l.rows ? trf(Str::rows_n, int(n))
                                           : trf(Str::cols_n, int(n));
        notes->push_back(trf(Str::floor_note, l.name, q.c_str(), fl.c_str(), which.c_str()));
    }
    if (notes && is_conv() && weighted().conv.flip) notes->push_back(tr(Str::flip_on_caption));
    return lines;
}

// Formula lines shrink to fit `width`; notes wrap.
void StepperView::draw_size_lines(ViewContext& ctx, float width) {
    const Palette& pal = palette();
    std::vector<std::string> notes;
    const float x0 = ImGui::GetCursorPosX();
    ImFont* f = ctx.fonts.for_size(formula_size());
    for (const std::string& l : size_lines(&notes)) {
        ImGui::SetCursorPosX(x0);
        text_line(f, fit_size(f, formula_size(), width, l), pal.text, l);
    }
    for (const std::string& n : notes) {
        ImGui::SetCursorPosX(x0);
        text_wrapped(ctx.fonts.for_size(legend_size()), legend_size(), pal.text_muted, n, width);
    }
}

// The colour key, one item per role shown; `vertical` puts one per line (beside the grids), else the items
// flow and wrap within `width`.
void StepperView::draw_legend(ViewContext& ctx, bool vertical, float width) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float sw = legend_size();
    ImFont* f = ctx.fonts.for_size(sw);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImVec2 at = start;
    float bottom = start.y;
    const auto item = [&](Role role, const char* text, bool outline) {
        const float item_w = sw * 1.4f + text_size(f, sw, text).x;
        if (vertical || (at.x > start.x && at.x + item_w > start.x + width)) {
            if (at.x > start.x || at.y < bottom) at = ImVec2(start.x, bottom);
        }
        const ImVec2 p = at;
        const ImVec2 q(p.x + sw, p.y + sw);
        dl->AddText(f, sw, ImVec2(p.x + sw * 1.4f, p.y), pal.text, text);
        bottom = std::max(bottom, p.y + sw * 1.45f);
        at.x += item_w + sw * 1.2f;
        if (outline) {
            dl->AddRect(p, q, pal.strong(role), 0, 0, std::max(2.0f, sw * 0.14f));
        } else if (role == Role::Unreached) {
            dl->AddRectFilled(p, q, pal.fill(Role::Input));
            dl->AddRectFilled(p, q, pal.fill(Role::Unreached));
            hatch(dl, p, q, with_alpha(pal.text, 0.5f), sw / 3, 1.0f);
        } else {
            dl->AddRectFilled(p, q, pal.fill(role));
            dl->AddRect(p, q, pal.strong(role), 0, 0, std::max(1.5f, sw * 0.07f));
            if (role == Role::Padding) hatch(dl, p, q, pal.strong(role), sw / 3, 1.0f);
        }
    };
    item(Role::Input, tr(Str::label_input), false);
    const StepperSolution* so = m_model.solution();
    if (so && (so->pad_top || so->pad_left || so->pad_bottom || so->pad_right))
        item(Role::Padding, tr(Str::legend_padding), false);
    if (is_conv()) item(Role::Kernel, tr(Str::label_kernel), false);
    item(Role::Output, tr(Str::label_output), false);
    item(Role::Window, tr(Str::legend_window), true);
    if (problem().op() == Op::MaxPool) item(Role::Chosen, tr(Str::legend_chosen), true);
    if (so) {
        const AxisSize ah = axis_size(so->axis_h), aw = axis_size(so->axis_w);
        if (ah.reached < ah.padded_in || aw.reached < aw.padded_in)
            item(Role::Unreached, tr(Str::legend_unreached), false);
    }
    ImGui::Dummy(ImVec2(vertical ? width : std::min(width, at.x - start.x), bottom - start.y));
}

// [SECTION] The canvas

// The grids with the output size and the colour key beside or above them, then the multiply-accumulate line.
void StepperView::draw_stepper_canvas(ViewContext& ctx, ImVec2 avail, ImVec2 top) {
    const Palette& pal = palette();
    // The MAC lines go below the grids: measure them first so the grids get the rest of the height.
    const std::vector<Token> tokens = mac_tokens();
    const float msize = mac_size(ctx, tokens, avail.x);
    const float mac_h = std::max(m_t * 1.5f, flow_tokens(ctx, tokens, avail.x, msize, false));
    // Below the grids: two spacers (each with item spacing) and the MAC lines.
    const float grid_h = avail.y - mac_h - m_t * 0.5f - 3.0f * ImGui::GetStyle().ItemSpacing.y;

    // The output size and the colour key go beside the grids when that leaves bigger cells, else above
    // them.
    float info_w = 0;
    {
        ImFont* f = ctx.fonts.for_size(formula_size());
        for (const std::string& l : size_lines(nullptr))
            info_w = std::max(info_w, text_size(f, formula_size(), l).x);
    }
    info_w = std::clamp(info_w, m_t * 9.0f, avail.x * 0.42f);
    const float info_gap = m_t;
    // Two formula lines, maybe a note, and the legend line.
    const float stacked_info_h = formula_size() * 2.8f + legend_size() * 3.0f;
    const Layout beside = layout(ctx, ImVec2(avail.x - info_w - info_gap, grid_h));
    const Layout stacked = layout(ctx, ImVec2(avail.x, grid_h - stacked_info_h));
    const bool side = beside.cell >= stacked.cell && beside.size.x + info_gap + info_w <= avail.x;
    float grids_bottom;
    float cell = 0;
    if (side) {
        draw_grids(ctx, beside);
        cell = beside.cell;
        grids_bottom = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(top.x + beside.size.x + info_gap, top.y));
        ImGui::BeginGroup();
        draw_size_lines(ctx, info_w);
        ImGui::Dummy(ImVec2(0, m_t * 0.3f));
        draw_legend(ctx, true, info_w);
        ImGui::EndGroup();
        grids_bottom = std::max(grids_bottom, ImGui::GetItemRectMax().y + ImGui::GetStyle().ItemSpacing.y);
        ImGui::SetCursorScreenPos(ImVec2(top.x, grids_bottom));
    } else {
        draw_size_lines(ctx, avail.x);
        draw_legend(ctx, false, avail.x);
        ImGui::Dummy(ImVec2(0, m_t * 0.2f));
        const Layout L = layout(ctx, ImVec2(avail.x, grid_h - (ImGui::GetCursorScreenPos().y - top.y)));
        draw_grids(ctx, L);
        cell = L.cell;
    }
    ImGui::Dummy(ImVec2(0, m_t * 0.3f));
    if (m_model.error()) {
        // Said above the grids.
    } else if (m_model.playhead().window < 0) {
        const std::string hint = tr(Str::hint_start);
        ImFont* f = ctx.fonts.for_size(m_t);
        text_line(f, fit_size(f, m_t, avail.x, hint), pal.text_muted, hint);
    } else {
        ImGui::Dummy(ImVec2(avail.x - 1.0f, flow_tokens(ctx, tokens, avail.x, msize, true)));
    }
    m_report_cell = cell;
}

}  // namespace convscope::ui
