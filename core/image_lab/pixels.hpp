// The two ends of the image lab's fused pipeline: rows of 8-bit pixels to float planes, and float planes back
// to pixels. Plain loops compiled once per x86-64 level (core/support/target_clones.hpp), so that the
// conversions keep up with the simd convolution between them.
#pragma once

#include <cstdint>

namespace convscope {

// `n` pixels of `channels` interleaved bytes (1 or 3) → planes[k][x] = src[x · channels + k].
void bytes_to_planes(const uint8_t* src, int channels, int64_t n, float* const* planes);

// `channels` planes (1 or 3) of `n` floats → n interleaved pixels: each value clamped to 0…255 (with `abs`,
// |v| first), then rounded to nearest, ties to even; NaN gives 0. Equal to display_value's Clamp and Abs maps
// (tests/filter.test.cpp).
void planes_to_bytes(const float* const* planes, int channels, int64_t n, bool abs, uint8_t* dst);

}  // namespace convscope
