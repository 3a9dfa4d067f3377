// The simd backend's Winograd F(2×2, 3×3): the chunks of a tile row, when it is taken, and the transformed
// weights (winograd.hpp).
#include "core/engine/simd/winograd.hpp"

#include <algorithm>

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

void wino_weights(const ConvPlan& P, const float* weight, int channels_b, float* dst, int threads) {
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    auto filter = [&](int64_t o) {
        const int64_t g = o / opg, ol = o % opg;
        const int64_t cb = ol / channels_b * channels_b, gw = std::min<int64_t>(channels_b, opg - cb);
        for (int64_t ci = 0; ci < cpg; ++ci) {
            const float* w = weight + (o * cpg + ci) * 9;
            float t[4][3];  // G g
            for (int b = 0; b < 3; ++b) {
                const float g0 = w[b], g1 = w[3 + b], g2 = w[6 + b];
                t[0][b] = g0, t[1][b] = 0.5f * (g0 + g1 + g2), t[2][b] = 0.5f * (g0 - g1 + g2), t[3][b] = g2;
            }
            for (int i = 0; i < 4; ++i) {
                const float u[4] = {t[i][0], 0.5f * (t[i][0] + t[i][1] + t[i][2]),
                                    0.5f * (t[i][0] - t[i][1] + t[i][2]), t[i][2]};
                for (int j = 0; j < 4; ++j)
                    dst[((g * 16 + 4 * i + j) * opg + cb) * cpg + ci * gw + (ol - cb)] = u[j];
            }
        }
    };
    ThreadPool::global().parallel_for(P.o, filter, threads);
}

}  // namespace convscope::simd
