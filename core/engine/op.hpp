// The operation a problem computes: one enum for the engine's pooling parameters, traces, the stepper and the
// image lab (which offers the first three).
#pragma once

#include <string_view>

namespace convscope {

// Conv: PyTorch's Conv2d; MaxPool, AvgPool: MaxPool2d, AvgPool2d; ConvTranspose: ConvTranspose2d.
enum class Op { Conv, MaxPool, AvgPool, ConvTranspose };

// True for MaxPool and AvgPool.
constexpr bool is_pool(Op op) {
    return op == Op::MaxPool || op == Op::AvgPool;
}

// "conv", "max", "avg", "conv_transpose" (pools keep the words of `convscope pool max|avg`).
std::string_view to_string(Op op);

}  // namespace convscope
