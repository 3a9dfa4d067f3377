#include "core/image_lab/pixels.hpp"

#include "core/support/target_clones.hpp"

namespace convscope {
namespace {

// One value as display_value's Clamp map gives it, in operations that vectorize (built with
// -fno-trapping-math, see CMakeLists.txt, or the float → int conversion would keep the loop scalar): NaN and
// values at or below 0 give 0 (the comparisons are false for NaN), larger ones are clamped to 255, then
// rounded to nearest, ties to even, by adding and subtracting 1.5 · 2^23, exact below 2^22. Clamping before
// rounding equals rounding before clamping, since 0 and 255 are whole numbers.
[[gnu::always_inline]] inline uint8_t clamped(float v) {
    float t = v > 0.0f ? v : 0.0f;
    t = t < 255.0f ? t : 255.0f;
    constexpr float kRound = 12582912.0f;  // 1.5 · 2^23
    return uint8_t(int((t + kRound) - kRound));
}

// |v|, then clamped: display_value's Abs map (rounding is symmetric, so |round(v)| = round(|v|)).
[[gnu::always_inline]] inline uint8_t clamped_abs(float v) {
    return clamped(__builtin_fabsf(v));
}

// Each loop is its own cloned function: a loop inlined from a template into a clone was left scalar.
CONVSCOPE_CLONES
void grey_to_plane(const uint8_t* __restrict src, int64_t n, float* __restrict dst) {
    for (int64_t x = 0; x < n; ++x) dst[x] = float(src[x]);
}

CONVSCOPE_CLONES
void rgb_to_planes(const uint8_t* __restrict src, int64_t n, float* __restrict r, float* __restrict g,
                   float* __restrict b) {
    for (int64_t x = 0; x < n; ++x) {
        r[x] = float(src[3 * x]);
        g[x] = float(src[3 * x + 1]);
        b[x] = float(src[3 * x + 2]);
    }
}

CONVSCOPE_CLONES
void plane_to_grey(const float* __restrict src, int64_t n, uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) dst[i] = clamped(src[i]);
}

CONVSCOPE_CLONES
void plane_to_grey_abs(const float* __restrict src, int64_t n, uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) dst[i] = clamped_abs(src[i]);
}

CONVSCOPE_CLONES
void planes_to_rgb(const float* __restrict r, const float* __restrict g, const float* __restrict b, int64_t n,
                   uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) {
        dst[3 * i] = clamped(r[i]);
        dst[3 * i + 1] = clamped(g[i]);
        dst[3 * i + 2] = clamped(b[i]);
    }
}

CONVSCOPE_CLONES
void planes_to_rgb_abs(const float* __restrict r, const float* __restrict g, const float* __restrict b,
                       int64_t n, uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) {
        dst[3 * i] = clamped_abs(r[i]);
        dst[3 * i + 1] = clamped_abs(g[i]);
        dst[3 * i + 2] = clamped_abs(b[i]);
    }
}

}  // namespace

void bytes_to_planes(const uint8_t* src, int channels, int64_t n, float* const* planes) {
    if (channels == 3)
        rgb_to_planes(src, n, planes[0], planes[1], planes[2]);
    else
        grey_to_plane(src, n, planes[0]);
}

void planes_to_bytes(const float* const* planes, int channels, int64_t n, bool abs, uint8_t* dst) {
    if (channels == 3)
        (abs ? planes_to_rgb_abs : planes_to_rgb)(planes[0], planes[1], planes[2], n, dst);
    else
        (abs ? plane_to_grey_abs : plane_to_grey)(planes[0], n, dst);
}

}  // namespace convscope
