// The gpu backend on the benchmark's images (single-channel 1920×1080 and 4000×3000, 'same' zero padding, the
// shapes of image/simd/… in conv.bench.cpp) for k = 3, 7, 11, and on a 12 MP RGB photo filtered per channel.
// Counters split each call: upload_ms, dispatch_ms, readback_ms (wall clock on the GL thread) and cpu_ms (the
// process's CPU time, llvmpipe's threads included: on a shared machine the wall clock mostly measures the
// other tenants). Three cases: "fresh" changes the input every run (upload, dispatch, read-back); "recompute"
// changes only the tiny weight (dispatch and read-back; the input stays on the GPU); "cached" changes
// nothing, so the backend returns its last output again (no dispatch, no read-back: the cost of noticing). On
// Mesa's llvmpipe the shaders run on the CPU: those figures say nothing about a real GPU. Registers itself at
// start-up; without a GL context each benchmark reports why it skipped.
#include <benchmark/benchmark.h>

#include <ctime>
#include <random>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/gpu/gpu_backend.hpp"

using namespace convscope;

namespace {

double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

Tensor uniform_tensor(Shape shape, uint32_t seed, float lo, float hi) {
    Tensor t = Tensor::filled(std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float& v : t.data) v = dist(rng);
    return t;
}

// One conv2d problem: channels × h × w input with a k×k kernel per channel (groups = channels), 'same'
// padding.
enum class Change { Nothing, Weight, Input };

void bm_gpu_image(benchmark::State& state, int64_t channels, int64_t h, int64_t w, int64_t k, Change change) {
    gpu::GpuBackend& gpu = gpu::default_backend();
    if (auto s = gpu.available(); !s) {
        state.SkipWithError(("gpu unavailable: " + s.error()).c_str());
        return;
    }
    Tensor x = uniform_tensor({1, channels, h, w}, uint32_t(h + w), 0.0f, 1.0f);
    Tensor weight = uniform_tensor({channels, 1, k, k}, uint32_t(k), -1.0f / float(k), 1.0f / float(k));
    Conv2dParams p;
    p.padding = Padding::same();
    p.groups = channels;
    if (auto warm = gpu.conv2d(x, weight, nullptr, p); !warm) {  // compiles the program, sizes the buffers
        state.SkipWithError(warm.error().c_str());
        return;
    }
    double upload = 0, dispatch = 0, readback = 0, cpu = 0;
    for (auto _ : state) {
        if (change == Change::Input) x.data[0] = -x.data[0];  // any change makes the input upload again
        if (change == Change::Weight) weight.data[0] = -weight.data[0];
        const double cpu0 = process_cpu_ms();
        auto y = gpu.conv2d(x, weight, nullptr, p);
        cpu += process_cpu_ms() - cpu0;
        if (!y) {
            state.SkipWithError(y.error().c_str());
            return;
        }
        benchmark::DoNotOptimize(y->data.data());
        const gpu::Timings t = gpu.last_timings();
        upload += t.upload_ms;
        dispatch += t.dispatch_ms;
        readback += t.readback_ms;
    }
    const double n = double(state.iterations());
    state.counters["upload_ms"] = upload / n;
    state.counters["dispatch_ms"] = dispatch / n;
    state.counters["readback_ms"] = readback / n;
    state.counters["cpu_ms"] = cpu / n;
    if (change != Change::Nothing)  // a reused output computed nothing
        state.counters["FLOPS"] = benchmark::Counter(2.0 * double(k * k) * double(channels * h * w) * n,
                                                     benchmark::Counter::kIsRate);
    state.SetLabel(gpu.renderer());
}

const bool g_registered = [] {
    struct Image {
        const char* name;
        int64_t channels, h, w;
    };
    for (const Image& im : {Image{"1920x1080", 1, 1080, 1920}, Image{"4000x3000", 1, 3000, 4000},
                            Image{"rgb_4000x3000", 3, 3000, 4000}}) {
        for (int64_t k : {3, 7, 11}) {
            for (Change change : {Change::Input, Change::Weight, Change::Nothing}) {
                const char* what = change == Change::Input    ? "/fresh"
                                   : change == Change::Weight ? "/recompute"
                                                              : "/cached";
                const std::string name =
                    std::string("image/gpu/") + im.name + "/k" + std::to_string(k) + what;
                benchmark::RegisterBenchmark(name.c_str(),
                                             [im, k, change](benchmark::State& st) {
                                                 bm_gpu_image(st, im.channels, im.h, im.w, k, change);
                                             })
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime();
            }
        }
    }
    return true;
}();

}  // namespace
