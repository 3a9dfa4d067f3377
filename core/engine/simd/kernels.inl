// The simd kernels, written once. Included by one translation unit per instruction set, which defines
// CONVSCOPE_SIMD_LANES (floats per vector), CONVSCOPE_SIMD_UNROLL (vectors per conv_a and pooling register
// block), CONVSCOPE_SIMD_ROWS (output rows of conv_a), CONVSCOPE_SIMD_CHANNELS_B (output channels of conv_b),
// CONVSCOPE_SIMD_UNROLL_B (vectors per conv_b register block), CONVSCOPE_SIMD_VECTORS_C and
// CONVSCOPE_SIMD_PIXELS_C (channel vectors and output columns of a conv_c register block),
// CONVSCOPE_SIMD_NAME and CONVSCOPE_SIMD_TABLE (the function returning this copy's KernelTable). Everything
// here has internal linkage, so the copies built with different flags never mix. No standard-library
// templates are used: an out-of-line copy built with AVX-512 flags could otherwise be picked by the linker
// for code that runs on every CPU.
#include "core/engine/simd/kernels.hpp"

namespace convscope::simd {
namespace {

constexpr int kLanes = CONVSCOPE_SIMD_LANES;
constexpr int kUnroll = CONVSCOPE_SIMD_UNROLL;
constexpr int kRows = CONVSCOPE_SIMD_ROWS;
constexpr int kChannels = CONVSCOPE_SIMD_CHANNELS_B;
constexpr int kUnrollB = CONVSCOPE_SIMD_UNROLL_B;
static_assert(kRows >= 1 && kRows <= kMaxRowsA, "conv_a rows");
static_assert(kChannels >= 1 && kChannels <= kMaxChannelsB, "conv_b channels");
static_assert(kUnrollB >= 1, "conv_b unroll");
constexpr int kVectorsC = CONVSCOPE_SIMD_VECTORS_C;
constexpr int kPixelsC = CONVSCOPE_SIMD_PIXELS_C;
static_assert(kVectorsC >= 1 && kPixelsC >= 1, "conv_c block");

#if CONVSCOPE_SIMD_LANES == 1
using V = float;
inline V load(const float* p) {
    return *p;
}
inline void store(float* p, V v) {
    *p = v;
}
inline V broadcast(float x) {
    return x;
}
#else
typedef float V __attribute__((vector_size(CONVSCOPE_SIMD_LANES * sizeof(float))));
inline V load(const float* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
inline void store(float* p, V v) {
    __builtin_memcpy(p, &v, sizeof v);
}
// x − (+0) is x for every x, −0 and NaN included, and GCC turns it into a single broadcast.
inline V broadcast(float x) {
    return x - V{};
}
#endif

// [SECTION] conv_a: kRows output rows at once; each loaded input vector feeds every kernel row it meets.
// Relative input row t serves output row r through kernel row ky = t − r, for the rows LO ≤ r ≤ HI where that
// kernel row exists; the range is a template argument so the tap loop has no branches.
template <int U, int LO, int HI, int KW>
__attribute__((always_inline)) inline void conv_a_row(V (&acc)[kRows][U], const float* rp, const int64_t* off,
                                                      const float* wt, int64_t kw_runtime) {
    const int64_t kw = KW > 0 ? KW : kw_runtime;
#pragma GCC unroll 8
    for (int64_t kx = 0; kx < kw; ++kx) {
        const float* p = rp + off[kx];
        V in[U];
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) in[u] = load(p + u * kLanes);
#pragma GCC unroll 8
        for (int r = LO; r <= HI; ++r) {
            const V wv = broadcast(wt[kx - r * kw]);  // weight (t − r, kx)
#pragma GCC unroll 8
            for (int u = 0; u < U; ++u) acc[r][u] += in[u] * wv;
        }
    }
}

// Calls conv_a_row for the row range lo … hi through one jump table (ranges up to kMaxRowsA = 8 rows).
template <int U, int KW>
__attribute__((always_inline)) inline void conv_a_rows(int64_t lo, int64_t hi, V (&acc)[kRows][U],
                                                       const float* rp, const int64_t* off, const float* wt,
                                                       int64_t kw) {
    static_assert(kMaxRowsA == 8, "the cases below list every range of 8 rows");
#define CONVSCOPE_ROWS_CASE(LO, HI)                                                \
    case LO * 8 + HI:                                                              \
        if constexpr (HI < kRows) conv_a_row<U, LO, HI, KW>(acc, rp, off, wt, kw); \
        break;
    switch (lo * 8 + hi) {
        CONVSCOPE_ROWS_CASE(0, 0)
        CONVSCOPE_ROWS_CASE(0, 1)
        CONVSCOPE_ROWS_CASE(0, 2)
        CONVSCOPE_ROWS_CASE(0, 3)
        CONVSCOPE_ROWS_CASE(0, 4)
        CONVSCOPE_ROWS_CASE(0, 5)
        CONVSCOPE_ROWS_CASE(0, 6)
        CONVSCOPE_ROWS_CASE(0, 7)
        CONVSCOPE_ROWS_CASE(1, 1)
        CONVSCOPE_ROWS_CASE(1, 2)
        CONVSCOPE_ROWS_CASE(1, 3)
        CONVSCOPE_ROWS_CASE(1, 4)
        CONVSCOPE_ROWS_CASE(1, 5)
        CONVSCOPE_ROWS_CASE(1, 6)
        CONVSCOPE_ROWS_CASE(1, 7)
        CONVSCOPE_ROWS_CASE(2, 2)
        CONVSCOPE_ROWS_CASE(2, 3)
        CONVSCOPE_ROWS_CASE(2, 4)
        CONVSCOPE_ROWS_CASE(2, 5)
        CONVSCOPE_ROWS_CASE(2, 6)
        CONVSCOPE_ROWS_CASE(2, 7)
        CONVSCOPE_ROWS_CASE(3, 3)
        CONVSCOPE_ROWS_CASE(3, 4)
        CONVSCOPE_ROWS_CASE(3, 5)
        CONVSCOPE_ROWS_CASE(3, 6)
        CONVSCOPE_ROWS_CASE(3, 7)
        CONVSCOPE_ROWS_CASE(4, 4)
        CONVSCOPE_ROWS_CASE(4, 5)
        CONVSCOPE_ROWS_CASE(4, 6)
        CONVSCOPE_ROWS_CASE(4, 7)
        CONVSCOPE_ROWS_CASE(5, 5)
        CONVSCOPE_ROWS_CASE(5, 6)
        CONVSCOPE_ROWS_CASE(5, 7)
        CONVSCOPE_ROWS_CASE(6, 6)
        CONVSCOPE_ROWS_CASE(6, 7)
        CONVSCOPE_ROWS_CASE(7, 7)
    }
#undef CONVSCOPE_ROWS_CASE
}

template <int U, int KW>
inline void conv_a_block(const ConvRowsArgs& a, int64_t j) {
    constexpr int R = kRows;
    const int64_t T = R + a.kh - 1;
    V acc[R][U];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) acc[r][u] = broadcast(0.0f);
    for (int64_t ci = 0; ci < a.cin; ++ci) {
        const float* const* rows = a.rows + ci * T;
        const float* w = a.weights + ci * a.kh * a.kw;
        for (int64_t t = 0; t < T; ++t) {
            const int64_t lo = t - (a.kh - 1) > 0 ? t - (a.kh - 1) : 0;  // rows r with 0 ≤ t − r < kh
            const int64_t hi = t < R - 1 ? t : R - 1;
            // Ask for the next block's columns of this row now, so they arrive from L2 while this one
            // computes.
#pragma GCC unroll 8
            for (int u = 0; u < U; ++u) __builtin_prefetch(rows[t] + j + (U + u) * kLanes);
            conv_a_rows<U, KW>(lo, hi, acc, rows[t] + j, a.off, w + t * a.kw, a.kw);
        }
    }
    const V b = broadcast(a.bias ? *a.bias : 0.0f);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) store(a.out[r] + j + u * kLanes, a.bias ? acc[r][u] + b : acc[r][u]);
}

