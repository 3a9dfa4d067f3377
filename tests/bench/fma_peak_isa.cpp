// The FMA-throughput loop for one instruction set (flags and FMA_LANES/FMA_NAME from CMakeLists.txt): 16
// independent multiply-add chains, enough to cover the FMA latency on every port.
#include <cstdint>

typedef float Vec __attribute__((vector_size(FMA_LANES * sizeof(float))));

// Runs `iterations` × 16 vector FMAs and returns a value that depends on all of them.
float FMA_NAME(int64_t iterations, float seed) {
    Vec acc[16], mul, add;
    for (int i = 0; i < FMA_LANES; ++i) {
        mul[i] = 0.999999f;
        add[i] = seed * 1e-7f;
    }
    for (int j = 0; j < 16; ++j)
        for (int i = 0; i < FMA_LANES; ++i) acc[j][i] = seed + float(j);
    for (int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
        for (int j = 0; j < 16; ++j) acc[j] = acc[j] * mul + add;
    }
    float s = 0.0f;
    for (int j = 0; j < 16; ++j)
        for (int i = 0; i < FMA_LANES; ++i) s += acc[j][i];
    return s;
}
