// The stepper's grids: the input with its padding ring (the current window outlined, each covered cell with
// the weight it meets), the kernel, and the output filling in; hovering an input cell lights the outputs it
// feeds, clicking a cell edits it (the popup sends the edit to the model).
//
// [SECTION] Layout
// [SECTION] Input, kernel and output
// [SECTION] The cell editor
#include <cmath>
#include <map>

#include "app/ui/stepper/stepper_draw.hpp"
#include "app/ui/stepper/stepper_view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui {
namespace {

// Cells never get smaller than this (numbers ≥ 12 px); a problem too large for the canvas at this size
// scrolls instead.
constexpr float kMinCell = 26.0f;

// Text of a cell: the number at a share of the cell, shrunk to fit its width whole (a long negative number
// keeps its minus sign).
void cell_number(ImDrawList* dl, ViewContext& ctx, ImVec2 a, float cell, ImVec2 offset, float size_frac,
                 ImU32 col, const std::string& text, float width_frac = 0.86f) {
    const float size = cell * size_frac;
    text_centred(dl, ctx.fonts.for_size(size), size,
                 ImVec2(a.x + cell * 0.5f + offset.x, a.y + cell * 0.5f + offset.y), col, text,
                 cell * width_frac);
}

void grid_label(ImDrawList* dl, ViewContext& ctx, float label_px, float label_h, ImVec2 grid_top_left,
                float max_w, ImU32 col, const std::string& text) {
    ImFont* f = ctx.fonts.for_size(label_px);
    const float size = fit_size(f, label_px, max_w, text);
    dl->AddText(f, size, ImVec2(grid_top_left.x, grid_top_left.y - label_h), col, text.c_str());
}

bool under_mouse(ImVec2 a, ImVec2 b) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    return ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y;
}

}  // namespace

// [SECTION] Layout

