// A small conv/pool problem as the stepper shows it, and one focused on a single window: the payload the
// image lab, the network and lessons hand to the stepper. It lives in the engine so that no feature includes
// another feature's header for this one type.
#pragma once

#include <cstdint>

#include "core/engine/op.hpp"
#include "core/engine/params.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// What the stepper shows: a C×H×W input and, for conv, an O×C×kh×kw weight with an optional bias [O].
// Op::ConvTranspose: PyTorch's ConvTranspose2d; the weight is C×O/g×kh×kw, `conv` holds its stride,
// (explicit) padding, dilation and groups, and `output_padding` its output_padding.
struct StepperProblem {
    Op op = Op::Conv;
    Tensor input;   // C×H×W
    Tensor weight;  // O×C×kh×kw (conv), C×O/g×kh×kw (conv_transpose)
    Tensor bias;    // O (conv; read only when has_bias)
    bool has_bias = false;
    Conv2dParams conv;
    Pool2dParams pool;       // pool.op is taken from `op`
    Pair output_padding{0};  // conv_transpose only
};

// A problem cut around one output (the neighbourhood of an image pixel, a layer's window): `window` is the
// stepper's index of that output, so the problem's output there equals the full result's.
struct Neighbourhood {
    StepperProblem problem;
    int64_t window = 0;
};

}  // namespace convscope
