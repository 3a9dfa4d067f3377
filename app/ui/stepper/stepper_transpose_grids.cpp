// The transposed convolution's two grids: the scatter (each input cell stamps value × kernel onto the output;
// running sums; the overlap heat that shows the checkerboard) and the gather (the same numbers as a stride-1
// convolution over the zero-stuffed input with the kernel rotated 180°).
//
// [SECTION] Scatter
// [SECTION] Gather
#include "app/ui/stepper/stepper_panels.hpp"
#include "app/ui/stepper/stepper_transpose_draw.hpp"

namespace convscope::ui {
using namespace transpose_draw;

// [SECTION] Scatter

void TransposePanel::draw_scatter(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t,
                                  ImVec2 avail, GridRects& grids) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ScatterPlan& plan = *m_model->scatter();
    const StepperProblem& p = problem();
    const ConvTransposeProblem& tp = *p.transposed();
    const int64_t H = p.input.dim(1), W = p.input.dim(2), og = tp.weight.dim(1);
    const int64_t kh = tp.weight.dim(2), kw = tp.weight.dim(3);
    ph = seq.clamp(ph);
    const ScatterStamp* stamp = ph.window >= 0 ? &plan.stamps[size_t(ph.window)] : nullptr;
    const bool complete = seq.complete(ph);
    const ScatterTerm* term = stamp && !complete && ph.term < int64_t(stamp->terms.size())
                                  ? &stamp->terms[size_t(ph.term)]
                                  : nullptr;
    // Which channels are shown: the stamp's input channel, the output channel of its current product.
    const int64_t c = stamp ? stamp->c : 0;
    const int64_t o = term                             ? term->o
                      : stamp && !stamp->terms.empty() ? stamp->terms.back().o
                                                       : (c / (p.input.dim(0) / tp.conv.groups)) * og;
    const int64_t oo = o % og;

    // Sizes: the bottom text gets two lines; the grids share the rest.
    const float rows = float(std::max({H, kh, plan.oh}));
    const auto [label_px, cell, gap, gy, mid, o0, gin, gk, gout] =
        grid_row(avail, t, W, kw, plan.ow, rows, 12.0f, std::max<int64_t>(H, 1));

