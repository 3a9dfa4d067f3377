#include "core/simd/conv_transpose.hpp"

#include <algorithm>

#include "core/thread_pool.hpp"

namespace convscope::simd {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// One copy per instruction set, chosen once by the loader (ifunc); the scalar base is the fallback.
#define CONVSCOPE_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CONVSCOPE_CLONES
#endif

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

int64_t ceil_div_signed(int64_t a, int64_t b) {
    return -floor_div(-a, b);
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
    // For each kx, the input columns that land inside the output row, and where the first one lands.
    std::vector<int64_t> ix_lo(size_t(P.kw)), ix_count(size_t(P.kw)), ox_first(size_t(P.kw));
    for (int64_t kx = 0; kx < P.kw; ++kx) {
        const int64_t shift = kx * P.dw - P.pw;  // ox = ix·sw + shift
        const int64_t lo = std::max<int64_t>(0, ceil_div_signed(-shift, P.sw));
        const int64_t hi = std::min<int64_t>(P.w - 1, floor_div(P.ow - 1 - shift, P.sw));
        ix_lo[size_t(kx)] = lo;
        ix_count[size_t(kx)] = std::max<int64_t>(0, hi - lo + 1);
        ox_first[size_t(kx)] = lo * P.sw + shift;
    }
    auto task = [&](int64_t t) {
        const int64_t block = t % row_blocks, no = t / row_blocks;
        const int64_t n = no / P.o, o = no % P.o;
        const int64_t group = o / opg, oo = o % opg;
        const int64_t y0 = block * kRowsPerTask, y1 = std::min(P.oh, y0 + kRowsPerTask);
        for (int64_t oy = y0; oy < y1; ++oy) {
            float* row = out + ((n * P.o + o) * P.oh + oy) * P.ow;
            std::fill(row, row + P.ow, 0.0f);
            for (int64_t ci = 0; ci < cpg; ++ci) {
                const int64_t c = group * cpg + ci;
                const float* plane = in + (n * P.c + c) * P.h * P.w;
                const float* kernel = wt + (c * opg + oo) * P.kh * P.kw;
                for (int64_t ky = 0; ky < P.kh; ++ky) {
                    const int64_t ty = oy + P.ph - ky * P.dh;  // = iy·sh
                    if (ty < 0 || ty % P.sh != 0 || ty / P.sh >= P.h) continue;
                    const float* xrow = plane + (ty / P.sh) * P.w;
                    for (int64_t kx = 0; kx < P.kw; ++kx) {
                        const int64_t count = ix_count[size_t(kx)];
                        if (count == 0) continue;
                        conv_transpose_axpy(row + ox_first[size_t(kx)], xrow + ix_lo[size_t(kx)],
                                            kernel[ky * P.kw + kx], count, P.sw);
                    }
                }
            }
            if (bias)
                for (int64_t ox = 0; ox < P.ow; ++ox) row[ox] += bias[o];
        }
    };
    const int threads = P.mult_adds < kParallelWork ? 1 : max_threads;
    ThreadPool::global().parallel_for(tasks, task, threads);
}

}  // namespace convscope::simd
