// The transposed convolution in the stepper: the controls (kernel, stride, padding, output_padding,
// dilation, bias, scatter or gather), the header (the size formula, the round trip through Conv2d, the
// colour key) and the report; stepper_transpose_grids.cpp draws the scatter and the gather grids. Core
// computes everything (core/stepper/stepper_transpose.hpp, through the stepper's model); this draws it.
//
// [SECTION] Controls
// [SECTION] Header: formulas, round trip, colour key
// [SECTION] Report
#include "app/ui/stepper/stepper_panels.hpp"
#include "app/ui/stepper/stepper_transpose_draw.hpp"
#include "app/ui/widgets/draw.hpp"

namespace convscope::ui {
using namespace transpose_draw;
namespace {

// The controls' ranges: the scatter's grids stay legible beside the header.
constexpr int kMaxSide = 12, kMaxKernel = 5, kMaxStride = 4, kMaxPad = 4, kMaxDilation = 3, kMaxOut = 3;

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

// [SECTION] Controls

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
    ConvTransposeProblem& tp = *p.transposed();
    // A kernel of another shape (a hand-written scene): start from C × 1 × 3 × 3 ones.
    if (tp.weight.rank() != 4 || tp.weight.dim(0) != C) {
        tp.weight = Tensor::filled({C, 1, 3, 3}, 1.0f);
        tp.bias = Tensor::filled({tp.conv.groups});
        changed = true;
    }
    Pair k(tp.weight.dim(2), tp.weight.dim(3));
    int og = int(tp.weight.dim(1));
    ImGui::TextUnformatted(tr(Str::tr_out_channels));
    if (ImGui::SliderInt("##tr_og", &og, 1, kMaxOut, "%d", ImGuiSliderFlags_AlwaysClamp)) changed = true;
    if (pair_slider("tr_k", Str::kernel_hw, k, 1, kMaxKernel)) changed = true;
    if (changed) {
        tp.weight = resized(tp.weight, {C, og, k.h, k.w});
        const int64_t O = og * tp.conv.groups;
        tp.bias = resized(Tensor({1, 1, tp.bias.numel()}, tp.bias.data), {1, 1, O});
        tp.bias.shape = {O};
    }
    Conv2dParams& c = tp.conv;
    c.padding.kind = PaddingKind::Explicit;
    if (pair_slider("tr_s", Str::stride, c.stride, 1, kMaxStride)) changed = true;
    if (pair_slider("tr_p", Str::padding, c.padding.amount, 0, kMaxPad)) changed = true;
    // output_padding must stay below stride or dilation (PyTorch's rule): the slider's range says so.
    const int op_hi = int(std::max({c.stride.h, c.stride.w, c.dilation.h, c.dilation.w})) - 1;
    if (pair_slider("tr_op", Str::tr_output_padding, tp.output_padding, 0, std::max(0, op_hi)))
        changed = true;
    if (pair_slider("tr_d", Str::dilation, c.dilation, 1, kMaxDilation)) changed = true;
    if (checkbox(tr(Str::bias), &tp.has_bias)) changed = true;
    if (tp.has_bias)
        for (int64_t i = 0; i < tp.bias.numel(); ++i) {
            ImGui::PushID(int(i) + 1000);
            const std::string l = std::string(tr(Str::bias)) + " " + std::to_string(i);
            if (ImGui::InputFloat(l.c_str(), &tp.bias.data[size_t(i)], 1.0f, 0.0f, "%g")) changed = true;
            ImGui::PopID();
        }
    (void)kMaxSide;
    return changed;
}

// [SECTION] Header: formulas, round trip, colour key

void TransposePanel::draw_header(ViewContext& ctx, float t, float width) {
    const Palette& pal = palette();
    const StepperProblem& p = problem();
    const ConvTransposeProblem& tp = *p.transposed();
    const Conv2dParams& c = tp.conv;
    const TransposeAxis ah = transpose_axis(p.input.dim(1), tp.weight.dim(2), c.stride.h, c.padding.amount.h,
                                            c.dilation.h, tp.output_padding.h);
    const TransposeAxis aw = transpose_axis(p.input.dim(2), tp.weight.dim(3), c.stride.w, c.padding.amount.w,
                                            c.dilation.w, tp.output_padding.w);
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
        const std::string off = size_text(m_model->gather()->off_h, m_model->gather()->off_w);
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

// [SECTION] Report

std::string TransposePanel::report(Playhead ph, const StepSequence& seq) const {
    if (!ok()) return "";
    std::string out = std::string("\"transpose\":{\"view\":\"") + (gather ? "gather" : "scatter") + "\",";
    const Tensor shown =
        gather ? m_model->solution()->output : scatter_partial(*m_model->scatter(), seq.clamp(ph));
    std::string vals;
    const int64_t n = int64_t(shown.data.size());
    for (int64_t i = 0; i < n; ++i) {
        // The gather view shows only filled windows; the rest are null.
        const bool visible = !gather || seq.filled(seq.clamp(ph), i);
        vals += (i ? "," : "") + (visible ? format_number(shown.data[size_t(i)]) : std::string("null"));
    }
    out += "\"shape\":[" + std::to_string(shown.dim(0)) + "," + std::to_string(shown.dim(1)) + "," +
           std::to_string(shown.dim(2)) + "],\"output\":[" + vals +
           "],\"max_overlap\":" + std::to_string(m_model->scatter()->max_overlap());
    if (gather && ph.window >= 0) {
        const auto lines = explain_lines(m_model->solution()->traces[size_t(seq.clamp(ph).window)]);
        std::string l;
        for (char ch : lines.empty() ? std::string() : lines.back())
            if (ch != '"' && ch != '\\') l += ch;
        out += ",\"mac\":\"" + l + "\"";
    }
    return out + "}";
}

}  // namespace convscope::ui
