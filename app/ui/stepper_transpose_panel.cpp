// The transposed convolution in the stepper: the scatter view (each input cell stamps value × kernel onto
// the output; running sums; the overlap heat that shows the checkerboard) and the gather view (the same
// numbers as a stride-1 convolution over the zero-stuffed input with the kernel rotated 180°). Core
// computes everything (core/stepper/stepper_transpose.hpp); this file draws it.
//
// [SECTION] Helpers
// [SECTION] Solving and controls
// [SECTION] Header: formulas, round trip, colour key
// [SECTION] Scatter
// [SECTION] Gather
// [SECTION] Report
#include <algorithm>
#include <cstdio>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"
#include "app/ui/stepper_panels.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui {
namespace {

// [SECTION] Helpers

constexpr int kMaxSide = 12, kMaxKernel = 5, kMaxStride = 4, kMaxPad = 4, kMaxDilation = 3, kMaxOut = 3;

ImU32 readable_on(ImU32 fill) {
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
    return (0.299f * c.x + 0.587f * c.y + 0.114f * c.z) > 0.6f ? IM_COL32(0, 0, 0, 255)
                                                               : IM_COL32(255, 255, 255, 255);
}

ImU32 lerp(ImU32 a, ImU32 b, float t) {
    const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
    return ImGui::ColorConvertFloat4ToU32(
        ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t, x.z + (y.z - x.z) * t, 1.0f));
}

std::string num(double v) {
    return format_number_typeset(v);
}

std::string size_text(int64_t h, int64_t w) {
    return std::to_string(h) + "×" + std::to_string(w);
}

// The cells of a grid drawn at `org`, recorded for --report-layout.
struct Grid {
    ImVec2 org;
    float cell;
    ImVec2 at(int64_t y, int64_t x) const { return ImVec2(org.x + float(x) * cell, org.y + float(y) * cell); }
};

float thin(float cell) {
    return std::clamp(cell / 60.0f, 1.0f, 4.0f);
}
float border(float cell) {
    return std::clamp(cell * 0.035f, 1.5f, 12.0f);
}
float outline(float cell) {
    return std::clamp(cell * 0.07f, 2.5f, 24.0f);
}

void number(ImDrawList* dl, ViewContext& ctx, ImVec2 a, float cell, float frac, ImU32 col,
            const std::string& s, float dy = 0.0f) {
    const float size = cell * frac;
    text_centred(dl, ctx.fonts.for_size(size), size, ImVec2(a.x + cell * 0.5f, a.y + cell * (0.5f + dy)), col,
                 s, cell * 0.86f);
}

void label(ImDrawList* dl, ViewContext& ctx, ImVec2 grid_top_left, float px, float max_w, ImU32 col,
           const std::string& text) {
    ImFont* f = ctx.fonts.for_size(px);
    const float size = fit_size(f, px, max_w, text);
    dl->AddText(f, size, ImVec2(grid_top_left.x, grid_top_left.y - px * 1.3f), col, text.c_str());
}

// An operator sign centred in the gap left of `x`.
void op_sign(ImDrawList* dl, ViewContext& ctx, float x, float y, float gap, float cell, const char* s,
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
void flow(ViewContext& ctx, const std::vector<Piece>& pieces, float width, float size, int max_lines) {
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
            dl->AddText(f, s, a, readable_on(pal.fill(Role::Term)), p.text.c_str());
        } else {
            dl->AddText(f, s, a, p.muted ? pal.text_muted : pal.text, p.text.c_str());
        }
        x += ts.x;
    }
    ImGui::Dummy(ImVec2(width, y + s * 1.35f));
}

// A slider for an (h, w) pair that moves both together while they are equal.
bool pair_slider(const char* id, Str title, Pair& v, int lo, int hi) {
    ImGui::TextWrapped("%s", tr(title));
    int both[2] = {int(v.h), int(v.w)};
    ImGui::PushID(id);
    bool changed = false;
    if (v.h == v.w) {
        int x = both[0];
        if (ImGui::SliderInt("##both", &x, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp)) {
            v = Pair(x);
            changed = true;
        }
    } else if (ImGui::SliderInt2("##hw", both, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp)) {
        v = Pair(both[0], both[1]);
        changed = true;
    }
    ImGui::PopID();
    return changed;
}

}  // namespace

