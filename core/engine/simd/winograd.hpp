// The simd backend's Winograd F(2×2, 3×3) for 3×3 stride-1 layers with many channels (simd_backend.cpp runs
// it; the transforms are kernels, kernels.hpp): each 2×2 output tile takes 16 multiply-adds per input channel
// instead of 36. A task is one tile row (two output rows) of one image and group, cut across the row into
// chunks of tiles: each input channel's four padded rows are transformed into V (16 planes of the chunk's
// tiles), the 16 products M_ξ = U_ξ V_ξ run as conv_b calls with one tap (an opg × cpg by cpg × tiles matrix
// product, U packed like conv_b's weights), and each output channel's M is transformed back to two output
// rows. The transforms add and subtract only, and U's halves are exact, so small-integer data still gives
// exact sums. Where a value comes out infinite or NaN (an infinity in the input: Winograd's differences turn
// inf − inf into NaN where the direct sum gives inf), the task's two rows are computed again the direct way,
// so the answer is the reference's.
#pragma once

#include <cstdint>

#include "core/engine/geometry.hpp"

namespace convscope::simd {

// How a tile row is cut into chunks of tiles.
struct WinoLayout {
    int64_t tiles = 0;   // tiles in a tile row: ⌈ow / 2⌉
    int64_t chunk = 0;   // tiles per chunk, a multiple of lanes (the last chunk may hold fewer)
    int64_t chunks = 0;  // chunks in a tile row
    int64_t tiles_in(int64_t c) const { return c + 1 < chunks ? chunk : tiles - c * chunk; }
};

// The chunks of a tile row for vectors of `lanes` floats.
WinoLayout wino_layout(const ConvPlan& P, int64_t lanes);

// Whether the plan runs Winograd with vectors of `lanes` floats: 3×3, stride 1, dilation 1, enough channels
// on both sides, and a tile row whose last vector is not mostly empty.
bool wino_applies(const ConvPlan& P, int64_t lanes);

// U = G g Gᵀ of every filter, packed for conv_b (pack_weights_b's layout, groups of `channels_b`): group g's
// plane ξ is an opg × cpg matrix at U + (g·16 + ξ)·opg·cpg, 16·o·cpg floats in all. On `threads` threads of
// the global pool. U lies in the calling thread's buffer, kept from call to call (a new one would be new
// pages, which the kernel clears as they are first written) and valid until its next call.
const float* wino_weights(const ConvPlan& P, const float* weight, int channels_b, int threads);

// Gives the calling thread's buffer back if its last call needed more than 16 MB.
void wino_weights_trim();

}  // namespace convscope::simd