StepperView::Layout StepperView::layout(ViewContext& ctx, ImVec2 avail) const {
    Layout L;
    L.label_px = std::max(13.0f, m_t * 0.7f);
    L.label_h = L.label_px * 1.3f;
    const int64_t C = channels();
    const int64_t ph = m_model.extent_h(), pw = m_model.extent_w();
    const int64_t kh = is_conv() ? weighted().weight.dim(2) : 0,
                  kw = is_conv() ? weighted().weight.dim(3) : 0;
    const StepperSolution* so = m_model.solution();
    const int64_t O = so ? so->out_channels : 0;
    const int64_t oh = so ? so->oh : 0, ow = so ? so->ow : 0;
    // Labels may shrink to 85% of their size, no further; a column is as wide as its grid or its label.
    ImFont* lf = ctx.fonts.for_size(L.label_px);
    const auto label_w = [&](const std::string& text) { return text_size(lf, L.label_px * 0.85f, text).x; };
    const float lin = label_w(input_label(C - 1));
    const float lk = is_conv() ? label_w(kernel_label(weighted().weight.dim(0) - 1, C - 1)) : 0.0f;
    const float lout = O ? label_w(output_label(O - 1)) : 0.0f;
    const auto gap_at = [&](float cell) { return std::max(m_t * 1.3f, cell * 0.6f); };
    const auto block_gap_at = [&](float cell) { return std::max(m_t * 0.8f, cell * 0.35f); };
    // Size of the grid area at `cell` with a input+kernel pairs and b outputs per row.
    const auto extent = [&](float cell, int a, int b) {
        const float gap = gap_at(cell), bgap = block_gap_at(cell);
        const float in_col = std::max(float(pw) * cell, lin), k_col = kw ? std::max(float(kw) * cell, lk) : 0;
        const float out_col = O ? std::max(float(ow) * cell, lout) : 0;
        const float block_w = in_col + (kw ? gap + k_col : 0.0f);
        const int64_t in_rows = (C + a - 1) / a, out_rows = O ? (O + b - 1) / b : 0;
        const float w = float(a) * block_w + float(a - 1) * bgap +
                        (O ? gap + float(b) * out_col + float(b - 1) * bgap : 0.0f);
        const float block_h = L.label_h + float(std::max(ph, kh)) * cell;
        const float h_in = float(in_rows) * block_h + float(in_rows - 1) * bgap * 0.5f;
        const float h_out = float(out_rows) * (L.label_h + float(oh) * cell) +
                            float(std::max<int64_t>(out_rows - 1, 0)) * bgap * 0.5f;
        return ImVec2(w, std::max(h_in, h_out));
    };
    // For each tiling, the largest cell that fits both ways (the extent grows with the cell); the tiling
    // with the largest cell wins, the one with fewer columns on a tie.
    const float max_cell = std::max(kMinCell, m_t * 6.0f);
    float best = -1.0f;
    // Where no tiling fits at the smallest cell (three channels of a 7×5 kernel), the one that overflows
    // least wins, so the channels go side by side into the free width instead of down past the screen.
    float least_over = FLT_MAX;
    const auto overflow = [&](int a, int b) {
        const ImVec2 e = extent(kMinCell, a, b);
        return std::max(e.x / std::max(1.0f, avail.x), e.y / std::max(1.0f, avail.y));
    };
    for (int a = 1; a <= int(C); ++a)
        for (int b = 1; b <= std::max<int>(1, int(O)); ++b) {
            const auto fits = [&](float cell) {
                const ImVec2 e = extent(cell, a, b);
                return e.x <= avail.x && e.y <= avail.y;
            };
            float lo = kMinCell, hi = max_cell;
            if (fits(hi)) lo = hi;
            for (int i = 0; i < 30 && hi - lo > 0.25f; ++i) {
                const float mid = 0.5f * (lo + hi);
                (fits(mid) ? lo : hi) = mid;
            }
            const float over = lo <= kMinCell ? overflow(a, b) : 0.0f;
            if (lo > best + 0.5f || (lo <= kMinCell && best <= kMinCell && over < least_over)) {
                best = lo;
                least_over = over;
                L.in_cols = a;
                L.out_cols = b;
            }
        }
    L.cell = std::floor(best);
    L.gap = gap_at(L.cell);
    L.block_gap = block_gap_at(L.cell);
    L.origin = ImGui::GetCursorScreenPos();
    L.in_w = std::max(float(pw) * L.cell, lin);
    L.k_w = kw ? std::max(float(kw) * L.cell, lk) : 0.0f;
    L.out_w = O ? std::max(float(ow) * L.cell, lout) : 0.0f;
    const float block_w = L.in_w + (kw ? L.gap + L.k_w : 0.0f);
    const float block_h = L.label_h + float(std::max(ph, kh)) * L.cell;
    for (int64_t c = 0; c < C; ++c) {
        const float x = L.origin.x + float(c % L.in_cols) * (block_w + L.block_gap);
        const float y = L.origin.y + L.label_h + float(c / L.in_cols) * (block_h + L.block_gap * 0.5f);
        L.input.push_back(ImVec2(x, y));
        if (kw) L.kernel.push_back(ImVec2(x + L.in_w + L.gap, y));
    }
    const float out_x = L.origin.x + float(L.in_cols) * block_w + float(L.in_cols - 1) * L.block_gap + L.gap;
    for (int64_t o = 0; o < O; ++o)
        L.output.push_back(
            ImVec2(out_x + float(o % L.out_cols) * (L.out_w + L.block_gap),
                   L.origin.y + L.label_h +
                       float(o / L.out_cols) * (L.label_h + float(oh) * L.cell + L.block_gap * 0.5f)));
    L.size = extent(L.cell, L.in_cols, L.out_cols);
    return L;
}

// [SECTION] Input, kernel and output

