// The simd kernels (core/engine/simd/kernels.inl) built with no instruction-set flags and a 16-lane vector
// that GCC emulates with the baseline's registers, with AVX-512's unroll (4), rows (6) and conv_b channels
// (8): every machine runs the 16-lane strip shuffle and the 2-vector leftovers (`kUnroll > 2`) that only
// AVX-512 reaches otherwise. Its conv_b unroll is 4, not AVX-512's 2, so that conv_b's 2-vector leftovers run
// too. Tests only (simd_kernel_tests: simd_kernels.test.cpp); flags in tests/CMakeLists.txt.
#define CONVSCOPE_SIMD_LANES 16
#define CONVSCOPE_SIMD_UNROLL 4
#define CONVSCOPE_SIMD_ROWS 6
#define CONVSCOPE_SIMD_CHANNELS_B 8
#define CONVSCOPE_SIMD_UNROLL_B 4
#define CONVSCOPE_SIMD_VECTORS_C 2
#define CONVSCOPE_SIMD_PIXELS_C 5
#define CONVSCOPE_SIMD_NAME "scalar16"
#define CONVSCOPE_SIMD_TABLE kernels_scalar16
#include "core/engine/simd/kernels.inl"
