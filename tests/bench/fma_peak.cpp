// The machine's single-precision FMA peak, measured: one thread and every thread running independent FMA
// chains (fma_peak_isa.cpp) on the widest vectors the CPU has. Reported as FLOP/s (an FMA counts 2).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <thread>

#if defined(CONVSCOPE_BENCH_X86)
float fma_peak_avx512(int64_t iterations, float seed, int* chains);
float fma_peak_avx2(int64_t iterations, float seed, int* chains);

namespace {

void fma_peak(benchmark::State& state, bool avx512) {
    const int64_t iterations = 1 << 20;
    const int lanes = avx512 ? 16 : 8;
    float sink = 0.0f;
    int chains = 0;
    for (auto _ : state) {
        sink += avx512 ? fma_peak_avx512(iterations, 1.0f + sink * 0.0f, &chains)
                       : fma_peak_avx2(iterations, 1.0f, &chains);
        benchmark::DoNotOptimize(sink);
    }
    const double flops = 2.0 * double(chains) * lanes * double(iterations) * double(state.iterations());
    state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsRate);
}

}  // namespace
#endif

// Registers the peak benchmarks for the instruction sets this CPU runs.
void register_fma_peak() {
#if defined(CONVSCOPE_BENCH_X86)
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool avx512 = avx2 && __builtin_cpu_supports("avx512f");
    for (bool wide : {true, false}) {
        if (wide ? !avx512 : !avx2) continue;
        const std::string name = std::string("fma_peak/") + (wide ? "avx512" : "avx2");
        benchmark::RegisterBenchmark(name.c_str(), [wide](benchmark::State& s) { fma_peak(s, wide); })
            ->ThreadRange(1, int(std::thread::hardware_concurrency()))
            ->UseRealTime();
    }
#endif
}
