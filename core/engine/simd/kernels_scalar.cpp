// The simd kernels built for scalar (flags in CMakeLists.txt).
#define CONVSCOPE_SIMD_LANES 1
#define CONVSCOPE_SIMD_UNROLL 2
#define CONVSCOPE_SIMD_ROWS 4
#define CONVSCOPE_SIMD_CHANNELS_B 4
#define CONVSCOPE_SIMD_UNROLL_B 2
#define CONVSCOPE_SIMD_VECTORS_C 4
#define CONVSCOPE_SIMD_PIXELS_C 3
#define CONVSCOPE_SIMD_NAME "scalar"
#define CONVSCOPE_SIMD_TABLE kernels_scalar
#include "core/engine/simd/kernels.inl"
