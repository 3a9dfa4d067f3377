// A trace is data: for one output element, every multiply-accumulate term (input position or padding, weight
// position, x, w, running sum), then the bias and the result. Only the reference backend records traces; the
// stepper, `convscope explain` and the image lab's "explain this pixel" render them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/params.hpp"
#include "core/support/result.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

struct TraceTerm {
    int64_t c = 0;           // input channel (absolute index)
    int64_t ky = 0, kx = 0;  // kernel position (pool: window position)
    int64_t iy = 0, ix = 0;  // position on the input grid; outside 0..H−1 / 0..W−1 for padding
    bool padding = false;    // true when (iy, ix) lies in the padding ring
    int64_t sy = -1,
            sx = -1;   // the input element actually read (reflect/replicate/circular), −1 for zeros/−∞
    float x = 0.0f;    // input value (0 for zero padding, −∞ for max-pool padding)
    float w = 1.0f;    // weight (pool: 1)
    float acc = 0.0f;  // after this term: conv/avg the running sum of this channel, max the running max
};

struct Trace {
    // Op::ConvTranspose: the terms are every (input cell × weight) that lands on the output element; iy/ix
    // name the input cell (never padding), ky/kx the weight position, acc the running sum of that input
    // channel.
    Op kind = Op::Conv;
    int64_t n = 0, o = 0, oy = 0, ox = 0;  // the output element (o is the channel for pools)
    std::vector<TraceTerm> terms;          // in order: channel, then kernel row, then column
    std::vector<int64_t> channels;         // input channels in order (conv: the group's channels)
    std::vector<float> channel_sums;       // conv: Σ x·w per channel, same order as `channels`
    bool truncated = false;  // more than limits::kMaxTraceTerms terms; the tail was not recorded
    bool has_bias = false;
    float bias = 0.0f;
    int64_t argmax = -1;   // max pool: index in `terms` of the chosen element (−1 when all padding)
    float divisor = 1.0f;  // avg pool
    float result = 0.0f;   // equals the reference output element bit for bit (a NaN may differ in sign)
};

// Traces conv2d at output element (n, o, oy, ox); n is 0 for an unbatched input. With p.flip, the terms'
// ky/kx and w are those of the rotated kernel (the kernel the computation uses and the stepper shows): the
// original position is (kh − 1 − ky, kw − 1 − kx).
Result<Trace> trace_conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                           const Conv2dParams& p, int64_t n, int64_t o, int64_t oy, int64_t ox);

// Traces conv_transpose2d at output element (n, o, oy, ox). Terms per input channel (the group's, in order),
// then by input row, then column (so kernel rows and columns descend): the order of the reference's scatter
// loop, so `result` equals its output bit for bit. A channel no cell reaches has no terms and a sum of 0.
Result<Trace> trace_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                     const ConvTranspose2dParams& p, int64_t n, int64_t o, int64_t oy,
                                     int64_t ox);

// Traces pool2d at output element (n, c, oy, ox).
Result<Trace> trace_pool2d(const Tensor& input, const Pool2dParams& p, int64_t n, int64_t c, int64_t oy,
                           int64_t ox);

// Recomputes the result from the terms alone, in the kernel's order; equals trace.result for a whole trace
// (bit for bit; where NaNs meet, IEEE 754 leaves open which one survives, so only "a NaN" is promised).
float replay(const Trace& trace);

// A number as the lecture writes it: up to 4 decimals, no trailing zeros ("8", "0.5", "-1.25", "inf").
std::string format_number(double v);

// A number as a teacher writes it on the board: format_number with a true minus sign (U+2212), "−1.25",
// "−∞". The command line keeps ASCII (its output is a contract); the app shows these.
std::string format_number_typeset(double v);

// One product of a multiply-accumulate as a teacher writes it: "(2×1)", and a negative factor in its own
// parentheses, "(2×(−1))", "((−3)×2)".
std::string format_product_typeset(double x, double w);

// The operator and magnitude that append `v` to a sum: " + 3" or " − 6" (so "8 − 6", never "8 + -6").
std::string format_addend_typeset(double v);

// The multiply-accumulate as text. Conv with one channel and no bias: exactly one line,
// "(1×1) + (2×0) + … = 8". Several channels: one line per channel ("channel 0: … = 5"), then
// "5 + 3 + bias 1 = 9"; the last line always ends with "= <total>". Max pool: "max(1, 5, 2, 0) = 5";
// avg pool: "(1 + 5 + 2 + 0) / 4 = 2".
// Written by explain_tokens (core/engine/explain.hpp), the stepper's tokens, in its Plain style.
std::vector<std::string> explain_lines(const Trace& trace);

}  // namespace convscope
