// The FMA-throughput loop for one instruction set (flags and FMA_LANES/FMA_NAME from CMakeLists.txt):
// independent multiply-add chains, enough to cover the FMA latency on every port (2 ports × 4–5 cycles), and
// few enough that they, the multiplier and the addend all stay in registers: 16 of AVX-512's 32, 12 of
// AVX2's 16 (16 chains there spill one to memory every iteration and measured 57 of 97 GFLOP/s on a Zen
// core).
#include <cstdint>

typedef float Vec __attribute__((vector_size(FMA_LANES * sizeof(float))));

constexpr int kChains = FMA_LANES >= 16 ? 16 : 12;

// Runs `iterations` × kChains vector FMAs and returns a value that depends on all of them; `*chains` =
// kChains.
float FMA_NAME(int64_t iterations, float seed, int* chains) {
    *chains = kChains;
    Vec acc[kChains], mul, add;
    for (int i = 0; i < FMA_LANES; ++i) {
        mul[i] = 0.999999f;
        add[i] = seed * 1e-7f;
    }
    for (int j = 0; j < kChains; ++j)
        for (int i = 0; i < FMA_LANES; ++i) acc[j][i] = seed + float(j);
    for (int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
        for (int j = 0; j < kChains; ++j) acc[j] = acc[j] * mul + add;
    }
    float s = 0.0f;
    for (int j = 0; j < kChains; ++j)
        for (int i = 0; i < FMA_LANES; ++i) s += acc[j][i];
    return s;
}