// [SECTION] Solving and controls

void TransposePanel::solve(const StepperProblem& p) {
    m_problem = p;
    m_plan.reset();
    m_gather.reset();
    m_gsol.reset();
    m_error.reset();
    auto plan = plan_scatter(p);
    if (!plan) {
        m_error = plan.err();
        return;
    }
    auto g = gather_problem(p);
    if (!g) {
        m_error = g.err();
        return;
    }
    auto s = solve_stepper(g->conv);
    if (!s) {
        m_error = s.err();
        return;
    }
    m_plan = std::move(*plan);
    m_gather = std::move(*g);
    m_gsol = std::move(*s);
}

StepSequence TransposePanel::sequence() const {
    if (!ok()) return StepSequence({});
    return gather ? StepSequence::of(*m_gsol) : StepSequence(m_plan->term_counts());
}

bool TransposePanel::draw_controls(StepperProblem& p, bool& view_changed) {
    bool changed = false;
    ImGui::TextUnformatted(tr(Str::tr_mode));
    int mode = gather ? 1 : 0;
    if (ImGui::RadioButton(tr(Str::tr_scatter), &mode, 0) ||
        ImGui::RadioButton(tr(Str::tr_gather), &mode, 1)) {
        gather = mode == 1;
        view_changed = true;
    }
    const int64_t C = p.input.dim(0);
    // A kernel of another shape (a hand-written scene): start from C × 1 × 3 × 3 ones.
    if (p.weight.rank() != 4 || p.weight.dim(0) != C) {
        p.weight = Tensor::filled({C, 1, 3, 3}, 1.0f);
        p.bias = Tensor::filled({p.conv.groups});
        changed = true;
    }
    Pair k(p.weight.dim(2), p.weight.dim(3));
    int og = int(p.weight.dim(1));
    ImGui::TextUnformatted(tr(Str::tr_out_channels));
    if (ImGui::SliderInt("##tr_og", &og, 1, kMaxOut, "%d", ImGuiSliderFlags_AlwaysClamp)) changed = true;
    if (pair_slider("tr_k", Str::kernel_hw, k, 1, kMaxKernel)) changed = true;
    if (changed) {
        p.weight = resized(p.weight, {C, og, k.h, k.w});
        const int64_t O = og * p.conv.groups;
        p.bias = resized(Tensor({1, 1, p.bias.numel()}, p.bias.data), {1, 1, O});
        p.bias.shape = {O};
    }
    Conv2dParams& c = p.conv;
    c.padding.kind = PaddingKind::Explicit;
    if (pair_slider("tr_s", Str::stride, c.stride, 1, kMaxStride)) changed = true;
    if (pair_slider("tr_p", Str::padding, c.padding.amount, 0, kMaxPad)) changed = true;
    // output_padding must stay below stride or dilation (PyTorch's rule): the slider's range says so.
    const int op_hi = int(std::max({c.stride.h, c.stride.w, c.dilation.h, c.dilation.w})) - 1;
    if (pair_slider("tr_op", Str::tr_output_padding, p.output_padding, 0, std::max(0, op_hi))) changed = true;
    if (pair_slider("tr_d", Str::dilation, c.dilation, 1, kMaxDilation)) changed = true;
    if (ImGui::Checkbox(tr(Str::bias), &p.has_bias)) changed = true;
    if (p.has_bias)
        for (int64_t i = 0; i < p.bias.numel(); ++i) {
            ImGui::PushID(int(i) + 1000);
            const std::string l = std::string(tr(Str::bias)) + " " + std::to_string(i);
            if (ImGui::InputFloat(l.c_str(), &p.bias.data[size_t(i)], 1.0f, 0.0f, "%g")) changed = true;
            ImGui::PopID();
        }
    (void)kMaxSide;
    return changed;
}

// [SECTION] Header: formulas, round trip, colour key