template <int KW>
void conv_a_run(const ConvRowsArgs& a) {
    int64_t v = 0;
    for (; v + kUnroll <= a.nvec; v += kUnroll) conv_a_block<kUnroll, KW>(a, v * kLanes);
    if (kUnroll > 2 && v + 2 <= a.nvec) conv_a_block<2, KW>(a, v * kLanes), v += 2;  // leftovers
    for (; v < a.nvec; ++v) conv_a_block<1, KW>(a, v * kLanes);
}

// Small kernel widths unroll completely; wider ones loop (their loop overhead is small against the work).
void conv_a(const ConvRowsArgs& a) {
    switch (a.kw) {
        case 3:
            conv_a_run<3>(a);
            break;
        case 5:
            conv_a_run<5>(a);
            break;
        case 7:
            conv_a_run<7>(a);
            break;
        default:
            conv_a_run<0>(a);
            break;
    }
}

// [SECTION] conv_b: the output channels of one output row, a register block of columns at a time; for each
// block of columns, every group of OCB channels in turn, so the block's input stays in L1 while the packed
// weights stream past it. Each loaded input vector feeds OCB weights, which are consecutive floats in the
// packed layout (pack_weights_b). KW > 0 fixes the kernel width at compile time (the common 3, 5 and 7), so
// the tap loop unrolls completely.
template <int OCB, int U, int KW>
__attribute__((always_inline)) inline void conv_b_block(const ConvRowsArgs& a, const float* w,
                                                        float* const* out, const float* bias, int64_t j) {
    const int64_t kw = KW > 0 ? KW : a.kw;
    V acc[OCB][U];
#pragma GCC unroll 16
    for (int o = 0; o < OCB; ++o)
#pragma GCC unroll 16
        for (int u = 0; u < U; ++u) acc[o][u] = broadcast(0.0f);
    const int64_t taps = a.cin * a.kh;
    for (int64_t row = 0; row < taps; ++row) {
        const float* rp = a.rows[row] + j;
#pragma GCC unroll 16
        for (int64_t kx = 0; kx < kw; ++kx) {
            const float* p = rp + a.off[kx];
            V in[U];
#pragma GCC unroll 16
            for (int u = 0; u < U; ++u) in[u] = load(p + u * kLanes);
#pragma GCC unroll 16
            for (int o = 0; o < OCB; ++o) {
                const V wv = broadcast(w[kx * OCB + o]);
#pragma GCC unroll 16
                for (int u = 0; u < U; ++u) acc[o][u] += in[u] * wv;
            }
        }
        w += kw * OCB;
    }
#pragma GCC unroll 16
    for (int o = 0; o < OCB; ++o) {
        const V b = broadcast(bias ? bias[o] : 0.0f);
#pragma GCC unroll 16
        for (int u = 0; u < U; ++u) store(out[o] + j + u * kLanes, bias ? acc[o][u] + b : acc[o][u]);
    }
}