void StepperView::draw_input_grid(ViewContext& ctx, const Layout& L, int64_t c) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const StepperSolution* so = m_model.solution();
    const int64_t pt = so ? so->pad_top : 0, pl = so ? so->pad_left : 0;
    const int64_t H = in_h(), W = in_w();
    const int64_t ph = H + pt + (so ? so->pad_bottom : 0);
    const int64_t pw = W + pl + (so ? so->pad_right : 0);
    const ImVec2 o = L.input[size_t(c)];
    record_grid(o, ImVec2(o.x + float(pw) * cell, o.y + float(ph) * cell));
    grid_label(dl, ctx, L.label_px, L.label_h, o, L.in_w, pal.strong(Role::Input), input_label(c));

    const Trace* t = current_trace();
    const PaddingMode mode = is_conv() ? weighted().conv.padding_mode : PaddingMode::Zeros;
    const AxisSize ah = so ? axis_size(so->axis_h) : AxisSize{};
    const AxisSize aw = so ? axis_size(so->axis_w) : AxisSize{};

    // Which padded cells the current window covers (this channel), with their weights and term indices.
    std::map<std::pair<int64_t, int64_t>, size_t> covered;
    if (t)
        for (size_t i = 0; i < t->terms.size(); ++i)
            if (t->terms[i].c == c) covered[{t->terms[i].iy, t->terms[i].ix}] = i;
    const int64_t term_now = t && !m_model.complete() ? m_model.playhead().term : -1;

    for (int64_t r = 0; r < ph; ++r)
        for (int64_t q = 0; q < pw; ++q) {
            const int64_t iy = r - pt, ix = q - pl;  // input coordinates (negative in the padding)
            const bool pad = iy < 0 || iy >= H || ix < 0 || ix >= W;
            const ImVec2 a(o.x + float(q) * cell, o.y + float(r) * cell), b(a.x + cell, a.y + cell);
            // The value shown: the input, or what the padding mode reads there (zeros: 0).
            float value = 0.0f;
            if (!pad)
                value = problem().input.data[size_t((c * H + iy) * W + ix)];
            else if (const auto sy = source_index(iy, H, mode), sx = source_index(ix, W, mode); sy && sx)
                value = problem().input.data[size_t((c * H + *sy) * W + *sx)];
            const auto it = covered.find({iy, ix});
            const bool in_window = it != covered.end();
            const bool is_term = in_window && int64_t(it->second) == term_now;
            ImU32 fill = pad ? pal.fill(Role::Padding) : pal.fill(Role::Input);
            if (is_term) fill = pal.fill(Role::Term);
            dl->AddRectFilled(a, b, fill);
            if (pad && !is_term)
                hatch(dl, a, b, with_alpha(pal.strong(Role::Padding), 0.35f), cell / 5, thin_line(L.cell));
            if (so && (r >= ah.reached || q >= aw.reached))
                dl->AddRectFilled(a, b, pal.fill(Role::Unreached));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(L.cell));
            ImU32 text_col = is_term ? text_on(fill) : pad ? pal.strong(Role::Padding) : pal.text;
            std::string text =
                (pad && !is_conv() && problem().op() == Op::MaxPool) ? "−∞" : format_number_typeset(value);
            if (in_window && is_conv()) {
                const TraceTerm& term = t->terms[it->second];
                // The value above, the weight it is multiplied by below on a strip of the kernel's colour:
                // both shrink to fit the cell whole, never clipped.
                cell_number(dl, ctx, a, cell, ImVec2(0, -cell * 0.18f), 0.44f, text_col, text);
                const std::string wt = "×" + format_number_typeset(term.w);
                const float inset = std::max(1.0f, thin_line(L.cell));
                const ImVec2 sa(a.x + inset, b.y - cell * 0.4f), sb(b.x - inset, b.y - inset);
                dl->AddRectFilled(sa, sb, pal.fill(Role::Kernel), cell * 0.06f);
                text_centred(dl, ctx.fonts.for_size(cell * 0.32f), cell * 0.32f,
                             ImVec2((sa.x + sb.x) * 0.5f, (sa.y + sb.y) * 0.5f),
                             text_on(pal.fill(Role::Kernel)), wt, cell * 0.9f);
            } else {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, text_col, text);
            }
            // Hover: light every output this cell feeds; click: edit (not padding).
            if (!m_recording && under_mouse(a, b)) {
                m_hover = std::array<int64_t, 3>{c, iy, ix};
                if (!pad && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                    m_edit = EditTarget{false, 0, c, iy, ix};
                    m_edit_value = value;
                    m_open_edit = true;
                }
            }
        }
    // The image's own border: padding lies outside it.
    const ImVec2 ia(o.x + float(pl) * cell, o.y + float(pt) * cell);
    dl->AddRect(ia, ImVec2(ia.x + float(W) * cell, ia.y + float(H) * cell), pal.strong(Role::Input), 0, 0,
                border_line(L.cell));
    // The current window: each covered cell outlined, and the window's bounding box.
    if (!covered.empty()) {
        float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
        for (const auto& [pos, i] : covered) {
            const ImVec2 a(o.x + float(pos.second + pl) * cell, o.y + float(pos.first + pt) * cell);
            x0 = std::min(x0, a.x), y0 = std::min(y0, a.y), x1 = std::max(x1, a.x + cell),
            y1 = std::max(y1, a.y + cell);
            const float in = outline_line(L.cell) * 0.5f;
            dl->AddRect(ImVec2(a.x + in, a.y + in), ImVec2(a.x + cell - in, a.y + cell - in),
                        with_alpha(pal.strong(Role::Window), 0.8f), 0, 0, outline_line(L.cell) * 0.45f);
        }
        dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), pal.strong(Role::Window), 0, 0, outline_line(L.cell));
        // Max pooling: ring the chosen element once the window is complete.
        if (t->kind == Op::MaxPool && t->argmax >= 0 && m_model.complete() &&
            t->terms[size_t(t->argmax)].c == c) {
            const TraceTerm& best = t->terms[size_t(t->argmax)];
            const ImVec2 ctr(o.x + (float(best.ix + pl) + 0.5f) * cell,
                             o.y + (float(best.iy + pt) + 0.5f) * cell);
            dl->AddCircle(ctr, cell * 0.42f, pal.strong(Role::Chosen), 0, outline_line(L.cell) * 0.8f);
        }
    }
}

