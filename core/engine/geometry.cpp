#include "core/engine/geometry.hpp"

#include <cmath>
#include <limits>

#include "core/engine/trace.hpp"
#include "core/support/checked.hpp"
#include "core/support/limits.hpp"

namespace convscope {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::string hw(int64_t h, int64_t w) {
    return std::to_string(h) + "×" + std::to_string(w);
}

Status check_positive(Error what, Pair p) {
    if (p.h < 1 || p.w < 1) return fail<ErrCode::must_be_at_least_1>(std::move(what), to_string(p));
    return {};
}

Status check_shape(const Error& what, const Shape& s) {
    for (int64_t d : s)
        if (d < 1) return fail<ErrCode::shape_empty_dim>(what, shape_to_string(s));
    if (shape_numel(s) < 0) return fail<ErrCode::shape_over_limits>(what, shape_to_string(s));
    return {};
}

// The common message when no window fits.
Error too_large(int64_t kh, int64_t kw, const AxisSize& ah, const AxisSize& aw) {
    auto side = [](const AxisSize& a) {
        return a.effective_kernel == std::numeric_limits<int64_t>::max()
                   ? to_error_arg(word<ErrCode::w_over_2_63>())
                   : to_error_arg(std::to_string(a.effective_kernel));
    };
    auto padded = [](const AxisSize& a) {
        return a.padded_in == std::numeric_limits<int64_t>::max() ? to_error_arg(word<ErrCode::w_over_2_63>())
                                                                  : to_error_arg(std::to_string(a.padded_in));
    };
    return fail_code(ErrCode::kernel_larger_than_padded,
                     {hw(kh, kw), side(ah), side(aw), padded(ah), padded(aw)});
}

// The multiply-adds of a whole operation (out elements × terms per element), checked against `limit`.
Status check_mult_adds(Error what, const Shape& out, int64_t terms, int64_t limit, int64_t& count) {
    const int64_t numel = shape_numel(out);
    const auto total = checked_mul(numel, terms);
    count = total ? *total : std::numeric_limits<int64_t>::max();
    if (!total || *total > limit)
        return fail_code(ErrCode::mult_adds_over_limit, {std::make_shared<const Error>(std::move(what)),
                                                         total ? to_error_arg(std::to_string(*total))
                                                               : to_error_arg(word<ErrCode::w_over_2_63>()),
                                                         std::to_string(limit)});
    return {};
}

// The weight checks a convolution and a transposed convolution share: 4 dimensions (the message naming the
// layout each expects), none empty, a kernel within the limits; then groups ≥ 1. Into either plan.
template <ErrCode RankError, class Plan>
Status read_weight(const Shape& weight, int64_t groups, Plan& plan) {
    if (weight.size() != 4) return fail<RankError>(shape_to_string(weight));
    if (auto s = check_shape(word<ErrCode::w_weight>(), weight); !s) return s;
    plan.kh = weight[2];
    plan.kw = weight[3];
    if (plan.kh > limits::kMaxKernelSide || plan.kw > limits::kMaxKernelSide)
        return fail<ErrCode::kernel_over_side_limit>(hw(plan.kh, plan.kw), limits::kMaxKernelSide);
    if (groups < 1) return fail<ErrCode::groups_min>(groups);
    plan.groups = groups;
    return {};
}

// A bias, when given, has one value per output channel (plan.o, already read). Into either plan.
template <class Plan>
Status read_bias(const Shape* bias, Plan& plan) {
    if (!bias) return {};
    if (bias->size() != 1 || (*bias)[0] != plan.o)
        return fail<ErrCode::bias_shape>(plan.o, shape_to_string(*bias));
    plan.has_bias = true;
    return {};
}

// Reads N, C, H, W from an NCHW or unbatched CHW input shape into either plan.
template <class Plan>
Status read_input(const Shape& input, Plan& plan) {
    if (input.size() != 3 && input.size() != 4) return fail<ErrCode::input_rank>(shape_to_string(input));
    if (auto s = check_shape(word<ErrCode::w_input>(), input); !s) return s;
    plan.unbatched = input.size() == 3;
    const size_t off = plan.unbatched ? 0 : 1;
    plan.n = plan.unbatched ? 1 : input[0];
    plan.c = input[off];
    plan.h = input[off + 1];
    plan.w = input[off + 2];
    return {};
}

// Sets the output size of either plan from its axes: an error when no window fits or the output is too large.
template <class Plan>
Status finish_output(Plan& plan) {
    const AxisSize ah = axis_size(plan.axis_h()), aw = axis_size(plan.axis_w());
    if (ah.out < 1 || aw.out < 1) return too_large(plan.kh, plan.kw, ah, aw);
    plan.oh = ah.out;
    plan.ow = aw.out;
    if (shape_numel(plan.output_shape()) < 0)
        return fail<ErrCode::output_over_limits>(shape_to_string(plan.output_shape()));
    return {};
}

}  // namespace