// The last group of channels, `width` (1 … N) narrower than kChannels; a table never asks for more, so those
// are not built.
template <int N, int U, int KW>
__attribute__((always_inline)) inline void conv_b_tail_of(int width, const ConvRowsArgs& a, const float* w,
                                                          float* const* out, const float* bias, int64_t j) {
    if constexpr (N >= 1) {
        if (width == N)
            conv_b_block<N, U, KW>(a, w, out, bias, j);
        else
            conv_b_tail_of<N - 1, U, KW>(width, a, w, out, bias, j);
    }
}

// Every channel of the call for the columns j … j + U·kLanes − 1: the block's input rows stay in cache while
// each group's packed weights stream past them.
template <int U, int KW>
inline void conv_b_columns(const ConvRowsArgs& a, int64_t j) {
    const int64_t ksize = a.cin * a.kh * (KW > 0 ? KW : a.kw);
    int o = 0;
    for (; o + kChannels <= a.ocb; o += kChannels)
        conv_b_block<kChannels, U, KW>(a, a.weights + o * ksize, a.out + o, a.bias ? a.bias + o : nullptr, j);
    conv_b_tail_of<kChannels - 1, U, KW>(int(a.ocb - o), a, a.weights + o * ksize, a.out + o,
                                         a.bias ? a.bias + o : nullptr, j);
}

