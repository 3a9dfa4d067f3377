// The simd kernels built for avx2 (flags in CMakeLists.txt).
#define CONVSCOPE_SIMD_LANES 8
#define CONVSCOPE_SIMD_UNROLL 2
#define CONVSCOPE_SIMD_ROWS 4
#define CONVSCOPE_SIMD_CHANNELS_B 6
#define CONVSCOPE_SIMD_UNROLL_B 2
#define CONVSCOPE_SIMD_VECTORS_C 2
#define CONVSCOPE_SIMD_PIXELS_C 6
#define CONVSCOPE_SIMD_NAME "avx2"
#define CONVSCOPE_SIMD_TABLE kernels_avx2
#include "core/engine/simd/kernels.inl"