AxisSize axis_size(const AxisSpec& a) {
    AxisSize r;
    // Every step checked: a hostile dilation, padding or stride makes "no window fits", never UB.
    const auto eff = dilated_kernel(a.kernel, a.dilation);
    const auto padded = checked_add(a.in, a.pad_before);
    const auto padded_in = padded ? checked_add(*padded, a.pad_after) : std::nullopt;
    r.effective_kernel = eff ? *eff : std::numeric_limits<int64_t>::max();
    r.padded_in = padded_in ? *padded_in : std::numeric_limits<int64_t>::max();
    r.overflow = !eff || !padded_in;
    r.exact = (double(r.padded_in) - double(r.effective_kernel)) / double(a.stride) + 1.0;
    if (r.overflow || a.stride < 1 || r.padded_in < r.effective_kernel) {
        r.out = r.overflow || a.stride < 1 ? 0 : floor_div(r.padded_in - r.effective_kernel, a.stride) + 1;
        r.reached = 0;
        return r;
    }
    const int64_t numer = r.padded_in - r.effective_kernel;  // ≥ 0 here
    if (a.ceil_mode) {
        r.out = numer / a.stride + (numer % a.stride != 0 ? 1 : 0) + 1;
        // PyTorch: the last window must start inside the input or the left padding.
        const auto last_start = checked_mul(r.out - 1, a.stride);
        if (r.out > 0 && (!last_start || *last_start >= a.in + a.pad_before)) --r.out;
    } else {
        r.out = numer / a.stride + 1;
    }
    // The last window starts inside the padded input here, so (out − 1)·stride fits; the sum is checked.
    const auto reach = checked_add((r.out - 1) * a.stride, r.effective_kernel);
    r.reached = r.out > 0 ? std::min(r.padded_in, reach ? *reach : r.padded_in) : 0;
    return r;
}

std::string axis_formula(const AxisSpec& a) {
    const AxisFormula f = axis_formula_parts(a);
    return f.math + (f.last_window_dropped ? " − 1 (the last window would start in the padding)" : "") +
           " = " + std::to_string(f.out);
}

AxisFormula axis_formula_parts(const AxisSpec& a) {
    const AxisSize s = axis_size(a);
    const bool uneven = a.pad_before != a.pad_after;
    std::string k = std::to_string(a.kernel);
    if (a.dilation != 1)
        k = "(" + std::to_string(a.dilation) + "×(" + std::to_string(a.kernel) + " − 1) + 1)";
    std::string p = uneven ? "(" + std::to_string(a.pad_before) + " + " + std::to_string(a.pad_after) + ")"
                           : "2×" + std::to_string(a.pad_before);
    const char* open = a.ceil_mode ? "⌈" : "⌊";
    const char* close = a.ceil_mode ? "⌉" : "⌋";
    std::string f = std::string(open) + "(" + std::to_string(a.in) + " − " + k + " + " + p + ") / " +
                    std::to_string(a.stride) + close + " + 1";
    const double quotient = s.exact - 1.0;
    if (quotient != std::floor(quotient))
        f += " = " + std::string(open) + format_number(quotient) + close + " + 1";
    const bool representable = std::fabs(quotient) < 9.0e18;  // converting a larger double would be UB
    const int64_t unclamped = !representable ? s.out
                              : a.ceil_mode  ? int64_t(std::ceil(quotient)) + 1
                                             : int64_t(std::floor(quotient)) + 1;
    return AxisFormula{f, a.ceil_mode && unclamped != s.out, s.out};
}