template <int KW>
void conv_b_run(const ConvRowsArgs& a) {
    int64_t v = 0;
    for (; v + kUnrollB <= a.nvec; v += kUnrollB) conv_b_columns<kUnrollB, KW>(a, v * kLanes);
    if (kUnrollB > 2 && v + 2 <= a.nvec) conv_b_columns<2, KW>(a, v * kLanes), v += 2;  // leftovers
    for (; v < a.nvec; ++v) conv_b_columns<1, KW>(a, v * kLanes);
}

void conv_b(const ConvRowsArgs& a) {
    switch (a.kw) {
        case 1:  // Winograd's products: one tap per input channel
            conv_b_run<1>(a);
            break;
        case 3:
            conv_b_run<3>(a);
            break;
        case 5:
            conv_b_run<5>(a);
            break;
        case 7:
            conv_b_run<7>(a);
            break;
        default:
            conv_b_run<0>(a);
            break;
    }
}

// Writes a register block's P vectors (column p of lanes output channels each, plus the bias b) to the lanes
// output rows out[0 … lanes), columns x … x + P: each run of lanes columns is transposed in registers, so
// every channel's columns leave as one vector store (a scalar store per output was 9% of the stem's time).
// Where the row goes on past a whole vector, the columns past P are stored too (zeros, written again by
// the next block of the same row); at the row's end only P − p0 floats are.
#if CONVSCOPE_SIMD_LANES > 1
typedef int VI __attribute__((vector_size(CONVSCOPE_SIMD_LANES * sizeof(int))));

// One step of the transpose: swaps bit H of the row index with bit H of the lane index, for the rows i and
// i + H (bit H of i clear).
template <int H>
__attribute__((always_inline)) inline void transpose_step(V (&m)[kLanes]) {
    VI low, high;
#pragma GCC unroll 16
    for (int j = 0; j < kLanes; ++j) {
        low[j] = (j & H) ? kLanes + (j ^ H) : j;
        high[j] = (j & H) ? kLanes + j : (j | H);
    }
#pragma GCC unroll 16
    for (int i = 0; i < kLanes; ++i) {
        if (i & H) continue;
        const V a = m[i], b = m[i + H];
        m[i] = __builtin_shuffle(a, b, low);
        m[i + H] = __builtin_shuffle(a, b, high);
    }
    if constexpr (2 * H < kLanes) transpose_step<2 * H>(m);
}
#endif

template <int P>
__attribute__((always_inline)) inline void store_columns(const V (&acc)[P], V b, float* const* out, int64_t x,
                                                         int64_t width) {
#if CONVSCOPE_SIMD_LANES == 1
    (void)width;
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) out[0][x + p] = acc[p] + b;
#else
#pragma GCC unroll 4
    for (int p0 = 0; p0 < P; p0 += kLanes) {
        V m[kLanes];
#pragma GCC unroll 16
        for (int i = 0; i < kLanes; ++i) m[i] = p0 + i < P ? acc[p0 + i] + b : broadcast(0.0f);
        transpose_step<1>(m);
        const int n = P - p0 < kLanes ? P - p0 : kLanes;
        const bool whole = n == kLanes || x + p0 + kLanes <= width;
#pragma GCC unroll 16
        for (int l = 0; l < kLanes; ++l) {
            if (whole)
                store(out[l] + x + p0, m[l]);
            else
                __builtin_memcpy(out[l] + x + p0, &m[l], sizeof(float) * unsigned(n));
        }
    }
#endif
}

// [SECTION] conv_c: vectors over output channels. A register block is VO vectors of lanes consecutive output
// channels at each of P consecutive output columns; each input value is broadcast once and meets VO weight
// vectors, and each weight vector meets P input values. The weights of a group are read front to back,
// [taps][kw][VO·lanes].
template <int VO, int P>
__attribute__((always_inline)) inline void conv_c_block(const ConvPixelsArgs& a, const float* w, int64_t o,
                                                        int64_t x) {
    V acc[VO][P];
#pragma GCC unroll 16
    for (int v = 0; v < VO; ++v)
#pragma GCC unroll 16
        for (int p = 0; p < P; ++p) acc[v][p] = broadcast(0.0f);
    constexpr int64_t S = kStrideC;
    for (int64_t r = 0; r < a.taps; ++r) {
        const float* rp = a.rows[r] + x * S;
        for (int64_t kx = 0; kx < a.kw; ++kx) {
            V wv[VO];
#pragma GCC unroll 16
            for (int v = 0; v < VO; ++v) wv[v] = load(w + v * kLanes);
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p) {
                const V in = broadcast(rp[p * S]);
#pragma GCC unroll 16
                for (int v = 0; v < VO; ++v) acc[v][p] += wv[v] * in;
            }
            rp += a.dw;
            w += VO * kLanes;
        }
    }
    // Each lane is one output channel's column: the block's P columns of a channel are consecutive floats.