void StepperView::draw_kernel_grid(ViewContext& ctx, const Layout& L, int64_t c) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const Trace* t = current_trace();
    const int64_t o = t ? t->o : 0;
    const Tensor& weight = weighted().weight;
    const bool flip = weighted().conv.flip;
    const int64_t C = channels(), kh = weight.dim(2), kw = weight.dim(3);
    const ImVec2 org = L.kernel[size_t(c)];
    record_grid(org, ImVec2(org.x + float(kw) * cell, org.y + float(kh) * cell));
    grid_label(dl, ctx, L.label_px, L.label_h, org, L.k_w, pal.strong(Role::Kernel),
               kernel_label(o, c) + (flip ? " (180°)" : ""));
    // The operator between input and kernel, as the lecture writes it.
    const float mid = org.y + float(std::min<int64_t>(kh, 3)) * cell * 0.5f;
    // DejaVu's ⋆ is drawn small; twice the size matches the = sign.
    const float op_px = std::min(L.gap * 0.9f, cell * 0.7f) * 2.0f;
    text_centred(dl, ctx.fonts.for_size(op_px), op_px, ImVec2(org.x - L.gap * 0.5f, mid), pal.text, "⋆",
                 L.gap);
    int64_t term_ky = -1, term_kx = -1;
    const int64_t now = m_model.playhead().term;
    if (t && !m_model.complete() && now < int64_t(t->terms.size()) && t->terms[size_t(now)].c == c) {
        term_ky = t->terms[size_t(now)].ky;
        term_kx = t->terms[size_t(now)].kx;
    }
    for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
            const ImVec2 a(org.x + float(x) * cell, org.y + float(y) * cell), b(a.x + cell, a.y + cell);
            const bool is_term = y == term_ky && x == term_kx;
            const ImU32 fill = is_term ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
            dl->AddRectFilled(a, b, fill);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(L.cell));
            // Flipped, the grid shows the rotated kernel: the weights the window's terms use.
            const int64_t sy = flip ? kh - 1 - y : y, sx = flip ? kw - 1 - x : x;
            const float v = weight.data[size_t(((o * C + c) * kh + sy) * kw + sx)];
            cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, is_term ? text_on(fill) : pal.text,
                        format_number_typeset(v));
            if (!m_recording && under_mouse(a, b) && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                m_edit = EditTarget{true, o, c, sy, sx};
                m_edit_value = v;
                m_open_edit = true;
            }
        }
    dl->AddRect(org, ImVec2(org.x + float(kw) * cell, org.y + float(kh) * cell), pal.strong(Role::Kernel), 0,
                0, border_line(L.cell));
}

