// [SECTION] Scatter
// [SECTION] Gather
// [SECTION] im2col
// [SECTION] Presets
#include "core/stepper/stepper_transpose.hpp"

#include <algorithm>
#include <string>

#include "core/engine/geometry.hpp"
#include "core/engine/trace.hpp"
#include "core/engine/transpose.hpp"
#include "core/support/limits.hpp"

namespace convscope {

ConvTranspose2dParams transpose_params(const ConvTransposeProblem& p) {
    ConvTranspose2dParams t;
    t.stride = p.conv.stride;
    t.padding = p.conv.padding.amount;
    t.output_padding = p.output_padding;
    t.dilation = p.conv.dilation;
    t.groups = p.conv.groups;
    t.max_mult_adds = p.conv.max_mult_adds;
    return t;
}

ConvTranspose2dParams transpose_params(const StepperProblem& p) {
    const ConvTransposeProblem* t = p.transposed();
    return t ? transpose_params(*t) : ConvTranspose2dParams{};
}

namespace {

// PyTorch's checks (plan_conv_transpose2d, with its readable errors), for a C×H×W input.
Result<ConvTransposePlan> plan_of(const StepperProblem& p) {
    const ConvTransposeProblem* t = p.transposed();
    if (!t) return fail<ErrCode::st_not_transposed>();
    if (p.input.rank() != 3) return fail<ErrCode::stepper_input_rank>(shape_to_string(p.input.shape));
    if (t->conv.padding.kind != PaddingKind::Explicit) return fail<ErrCode::st_numeric_padding>();
    return plan_conv_transpose2d(p.input.shape, t->weight.shape, t->has_bias ? &t->bias.shape : nullptr,
                                 transpose_params(*t));
}

}  // namespace

// [SECTION] Scatter

int64_t ScatterPlan::max_overlap() const {
    int64_t m = 1;
    for (int64_t v : overlap) m = std::max(m, v);
    return m;
}

std::vector<int64_t> ScatterPlan::term_counts() const {
    std::vector<int64_t> v;
    v.reserve(stamps.size());
    for (const ScatterStamp& s : stamps) v.push_back(int64_t(s.terms.size()));
    return v;
}

Result<ScatterPlan> plan_scatter(const StepperProblem& p) {
    auto P = plan_of(p);
    if (!P) return P.err();
    const ConvTransposeProblem& t = *p.transposed();
    const Conv2dParams& c = t.conv;
    const int64_t C = p.input.dim(0), H = p.input.dim(1), W = p.input.dim(2);
    const int64_t og = t.weight.dim(1), kh = t.weight.dim(2), kw = t.weight.dim(3);
    const int64_t cg = C / c.groups;
    ScatterPlan plan;
    plan.out_channels = og * c.groups;
    plan.oh = P->oh;
    plan.ow = P->ow;
    const size_t n = size_t(plan.out_channels * plan.oh * plan.ow);
    plan.overlap.assign(n, 0);
    plan.start.assign(n, 0.0f);
    if (t.has_bias)
        for (int64_t o = 0; o < plan.out_channels; ++o)
            for (int64_t i = 0; i < plan.oh * plan.ow; ++i)
                plan.start[size_t(o * plan.oh * plan.ow + i)] = t.bias.data[size_t(o)];
    std::vector<float> sum = plan.start;
    plan.stamps.reserve(size_t(C * H * W));
    for (int64_t ci = 0; ci < C; ++ci)
        for (int64_t iy = 0; iy < H; ++iy)
            for (int64_t ix = 0; ix < W; ++ix) {
                ScatterStamp st{ci, iy, ix, p.input.data[size_t((ci * H + iy) * W + ix)], {}};
                const int64_t g = ci / cg;
                for (int64_t oo = 0; oo < og; ++oo)
                    for (int64_t ky = 0; ky < kh; ++ky)
                        for (int64_t kx = 0; kx < kw; ++kx) {
                            const int64_t oy = iy * c.stride.h - c.padding.amount.h + ky * c.dilation.h;
                            const int64_t ox = ix * c.stride.w - c.padding.amount.w + kx * c.dilation.w;
                            if (oy < 0 || oy >= plan.oh || ox < 0 || ox >= plan.ow) continue;
                            const int64_t o = g * og + oo;
                            const float w = t.weight.data[size_t(((ci * og + oo) * kh + ky) * kw + kx)];
                            const size_t at = size_t(plan.index(o, oy, ox));
                            sum[at] += st.x * w;
                            ++plan.overlap[at];
                            st.terms.push_back({o, oy, ox, ky, kx, w, st.x * w, sum[at]});
                        }
                plan.stamps.push_back(std::move(st));
            }
    plan.output = Tensor({plan.out_channels, plan.oh, plan.ow}, std::move(sum));
    return plan;
}

Tensor scatter_partial(const ScatterPlan& plan, Playhead ph, std::vector<bool>* reached) {
    std::vector<float> v = plan.start;
    if (reached) reached->assign(v.size(), false);
    const int64_t last = std::min<int64_t>(ph.window, int64_t(plan.stamps.size()) - 1);
    for (int64_t k = 0; k <= last; ++k) {
        const auto& terms = plan.stamps[size_t(k)].terms;
        const int64_t n =
            k < ph.window ? int64_t(terms.size()) : std::min<int64_t>(int64_t(terms.size()), ph.term + 1);
        for (int64_t t = 0; t < n; ++t) {
            const ScatterTerm& term = terms[size_t(t)];
            const size_t at = size_t(plan.index(term.o, term.oy, term.ox));
            v[at] = term.sum;
            if (reached) (*reached)[at] = true;
        }
    }
    return Tensor({plan.out_channels, plan.oh, plan.ow}, std::move(v));
}

TransposeAxis transpose_axis(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, int64_t op) {
    TransposeAxis a;
    a.in = in, a.kernel = k, a.stride = s, a.padding = p, a.dilation = d, a.output_padding = op;
    const TransposedAxisSpec t{in, k, s, p, op, d};
    a.out = transposed_axis_out(t);
    a.formula = transposed_axis_formula(t);
    AxisSpec conv;
    conv.in = a.out, conv.kernel = k, conv.stride = s, conv.pad_before = p, conv.pad_after = p,
    conv.dilation = d;
    a.back = axis_size(conv).out;
    const InverseSizes inv = conv_inputs_for_output(conv, in);
    a.lo = inv.lo;
    a.hi = inv.hi;
    return a;
}

// [SECTION] Gather

bool GatherProblem::source(int64_t gy, int64_t gx, int64_t& iy, int64_t& ix) const {
    const int64_t ry = gy - off_h, rx = gx - off_w;
    if (ry < 0 || rx < 0 || ry % stride_h || rx % stride_w) return false;
    iy = ry / stride_h;
    ix = rx / stride_w;
    return iy < in_h && ix < in_w;
}

Result<GatherProblem> gather_problem(const StepperProblem& p) {
    auto P = plan_of(p);
    if (!P) return P.err();
    const ConvTransposeProblem& t = *p.transposed();
    auto form = as_convolution(p.input, t.weight, transpose_params(t));
    if (!form) return form.err();
    GatherProblem g;
    g.stride_h = t.conv.stride.h;
    g.stride_w = t.conv.stride.w;
    g.in_h = p.input.dim(1);
    g.in_w = p.input.dim(2);
    g.off_h = form->pad_before.h;
    g.off_w = form->pad_before.w;
    StepperProblem& q = g.conv;
    q.input = std::move(form->input);
    q.operation = ConvProblem{std::move(form->weight), t.has_bias ? t.bias : Tensor::filled({P->o}),
                              t.has_bias, form->params};
    return g;
}

// [SECTION] im2col

Result<Im2colMatrix> im2col_matrix(const StepperSolution& s, int64_t o) {
    if (o < 0 || o >= s.out_channels) return fail<ErrCode::st_no_output_channel>(o);
    Im2colMatrix m;
    m.o = o;
    m.cols = s.oh * s.ow;
    for (int64_t l = 0; l < m.cols; ++l) {
        const Trace& t = s.traces[size_t(s.window_of(o, l / s.ow, l % s.ow))];
        if (t.kind != Op::Conv || t.truncated) return fail<ErrCode::st_im2col_whole_trace>();
        if (l == 0) {
            m.rows = int64_t(t.terms.size());
            m.x.assign(size_t(m.rows * m.cols), 0.0f);
            m.padding.assign(size_t(m.rows * m.cols), false);
            m.product.assign(size_t(m.cols), 0.0f);
            for (const TraceTerm& term : t.terms) {
                m.row_c.push_back(term.c);
                m.row_ky.push_back(term.ky);
                m.row_kx.push_back(term.kx);
                m.kernel_row.push_back(term.w);
            }
            m.bias = t.has_bias ? t.bias : 0.0f;
        }
        if (int64_t(t.terms.size()) != m.rows) return fail<ErrCode::st_im2col_same_terms>();
        float dot = 0.0f;
        for (int64_t r = 0; r < m.rows; ++r) {
            const TraceTerm& term = t.terms[size_t(r)];
            m.x[size_t(r * m.cols + l)] = term.x;
            m.padding[size_t(r * m.cols + l)] = term.padding;
            dot += m.kernel_row[size_t(r)] * term.x;
        }
        m.product[size_t(l)] = dot;
    }
    return m;
}

// [SECTION] Presets

std::vector<StepperPreset> transpose_presets() {
    std::vector<StepperPreset> v;
    // 2×2 → 5×5 with k3, s2: the kernel is not a multiple of the stride, so stamps overlap on a checkerboard.
    StepperProblem cb;
    cb.input = Tensor({1, 2, 2}, {1, 2, 3, 4});
    ConvTransposeProblem& cbt = cb.operation.emplace<ConvTransposeProblem>();
    cbt.weight = Tensor({1, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1});
    cbt.bias = Tensor::filled({1});
    cbt.conv.stride = Pair(2);
    v.push_back({"transpose_checkerboard", cb});

    // A DCGAN generator's upsampling step: k4, s2, p1 doubles 4×4 to 8×8, and every output gets 4 products.
    StepperProblem dc;
    dc.input = Tensor::filled({1, 4, 4});
    randomize_small_ints(dc.input, 3, 0, 3);
    ConvTransposeProblem& dct = dc.operation.emplace<ConvTransposeProblem>();
    dct.weight = Tensor::filled({1, 1, 4, 4});
    randomize_small_ints(dct.weight, 9, 0, 2);
    dct.bias = Tensor::filled({1});
    dct.conv.stride = Pair(2);
    dct.conv.padding = Padding(1);
    v.push_back({"transpose_dcgan", dc});

    // The lecture example again, to be read as W_row × X_cols.
    v.push_back({"im2col_lecture", lecture_example()});
    return v;
}

}  // namespace convscope