std::optional<int64_t> source_index(int64_t i, int64_t n, PaddingMode mode) {
    if (i >= 0 && i < n) return i;
    switch (mode) {
        case PaddingMode::Zeros:
            return std::nullopt;
        case PaddingMode::Reflect:
            // Valid while padding < n (checked by plan_conv2d).
            return i < 0 ? -i : 2 * (n - 1) - i;
        case PaddingMode::Replicate:
            return i < 0 ? 0 : n - 1;
        case PaddingMode::Circular:
            return ((i % n) + n) % n;
    }
    return std::nullopt;
}

Result<ConvPlan> plan_conv2d(const Shape& input, const Shape& weight, const Shape* bias,
                             const Conv2dParams& p) {
    ConvPlan plan;
    if (auto s = read_input(input, plan); !s) return s.err();
    if (auto s = read_weight<ErrCode::weight_rank>(weight, p.groups, plan); !s) return s.err();
    plan.o = weight[0];
    if (plan.c % p.groups != 0) return fail<ErrCode::groups_in_channels>(p.groups, plan.c);
    if (plan.o % p.groups != 0) return fail<ErrCode::groups_out_channels>(p.groups, plan.o);
    if (weight[1] * p.groups != plan.c)
        return fail<ErrCode::weight_in_channels>(shape_to_string(weight), weight[1] * p.groups, weight[1],
                                                 p.groups, plan.c);
    if (auto s = read_bias(bias, plan); !s) return s.err();

    if (auto s = check_positive(word<ErrCode::w_stride>(), p.stride); !s) return s.err();
    if (auto s = check_positive(word<ErrCode::w_dilation>(), p.dilation); !s) return s.err();
    plan.sh = p.stride.h;
    plan.sw = p.stride.w;
    plan.dh = p.dilation.h;
    plan.dw = p.dilation.w;
    plan.mode = p.padding_mode;

    switch (p.padding.kind) {
        case PaddingKind::Explicit:
            if (p.padding.amount.h < 0 || p.padding.amount.w < 0)
                return fail<ErrCode::padding_negative>(to_string(p.padding.amount));
            plan.pad_top = plan.pad_bottom = p.padding.amount.h;
            plan.pad_left = plan.pad_right = p.padding.amount.w;
            break;
        case PaddingKind::Valid:
            break;
        case PaddingKind::Same: {
            if (plan.sh != 1 || plan.sw != 1) return fail<ErrCode::same_needs_stride_1>();
            // PyTorch puts the odd extra row/column at the bottom/right.
            const auto th_ok = checked_mul(plan.dh, plan.kh - 1), tw_ok = checked_mul(plan.dw, plan.kw - 1);
            if (!th_ok || !tw_ok || *th_ok > 2 * limits::kMaxDim || *tw_ok > 2 * limits::kMaxDim)
                return fail<ErrCode::same_padding_over_limit>(to_string(p.dilation), hw(plan.kh, plan.kw),
                                                              limits::kMaxDim);
            const int64_t th = *th_ok, tw = *tw_ok;
            plan.pad_top = th / 2;
            plan.pad_bottom = th - plan.pad_top;
            plan.pad_left = tw / 2;
            plan.pad_right = tw - plan.pad_left;
            break;
        }
    }
    const int64_t max_pad_h = std::max(plan.pad_top, plan.pad_bottom);
    const int64_t max_pad_w = std::max(plan.pad_left, plan.pad_right);
    if (max_pad_h > limits::kMaxDim || max_pad_w > limits::kMaxDim)
        return fail<ErrCode::padding_over_limit>(hw(max_pad_h, max_pad_w), limits::kMaxDim);
    if (plan.mode == PaddingMode::Reflect && (max_pad_h >= plan.h || max_pad_w >= plan.w))
        return fail<ErrCode::reflect_padding_too_large>(hw(max_pad_h, max_pad_w), hw(plan.h, plan.w));
    if (plan.mode == PaddingMode::Circular && (max_pad_h > plan.h || max_pad_w > plan.w))
        return fail<ErrCode::circular_padding_too_large>(hw(max_pad_h, max_pad_w), hw(plan.h, plan.w));

    if (auto s = finish_output(plan); !s) return s.err();
    if (auto s = check_mult_adds(word<ErrCode::w_this_conv>(), plan.output_shape(),
                                 plan.c_per_group() * plan.kh * plan.kw, p.max_mult_adds, plan.mult_adds);
        !s)
        return s.err();
    return plan;
}

