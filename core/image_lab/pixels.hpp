// The two ends of the image lab's fused pipeline: rows of 8-bit pixels to float planes, and float planes back
// to pixels, with the output's finite range for the maps that spread it. Plain loops compiled once per x86-64
// level (core/support/target_clones.hpp), so that the conversions keep up with the simd convolution between
// them.
#pragma once

#include <cstdint>

#include "core/image_lab/filter.hpp"

namespace convscope {

// `n` pixels of `channels` interleaved bytes (1 or 3) → planes[k][x] = src[x · channels + k].
void bytes_to_planes(const uint8_t* src, int channels, int64_t n, float* const* planes);

// `n` pixels of `channels` bytes (1 or 3) → n opaque RGBA pixels (grey spread over R, G and B).
void bytes_to_rgba(const uint8_t* src, int channels, int64_t n, uint8_t* dst);

// `channels` planes (1 or 3) of `n` floats → n interleaved pixels, each display_value(v, map, range): the
// value (for Normalize and AbsScaled first spread over 0…255 by `range`), clamped to 0…255, then rounded to
// nearest, ties to even; NaN gives 0 (tests/filter.test.cpp).
void planes_to_bytes(const float* const* planes, int channels, int64_t n, DisplayMap map, ValueRange range,
                     uint8_t* dst);

// The smallest and largest finite values of v[0 … n) (NaN and ±inf left out); lo > hi when there are none.
ValueRange finite_range_of(const float* v, int64_t n);

}  // namespace convscope