    // Input: the stamped cell outlined; cells already stamped keep a small dot.
    const std::string in_label = p.input.dim(0) > 1 ? trf(Str::label_input_c, int(c)) : tr(Str::label_input);
    label(dl, ctx, gin.org, label_px, std::max(float(W) * cell, cell * 3), pal.strong(Role::Input),
          in_label + " " + size_text(H, W));
    for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x) {
            const ImVec2 a = gin.at(y, x), b(a.x + cell, a.y + cell);
            dl->AddRectFilled(a, b, pal.fill(Role::Input));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(cell));
            number(dl, ctx, a, cell, 0.5f, pal.text, num(p.input.data[size_t((c * H + y) * W + x)]));
            const int64_t k = (c * H + y) * W + x;
            if (k < ph.window || (k == ph.window && complete))
                dl->AddCircleFilled(ImVec2(b.x - cell * 0.14f, a.y + cell * 0.14f), cell * 0.07f,
                                    pal.strong(Role::Output));
        }
    dl->AddRect(gin.org, gin.at(H, W), pal.strong(Role::Input), 0, 0, border_line(cell));
    grids.push_back({gin.org.x, gin.org.y, gin.at(H, W).x, gin.at(H, W).y});
    if (stamp) {
        const ImVec2 a = gin.at(stamp->iy, stamp->ix);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, outline_line(cell));
    }

    // Kernel: weight (c, o) with the current product's cell in yellow.
    const std::string k_label =
        (p.input.dim(0) > 1 || og > 1) ? trf(Str::label_kernel_oc, int(o), int(c)) : tr(Str::label_kernel);
    heading(dl, ctx, gk, "×", 1.0f, mid, gap, label_px, float(kw), 3, Role::Kernel, k_label);
    kernel_grid(dl, ctx, gk, kh, kw, &tp.weight.data[size_t((c * og + oo) * kh * kw)], term ? term->ky : -1,
                term ? term->kx : -1, grids);

    // Output: the overlap heat under the running sums; the stamp's cells outlined, its current product
    // yellow.
    const std::string out_label =
        plan.out_channels > 1 ? trf(Str::label_output_c, int(o)) : tr(Str::tr_output_partial);
    heading(dl, ctx, gout, "→", 1.0f, mid, gap, label_px, float(plan.ow), 3, Role::Output,
            out_label + " " + size_text(plan.oh, plan.ow));
    std::vector<bool> reached;
    const Tensor partial = scatter_partial(plan, ph, &reached);
    const float max_ov = float(plan.max_overlap());
    for (int64_t y = 0; y < plan.oh; ++y)
        for (int64_t x = 0; x < plan.ow; ++x) {
            const size_t at = size_t(plan.index(o, y, x));
            const ImVec2 a = gout.at(y, x), b(a.x + cell, a.y + cell);
            const int64_t ov = plan.overlap[at];
            const bool now = term && term->oy == y && term->ox == x;
            ImU32 fill = ov == 0 ? pal.panel
                                 : lerp(pal.panel, pal.strong(Role::Output),
                                        0.08f + 0.82f * float(ov - 1) / std::max(1.0f, max_ov - 1));
            if (now) fill = pal.fill(Role::Term);
            dl->AddRectFilled(a, b, fill);
            if (ov == 0) hatch(dl, a, b, with_alpha(pal.text_muted, 0.4f), cell / 5, thin_line(cell));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(cell));
            const ImU32 ink = text_on(fill);
            if (reached[at] || (tp.has_bias && ph.window >= 0))
                number(dl, ctx, a, cell, 0.42f, ink, num(partial.data[at]), 0.06f);
            if (ov > 0) {
                const std::string n = "×" + std::to_string(ov);
                const float s = cell * 0.24f;
                const ImVec2 ts = text_size(ctx.fonts.for_size(s), s, n);
                dl->AddText(ctx.fonts.for_size(s), s, ImVec2(b.x - ts.x - cell * 0.06f, a.y + cell * 0.02f),
                            with_alpha(ink, 0.8f), n.c_str());
            }
        }
    dl->AddRect(gout.org, gout.at(plan.oh, plan.ow), pal.strong(Role::Output), 0, 0, border_line(cell));
    grids.push_back({gout.org.x, gout.org.y, gout.at(plan.oh, plan.ow).x, gout.at(plan.oh, plan.ow).y});
    if (stamp)
        for (const ScatterTerm& st : stamp->terms) {
            if (st.o != o) continue;
            const ImVec2 a = gout.at(st.oy, st.ox);
            const float in = outline_line(cell) * 0.5f;
            dl->AddRect(ImVec2(a.x + in, a.y + in), ImVec2(a.x + cell - in, a.y + cell - in),
                        pal.strong(Role::Window), 0, 0, outline_line(cell) * 0.6f);
        }

    // Below: what the stamp does, and term by term the product being added.
    ImGui::SetCursorScreenPos(ImVec2(o0.x, gy + rows * cell + t * 0.4f));
    const float tw = avail.x;
    if (!stamp) {
        ImFont* f = ctx.fonts.for_size(t);
        const std::string hint = tr(Str::tr_start_scatter);
        text_line(f, fit_size(f, t, tw, hint), pal.text_muted, hint);
        return;
    }
    std::vector<Piece> pieces;
    const std::string x = num(stamp->x);
    const std::string head = stamp->terms.empty()
                                 ? trf(Str::tr_stamp_none, int(stamp->iy), int(stamp->ix), x.c_str())
                                 : trf(Str::tr_stamp_line, int(stamp->iy), int(stamp->ix), x.c_str(),
                                       x.c_str(), int(stamp->terms.size()));
    pieces.push_back({trf(Str::tr_stamp_n, int(ph.window + 1), int(seq.windows())) + ": ", false});
    pieces.push_back({head, false});
    flow(ctx, pieces, tw, t * 0.8f, 2);
    if (term) {
        const float before = term->sum - term->product;
        flow(ctx,
             {{format_product_typeset(stamp->x, term->w) + " → (" + std::to_string(term->oy) + ", " +
                   std::to_string(term->ox) + "): ",
               false},
              {num(before) + format_addend_typeset(term->product) + " = " + num(term->sum), true}},
             tw, t * 0.8f, 1);
    }
}