void TransposePanel::draw_header(ViewContext& ctx, float t, float width) {
    const Palette& pal = palette();
    const StepperProblem& p = m_problem;
    const Conv2dParams& c = p.conv;
    const TransposeAxis ah = transpose_axis(p.input.dim(1), p.weight.dim(2), c.stride.h, c.padding.amount.h,
                                            c.dilation.h, p.output_padding.h);
    const TransposeAxis aw = transpose_axis(p.input.dim(2), p.weight.dim(3), c.stride.w, c.padding.amount.w,
                                            c.dilation.w, p.output_padding.w);
    ImFont* f = ctx.fonts.for_size(t);
    const float x0 = ImGui::GetCursorPosX();
    for (const auto& [name, a] : {std::pair{"H_out", &ah}, std::pair{"W_out", &aw}}) {
        const std::string line = std::string(name) + " = " + a->formula;
        ImGui::SetCursorPosX(x0);
        text_line(f, fit_size(f, t * 0.85f, width, line), pal.text, line);
    }
    const float small = std::max(13.0f, t * 0.6f);
    ImFont* fs = ctx.fonts.for_size(small);
    if (gather) {
        const std::string off = size_text(m_gather->off_h, m_gather->off_w);
        ImGui::SetCursorPosX(x0);
        text_wrapped(fs, small, pal.strong(Role::Input), trf(Str::tr_input_stuffed, off.c_str()), width);
    }
    const std::string out = size_text(ah.out, aw.out), back = size_text(ah.back, aw.back);
    ImGui::SetCursorPosX(x0);
    text_wrapped(fs, small, pal.text_muted, trf(Str::tr_roundtrip, out.c_str(), back.c_str()), width);
    const std::string in = size_text(p.input.dim(1), p.input.dim(2));
    ImGui::SetCursorPosX(x0);
    if (ah.lo == ah.hi && aw.lo == aw.hi) {
        text_wrapped(fs, small, pal.text_muted, trf(Str::tr_roundtrip_one, in.c_str()), width);
    } else {
        const std::string lo = size_text(ah.lo, aw.lo), hi = size_text(ah.hi, aw.hi);
        const std::string ops = size_text(ah.hi - ah.lo, aw.hi - aw.lo);
        text_wrapped(fs, small, pal.text_muted,
                     trf(Str::tr_roundtrip_many, lo.c_str(), hi.c_str(), in.c_str(), ops.c_str()), width);
    }
    // The colour key.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImVec2 at = start;
    float bottom = start.y;
    const auto item = [&](ImU32 fill, ImU32 edge, bool hatched, bool ring, const char* text) {
        const float w = small * 1.4f + text_size(fs, small, text).x;
        if (at.x > start.x && at.x + w > start.x + width) at = ImVec2(start.x, bottom);
        const ImVec2 q(at.x + small, at.y + small);
        if (ring) {
            dl->AddRect(at, q, edge, 0, 0, std::max(2.0f, small * 0.14f));
        } else {
            dl->AddRectFilled(at, q, fill);
            dl->AddRect(at, q, edge, 0, 0, 1.5f);
            if (hatched) hatch(dl, at, q, edge, small / 3, 1.0f);
        }
        dl->AddText(fs, small, ImVec2(at.x + small * 1.4f, at.y), pal.text, text);
        bottom = std::max(bottom, at.y + small * 1.45f);
        at.x += w + small * 1.2f;
    };
    item(pal.fill(Role::Input), pal.strong(Role::Input), false, false, tr(Str::label_input));
    if (gather)
        item(pal.fill(Role::Padding), pal.strong(Role::Padding), true, false, tr(Str::tr_inserted_zero));
    item(pal.fill(Role::Kernel), pal.strong(Role::Kernel), false, false, tr(Str::label_kernel));
    item(pal.fill(Role::Output), pal.strong(Role::Output), false, false, tr(Str::label_output));
    item(0, pal.strong(Role::Window), false, true, gather ? tr(Str::legend_window) : tr(Str::tr_stamped));
    if (!gather)
        item(lerp(pal.panel, pal.strong(Role::Output), 0.8f), pal.strong(Role::Output), false, false,
             tr(Str::tr_overlap_legend));
    ImGui::SetCursorScreenPos(start);
    ImGui::Dummy(ImVec2(width, bottom - start.y));
}

void TransposePanel::draw_canvas(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t,
                                 ImVec2 avail, GridRects& grids) {
    if (!ok()) return;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    draw_header(ctx, t, avail.x);
    ImGui::Dummy(ImVec2(0, t * 0.2f));
    const float used = ImGui::GetCursorScreenPos().y - top.y;
    const ImVec2 rest(avail.x, std::max(t * 4.0f, avail.y - used));
    if (gather)
        draw_gather(ctx, ph, seq, t, rest, grids);
    else
        draw_scatter(ctx, ph, seq, t, rest, grids);
}

