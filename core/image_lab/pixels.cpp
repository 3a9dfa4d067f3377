#include "core/image_lab/pixels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/support/target_clones.hpp"

namespace convscope {
namespace {

// A value already spread over 0…255 as display_value's maps end, in operations that vectorize (this file is
// built with -fno-trapping-math, see core/CMakeLists.txt, or the float → int conversion would keep the loops
// scalar): NaN and values at or below 0 give 0 (the comparisons are false for NaN), larger ones are clamped
// to 255, then rounded to nearest, ties to even, by adding and subtracting 1.5 · 2^23, exact below 2^22.
// Clamping before rounding equals rounding before clamping, since 0 and 255 are whole numbers.
[[gnu::always_inline]] inline uint8_t clamped(float v) {
    float t = v > 0.0f ? v : 0.0f;
    t = t < 255.0f ? t : 255.0f;
    constexpr float kRound = 12582912.0f;  // 1.5 · 2^23
    return uint8_t(int((t + kRound) - kRound));
}

// display_value's maps, as functors the loops below inline (rounding is symmetric, so |round(v)| =
// round(|v|); ±inf spread to ±inf, which clamp to 255 and 0 as display_value's 1 and 0 do).
struct Clamp {
    [[gnu::always_inline]] uint8_t operator()(float v) const { return clamped(v); }
};
struct Abs {
    [[gnu::always_inline]] uint8_t operator()(float v) const { return clamped(__builtin_fabsf(v)); }
};
struct Spread {  // Normalize: (v − lo) / (hi − lo) · 255
    float lo, span;
    [[gnu::always_inline]] uint8_t operator()(float v) const { return clamped((v - lo) / span * 255.0f); }
};
struct AbsSpread {  // AbsScaled: |v| / peak · 255
    float peak;
    [[gnu::always_inline]] uint8_t operator()(float v) const {
        return clamped(__builtin_fabsf(v) / peak * 255.0f);
    }
};

// Each loop is in a cloned function of its own (a loop in a function not inlined into a clone is compiled for
// the baseline only; the maps are always inlined).
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
void grey_to_rgba(const uint8_t* __restrict src, int64_t n, uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) {
        dst[4 * i] = dst[4 * i + 1] = dst[4 * i + 2] = src[i];
        dst[4 * i + 3] = 255;
    }
}

CONVSCOPE_CLONES
void rgb_to_rgba(const uint8_t* __restrict src, int64_t n, uint8_t* __restrict dst) {
    for (int64_t i = 0; i < n; ++i) {
        dst[4 * i] = src[3 * i];
        dst[4 * i + 1] = src[3 * i + 1];
        dst[4 * i + 2] = src[3 * i + 2];
        dst[4 * i + 3] = 255;
    }
}

// The pixels of one or three planes under map `f`, one clone per map and level.
template <class F>
CONVSCOPE_CLONES void grey_with(const float* __restrict s, int64_t n, uint8_t* __restrict d, F f) {
    for (int64_t i = 0; i < n; ++i) d[i] = f(s[i]);
}

template <class F>
CONVSCOPE_CLONES void rgb_with(const float* __restrict r, const float* __restrict g,
                               const float* __restrict b, int64_t n, uint8_t* __restrict d, F f) {
    for (int64_t i = 0; i < n; ++i) {
        d[3 * i] = f(r[i]);
        d[3 * i + 1] = f(g[i]);
        d[3 * i + 2] = f(b[i]);
    }
}

template <class F>
void planes_with(const float* const* p, int channels, int64_t n, uint8_t* d, F f) {
    if (channels == 3)
        rgb_with(p[0], p[1], p[2], n, d, f);
    else
        grey_with(p[0], n, d, f);
}

// Sixteen lanes of running minima and maxima (GCC's vector extension: one AVX-512 register, two AVX ones or
// four SSE ones, as the clone has), because a scalar min / max loop does not vectorize without
// -ffinite-math-only, which would also fold the finiteness test away.
typedef float F16 __attribute__((vector_size(64)));

CONVSCOPE_CLONES
void min_max_of(const float* v, int64_t n, float* lo_hi) {
    const F16 inf = F16{} + __builtin_inff(), minus_inf = F16{} - __builtin_inff();
    F16 lo = inf, hi = minus_inf;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        F16 x;
        std::memcpy(&x, v + i, sizeof x);
        const auto finite = (x - x) == F16{};  // x − x is NaN for ±inf and NaN
        const F16 a = finite ? x : inf, b = finite ? x : minus_inf;
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
    }
    float l = __builtin_inff(), h = -__builtin_inff();
    for (int k = 0; k < 16; ++k) {
        l = lo[k] < l ? lo[k] : l;
        h = hi[k] > h ? hi[k] : h;
    }
    for (; i < n; ++i)
        if (std::isfinite(v[i])) l = v[i] < l ? v[i] : l, h = v[i] > h ? v[i] : h;
    lo_hi[0] = l;
    lo_hi[1] = h;
}

}  // namespace

void bytes_to_planes(const uint8_t* src, int channels, int64_t n, float* const* planes) {
    if (channels == 3)
        rgb_to_planes(src, n, planes[0], planes[1], planes[2]);
    else
        grey_to_plane(src, n, planes[0]);
}

void bytes_to_rgba(const uint8_t* src, int channels, int64_t n, uint8_t* dst) {
    if (channels == 3)
        rgb_to_rgba(src, n, dst);
    else
        grey_to_rgba(src, n, dst);
}

void planes_to_bytes(const float* const* planes, int channels, int64_t n, DisplayMap map, ValueRange range,
                     uint8_t* dst) {
    switch (map) {
        case DisplayMap::Clamp:
            return planes_with(planes, channels, n, dst, Clamp{});
        case DisplayMap::Abs:
            return planes_with(planes, channels, n, dst, Abs{});
        case DisplayMap::Normalize: {
            const float span = range.hi - range.lo;
            if (std::isfinite(span) && span > 0.0f)
                return planes_with(planes, channels, n, dst, Spread{range.lo, span});
            if (!(span > 0.0f)) break;  // a flat output has no range to spread
            // A span past the largest float: ±inf / ∞ would be NaN where display_value says 0 or 255.
            for (int64_t i = 0; i < n; ++i)
                for (int k = 0; k < channels; ++k)
                    dst[i * channels + k] = display_value(planes[k][i], map, range);
            return;
        }
        case DisplayMap::AbsScaled: {
            const float peak = std::max(std::fabs(range.lo), std::fabs(range.hi));
            if (peak > 0.0f) return planes_with(planes, channels, n, dst, AbsSpread{peak});
            break;  // nothing but zeros (or no finite value)
        }
    }
    std::memset(dst, 0, size_t(n) * size_t(channels));
}

ValueRange finite_range_of(const float* v, int64_t n) {
    float lo_hi[2];
    min_max_of(v, n, lo_hi);
    return {lo_hi[0], lo_hi[1]};
}

}  // namespace convscope
