// The inner kernels of the simd backend, written once (kernels.inl) and compiled once per instruction set in
// its own translation unit with its own flags (kernels_avx512.cpp, kernels_avx2.cpp, kernels_sse41.cpp,
// kernels_neon.cpp, kernels_scalar.cpp). The backend (simd_backend.cpp) prepares row pointers and calls them
// through a KernelTable chosen at start-up; nothing outside core/engine/simd sees an instruction set.
//
// A kernel computes `nvec` vectors of consecutive output columns. Every input it reads is described by a row
// pointer and a per-tap offset: the value under tap kx for output lane j is row[off[kx] + j], whatever the
// stride, dilation or padding (the backend makes padded, stride-deinterleaved copies of rows only where
// needed).
#pragma once

#include <cstdint>

namespace convscope::simd {

// Most output rows that conv_a computes at once (KernelTable::rows_a; each input row load feeds up to that
// many kernel rows).
inline constexpr int kMaxRowsA = 8;
// Most output channels that conv_b computes at once (KernelTable::channels_b; each input load feeds that many
// weights).
inline constexpr int kMaxChannelsB = 8;
// The horizontal stride conv_c is built for (its columns' offsets are compile-time constants).
inline constexpr int kStrideC = 2;

struct ConvRowsArgs {
    // conv_a: [cin][rows_a + kh − 1] consecutive padded input rows; conv_b: [cin][kh] rows of one output row.
    const float* const* rows = nullptr;
    const int64_t* off = nullptr;  // [kw]
    // conv_a: cin×kh×kw weights of one output channel; conv_b: the `ocb` output channels' weights, packed by
    // pack_weights_b with the table's channels_b.
    const float* weights = nullptr;
    const float* bias = nullptr;  // null, or one value per output channel computed
    float* const* out = nullptr;  // conv_a: [rows_a] output rows; conv_b: [ocb] output rows
    int64_t cin = 1, kh = 1, kw = 1, nvec = 0;
    int ocb = 1;  // conv_b: output channels, any number (the backend passes a few dozen)
};

// conv_c: vectors over output channels, one output row of `ocb` channels (a multiple of the table's lanes)
// at stride kStrideC. The value under tap (r, kx) for output column x is rows[r][x·kStrideC + kx·dw]: every
// row holds the whole padded input row, so no column is read past it and none is copied per stride phase.
struct ConvPixelsArgs {
    const float* const* rows = nullptr;  // [taps] padded input rows (taps = cin × kh), from padded column 0
    // The ocb channels' weights, packed by pack_weights_b with lanes × vectors_c channels a group.
    const float* weights = nullptr;
    const float* bias = nullptr;  // null, or one value per output channel computed
    float* const* out = nullptr;  // [ocb] output rows, from column 0
    int64_t taps = 0, kw = 1, dw = 1;
    int64_t width = 0;  // output columns
    int64_t ocb = 0;    // output channels, a multiple of lanes
};

// conv_b's weight layout. `channels` filters of `ksize` floats each (cin × kh × kw, PyTorch's order), cut
// into groups of `channels_b` (the last may be narrower); a group of g channels starting at channel c is
// stored at dst + c·ksize as [ksize][g], so the g weights one input vector meets are consecutive floats and a
// group's weights are read front to back. dst holds channels × ksize floats.
void pack_weights_b(const float* weights, int64_t channels, int64_t ksize, int channels_b, float* dst);

// A piece of a copied strip: dst[i] = row[src + i·step] for i < len, or the fill value where src < 0.
// Stride phases, borders and padding modes all come out as a few such runs per strip.
struct StripRun {
    int32_t dst = 0, len = 0, src = -1, step = 1;
};

// Winograd F(2×2, 3×3) (Lavin & Gray 2016): a 4×4 input tile d becomes V = Bᵀ d B, 16 values ξ = 4i + j,
// with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]; a 3×3 filter g becomes U = G g Gᵀ with
// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]; the 2×2 output tile is Y = Aᵀ M A of M = Σ_ci U ⊙ V, with
// Aᵀ = [1 1 1 0; 0 1 −1 −1]. Tile t of a tile row covers output columns 2t, 2t + 1 and reads padded columns
// 2t … 2t + 3 of four padded rows; a vector holds lanes consecutive tiles.
struct WinoInputArgs {
    // Four padded input rows from the chunk's first padded column; each is read up to float
    // 2·nvec·lanes + 1 (the backend pads the copies with zeros past the row).
    const float* rows[4] = {nullptr, nullptr, nullptr, nullptr};
    float* out = nullptr;  // V_ξ of the nvec·lanes tiles at out + ξ·stride
    int64_t stride = 0;
    int64_t nvec = 0;
};

struct WinoOutputArgs {
    const float* in = nullptr;  // M_ξ of one output channel's tiles at in + ξ·stride
    int64_t stride = 0;
    float* out[2] = {nullptr, nullptr};  // output rows 2r and 2r + 1 (null: past the output) from the
                                         // chunk's first column
    const float* bias = nullptr;         // null, or the channel's bias
    int64_t width = 0;                   // output columns written, at most 2·nvec·lanes
    int64_t nvec = 0;
};

struct PoolRowArgs {
    const float* const* rows = nullptr;  // [kh]
    const int64_t* off = nullptr;        // [kw]
    const float* divisor = nullptr;      // avg: one per output column
    float* out = nullptr;
    int64_t kh = 1, kw = 1, nvec = 0;
};

struct KernelTable {
    const char* name;  // "avx512", "avx2", "sse4.1", "neon", "scalar"
    int lanes;         // floats per vector
    int unroll;        // vectors per conv_a and pooling register block (fastest on multiples of it)
    int rows_a;        // output rows conv_a computes at once (≤ kMaxRowsA)
    int channels_b;    // output channels conv_b computes at once (≤ kMaxChannelsB)
    int unroll_b;      // vectors per conv_b register block (channels_b × unroll_b accumulators)
    int vectors_c;     // vectors of output channels per conv_c register block
    int pixels_c;      // output columns per conv_c register block (vectors_c × pixels_c accumulators)
    // Sums over cin, kh, kw for rows_a consecutive output rows (stride 1, dilation 1 vertically).
    void (*conv_a)(const ConvRowsArgs&);
    // Sums over cin, kh, kw for one output row of `ocb` output channels: for each register block of columns,
    // every group of channels_b channels in turn, so the block's input rows stay in L1.
    void (*conv_b)(const ConvRowsArgs&);
    // Sums over taps and kw for one output row of `ocb` output channels, lanes channels to a vector: each
    // input value is broadcast once and meets vectors_c vectors of weights. For each group of
    // lanes × vectors_c channels, every register block of pixels_c columns in turn.
    void (*conv_c)(const ConvPixelsArgs&);
    // Max over the window, first maximum in row-major order wins, NaN propagates (PyTorch's rule).
    void (*pool_max)(const PoolRowArgs&);
    // Row-major sum over the window divided by divisor[j].
    void (*pool_avg)(const PoolRowArgs&);
    // Winograd's input transform of one input channel: V_ξ for nvec vectors of tiles.
    void (*wino_input)(const WinoInputArgs&);
    // Winograd's output transform of one output channel (+ bias); true when any value written (or computed
    // for the tile's lanes past `width`) is not finite, or a sum overflowed.
    bool (*wino_output)(const WinoOutputArgs&);
    // Copies a padded strip of one input row into dst, run by run.
    void (*build_strip)(const float* row, const StripRun* runs, int64_t count, float fill, float* dst);
};

// Each exists only where its translation unit was built (see CMakeLists.txt); scalar always exists.
const KernelTable& kernels_scalar();
const KernelTable& kernels_sse41();
const KernelTable& kernels_avx2();
const KernelTable& kernels_avx512();
const KernelTable& kernels_neon();

}  // namespace convscope::simd