// [SECTION] Scatter

void TransposePanel::draw_scatter(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t,
                                  ImVec2 avail, GridRects& grids) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ScatterPlan& plan = *m_plan;
    const StepperProblem& p = m_problem;
    const int64_t H = p.input.dim(1), W = p.input.dim(2), og = p.weight.dim(1);
    const int64_t kh = p.weight.dim(2), kw = p.weight.dim(3);
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
                                                       : (c / (p.input.dim(0) / p.conv.groups)) * og;
    const int64_t oo = o % og;

    // Sizes: the bottom text gets two lines; the grids share the rest.
    const float text_h = t * 2.9f;
    const float label_px = std::max(13.0f, t * 0.7f);
    const float cols = float(W + kw + plan.ow) + 2.6f;
    const float rows = float(std::max({H, kh, plan.oh}));
    const float cell =
        std::clamp(std::min(avail.x / cols, (avail.y - text_h - label_px * 1.6f) / rows), 12.0f, t * 4.0f);
    const float gap = cell * 1.3f;
    const ImVec2 o0 = ImGui::GetCursorScreenPos();
    const float gy = o0.y + label_px * 1.4f;
    const Grid gin{ImVec2(o0.x, gy), cell};
    const Grid gk{ImVec2(o0.x + float(W) * cell + gap, gy), cell};
    const Grid gout{ImVec2(gk.org.x + float(kw) * cell + gap, gy), cell};
    const float mid = gy + float(std::min<int64_t>(std::max<int64_t>(H, 1), 3)) * cell * 0.5f;

    // Input: the stamped cell outlined; cells already stamped keep a small dot.
    const std::string in_label = p.input.dim(0) > 1 ? trf(Str::label_input_c, int(c)) : tr(Str::label_input);
    label(dl, ctx, gin.org, label_px, std::max(float(W) * cell, cell * 3), pal.strong(Role::Input),
          in_label + " " + size_text(H, W));
    for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x) {
            const ImVec2 a = gin.at(y, x), b(a.x + cell, a.y + cell);
            dl->AddRectFilled(a, b, pal.fill(Role::Input));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            number(dl, ctx, a, cell, 0.5f, pal.text, num(p.input.data[size_t((c * H + y) * W + x)]));
            const int64_t k = (c * H + y) * W + x;
            if (k < ph.window || (k == ph.window && complete))
                dl->AddCircleFilled(ImVec2(b.x - cell * 0.14f, a.y + cell * 0.14f), cell * 0.07f,
                                    pal.strong(Role::Output));
        }
    dl->AddRect(gin.org, gin.at(H, W), pal.strong(Role::Input), 0, 0, border(cell));
    grids.push_back({gin.org.x, gin.org.y, gin.at(H, W).x, gin.at(H, W).y});
    if (stamp) {
        const ImVec2 a = gin.at(stamp->iy, stamp->ix);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, outline(cell));
    }

    // Kernel: weight (c, o) with the current product's cell in yellow.
    op_sign(dl, ctx, gk.org.x, mid, gap, cell, "×");
    const std::string k_label =
        (p.input.dim(0) > 1 || og > 1) ? trf(Str::label_kernel_oc, int(o), int(c)) : tr(Str::label_kernel);
    label(dl, ctx, gk.org, label_px, std::max(float(kw) * cell, cell * 3), pal.strong(Role::Kernel), k_label);
    for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
            const ImVec2 a = gk.at(y, x), b(a.x + cell, a.y + cell);
            const bool now = term && term->ky == y && term->kx == x;
            const ImU32 fill = now ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
            dl->AddRectFilled(a, b, fill);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            number(dl, ctx, a, cell, 0.5f, readable_on(fill),
                   num(p.weight.data[size_t(((c * og + oo) * kh + y) * kw + x)]));
        }
    dl->AddRect(gk.org, gk.at(kh, kw), pal.strong(Role::Kernel), 0, 0, border(cell));
    grids.push_back({gk.org.x, gk.org.y, gk.at(kh, kw).x, gk.at(kh, kw).y});

    // Output: the overlap heat under the running sums; the stamp's cells outlined, its current product
    // yellow.
    op_sign(dl, ctx, gout.org.x, mid, gap, cell, "→");
    const std::string out_label =
        plan.out_channels > 1 ? trf(Str::label_output_c, int(o)) : tr(Str::tr_output_partial);
    label(dl, ctx, gout.org, label_px, std::max(float(plan.ow) * cell, cell * 3), pal.strong(Role::Output),
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
            if (ov == 0) hatch(dl, a, b, with_alpha(pal.text_muted, 0.4f), cell / 5, thin(cell));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            const ImU32 ink = readable_on(fill);
            if (reached[at] || (p.has_bias && ph.window >= 0))
                number(dl, ctx, a, cell, 0.42f, ink, num(partial.data[at]), 0.06f);
            if (ov > 0) {
                const std::string n = "×" + std::to_string(ov);
                const float s = cell * 0.24f;
                const ImVec2 ts = text_size(ctx.fonts.for_size(s), s, n);
                dl->AddText(ctx.fonts.for_size(s), s, ImVec2(b.x - ts.x - cell * 0.06f, a.y + cell * 0.02f),
                            with_alpha(ink, 0.8f), n.c_str());
            }
        }
    dl->AddRect(gout.org, gout.at(plan.oh, plan.ow), pal.strong(Role::Output), 0, 0, border(cell));
    grids.push_back({gout.org.x, gout.org.y, gout.at(plan.oh, plan.ow).x, gout.at(plan.oh, plan.ow).y});
    if (stamp)
        for (const ScatterTerm& st : stamp->terms) {
            if (st.o != o) continue;
            const ImVec2 a = gout.at(st.oy, st.ox);
            const float in = outline(cell) * 0.5f;
            dl->AddRect(ImVec2(a.x + in, a.y + in), ImVec2(a.x + cell - in, a.y + cell - in),
                        pal.strong(Role::Window), 0, 0, outline(cell) * 0.6f);
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
    const StepperSolution& s = *m_gsol;
    const GatherProblem& g = *m_gather;
    const Tensor& gi = g.conv.input;
    const Tensor& gw = g.conv.weight;
    const int64_t GH = gi.dim(1), GW = gi.dim(2), cg = gw.dim(1), kh = gw.dim(2), kw = gw.dim(3);
    ph = seq.clamp(ph);
    const Trace* tr_now = ph.window >= 0 ? &s.traces[size_t(ph.window)] : nullptr;
    const bool complete = seq.complete(ph);
    const int64_t term_now = tr_now && !complete ? ph.term : -1;
    const int64_t o = tr_now ? tr_now->o : 0;
    const int64_t c = tr_now && term_now >= 0            ? tr_now->terms[size_t(term_now)].c
                      : tr_now && !tr_now->terms.empty() ? tr_now->terms[0].c
                                                         : 0;

    const float text_h = t * 2.9f;
    const float label_px = std::max(13.0f, t * 0.7f);
    const float cols = float(GW + kw + s.ow) + 2.6f;
    const float rows = float(std::max({GH, kh, s.oh}));
    const float cell =
        std::clamp(std::min(avail.x / cols, (avail.y - text_h - label_px * 1.6f) / rows), 10.0f, t * 4.0f);
    const float gap = cell * 1.3f;
    const ImVec2 o0 = ImGui::GetCursorScreenPos();
    const float gy = o0.y + label_px * 1.4f;
    const Grid gin{ImVec2(o0.x, gy), cell};
    const Grid gk{ImVec2(o0.x + float(GW) * cell + gap, gy), cell};
    const Grid gout{ImVec2(gk.org.x + float(kw) * cell + gap, gy), cell};
    const float mid = gy + float(std::min<int64_t>(kh, 3)) * cell * 0.5f;

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
                hatch(dl, a, b, with_alpha(pal.strong(Role::Padding), 0.35f), cell / 5, thin(cell));
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            number(dl, ctx, a, cell, 0.5f,
                   now    ? readable_on(fill)
                   : real ? pal.text
                          : pal.strong(Role::Padding),
                   num(gi.data[size_t((c * GH + y) * GW + x)]));
        }
    dl->AddRect(gin.org, gin.at(GH, GW), pal.strong(Role::Input), 0, 0, border(cell));
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
            dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), pal.strong(Role::Window), 0, 0, outline(cell));
    }

    // The rotated kernel.
    op_sign(dl, ctx, gk.org.x, mid, gap, cell, "⋆", 2.0f);  // DejaVu's ⋆ is drawn small
    label(dl, ctx, gk.org, label_px, std::max(float(kw) * cell, cell * 4), pal.strong(Role::Kernel),
          tr(Str::tr_kernel_rotated));
    const int64_t cl = c % cg;
    for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
            const ImVec2 a = gk.at(y, x), b(a.x + cell, a.y + cell);
            const bool now = term_now >= 0 && tr_now->terms[size_t(term_now)].ky == y &&
                             tr_now->terms[size_t(term_now)].kx == x;
            const ImU32 fill = now ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
            dl->AddRectFilled(a, b, fill);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            number(dl, ctx, a, cell, 0.5f, readable_on(fill),
                   num(gw.data[size_t(((o * cg + cl) * kh + y) * kw + x)]));
        }
    dl->AddRect(gk.org, gk.at(kh, kw), pal.strong(Role::Kernel), 0, 0, border(cell));
    grids.push_back({gk.org.x, gk.org.y, gk.at(kh, kw).x, gk.at(kh, kw).y});

    // The output, filling window by window: the same numbers as the scatter's last stamp.
    op_sign(dl, ctx, gout.org.x, mid, gap, cell, "=");
    const std::string out_label =
        s.out_channels > 1 ? trf(Str::label_output_c, int(o)) : tr(Str::label_output);
    label(dl, ctx, gout.org, label_px, std::max(float(s.ow) * cell, cell * 3), pal.strong(Role::Output),
          out_label + " " + size_text(s.oh, s.ow));
    for (int64_t y = 0; y < s.oh; ++y)
        for (int64_t x = 0; x < s.ow; ++x) {
            const int64_t w = s.window_of(o, y, x);
            const ImVec2 a = gout.at(y, x), b(a.x + cell, a.y + cell);
            const bool filled = seq.filled(ph, w);
            dl->AddRectFilled(a, b, filled || w == ph.window ? pal.fill(Role::Output) : pal.panel);
            dl->AddRect(a, b, pal.grid_line, 0, 0, thin(cell));
            if (filled)
                number(dl, ctx, a, cell, 0.5f, pal.text, num(s.output.data[size_t(w)]));
            else if (w == ph.window && term_now >= 0)
                number(dl, ctx, a, cell, 0.4f, pal.text_muted,
                       num(tr_now->terms[size_t(term_now)].acc) + "…");
        }
    dl->AddRect(gout.org, gout.at(s.oh, s.ow), pal.strong(Role::Output), 0, 0, border(cell));
    grids.push_back({gout.org.x, gout.org.y, gout.at(s.oh, s.ow).x, gout.at(s.oh, s.ow).y});
    if (tr_now) {
        const ImVec2 a = gout.at(tr_now->oy, tr_now->ox);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, outline(cell));
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