int64_t transposed_axis_out(const TransposedAxisSpec& a) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
    // Exact in 128 bits: every operand is an int64, so no term exceeds 2¹²⁸.
    const __int128 v = (__int128(a.in) - 1) * a.stride - __int128(2) * a.padding +
                       __int128(a.dilation) * (__int128(a.kernel) - 1) + a.output_padding + 1;
    if (v > kMax) return kMax;
    if (v < kMin) return kMin;
    return int64_t(v);
}

std::string transposed_axis_formula(const TransposedAxisSpec& a) {
    // Integers with a true minus sign, as axis_formula's results.
    const auto i = [](int64_t v) {
        const std::string s = std::to_string(v);
        return v < 0 ? "−" + s.substr(1) : s;
    };
    const auto n = i;
    return "(" + i(a.in) + " − 1)×" + i(a.stride) + " − 2×" + i(a.padding) + " + " + i(a.dilation) + "×(" +
           i(a.kernel) + " − 1) + " + i(a.output_padding) + " + 1 = " + n(transposed_axis_out(a));
}

InverseSizes conv_inputs_for_output(const AxisSpec& conv_axis_without_in, int64_t out) {
    // The output size never decreases as the input grows, so two binary searches find the range.
    const auto out_for = [&](int64_t in) {
        AxisSpec a = conv_axis_without_in;
        a.in = in;
        return axis_size(a).out;
    };
    // The smallest input in [1, kMaxDim] whose output is at least `target`, or kMaxDim + 1.
    const auto first_reaching = [&](int64_t target) {
        int64_t lo = 1, hi = limits::kMaxDim + 1;
        while (lo < hi) {
            const int64_t mid = lo + (hi - lo) / 2;
            if (out_for(mid) >= target)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    };
    if (out < 1) return {};
    const int64_t lo = first_reaching(out);
    if (lo > limits::kMaxDim || out_for(lo) != out) return {};
    const int64_t hi =
        out == std::numeric_limits<int64_t>::max() ? limits::kMaxDim : first_reaching(out + 1) - 1;
    return {lo, hi};
}

Result<ConvTransposePlan> plan_conv_transpose2d(const Shape& input, const Shape& weight, const Shape* bias,
                                                const ConvTranspose2dParams& p) {
    ConvTransposePlan plan;
    if (auto s = read_input(input, plan); !s) return s.err();
    if (auto s = read_weight<ErrCode::tconv_weight_rank>(weight, p.groups, plan); !s) return s.err();
    if (weight[0] != plan.c)
        return fail<ErrCode::tconv_weight_in_channels>(shape_to_string(weight), weight[0], plan.c);
    if (plan.c % p.groups != 0) return fail<ErrCode::groups_in_channels>(p.groups, plan.c);
    const auto o = checked_mul(weight[1], p.groups);
    if (!o || *o > limits::kMaxDim)
        return fail<ErrCode::tconv_out_channels_over_limit>(shape_to_string(weight), p.groups,
                                                            limits::kMaxDim);
    plan.o = *o;
    if (auto s = read_bias(bias, plan); !s) return s.err();
    if (auto s = check_positive(word<ErrCode::w_stride>(), p.stride); !s) return s.err();
    if (auto s = check_positive(word<ErrCode::w_dilation>(), p.dilation); !s) return s.err();
    if (p.padding.h < 0 || p.padding.w < 0) return fail<ErrCode::padding_negative>(to_string(p.padding));
    if (p.output_padding.h < 0 || p.output_padding.w < 0)
        return fail<ErrCode::tconv_output_padding_negative>(to_string(p.output_padding));
    // PyTorch: "output padding must be smaller than either stride or dilation".
    if ((p.output_padding.h >= p.stride.h && p.output_padding.h >= p.dilation.h) ||
        (p.output_padding.w >= p.stride.w && p.output_padding.w >= p.dilation.w))
        return fail<ErrCode::net_output_padding>(to_string(p.output_padding), to_string(p.stride),
                                                 to_string(p.dilation));
    plan.sh = p.stride.h, plan.sw = p.stride.w;
    plan.dh = p.dilation.h, plan.dw = p.dilation.w;
    plan.ph = p.padding.h, plan.pw = p.padding.w;
    plan.oph = p.output_padding.h, plan.opw = p.output_padding.w;
    const int64_t oh = transposed_axis_out(plan.axis_h()), ow = transposed_axis_out(plan.axis_w());
    const auto side = [](int64_t v) {
        return v == std::numeric_limits<int64_t>::max()   ? to_error_arg(word<ErrCode::w_over_2_63>())
               : v == std::numeric_limits<int64_t>::min() ? to_error_arg(word<ErrCode::w_under_2_63>())
                                                          : to_error_arg(std::to_string(v));
    };
    if (oh < 1 || ow < 1)
        return fail<ErrCode::tconv_output_too_small>(side(oh), side(ow), hw(plan.h, plan.w),
                                                     to_string(p.padding));
    if (oh > limits::kMaxDim || ow > limits::kMaxDim)
        return fail<ErrCode::tconv_output_side_over_limit>(side(oh), side(ow), limits::kMaxDim);
    plan.oh = oh, plan.ow = ow;
    // Each term of the formula stays far inside int64 (so every backend's index arithmetic does): a stride,
    // padding or dilation beyond this cannot give a useful output anyway, only one that cancels them out.
    constexpr __int128 kTermLimit = __int128(1) << 40;
    for (const TransposedAxisSpec& a : {plan.axis_h(), plan.axis_w()})
        if ((__int128(a.in) - 1) * a.stride > kTermLimit ||
            __int128(a.dilation) * (a.kernel - 1) > kTermLimit || a.padding > kTermLimit)
            return fail<ErrCode::tconv_terms_over_limit>(to_string(p.stride), to_string(p.padding),
                                                         to_string(p.dilation));
    if (shape_numel(plan.output_shape()) < 0)
        return fail<ErrCode::output_over_limits>(shape_to_string(plan.output_shape()));
    // Every input element meets every weight of its group once: N·C·H·W × O/groups·kh·kw multiply-adds.
    if (auto s = check_mult_adds(word<ErrCode::w_this_conv_transpose>(), input,
                                 plan.o_per_group() * plan.kh * plan.kw, p.max_mult_adds, plan.mult_adds);
        !s)
        return s.err();
    return plan;
}

Result<PoolPlan> plan_pool2d(const Shape& input, const Pool2dParams& p) {
    PoolPlan plan;
    if (auto s = read_input(input, plan); !s) return s.err();
    plan.op = p.op;
    if (auto s = check_positive(word<ErrCode::w_kernel_size>(), p.kernel); !s) return s.err();
    const Pair stride = p.effective_stride();
    if (auto s = check_positive(word<ErrCode::w_stride>(), stride); !s) return s.err();
    if (auto s = check_positive(word<ErrCode::w_dilation>(), p.dilation); !s) return s.err();
    if (p.kernel.h > limits::kMaxKernelSide || p.kernel.w > limits::kMaxKernelSide)
        return fail<ErrCode::kernel_over_side_limit>(hw(p.kernel.h, p.kernel.w), limits::kMaxKernelSide);
    if (p.op != Op::MaxPool && (p.dilation.h != 1 || p.dilation.w != 1))
        return fail<ErrCode::avg_pool_no_dilation>();
    if (p.padding.h < 0 || p.padding.w < 0) return fail<ErrCode::padding_negative>(to_string(p.padding));
    if (p.padding.h > p.kernel.h / 2 || p.padding.w > p.kernel.w / 2)
        return fail<ErrCode::pool_padding_half_kernel>(to_string(p.padding), hw(p.kernel.h, p.kernel.w));
    plan.kh = p.kernel.h;
    plan.kw = p.kernel.w;
    plan.sh = stride.h;
    plan.sw = stride.w;
    plan.ph = p.padding.h;
    plan.pw = p.padding.w;
    plan.dh = p.dilation.h;
    plan.dw = p.dilation.w;
    plan.ceil_mode = p.ceil_mode;
    plan.count_include_pad = p.count_include_pad;
    if (auto s = finish_output(plan); !s) return s.err();
    if (auto s = check_mult_adds(word<ErrCode::w_this_pool>(), plan.output_shape(), plan.kh * plan.kw,
                                 p.max_mult_adds, plan.mult_adds);
        !s)
        return s.err();
    return plan;
}

}  // namespace convscope
