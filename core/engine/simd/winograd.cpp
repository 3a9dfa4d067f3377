// The simd backend's Winograd F(2×2, 3×3): the chunks of a tile row, when it is taken, and the transformed
// weights (winograd.hpp).
#include "core/engine/simd/winograd.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/engine/simd/rows.hpp"
#include "core/support/thread_pool.hpp"

namespace convscope::simd {
namespace {

// Channels a group needs on both sides for Winograd: the input transform is shared by opg output channels
// and the output transform by cpg input channels. On the Zen 4 VM (one thread, medians of 5) 64→64 k3 on 128²
// took 7.2–8.4 ms against 12.5 directly (AVX2 10.4 against 14.8, SSE4.1 26.6 against 58.9); 16→16 on 256²
// took 4.3 against 3.7–3.9 directly, so 16 channels stay direct.
constexpr int64_t kWinoChannels = 32;
// Most bytes of a chunk's V and M (16 planes each, cpg and opg channels): about half of a 1 MB L2. Longer
// chunks feed the products more columns a call: 64→64 on 128² (64 tiles a row) took 9.8, 8.9, 8.3 and 7.5 ms
// with 64, 128, 256 and 512 KB.
constexpr double kWinoChunkBytes = 512.0 * 1024;

// The calling thread's U (wino_weights), uninitialized: wino_weights writes every float. On the polyphase
// stride-2 form tried on the branch polyphase-winograd, a new 1.6 MB buffer a call (128→128) spent 28% of
// a one-thread call in the kernel clearing its pages.
struct KeptWeights {
    std::unique_ptr<float[]> data;
    size_t size = 0;
};
thread_local KeptWeights t_weights;
constexpr size_t kKeptFloats = size_t(4) << 20;  // 16 MB

}  // namespace

WinoLayout wino_layout(const ConvPlan& P, int64_t lanes) {
    WinoLayout L;
    L.tiles = ceil_div(P.ow, 2);
    const int64_t vectors = ceil_div(L.tiles, lanes);
    const double per_vector = 64.0 * double(P.c_per_group() + P.o_per_group()) * double(lanes);
    const int64_t most = std::max<int64_t>(1, int64_t(kWinoChunkBytes / per_vector));
    // Chunks of equal size, as few as fit.
    const int64_t per_chunk = ceil_div(vectors, ceil_div(vectors, most));
    L.chunks = ceil_div(vectors, per_chunk);
    L.chunk = per_chunk * lanes;
    return L;
}

bool wino_applies(const ConvPlan& P, int64_t lanes) {
    if (P.kh != 3 || P.kw != 3 || P.sh != 1 || P.sw != 1 || P.dh != 1 || P.dw != 1) return false;
    if (P.c_per_group() < kWinoChannels || P.o_per_group() < kWinoChannels) return false;
    const int64_t tiles = ceil_div(P.ow, 2);
    // A tile row whose last vector is mostly empty wastes the lanes the method saves (28 tiles in 32 lanes:
    // 12%, fine; 9 tiles in 16: 44%, not).
    const int64_t padded = ceil_div(tiles, lanes) * lanes;
    if (4 * (padded - tiles) > padded) return false;
    return 64.0 * double(P.c_per_group() + P.o_per_group()) * double(lanes) <= 2 * kWinoChunkBytes;
}

const float* wino_weights(const ConvPlan& P, const float* weight, int channels_b, int threads) {
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    KeptWeights& kept = t_weights;
    if (const size_t n = size_t(16 * P.o * cpg); n > kept.size) kept.data.reset(new float[n]), kept.size = n;
    float* dst = kept.data.get();
    // G times three taps along one axis, for m filters at once: g_t[i] is tap t of filter i, u[r][i] row r
    // of the product.
    auto along = [](const float* g0, const float* g1, const float* g2, float* const* u, int64_t m) {
        for (int64_t i = 0; i < m; ++i) {
            u[0][i] = g0[i], u[1][i] = 0.5f * (g0[i] + g1[i] + g2[i]);
            u[2][i] = 0.5f * (g0[i] - g1[i] + g2[i]), u[3][i] = g2[i];
        }
    };
    // One task per group of channels_b filters, kCi input channels at a time. Their taps are gathered first
    // (taps[t] holds tap t of the kCi·channels_b filters in dst's order), and the transforms run across
    // those filters as plain vector loops, each writing its planes as runs. The planes lie opg·cpg floats
    // apart, in the same L1 set for power-of-two channel counts: writing one float to each in turn, filter by
    // filter, was as slow as a layer's products on the polyphase stride-2 form tried on the branch
    // polyphase-winograd (1.6 MB of planes for 128→128).
    constexpr int64_t kCi = 16;
    const int64_t blocks = ceil_div(opg, int64_t(channels_b));
    auto block = [&](int64_t task) {
        const int64_t g = task / blocks, cb = task % blocks * channels_b;
        const int64_t gw = std::min<int64_t>(channels_b, opg - cb), span = kCi * gw;
        std::vector<float> taps(size_t(9 * span)), cols(size_t(12 * span));
        for (int64_t c0 = 0; c0 < cpg; c0 += kCi) {
            const int64_t cn = std::min(kCi, cpg - c0), m = cn * gw;
            for (int64_t ci = 0; ci < cn; ++ci)
                for (int64_t k = 0; k < gw; ++k) {
                    const float* w = weight + ((g * opg + cb + k) * cpg + c0 + ci) * 9;
                    for (int t = 0; t < 9; ++t) taps[size_t(t * span + ci * gw + k)] = w[t];
                }
            auto tap = [&](int t) { return taps.data() + t * span; };
            // cols[4b + i]: row i of G g down column b; then row i across.
            for (int b = 0; b < 3; ++b) {
                float* u[4];
                for (int i = 0; i < 4; ++i) u[i] = cols.data() + (4 * b + i) * span;
                along(tap(b), tap(3 + b), tap(6 + b), u, m);
            }
            for (int i = 0; i < 4; ++i) {
                float* u[4];
                for (int j = 0; j < 4; ++j) u[j] = dst + ((g * 16 + 4 * i + j) * opg + cb) * cpg + c0 * gw;
                const float* c = cols.data() + i * span;
                along(c, c + 4 * span, c + 8 * span, u, m);
            }
        }
    };
    ThreadPool::global().parallel_for(P.groups * blocks, block, threads);
    return dst;
}

void wino_weights_trim() {
    KeptWeights& kept = t_weights;
    if (kept.size > kKeptFloats) kept.data.reset(), kept.size = 0;
}

}  // namespace convscope::simd
