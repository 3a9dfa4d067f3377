// The simd kernels built for neon (flags in CMakeLists.txt).
#define CONVSCOPE_SIMD_LANES 4
#define CONVSCOPE_SIMD_UNROLL 4
#define CONVSCOPE_SIMD_ROWS 6
#define CONVSCOPE_SIMD_CHANNELS_B 4
#define CONVSCOPE_SIMD_UNROLL_B 4
#define CONVSCOPE_SIMD_VECTORS_C 2
#define CONVSCOPE_SIMD_PIXELS_C 10
#define CONVSCOPE_SIMD_NAME "neon"
#define CONVSCOPE_SIMD_TABLE kernels_neon
#include "core/engine/simd/kernels.inl"
