// The simd kernels built for sse4.1 (flags in CMakeLists.txt).
#define CONVSCOPE_SIMD_LANES 4
#define CONVSCOPE_SIMD_UNROLL 2
#define CONVSCOPE_SIMD_ROWS 4
#define CONVSCOPE_SIMD_CHANNELS_B 4
#define CONVSCOPE_SIMD_UNROLL_B 2
#define CONVSCOPE_SIMD_VECTORS_C 2
#define CONVSCOPE_SIMD_PIXELS_C 4
#define CONVSCOPE_SIMD_NAME "sse4.1"
#define CONVSCOPE_SIMD_TABLE kernels_sse41
#include "core/engine/simd/kernels.inl"