#pragma GCC unroll 16
    for (int v = 0; v < VO; ++v) {
        const V b = a.bias ? load(a.bias + o + v * kLanes) : broadcast(0.0f);
        store_columns<P>(acc[v], b, a.out + o + v * kLanes, x, a.width);
    }
}

// The last `width` (1 … N) columns of a row, narrower than a block.
template <int N, int VO>
__attribute__((always_inline)) inline void conv_c_columns_tail(int64_t width, const ConvPixelsArgs& a,
                                                               const float* w, int64_t o, int64_t x) {
    if constexpr (N >= 1) {
        if (width == N)
            conv_c_block<VO, N>(a, w, o, x);
        else
            conv_c_columns_tail<N - 1, VO>(width, a, w, o, x);
    }
}

// One group of VO·lanes channels, every block of columns of the row in turn.
template <int VO>
inline void conv_c_group(const ConvPixelsArgs& a, const float* w, int64_t o) {
    int64_t x = 0;
    for (; x + kPixelsC <= a.width; x += kPixelsC) conv_c_block<VO, kPixelsC>(a, w, o, x);
    conv_c_columns_tail<kPixelsC - 1, VO>(a.width - x, a, w, o, x);
}

// The last group, `vectors` (1 … N) vectors narrower than kVectorsC.
template <int N>
inline void conv_c_group_tail(int64_t vectors, const ConvPixelsArgs& a, const float* w, int64_t o) {
    if constexpr (N >= 1) {
        if (vectors == N)
            conv_c_group<N>(a, w, o);
        else
            conv_c_group_tail<N - 1>(vectors, a, w, o);
    }
}

void conv_c(const ConvPixelsArgs& a) {
    const int64_t ksize = a.taps * a.kw, group = int64_t(kVectorsC) * kLanes;
    int64_t o = 0;
    for (; o + group <= a.ocb; o += group) conv_c_group<kVectorsC>(a, a.weights + o * ksize, o);
    conv_c_group_tail<kVectorsC - 1>((a.ocb - o) / kLanes, a, a.weights + o * ksize, o);
}

// [SECTION] Pooling: one output row, kUnroll vectors at a time.
template <int U>
inline void pool_max_block(const PoolRowArgs& a, int64_t j) {
    V best[U];
#pragma GCC unroll 8
    for (int u = 0; u < U; ++u) best[u] = broadcast(-__builtin_inff());
    for (int64_t ky = 0; ky < a.kh; ++ky) {
        const float* rp = a.rows[ky] + j;
        for (int64_t kx = 0; kx < a.kw; ++kx) {
            const float* p = rp + a.off[kx];
#pragma GCC unroll 8
            for (int u = 0; u < U; ++u) {
                const V x = load(p + u * kLanes);
                // Take x when it is larger or NaN, unless a NaN was already taken: PyTorch's max pool.
                const auto take = ((x > best[u]) | (x != x)) & (best[u] == best[u]);
                best[u] = take ? x : best[u];
            }
        }
    }
#pragma GCC unroll 8
    for (int u = 0; u < U; ++u) store(a.out + j + u * kLanes, best[u]);
}

