// The simd kernels built for avx512 (flags in CMakeLists.txt). conv_b: 8 channels × 2 vectors (16 of the 32
// registers accumulate, 32 columns a block). On the 2-core Zen 4 VM, interleaved runs (min of 5–9): 64→64 k3
// on 128² 6.2–6.6 ms against 6.9–7.3 ms with 4 × 4; 128→128 s2, the stem and 16→16 within the noise;
// 10 or 12 channels × 2 no better.
#define CONVSCOPE_SIMD_LANES 16
#define CONVSCOPE_SIMD_UNROLL 4
#define CONVSCOPE_SIMD_ROWS 6
#define CONVSCOPE_SIMD_CHANNELS_B 8
#define CONVSCOPE_SIMD_UNROLL_B 2
#define CONVSCOPE_SIMD_VECTORS_C 2
#define CONVSCOPE_SIMD_PIXELS_C 14
#define CONVSCOPE_SIMD_NAME "avx512"
#define CONVSCOPE_SIMD_TABLE kernels_avx512
#include "core/engine/simd/kernels.inl"