// [SECTION] Gather

void TransposePanel::draw_gather(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t,
                                 ImVec2 avail, GridRects& grids) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const StepperSolution& s = *m_model->solution();
    const GatherProblem& g = *m_model->gather();
    const Tensor& gi = g.conv.input;
    const Tensor& gw = g.conv.weighted()->weight;
    const int64_t GH = gi.dim(1), GW = gi.dim(2), cg = gw.dim(1), kh = gw.dim(2), kw = gw.dim(3);
    ph = seq.clamp(ph);
    const Trace* tr_now = ph.window >= 0 ? &s.traces[size_t(ph.window)] : nullptr;
    const bool complete = seq.complete(ph);
    const int64_t term_now = tr_now && !complete ? ph.term : -1;
    const int64_t o = tr_now ? tr_now->o : 0;
    const int64_t c = tr_now && term_now >= 0            ? tr_now->terms[size_t(term_now)].c
                      : tr_now && !tr_now->terms.empty() ? tr_now->terms[0].c
                                                         : 0;

    const float rows = float(std::max({GH, kh, s.oh}));
    const auto [label_px, cell, gap, gy, mid, o0, gin, gk, gout] =
        grid_row(avail, t, GW, kw, s.ow, rows, 10.0f, kh);

    // The stuffed input: the input's cells, the inserted and border zeros hatched like padding.
    std::vector<int64_t> covered(size_t(GH * GW), -1);
    if (tr_now)
        for (size_t i = 0; i < tr_now->terms.size(); ++i)
            if (tr_now->terms[i].c == c)
                covered[size_t(tr_now->terms[i].iy * GW + tr_now->terms[i].ix)] = int64_t(i);
    label(dl, ctx, gin.org, label_px, float(GW) * cell + gap * 0.8f, pal.strong(Role::Input),
          std::string(tr(Str::label_input)) + " " + size_text(GH, GW));
    for (int64_t y = 0; y < GH; ++y)
        for (int64_t x = 0; x < GW; ++x) {
            const ImVec2 a = gin.at(y, x), b(a.x + cell, a.y + cell);
            int64_t iy = 0, ix = 0;
            const bool real = g.source(y, x, iy, ix);
            const bool now = covered[size_t(y * GW + x)] >= 0 && covered[size_t(y * GW + x)] == term_now;
            const ImU32 fill = now    ? pal.fill(Role::Term)
                               : real ? pal.fill(Role::Input)
                                      : pal.fill(Role::Padding);
            dl->AddRectFilled(a, b, fill);
            if (!real && !now)
                hatch(dl, a, b, with_alpha(pal.strong(Role::Padding), 0.35f), cell / 5, thin_line(cell));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(cell));
            number(dl, ctx, a, cell, 0.5f,
                   now    ? text_on(fill)
                   : real ? pal.text
                          : pal.strong(Role::Padding),
                   num(gi.data[size_t((c * GH + y) * GW + x)]));
        }
    dl->AddRect(gin.org, gin.at(GH, GW), pal.strong(Role::Input), 0, 0, border_line(cell));
    grids.push_back({gin.org.x, gin.org.y, gin.at(GH, GW).x, gin.at(GH, GW).y});
    if (tr_now) {
        float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
        for (const TraceTerm& term : tr_now->terms) {
            if (term.c != c) continue;
            const ImVec2 a = gin.at(term.iy, term.ix);
            x0 = std::min(x0, a.x), y0 = std::min(y0, a.y), x1 = std::max(x1, a.x + cell),
            y1 = std::max(y1, a.y + cell);
        }
        if (x0 < x1)
            dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), pal.strong(Role::Window), 0, 0, outline_line(cell));
    }

    // The rotated kernel.
    // DejaVu's ⋆ is drawn small: twice the size.
    heading(dl, ctx, gk, "⋆", 2.0f, mid, gap, label_px, float(kw), 4, Role::Kernel,
            tr(Str::tr_kernel_rotated));
    const int64_t cl = c % cg;
    const TraceTerm* now = term_now >= 0 ? &tr_now->terms[size_t(term_now)] : nullptr;
    kernel_grid(dl, ctx, gk, kh, kw, &gw.data[size_t((o * cg + cl) * kh * kw)], now ? now->ky : -1,
                now ? now->kx : -1, grids);

    // The output, filling window by window: the same numbers as the scatter's last stamp.
    const std::string out_label =
        s.out_channels > 1 ? trf(Str::label_output_c, int(o)) : tr(Str::label_output);
    heading(dl, ctx, gout, "=", 1.0f, mid, gap, label_px, float(s.ow), 3, Role::Output,
            out_label + " " + size_text(s.oh, s.ow));
    for (int64_t y = 0; y < s.oh; ++y)
        for (int64_t x = 0; x < s.ow; ++x) {
            const int64_t w = s.window_of(o, y, x);
            const ImVec2 a = gout.at(y, x), b(a.x + cell, a.y + cell);
            const bool filled = seq.filled(ph, w);
            dl->AddRectFilled(a, b, filled || w == ph.window ? pal.fill(Role::Output) : pal.panel);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin_line(cell));
            if (filled)
                number(dl, ctx, a, cell, 0.5f, pal.text, num(s.output.data[size_t(w)]));
            else if (w == ph.window && term_now >= 0)
                number(dl, ctx, a, cell, 0.4f, pal.text_muted,
                       num(tr_now->terms[size_t(term_now)].acc) + "…");
        }
    dl->AddRect(gout.org, gout.at(s.oh, s.ow), pal.strong(Role::Output), 0, 0, border_line(cell));
    grids.push_back({gout.org.x, gout.org.y, gout.at(s.oh, s.ow).x, gout.at(s.oh, s.ow).y});
    if (tr_now) {
        const ImVec2 a = gout.at(tr_now->oy, tr_now->ox);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, outline_line(cell));
    }

    // The multiply-accumulate line: the same products as the scatter put on this output cell.
    ImGui::SetCursorScreenPos(ImVec2(o0.x, gy + rows * cell + t * 0.4f));
    if (!tr_now) {
        ImFont* f = ctx.fonts.for_size(t);
        const std::string hint = tr(Str::hint_start);
        text_line(f, fit_size(f, t, avail.x, hint), pal.text_muted, hint);
        return;
    }
    std::vector<Piece> pieces;
    const int64_t shown = complete ? int64_t(tr_now->terms.size()) : term_now + 1;
    for (int64_t i = 0; i < int64_t(tr_now->terms.size()); ++i) {
        const TraceTerm& term = tr_now->terms[size_t(i)];
        if (i) pieces.push_back({" + ", false, i > term_now && term_now >= 0});
        pieces.push_back(
            {format_product_typeset(term.x, term.w), i == term_now, i > term_now && term_now >= 0});
    }
    if (tr_now->has_bias) pieces.push_back({format_addend_typeset(tr_now->bias), false});
    if (shown == int64_t(tr_now->terms.size())) pieces.push_back({" = " + num(tr_now->result), false});
    flow(ctx, pieces, avail.x, t, 3);
}

}  // namespace convscope::ui