// [SECTION] Report

std::string TransposePanel::report(Playhead ph, const StepSequence& seq) const {
    if (!ok()) return "";
    std::string out = std::string("\"transpose\":{\"view\":\"") + (gather ? "gather" : "scatter") + "\",";
    const Tensor shown = gather ? m_gsol->output : scatter_partial(*m_plan, seq.clamp(ph));
    std::string vals;
    const int64_t n = int64_t(shown.data.size());
    for (int64_t i = 0; i < n; ++i) {
        // The gather view shows only filled windows; the rest are null.
        const bool visible = !gather || seq.filled(seq.clamp(ph), i);
        vals += (i ? "," : "") + (visible ? format_number(shown.data[size_t(i)]) : std::string("null"));
    }
    out += "\"shape\":[" + std::to_string(shown.dim(0)) + "," + std::to_string(shown.dim(1)) + "," +
           std::to_string(shown.dim(2)) + "],\"output\":[" + vals +
           "],\"max_overlap\":" + std::to_string(m_plan->max_overlap());
    if (gather && ph.window >= 0) {
        const auto lines = explain_lines(m_gsol->traces[size_t(seq.clamp(ph).window)]);
        std::string l;
        for (char ch : lines.empty() ? std::string() : lines.back())
            if (ch != '"' && ch != '\\') l += ch;
        out += ",\"mac\":\"" + l + "\"";
    }
    return out + "}";
}

}  // namespace convscope::ui
