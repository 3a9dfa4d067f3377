// The reference backend: plain loops, the textbook. Each output element is computed by one function templated
// on a tracer, so the traced path (trace_conv2d, trace_pool2d) and the untraced path are the same code, and
// the untraced one costs nothing extra.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/engine/geometry.hpp"

namespace convscope::ref {

// A tracer that records nothing; every call inlines away.
struct NullTracer {
    void term(int64_t, int64_t, int64_t, int64_t, int64_t, bool, int64_t, int64_t, float, float, float) {}
    void channel(int64_t, float) {}
};

// The channel loop of a convolution's output element (n, o, …): for each input channel c of output o's group,
// in order, `channel_sum(ci, c, plane)` (ci: c's index in the group; plane: channel c of image n) is added to
// the total and reported to the tracer; then + bias[o] (bias may be null).
template <class Plan, class Tracer, class ChannelSum>
float sum_over_channels(const Plan& P, const float* in, const float* bias, int64_t n, int64_t o,
                        Tracer& tracer, ChannelSum&& channel_sum) {
    const int64_t cpg = P.c_per_group();
    const int64_t group = o / P.o_per_group();
    float total = 0.0f;
    for (int64_t ci = 0; ci < cpg; ++ci) {
        const int64_t c = group * cpg + ci;
        const float sum = channel_sum(ci, c, in + (n * P.c + c) * P.h * P.w);
        total += sum;
        tracer.channel(c, sum);
    }
    if (bias) total += bias[o];
    return total;
}

// out[n, o, oy, ox] = Σ_c Σ_ky Σ_kx x · w, summed per channel, then + bias (the lecture's
// out = bias + Σ_c weight ⋆ input). `in`, `wt`, `bias` are the raw NCHW / OIHW / O arrays.
template <class Tracer>
float conv2d_element(const ConvPlan& P, const float* in, const float* wt, const float* bias, int64_t n,
                     int64_t o, int64_t oy, int64_t ox, Tracer& tracer) {
    const int64_t cpg = P.c_per_group();
    return sum_over_channels(P, in, bias, n, o, tracer, [&](int64_t ci, int64_t c, const float* plane) {
        const float* kernel = wt + (o * cpg + ci) * P.kh * P.kw;
        float sum = 0.0f;
        for (int64_t ky = 0; ky < P.kh; ++ky) {
            const int64_t iy = oy * P.sh - P.pad_top + ky * P.dh;
            const auto sy = source_index(iy, P.h, P.mode);
            for (int64_t kx = 0; kx < P.kw; ++kx) {
                const int64_t ix = ox * P.sw - P.pad_left + kx * P.dw;
                const auto sx = source_index(ix, P.w, P.mode);
                const float x = (sy && sx) ? plane[*sy * P.w + *sx] : 0.0f;
                const float w = kernel[ky * P.kw + kx];
                sum += x * w;
                const bool pad = iy < 0 || iy >= P.h || ix < 0 || ix >= P.w;
                tracer.term(c, ky, kx, iy, ix, pad, (sy && sx) ? *sy : -1, (sy && sx) ? *sx : -1, x, w, sum);
            }
        }
        return sum;
    });
}

// ConvTranspose2d of one output element, gathered: out[n, o, oy, ox] = Σ_c Σ x[c, iy, ix] · w[c, o, ky, kx]
// over every input cell and weight with oy = iy·sh − ph + ky·dh (and the same for x). Per input channel, the
// terms come in input order (iy ascending, then ix ascending, i.e. ky and kx descending), which is the order
// in which the reference backend's scatter loop adds them; per-channel sums, their total, then + bias, so the
// two agree bit for bit.
template <class Tracer>
float conv_transpose2d_element(const ConvTransposePlan& P, const float* in, const float* wt,
                               const float* bias, int64_t n, int64_t o, int64_t oy, int64_t ox,
                               Tracer& tracer) {
    const int64_t opg = P.o_per_group(), oo = o % opg;
    return sum_over_channels(P, in, bias, n, o, tracer, [&](int64_t, int64_t c, const float* plane) {
        const float* kernel = wt + (c * opg + oo) * P.kh * P.kw;
        float sum = 0.0f;
        for (int64_t ky = P.kh - 1; ky >= 0; --ky) {
            const int64_t ty = oy + P.ph - ky * P.dh;  // = iy·sh
            if (ty < 0 || ty % P.sh != 0 || ty / P.sh >= P.h) continue;
            const int64_t iy = ty / P.sh;
            for (int64_t kx = P.kw - 1; kx >= 0; --kx) {
                const int64_t tx = ox + P.pw - kx * P.dw;
                if (tx < 0 || tx % P.sw != 0 || tx / P.sw >= P.w) continue;
                const int64_t ix = tx / P.sw;
                const float x = plane[iy * P.w + ix];
                const float w = kernel[ky * P.kw + kx];
                sum += x * w;
                tracer.term(c, ky, kx, iy, ix, false, iy, ix, x, w, sum);
            }
        }
        return sum;
    });
}

// Max pooling of one output element: padding is −∞ (never chosen); NaN propagates, as in PyTorch.
template <class Tracer>
float max_pool_element(const PoolPlan& P, const float* plane, int64_t oy, int64_t ox, Tracer& tracer) {
    float best = -std::numeric_limits<float>::infinity();
    for (int64_t ky = 0; ky < P.kh; ++ky) {
        const int64_t iy = oy * P.sh - P.ph + ky * P.dh;
        for (int64_t kx = 0; kx < P.kw; ++kx) {
            const int64_t ix = ox * P.sw - P.pw + kx * P.dw;
            const bool inside = iy >= 0 && iy < P.h && ix >= 0 && ix < P.w;
            const float x = inside ? plane[iy * P.w + ix] : -std::numeric_limits<float>::infinity();
            const bool chosen = inside && (x > best || std::isnan(x)) && !std::isnan(best);
            if (chosen) best = x;
            tracer.term(ky, kx, iy, ix, !inside, inside ? iy : -1, inside ? ix : -1, x, chosen, best);
        }
    }
    return best;
}

// Average pooling of one output element, PyTorch's rule: the window is clipped to the padded input; the
// divisor counts padding when count_include_pad, else only real elements. A window with no real element gives
// 0.
template <class Tracer>
float avg_pool_element(const PoolPlan& P, const float* plane, int64_t oy, int64_t ox, Tracer& tracer) {
    const int64_t y0 = oy * P.sh - P.ph, x0 = ox * P.sw - P.pw;
    const int64_t y1 = std::min(y0 + P.kh, P.h + P.ph), x1 = std::min(x0 + P.kw, P.w + P.pw);
    const int64_t padded_count = (y1 - y0) * (x1 - x0);
    int64_t real_count = 0;
    float sum = 0.0f;
    for (int64_t iy = y0; iy < y1; ++iy) {
        for (int64_t ix = x0; ix < x1; ++ix) {
            const bool inside = iy >= 0 && iy < P.h && ix >= 0 && ix < P.w;
            const float x = inside ? plane[iy * P.w + ix] : 0.0f;
            if (inside) {
                sum += x;
                ++real_count;
            }
            tracer.term(iy - y0, ix - x0, iy, ix, !inside, inside ? iy : -1, inside ? ix : -1, x, false, sum);
        }
    }
    if (real_count == 0) return 0.0f;
    const int64_t divisor = P.count_include_pad ? padded_count : real_count;
    tracer.divisor(float(divisor));
    return sum / float(divisor);
}

}  // namespace convscope::ref
