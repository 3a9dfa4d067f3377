// Output geometry: sizes, the exact value before the floor, the worked formula as text, and validation of a
// whole conv2d/pool2d problem into a plan every backend executes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/params.hpp"
#include "core/support/result.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// One axis of a sliding window: in, kernel, stride, padding before and after, dilation, rounding.
struct AxisSpec {
    int64_t in = 0;
    int64_t kernel = 1;
    int64_t stride = 1;
    int64_t pad_before = 0;
    int64_t pad_after = 0;
    int64_t dilation = 1;
    bool ceil_mode = false;
};

struct AxisSize {
    int64_t out = 0;               // the output size (may be ≤ 0 when the kernel does not fit)
    double exact = 0.0;            // (in + pads − d(k−1) − 1) / s + 1, before floor/ceil
    int64_t effective_kernel = 0;  // d(k−1) + 1
    int64_t padded_in = 0;         // in + pad_before + pad_after
    int64_t reached = 0;    // padded rows/cols some window covers; padded_in − reached are never reached
    bool overflow = false;  // d(k−1) + 1 or the padded size overflowed int64 (then out = 0, sizes INT64_MAX)
};

// Output size of one axis, PyTorch's rule (ceil_mode drops a last window that starts in the right padding).
// Total: any int64 values give a result without overflow (out ≤ 0 when no window fits).
AxisSize axis_size(const AxisSpec& a);

// The formula with numbers, e.g. "⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3", "⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29",
// with "d×(k − 1) + 1" in place of k when dilated, ⌈⌉ with ceil_mode, and "p₁ + p₂" when padding is uneven.
// The CLI's text (English).
std::string axis_formula(const AxisSpec& a);

// The same formula in parts, so each caller words the ceil_mode note in its own language: the math up to the
// note, whether ceil_mode dropped a last window that would start in the padding (axis_formula writes
// " − 1 (the last window would start in the padding)" there), and the result.
struct AxisFormula {
    std::string math;  // "⌈(6 − 3 + 2×0) / 2⌉ + 1 = ⌈1.5⌉ + 1"
    bool last_window_dropped = false;
    int64_t out = 0;
};
AxisFormula axis_formula_parts(const AxisSpec& a);

// A validated conv2d problem: every size resolved, padding made explicit (same/valid resolved).
struct ConvPlan {
    bool unbatched = false;              // input was C×H×W; output will be O×H×W
    int64_t n = 1, c = 1, h = 0, w = 0;  // input
    int64_t o = 1, kh = 1, kw = 1;       // weight O × C/groups × kh × kw
    int64_t groups = 1;
    int64_t sh = 1, sw = 1, dh = 1, dw = 1;
    int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
    PaddingMode mode = PaddingMode::Zeros;
    bool has_bias = false;
    int64_t oh = 0, ow = 0;  // output
    int64_t mult_adds = 0;   // output elements × C/groups × kh × kw, within Conv2dParams::max_mult_adds

    int64_t c_per_group() const { return c / groups; }
    int64_t o_per_group() const { return o / groups; }
    Shape output_shape() const { return unbatched ? Shape{o, oh, ow} : Shape{n, o, oh, ow}; }
    AxisSpec axis_h() const { return {h, kh, sh, pad_top, pad_bottom, dh, false}; }
    AxisSpec axis_w() const { return {w, kw, sw, pad_left, pad_right, dw, false}; }
};

// Validates shapes and parameters; returns a readable error such as
// "kernel 5×5 (dilated 5×5) is larger than the padded input 3×3". `bias_shape` is null when there is no bias.
Result<ConvPlan> plan_conv2d(const Shape& input, const Shape& weight, const Shape* bias,
                             const Conv2dParams& p);

// A validated pool2d problem.
struct PoolPlan {
    bool unbatched = false;
    int64_t n = 1, c = 1, h = 0, w = 0;
    Op op = Op::MaxPool;
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
    bool ceil_mode = false;
    bool count_include_pad = true;
    int64_t oh = 0, ow = 0;
    int64_t mult_adds = 0;  // output elements × kh × kw, within Pool2dParams::max_mult_adds

    Shape output_shape() const { return unbatched ? Shape{c, oh, ow} : Shape{n, c, oh, ow}; }
    AxisSpec axis_h() const { return {h, kh, sh, ph, ph, dh, ceil_mode}; }
    AxisSpec axis_w() const { return {w, kw, sw, pw, pw, dw, ceil_mode}; }
};

Result<PoolPlan> plan_pool2d(const Shape& input, const Pool2dParams& p);

// One axis of a transposed convolution (ConvTranspose2d).
struct TransposedAxisSpec {
    int64_t in = 1, kernel = 1, stride = 1, padding = 0, output_padding = 0, dilation = 1;
};

// (in − 1)·s − 2p + d·(k − 1) + output_padding + 1, PyTorch's ConvTranspose2d output size (≤ 0 when nothing
// is left). Total: every step is checked; a result beyond int64 saturates to INT64_MAX (or INT64_MIN).
int64_t transposed_axis_out(const TransposedAxisSpec& a);

// The formula with numbers, typeset like axis_formula: "(2 − 1)×2 − 2×0 + 1×(3 − 1) + 0 + 1 = 5".
std::string transposed_axis_formula(const TransposedAxisSpec& a);

// A closed range of input sizes; empty when lo > hi.
struct InverseSizes {
    int64_t lo = 1, hi = 0;
};

// The input sizes (1 ≤ in ≤ limits::kMaxDim) that a Conv2d axis with these parameters (its `in` ignored) maps
// to `out`: with stride s up to s of them do, which is why ConvTranspose2d needs output_padding to say which
// one it restores. Empty when none does.
InverseSizes conv_inputs_for_output(const AxisSpec& conv_axis_without_in, int64_t out);

// A validated conv_transpose2d problem.
struct ConvTransposePlan {
    bool unbatched = false;              // input was C×H×W; output will be O×H×W
    int64_t n = 1, c = 1, h = 0, w = 0;  // input (c: input channels)
    int64_t o = 1, kh = 1, kw = 1;       // weight C × O/groups × kh × kw; o: output channels
    int64_t groups = 1;
    int64_t sh = 1, sw = 1, ph = 0, pw = 0, oph = 0, opw = 0, dh = 1, dw = 1;
    bool has_bias = false;
    int64_t oh = 0, ow = 0;  // output
    int64_t mult_adds = 0;   // input elements × O/groups × kh × kw, within max_mult_adds

    int64_t c_per_group() const { return c / groups; }
    int64_t o_per_group() const { return o / groups; }
    Shape output_shape() const { return unbatched ? Shape{o, oh, ow} : Shape{n, o, oh, ow}; }
    TransposedAxisSpec axis_h() const { return {h, kh, sh, ph, oph, dh}; }
    TransposedAxisSpec axis_w() const { return {w, kw, sw, pw, opw, dw}; }
};

// Validates shapes and parameters as PyTorch's ConvTranspose2d does (weight C_in × C_out/groups × kh × kw,
// output_padding smaller than stride or dilation, an output of at least 1×1); readable errors.
Result<ConvTransposePlan> plan_conv_transpose2d(const Shape& input, const Shape& weight, const Shape* bias,
                                                const ConvTranspose2dParams& p);

// Maps a coordinate of the padded grid (may be outside 0..n−1) to the input coordinate it reads under `mode`,
// or nullopt for zero padding. PyTorch's reflect (no edge repeat), replicate, and circular.
std::optional<int64_t> source_index(int64_t i, int64_t n, PaddingMode mode);

}  // namespace convscope
