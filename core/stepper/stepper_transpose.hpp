// The stepper's models for three more views of the same arithmetic, independent of any UI:
// - a transposed convolution as a scatter: input cell k stamps x·kernel onto the output, the running sums
//   after k stamps, and how many products land on each output cell (the checkerboard);
// - the same transposed convolution as a gather: a stride-1 convolution over the zero-stuffed, padded input
//   with the kernel rotated 180° (the stepper solves and traces that problem like any conv);
// - a convolution as a matrix product (im2col): the unfolded input, the kernel as a row, and their product.
// The stepper view's panels only draw what this computes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/tensor.hpp"
#include "core/stepper/stepper.hpp"
#include "core/support/result.hpp"

namespace convscope {

// The problem's parameters (stride, padding, output_padding, dilation, groups, cost limit) as
// ConvTranspose2d's, for the engine's conv_transpose2d on a ConvTranspose problem (defaults for any other).
ConvTranspose2dParams transpose_params(const ConvTransposeProblem& p);
ConvTranspose2dParams transpose_params(const StepperProblem& p);

// [SECTION] Scatter

// One product of a stamp: weight (c, o, ky, kx) times the stamped input lands on output (o, oy, ox).
struct ScatterTerm {
    int64_t o = 0, oy = 0, ox = 0;  // the output cell it lands on
    int64_t ky = 0, kx = 0;         // the kernel cell
    float w = 0.0f;
    float product = 0.0f;  // x·w
    float sum = 0.0f;      // output (o, oy, ox) after this product (it starts at the bias)
};

// One input cell's stamp: its value times the kernel of every output channel of its group, cropped to the
// output (products that fall into the cropped border are not listed).
struct ScatterStamp {
    int64_t c = 0, iy = 0, ix = 0;
    float x = 0.0f;
    std::vector<ScatterTerm> terms;  // in order: output channel, kernel row, kernel column
};

// A transposed convolution in stepping order (input channel, row, column).
struct ScatterPlan {
    int64_t out_channels = 1, oh = 0, ow = 0;
    std::vector<ScatterStamp> stamps;
    std::vector<int64_t> overlap;  // per output element (O×oh×ow): how many products land on it
    std::vector<float> start;      // per output element: the bias it starts from (0 without bias)
    Tensor output;                 // O×oh×ow, after every stamp

    int64_t index(int64_t o, int64_t oy, int64_t ox) const { return (o * oh + oy) * ow + ox; }
    // The largest overlap count (for the heat scale; at least 1).
    int64_t max_overlap() const;
    // One entry per stamp: its number of products (for a StepSequence).
    std::vector<int64_t> term_counts() const;
};

// Scatters a ConvTranspose problem (op == Op::ConvTranspose, weight C×O/g×kh×kw, explicit padding).
Result<ScatterPlan> plan_scatter(const StepperProblem& p);

// The output as it stands at playhead `ph` over the stamps (StepSequence(plan.term_counts())): every product
// of earlier stamps and, of stamp ph.window, products 0..ph.term (all when complete). `reached`, when given,
// is set per output element to whether some product has landed on it.
Tensor scatter_partial(const ScatterPlan& plan, Playhead ph, std::vector<bool>* reached = nullptr);

// The size formula of one axis and the round trip back through Conv2d with the same parameters.
struct TransposeAxis {
    int64_t in = 0, kernel = 1, stride = 1, padding = 0, dilation = 1, output_padding = 0;
    int64_t out = 0;      // (in − 1)·s − 2p + d·(k − 1) + output_padding + 1
    std::string formula;  // "(2 − 1)×2 − 2×0 + 1×(3 − 1) + 0 + 1 = 5", typeset (U+2212 minus)
    int64_t back = 0;  // Conv2d's output size for an input of `out`: ⌊(out + 2p − d(k − 1) − 1) / s⌋ + 1
    int64_t lo = 0, hi = 0;  // every input size Conv2d maps to `in` (hi − lo = s − 1; output_padding picks)
};
TransposeAxis transpose_axis(int64_t in, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                             int64_t output_padding);

// [SECTION] Gather

// The equivalent stride-1 convolution of a ConvTranspose problem: the input with s − 1 zeros between cells
// and d·(k − 1) − p zeros around it (plus output_padding on the bottom and right; a negative amount crops),
// the kernel rotated 180° and its in/out axes swapped (O×C/g×kh×kw), dilation d, the same groups and bias.
// Solving it gives conv_transpose2d's output.
struct GatherProblem {
    StepperProblem conv;           // op Conv, stride 1, padding 0 (the zeros are part of the input)
    int64_t off_h = 0, off_w = 0;  // d·(k − 1) − p: where input cell (0, 0) sits on the stuffed grid
    int64_t stride_h = 1, stride_w = 1;
    int64_t in_h = 0, in_w = 0;  // the transposed problem's input
    // The input cell (iy, ix) that stuffed cell (gy, gx) holds, or false for an inserted or border zero.
    bool source(int64_t gy, int64_t gx, int64_t& iy, int64_t& ix) const;
};
Result<GatherProblem> gather_problem(const StepperProblem& p);

// [SECTION] im2col

// A conv problem as a matrix product, for output channel o: X_cols (rows × L: one column per window, one
// row per (channel, ky, kx) of o's group) and the kernel as a row; W_row × X_cols + bias = output row o.
struct Im2colMatrix {
    int64_t o = 0, rows = 0, cols = 0;
    std::vector<int64_t> row_c, row_ky, row_kx;  // what each row holds
    std::vector<float> kernel_row;               // rows
    std::vector<float> x;                        // rows × cols, row-major
    std::vector<bool> padding;                   // rows × cols: the value came from the padding
    std::vector<float> product;                  // cols: W_row · column (no bias)
    float bias = 0.0f;
    float at(int64_t r, int64_t l) const { return x[size_t(r * cols + l)]; }
};

// The im2col matrix of a solved conv stepper problem (from its traces, so every padding mode and dilation is
// as the stepper shows it), for output channel o.
Result<Im2colMatrix> im2col_matrix(const StepperSolution& s, int64_t o);

// [SECTION] Presets

// The transposed and im2col presets: transpose_checkerboard (2×2 → 5×5, k3, s2), transpose_dcgan (4×4,
// k4, s2, p1 → 8×8), im2col_lecture (the lecture example, im2col panel open).
std::vector<StepperPreset> transpose_presets();

}  // namespace convscope
