// CONVSCOPE_CLONES: a function compiled once per x86-64 level (baseline SSE2, v2 with SSSE3 and SSE4.2, v3
// with AVX2 and FMA, v4 with AVX-512), the loader choosing one for this CPU (ifunc). For plain loops that the
// compiler vectorizes better on each level; kernels written with intrinsics live in core/engine/simd.
// Elsewhere (clang, AArch64) the function is compiled once, for the build's target.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CONVSCOPE_CLONES \
    __attribute__((target_clones("default", "arch=x86-64-v2", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CONVSCOPE_CLONES
#endif
