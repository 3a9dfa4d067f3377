// The simd backend's controls and allocation-free entry points. The backend itself is reached through
// find_backend("simd"); this header is for tests and benchmarks that force an instruction set, limit threads,
// or write into a buffer they own.
#pragma once

#include <string_view>
#include <vector>

#include "core/engine/geometry.hpp"
#include "core/support/result.hpp"

namespace convscope::simd {

// Instruction sets this CPU can run, best first; always ends with "scalar".
std::vector<std::string_view> supported_isas();

// The instruction set the backend uses now.
std::string_view active_isa();

// Makes the backend use `name` (one of supported_isas(), or "auto" for the best); an error otherwise.
// Process-wide; meant for tests and benchmarks.
Status force_isa(std::string_view name);

// Uses at most `n` threads (0: one per hardware thread). Results do not depend on it.
void set_max_threads(int n);

// Conv2d of a validated plan into `out` (plan.output_shape() floats), which needs no initial value.
void conv2d_into(const ConvPlan& plan, const float* input, const float* weight, const float* bias,
                 float* out);

// Pool2d of a validated plan into `out` (plan.output_shape() floats).
void pool2d_into(const PoolPlan& plan, const float* input, float* out);

// True when the plan's per-thread scratch stays within the budget (32 MiB); the backend runs the others on
// the reference loops, whose memory is only the input and output.
bool fits_scratch(const ConvPlan& plan);
bool fits_scratch(const PoolPlan& plan);

// The way conv2d runs the plan on the active instruction set: "conv_a", "conv_b", "conv_c" or "winograd"
// (simd_backend.cpp says when each is taken); for tests and benchmarks.
std::string_view conv2d_method(const ConvPlan& plan);

}  // namespace convscope::simd
