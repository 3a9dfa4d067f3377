// The simd kernels built for avx512 (flags in CMakeLists.txt).
#define CONVSCOPE_SIMD_LANES 16
#define CONVSCOPE_SIMD_UNROLL 4
#define CONVSCOPE_SIMD_ROWS 6
#define CONVSCOPE_SIMD_CHANNELS_B 4
#define CONVSCOPE_SIMD_NAME "avx512"
#define CONVSCOPE_SIMD_TABLE kernels_avx512
#include "core/engine/simd/kernels.inl"
