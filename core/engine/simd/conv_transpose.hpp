// The simd backend's conv_transpose2d: gathered per output row (every output row is written by exactly one
// task, so threads never share an element), the row's inner loop an axpy over the input row that the compiler
// vectorizes once per instruction set (x86: chosen at run time by target clones; elsewhere the base ISA).
#pragma once

#include "core/engine/geometry.hpp"

namespace convscope::simd {

// out (the plan's output shape) = conv_transpose2d(in, wt, bias); `bias` may be null. Threads from the global
// pool; the answer does not depend on the thread count (each element's sum has a fixed order).
void conv_transpose2d_into(const ConvTransposePlan& P, const float* in, const float* wt, const float* bias,
                           float* out, int max_threads);

// The row kernel, exposed for the parity tests: row[i·stride] += x[i]·w for i < n. stride ≥ 1.
void conv_transpose_axpy(float* row, const float* x, float w, int64_t n, int64_t stride);

}  // namespace convscope::simd