template <int U>
inline void pool_avg_block(const PoolRowArgs& a, int64_t j) {
    V sum[U];
#pragma GCC unroll 8
    for (int u = 0; u < U; ++u) sum[u] = broadcast(0.0f);
    for (int64_t ky = 0; ky < a.kh; ++ky) {
        const float* rp = a.rows[ky] + j;
        for (int64_t kx = 0; kx < a.kw; ++kx) {
            const float* p = rp + a.off[kx];
#pragma GCC unroll 8
            for (int u = 0; u < U; ++u) sum[u] += load(p + u * kLanes);
        }
    }
#pragma GCC unroll 8
    for (int u = 0; u < U; ++u) store(a.out + j + u * kLanes, sum[u] / load(a.divisor + j + u * kLanes));
}

void pool_max(const PoolRowArgs& a) {
    int64_t v = 0;
    for (; v + kUnroll <= a.nvec; v += kUnroll) pool_max_block<kUnroll>(a, v * kLanes);
    for (; v < a.nvec; ++v) pool_max_block<1>(a, v * kLanes);  // leftovers
}

void pool_avg(const PoolRowArgs& a) {
    int64_t v = 0;
    for (; v + kUnroll <= a.nvec; v += kUnroll) pool_avg_block<kUnroll>(a, v * kLanes);
    for (; v < a.nvec; ++v) pool_avg_block<1>(a, v * kLanes);  // leftovers
}

// [SECTION] Strips: contiguous runs copy by vectors, stride-2 runs (the usual pooling) by even-lane shuffles.
#if CONVSCOPE_SIMD_LANES > 1
// The even lanes of a:b (GCC ≥ 12 and Clang both have __builtin_shufflevector).
inline V even_lanes(V a, V b) {
#if CONVSCOPE_SIMD_LANES == 4
    return __builtin_shufflevector(a, b, 0, 2, 4, 6);
#elif CONVSCOPE_SIMD_LANES == 8
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
#else
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
#endif
}
#endif

void build_strip(const float* row, const StripRun* runs, int64_t count, float fill, float* dst) {
    for (int64_t r = 0; r < count; ++r) {
        const StripRun& run = runs[r];
        float* d = dst + run.dst;
        int64_t i = 0;
        if (run.src < 0) {
            for (; i < run.len; ++i) d[i] = fill;
            continue;
        }
        const float* s = row + run.src;
#if CONVSCOPE_SIMD_LANES > 1
        if (run.step == 1) {
            for (; i + kLanes <= run.len; i += kLanes) store(d + i, load(s + i));
        } else if (run.step == 2) {
            // Reads s[2i … 2i + 2·kLanes − 1]; the last one must still be in the run (i + kLanes < len).
            for (; i + kLanes < run.len; i += kLanes)
                store(d + i, even_lanes(load(s + 2 * i), load(s + 2 * i + kLanes)));
        }
#endif
        for (; i < run.len; ++i) d[i] = s[i * run.step];  // leftovers
    }
}

// [SECTION] Winograd F(2×2, 3×3) transforms (kernels.hpp): tiles across lanes, so every step is a vector
// add; the columns of a tile come from even/odd lane shuffles of two loads.
#if CONVSCOPE_SIMD_LANES > 1
inline V odd_lanes(V a, V b) {
#if CONVSCOPE_SIMD_LANES == 4
    return __builtin_shufflevector(a, b, 1, 3, 5, 7);
#elif CONVSCOPE_SIMD_LANES == 8
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
#else
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
#endif
}