void StepperView::draw_output_grid(ViewContext& ctx, const Layout& L, int64_t o) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const StepperSolution& s = *m_model.solution();
    const Playhead ph = m_model.playhead();
    const StepSequence& seq = m_model.sequence();
    const ImVec2 org = L.output[size_t(o)];
    record_grid(org, ImVec2(org.x + float(s.ow) * cell, org.y + float(s.oh) * cell));
    grid_label(dl, ctx, L.label_px, L.label_h, org, L.out_w, pal.strong(Role::Output), output_label(o));
    if (o % L.out_cols == 0) {
        const float mid = org.y + float(std::min<int64_t>(s.oh, 3)) * cell * 0.5f;
        const float op_px = std::min(L.gap * 0.9f, cell * 0.7f);
        text_centred(dl, ctx.fonts.for_size(op_px), op_px, ImVec2(org.x - L.gap * 0.5f, mid), pal.text,
                     is_conv() ? "=" : "→", L.gap);
    }
    for (int64_t y = 0; y < s.oh; ++y)
        for (int64_t x = 0; x < s.ow; ++x) {
            const int64_t w = s.window_of(o, y, x);
            const ImVec2 a(org.x + float(x) * cell, org.y + float(y) * cell), b(a.x + cell, a.y + cell);
            const bool filled = seq.filled(ph, w);
            const bool current = w == ph.window;
            const bool fed = m_fed.count(w) > 0;
            dl->AddRectFilled(a, b, filled || current ? pal.fill(Role::Output) : pal.panel);
            if (fed) dl->AddRectFilled(a, b, with_alpha(pal.strong(Role::Feeds), 0.45f));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(L.cell));
            if (filled && current && m_model.hidden()) {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, pal.strong(Role::Window), "?");
            } else if (filled) {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, pal.text,
                            format_number_typeset(s.output.data[size_t(w)]));
            } else if (current && ph.term < s.term_count(w)) {
                // Term by term: the running sum so far, muted until the window completes.
                const TraceTerm& term = s.traces[size_t(w)].terms[size_t(ph.term)];
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.4f, pal.text_muted,
                            format_number_typeset(term.acc) + "…");
            }
            if (fed)
                dl->AddRect(ImVec2(a.x + 3, a.y + 3), ImVec2(b.x - 3, b.y - 3), pal.strong(Role::Feeds), 0, 0,
                            outline_line(L.cell) * 0.7f);
            // Click: jump to this output's window.
            if (!m_recording && under_mouse(a, b)) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) m_model.jump_to_window(w);
            }
        }
    dl->AddRect(org, ImVec2(org.x + float(s.ow) * cell, org.y + float(s.oh) * cell), pal.strong(Role::Output),
                0, 0, border_line(L.cell));
    // The current cell's outline goes over the grid's border, so it reads whole at the edges too.
    if (ph.window >= 0 && s.traces[size_t(ph.window)].o == o) {
        const Trace& t = s.traces[size_t(ph.window)];
        const ImVec2 a(org.x + float(t.ox) * cell, org.y + float(t.oy) * cell);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, outline_line(L.cell));
    }
}

void StepperView::draw_grids(ViewContext& ctx, const Layout& L) {
    m_hover.reset();
    for (int64_t c = 0; c < channels(); ++c) draw_input_grid(ctx, L, c);
    if (is_conv())
        for (int64_t c = 0; c < channels(); ++c) draw_kernel_grid(ctx, L, c);
    // The outputs the hovered input cell feeds (computed before the outputs are drawn).
    m_fed.clear();
    if (m_hover)
        for (int64_t w : m_model.windows_reading((*m_hover)[0], (*m_hover)[1], (*m_hover)[2]))
            m_fed.insert(w);
    if (const StepperSolution* so = m_model.solution())
        for (int64_t o = 0; o < so->out_channels; ++o) draw_output_grid(ctx, L, o);
    ImGui::Dummy(L.size);
}

// [SECTION] The cell editor

void StepperView::draw_edit_popup(ViewContext& ctx) {
    if (m_open_edit) {
        ImGui::OpenPopup("edit_cell");
        m_open_edit = false;
    }
    if (!ImGui::BeginPopup("edit_cell")) return;
    ImGui::TextUnformatted(tr(Str::edit_cell));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::InputFloat("##value", &m_edit_value, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue)) {
        const EditTarget& e = m_edit;
        send(ctx, stepper_edit::SetCell{e.kernel, e.o, e.c, e.y, e.x, m_edit_value});
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace convscope::ui
