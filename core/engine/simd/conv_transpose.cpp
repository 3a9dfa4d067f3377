#include "core/engine/simd/conv_transpose.hpp"

#include <algorithm>

#include "core/support/target_clones.hpp"
#include "core/support/thread_pool.hpp"

namespace convscope::simd {

CONVSCOPE_CLONES
void conv_transpose_axpy(float* row, const float* x, float w, int64_t n, int64_t stride) {
    if (stride == 1) {
        for (int64_t i = 0; i < n; ++i) row[i] += x[i] * w;
    } else {
        for (int64_t i = 0; i < n; ++i) row[i * stride] += x[i] * w;
    }
}

namespace {

int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Problems smaller than this many multiply-adds run on the calling thread.
constexpr int64_t kParallelWork = int64_t(1) << 17;
constexpr int64_t kRowsPerTask = 4;

}  // namespace

void conv_transpose2d_into(const ConvTransposePlan& P, const float* in, const float* wt, const float* bias,
                           float* out, int max_threads) {
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    const int64_t row_blocks = (P.oh + kRowsPerTask - 1) / kRowsPerTask;
    const int64_t tasks = P.n * P.o * row_blocks;
    // A stride only matters where the input row has a second cell.
    const int64_t sw = P.w > 1 ? P.sw : 1;
    // Column phases: tap kx sends input column ix to ox = (ix + q)·sw + r, r = (kx·dw − pw) mod sw. Each
    // phase r in use gets a contiguous accumulator (index j = ix + q for ox = j·sw + r), so every tap is a
    // contiguous axpy; the phases are interleaved into the output row at the end.
    const int64_t lanes = (P.ow + sw - 1) / sw + 1;  // accumulator length: every j with j·sw + r < ow
    std::vector<int64_t> slot(size_t(P.kw)), r_of_slot, first(size_t(P.kw)), count(size_t(P.kw)),
        ix_first(size_t(P.kw));
    for (int64_t kx = 0; kx < P.kw; ++kx) {
        const int64_t shift = kx * P.dw - P.pw;
        const int64_t r = shift - floor_div(shift, sw) * sw, q = floor_div(shift, sw);
        auto it = std::find(r_of_slot.begin(), r_of_slot.end(), r);
        slot[size_t(kx)] = it - r_of_slot.begin();
        if (it == r_of_slot.end()) r_of_slot.push_back(r);
        // Valid j: 0 ≤ j and j·sw + r < ow, with j = ix + q and 0 ≤ ix < W.
        const int64_t j_end = r < P.ow ? (P.ow - r + sw - 1) / sw : 0;
        const int64_t ix_lo = std::max<int64_t>(0, -q), ix_hi = std::min<int64_t>(P.w, j_end - q);
        ix_first[size_t(kx)] = ix_lo;
        count[size_t(kx)] = std::max<int64_t>(0, ix_hi - ix_lo);
        first[size_t(kx)] = ix_lo + q;
    }
    const int64_t phases = int64_t(r_of_slot.size());
    auto task = [&](int64_t t) {
        thread_local std::vector<float> acc;
        acc.assign(size_t(phases * lanes), 0.0f);
        const int64_t block = t % row_blocks, no = t / row_blocks;
        const int64_t n = no / P.o, o = no % P.o;
        const int64_t group = o / opg, oo = o % opg;
        const int64_t y0 = block * kRowsPerTask, y1 = std::min(P.oh, y0 + kRowsPerTask);
        for (int64_t oy = y0; oy < y1; ++oy) {
            std::fill(acc.begin(), acc.end(), 0.0f);
            for (int64_t ci = 0; ci < cpg; ++ci) {
                const int64_t c = group * cpg + ci;
                const float* plane = in + (n * P.c + c) * P.h * P.w;
                const float* kernel = wt + (c * opg + oo) * P.kh * P.kw;
                for (int64_t ky = 0; ky < P.kh; ++ky) {
                    const int64_t ty = oy + P.ph - ky * P.dh;  // = iy·sh
                    if (ty < 0 || ty % P.sh != 0 || ty / P.sh >= P.h) continue;
                    const float* xrow = plane + (ty / P.sh) * P.w;
                    for (int64_t kx = 0; kx < P.kw; ++kx) {
                        if (count[size_t(kx)] == 0) continue;
                        conv_transpose_axpy(acc.data() + slot[size_t(kx)] * lanes + first[size_t(kx)],
                                            xrow + ix_first[size_t(kx)], kernel[ky * P.kw + kx],
                                            count[size_t(kx)], 1);
                    }
                }
            }
            // Interleave the phases; columns no phase reaches are 0 (plus the bias).
            float* row = out + ((n * P.o + o) * P.oh + oy) * P.ow;
            const float b = bias ? bias[o] : 0.0f;
            std::fill(row, row + P.ow, b);
            for (int64_t k = 0; k < phases; ++k) {
                const int64_t r = r_of_slot[size_t(k)];
                const float* a = acc.data() + k * lanes;
                for (int64_t j = 0; j * sw + r < P.ow; ++j) row[j * sw + r] = a[j] + b;
            }
        }
    };
    const int threads = P.mult_adds < kParallelWork ? 1 : max_threads;
    ThreadPool::global().parallel_for(tasks, task, threads);
}

}  // namespace convscope::simd