// a0 b0 a1 b1 … from the first halves of a and b (zip_low) and from the second halves (zip_high).
inline V zip_low(V a, V b) {
#if CONVSCOPE_SIMD_LANES == 4
    return __builtin_shufflevector(a, b, 0, 4, 1, 5);
#elif CONVSCOPE_SIMD_LANES == 8
    return __builtin_shufflevector(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
#else
    return __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
#endif
}

inline V zip_high(V a, V b) {
#if CONVSCOPE_SIMD_LANES == 4
    return __builtin_shufflevector(a, b, 2, 6, 3, 7);
#elif CONVSCOPE_SIMD_LANES == 8
    return __builtin_shufflevector(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
#else
    return __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
#endif
}
#endif

// Bᵀ x for four values x0 … x3 along one axis.
__attribute__((always_inline)) inline void wino_b(V& x0, V& x1, V& x2, V& x3) {
    const V z0 = x0 - x2, z1 = x1 + x2, z2 = x2 - x1, z3 = x1 - x3;
    x0 = z0, x1 = z1, x2 = z2, x3 = z3;
}

void wino_input(const WinoInputArgs& a) {
    for (int64_t v = 0; v < a.nvec; ++v) {
        // d[i][j]: padded row i, columns 2t + j of the vector's tiles t.
        V d[4][4];
#pragma GCC unroll 4
        for (int i = 0; i < 4; ++i) {
            const float* r = a.rows[i] + 2 * v * kLanes;
#if CONVSCOPE_SIMD_LANES > 1
            const V x0 = load(r), x1 = load(r + kLanes), x2 = load(r + 2), x3 = load(r + 2 + kLanes);
            d[i][0] = even_lanes(x0, x1), d[i][1] = odd_lanes(x0, x1);
            d[i][2] = even_lanes(x2, x3), d[i][3] = odd_lanes(x2, x3);
#else
            d[i][0] = r[0], d[i][1] = r[1], d[i][2] = r[2], d[i][3] = r[3];
#endif
        }
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) wino_b(d[0][j], d[1][j], d[2][j], d[3][j]);
        float* out = a.out + v * kLanes;
#pragma GCC unroll 4
        for (int i = 0; i < 4; ++i) {
            wino_b(d[i][0], d[i][1], d[i][2], d[i][3]);
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) store(out + (4 * i + j) * a.stride, d[i][j]);
        }
    }
}

bool wino_output(const WinoOutputArgs& a) {
    const V b = broadcast(a.bias ? *a.bias : 0.0f);
    // Finite values add 0 here; an infinity or NaN anywhere in the tiles makes it NaN.
    V check = broadcast(0.0f);
    for (int64_t v = 0; v < a.nvec; ++v) {
        const float* in = a.in + v * kLanes;
        // Aᵀ M down the rows, then across: s[r][j], then y[r][c] for output row r, column 2t + c.
        V s[2][4];
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            const V m0 = load(in + j * a.stride), m1 = load(in + (4 + j) * a.stride);
            const V m2 = load(in + (8 + j) * a.stride), m3 = load(in + (12 + j) * a.stride);
            s[0][j] = m0 + m1 + m2, s[1][j] = m1 - m2 - m3;
        }
        const int64_t x = 2 * v * kLanes;
        const int64_t n = a.width - x < 2 * kLanes ? a.width - x : 2 * kLanes;
#pragma GCC unroll 2
        for (int r = 0; r < 2; ++r) {
            const V y0 = s[r][0] + s[r][1] + s[r][2] + b, y1 = s[r][1] - s[r][2] - s[r][3] + b;
            check += (y0 + y1) * 0.0f;
            if (!a.out[r]) continue;
#if CONVSCOPE_SIMD_LANES > 1
            const V lo = zip_low(y0, y1), hi = zip_high(y0, y1);
#else
            const V lo = y0, hi = y1;
#endif
            // The row's last vector: only its first n columns (as store_columns ends a row).
            float* o = a.out[r] + x;
            if (n >= kLanes)
                store(o, lo);
            else
                __builtin_memcpy(o, &lo, sizeof(float) * unsigned(n));
            if (n == 2 * kLanes)
                store(o + kLanes, hi);
            else if (n > kLanes)
                __builtin_memcpy(o + kLanes, &hi, sizeof(float) * unsigned(n - kLanes));
        }
    }
    float sum = 0.0f;
#if CONVSCOPE_SIMD_LANES > 1
    for (int k = 0; k < kLanes; ++k) sum += check[k];
#else
    sum = check;
#endif
    return sum != sum;
}

}  // namespace

const KernelTable& CONVSCOPE_SIMD_TABLE() {
    static const KernelTable table{CONVSCOPE_SIMD_NAME,
                                   kLanes,
                                   kUnroll,
                                   kRows,
                                   kChannels,
                                   kUnrollB,
                                   kVectorsC,
                                   kPixelsC,
                                   conv_a,
                                   conv_b,
                                   conv_c,
                                   pool_max,
                                   pool_avg,
                                   wino_input,
                                   wino_output,
                                   build_strip};
    return table;
}

}  // namespace convscope::simd
