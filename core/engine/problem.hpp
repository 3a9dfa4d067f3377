// A small conv/pool problem as the stepper shows it, and one focused on a single window: the payload the
// image lab, the network and lessons hand to the stepper. It lives in the engine so that no feature includes
// another feature's header for this one type.
#pragma once

#include <cstdint>
#include <variant>

#include "core/engine/op.hpp"
#include "core/engine/params.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// Op::Conv, PyTorch's Conv2d: an O×C/g×kh×kw weight with an optional bias [O].
struct ConvProblem {
    Tensor weight;  // O×C/g×kh×kw (conv), C×O/g×kh×kw (conv_transpose)
    Tensor bias;    // O (read only when has_bias)
    bool has_bias = false;
    Conv2dParams conv;
    bool operator==(const ConvProblem&) const = default;
};

// Op::ConvTranspose, PyTorch's ConvTranspose2d: the weight is C×O/g×kh×kw, `conv` holds its stride,
// (explicit) padding, dilation and groups, and `output_padding` its output_padding.
struct ConvTransposeProblem : ConvProblem {
    Pair output_padding{0};
    bool operator==(const ConvTransposeProblem&) const = default;
};

// Op::MaxPool or Op::AvgPool, PyTorch's MaxPool2d and AvgPool2d: `pool.op` is the operation.
struct PoolProblem {
    Pool2dParams pool;
    bool operator==(const PoolProblem&) const = default;
};

// The parameters of one operation: a problem holds exactly what its operation reads.
using OpProblem = std::variant<ConvProblem, PoolProblem, ConvTransposeProblem>;

// The operation a problem's parameters compute (a pool's from its pool.op).
Op op_of(const OpProblem& operation);

// What the stepper shows: a C×H×W input and the operation's parameters.
struct StepperProblem {
    Tensor input;  // C×H×W
    OpProblem operation = ConvProblem{};

    // The operation, derived from `operation` (so the two never disagree).
    Op op() const { return op_of(operation); }
    // The weight, bias and conv parameters of a conv or conv_transpose problem; null for pooling.
    const ConvProblem* weighted() const;
    ConvProblem* weighted();
    // The pooling parameters; null for conv and conv_transpose.
    const Pool2dParams* pool() const;
    Pool2dParams* pool();
    // The transposed convolution's parameters; null for the others.
    const ConvTransposeProblem* transposed() const { return std::get_if<ConvTransposeProblem>(&operation); }
    ConvTransposeProblem* transposed() { return std::get_if<ConvTransposeProblem>(&operation); }
    bool operator==(const StepperProblem&) const = default;
};

// A problem cut around one output (the neighbourhood of an image pixel, a layer's window): `window` is the
// stepper's index of that output, so the problem's output there equals the full result's.
struct Neighbourhood {
    StepperProblem problem;
    int64_t window = 0;
};

}  // namespace convscope
