// The simd backend side by side with cv::filter2D and the reference backend, on the same data in one run:
// single-channel float32 images (1920×1080, 4000×3000) with k = 3 … 15 and zero padding, 'same' output
// (cv::BORDER_CONSTANT with the centred anchor is the same correlation; checked once at start-up), 3-channel
// 12 MP photos (ours C×H×W with groups = 3, the image lab's colour mode, against filter2D on the H×W×3 image,
// as each is used), the copy bound of each image size (memcpy of its floats), and the CNN layer shapes of the
// lecture and of typical networks (the stem, depthwise and strided layers too), in FLOP/s (a multiply-add
// counts 2). PyTorch's side of the layers is timed by scripts/bench_peers.py in the same bench.sh run.
// scripts/bench.sh runs it and turns the timings into ratios (scripts/bench_table.py).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/simd/simd.hpp"

using namespace convscope;

void register_fma_peak();

namespace {

struct Size2 {
    int64_t w, h;
};
const Size2 kImages[] = {{1920, 1080}, {4000, 3000}};
const int kKernels[] = {3, 5, 7, 11, 15};
const Size2 kColourImage{4000, 3000};
const int kColourKernels[] = {3, 7, 15};

// The same names and shapes are in scripts/bench_peers.py (PyTorch's side).
struct Layer {
    const char* name;
    int64_t c, o, k, h, w, pad, stride, groups;
};
const Layer kLayers[] = {{"1to5_k5_28x28", 1, 5, 5, 28, 28, 0, 1, 1},
                         {"3to8_k3_256x256", 3, 8, 3, 256, 256, 1, 1, 1},
                         {"16to16_k3_256x256", 16, 16, 3, 256, 256, 1, 1, 1},
                         {"64to64_k3_128x128", 64, 64, 3, 128, 128, 1, 1, 1},
                         {"stem_3to64_k7s2_224x224", 3, 64, 7, 224, 224, 3, 2, 1},
                         {"dw32_k3_112x112", 32, 32, 3, 112, 112, 1, 1, 32},
                         {"128to128_k3s2_56x56", 128, 128, 3, 56, 56, 1, 2, 1}};

Tensor random_tensor(Shape shape, uint32_t seed, float lo, float hi) {
    Tensor t = Tensor::filled(std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float& v : t.data) v = dist(rng);
    return t;
}

// One image problem: input, kernel, plan, output buffers, and the same data as OpenCV matrices (no copy).
struct ImageCase {
    Tensor x, w;
    ConvPlan plan;
    std::vector<float> out;
    cv::Mat src, kernel, dst;
};

bool g_quick = false;  // --quick: every-thread runs only, no reference

ImageCase& image_case(Size2 s, int k) {
    static std::map<std::pair<int64_t, int>, ImageCase> cases;
    auto key = std::make_pair(s.w * 100000 + s.h, k);
    auto it = cases.find(key);
    if (it != cases.end()) return it->second;
    ImageCase& c = cases[key];
    c.x = random_tensor({1, 1, s.h, s.w}, uint32_t(s.w + s.h), 0.0f, 1.0f);
    c.w = random_tensor({1, 1, k, k}, uint32_t(k), -1.0f / float(k), 1.0f / float(k));
    Conv2dParams p;
    p.padding = Padding::same();
    c.plan = *plan_conv2d(c.x.shape, c.w.shape, nullptr, p);
    c.out.assign(size_t(s.w * s.h), 0.0f);
    c.src = cv::Mat(int(s.h), int(s.w), CV_32F, c.x.data.data());
    c.kernel = cv::Mat(k, k, CV_32F, c.w.data.data());
    c.dst = cv::Mat(int(s.h), int(s.w), CV_32F);
    return c;
}

void run_opencv(ImageCase& c) {
    cv::filter2D(c.src, c.dst, CV_32F, c.kernel, cv::Point(-1, -1), 0.0, cv::BORDER_CONSTANT);
}

void set_flops(benchmark::State& state, double flops_per_run) {
    state.counters["FLOPS"] =
        benchmark::Counter(flops_per_run * double(state.iterations()), benchmark::Counter::kIsRate);
}

// impl: "simd" (every thread), "simd_1t", "opencv" (OpenCV's default threads), "opencv_1t", "reference".
void bm_image(benchmark::State& state, Size2 s, int k, std::string impl) {
    ImageCase& c = image_case(s, k);
    simd::set_max_threads(impl == "simd_1t" ? 1 : 0);
    if (impl == "opencv_1t") cv::setNumThreads(1);
    for (auto _ : state) {
        if (impl == "simd" || impl == "simd_1t") {
            simd::conv2d_into(c.plan, c.x.data.data(), c.w.data.data(), nullptr, c.out.data());
            benchmark::DoNotOptimize(c.out.data());
        } else if (impl == "reference") {
            auto y = reference_backend().conv2d(c.x, c.w, nullptr, Conv2dParams{Pair{1}, Padding::same()});
            benchmark::DoNotOptimize(y);
        } else {
            run_opencv(c);
            benchmark::DoNotOptimize(c.dst.data);
        }
    }
    simd::set_max_threads(0);
    cv::setNumThreads(-1);
    set_flops(state, 2.0 * double(k * k) * double(s.w * s.h));
}

// A 3-channel photo: ours 1×3×H×W with groups = 3 (one k×k kernel per channel), OpenCV's H×W×3 CV_32FC3 with
// the same kernel for every channel (the weights of our three channels are equal, so both compute the same).
struct ColourCase {
    Tensor x, w;
    ConvPlan plan;
    std::vector<float> out;
    cv::Mat src, kernel, dst;
};

ColourCase& colour_case(Size2 s, int k) {
    static std::map<int, ColourCase> cases;
    auto it = cases.find(k);
    if (it != cases.end()) return it->second;
    ColourCase& c = cases[k];
    c.x = random_tensor({1, 3, s.h, s.w}, uint32_t(s.w + s.h + 3), 0.0f, 1.0f);
    const Tensor one = random_tensor({1, 1, k, k}, uint32_t(k), -1.0f / float(k), 1.0f / float(k));
    c.w = Tensor::filled({3, 1, k, k});
    for (int ch = 0; ch < 3; ++ch) std::copy(one.data.begin(), one.data.end(), c.w.data.begin() + ch * k * k);
    Conv2dParams p;
    p.padding = Padding::same();
    p.groups = 3;
    c.plan = *plan_conv2d(c.x.shape, c.w.shape, nullptr, p);
    c.out.assign(c.x.data.size(), 0.0f);
    c.src = cv::Mat(int(s.h), int(s.w), CV_32FC3);
    for (int64_t y = 0; y < s.h; ++y) {
        float* row = c.src.ptr<float>(int(y));
        for (int64_t x = 0; x < s.w; ++x)
            for (int ch = 0; ch < 3; ++ch) row[x * 3 + ch] = c.x.data[size_t((ch * s.h + y) * s.w + x)];
    }
    c.kernel = cv::Mat(k, k, CV_32F);
    std::copy(one.data.begin(), one.data.end(), c.kernel.ptr<float>(0));
    c.dst = cv::Mat(int(s.h), int(s.w), CV_32FC3);
    return c;
}

void run_opencv(ColourCase& c) {
    cv::filter2D(c.src, c.dst, CV_32F, c.kernel, cv::Point(-1, -1), 0.0, cv::BORDER_CONSTANT);
}

// impl: "simd" (every thread) or "opencv" (OpenCV's default threads).
void bm_colour(benchmark::State& state, int k, std::string impl) {
    ColourCase& c = colour_case(kColourImage, k);
    for (auto _ : state) {
        if (impl == "simd") {
            simd::conv2d_into(c.plan, c.x.data.data(), c.w.data.data(), nullptr, c.out.data());
            benchmark::DoNotOptimize(c.out.data());
        } else {
            run_opencv(c);
            benchmark::DoNotOptimize(c.dst.data);
        }
    }
    set_flops(state, 2.0 * double(k * k) * double(c.x.data.size()));
}

// The copy bound: one memcpy of `floats` floats into another buffer, what a filter must at least read and
// write.
void bm_copy(benchmark::State& state, int64_t floats) {
    std::vector<float> a(size_t(floats), 1.0f), b(size_t(floats), 0.0f);
    for (auto _ : state) {
        std::memcpy(b.data(), a.data(), size_t(floats) * sizeof(float));
        benchmark::DoNotOptimize(b.data());
        benchmark::ClobberMemory();
    }
}

struct LayerCase {
    Tensor x, w, b;
    ConvPlan plan;
    Conv2dParams p;
    std::vector<float> out;
};

LayerCase& layer_case(const Layer& l) {
    static std::map<std::string, LayerCase> cases;
    auto it = cases.find(l.name);
    if (it != cases.end()) return it->second;
    LayerCase& c = cases[l.name];
    c.b = random_tensor({l.o}, 3, -0.1f, 0.1f);
    c.x = random_tensor({1, l.c, l.h, l.w}, 1, -1.0f, 1.0f);
    c.w = random_tensor({l.o, l.c / l.groups, l.k, l.k}, 2, -0.2f, 0.2f);
    c.p.padding = Padding(l.pad);
    c.p.stride = Pair{l.stride};
    c.p.groups = l.groups;
    c.plan = *plan_conv2d(c.x.shape, c.w.shape, &c.b.shape, c.p);
    c.out.assign(size_t(c.plan.o * c.plan.oh * c.plan.ow), 0.0f);
    return c;
}

void bm_layer(benchmark::State& state, const Layer& l, std::string impl) {
    LayerCase& c = layer_case(l);
    simd::set_max_threads(impl == "simd_1t" ? 1 : 0);
    for (auto _ : state) {
        if (impl == "reference") {
            auto y = reference_backend().conv2d(c.x, c.w, &c.b, c.p);
            benchmark::DoNotOptimize(y);
        } else {
            simd::conv2d_into(c.plan, c.x.data.data(), c.w.data.data(), c.b.data.data(), c.out.data());
            benchmark::DoNotOptimize(c.out.data());
        }
    }
    simd::set_max_threads(0);
    set_flops(state, 2.0 * double(c.plan.o * c.plan.oh * c.plan.ow) * double(l.c / l.groups * l.k * l.k));
}

// simd and cv::filter2D must give the same numbers on every benchmarked image problem, else the comparison
// would not be like for like.
bool check_same_numbers() {
    bool ok = true;
    for (Size2 s : kImages) {
        for (int k : kKernels) {
            ImageCase& c = image_case(s, k);
            simd::conv2d_into(c.plan, c.x.data.data(), c.w.data.data(), nullptr, c.out.data());
            run_opencv(c);
            double worst = 0.0;
            for (int64_t y = 0; y < s.h; ++y) {
                const float* a = c.out.data() + y * s.w;
                const float* b = c.dst.ptr<float>(int(y));
                for (int64_t x = 0; x < s.w; ++x) worst = std::max(worst, double(std::fabs(a[x] - b[x])));
            }
            const bool same = worst <= 1e-5;  // outputs are O(1); float rounding differs, nothing else
            std::printf("check %lldx%lld k%d: simd vs cv::filter2D(BORDER_CONSTANT) max |diff| = %.3g %s\n",
                        (long long)s.w, (long long)s.h, k, worst, same ? "(same numbers)" : "(DIFFERENT)");
            ok = ok && same;
        }
    }
    {
        ColourCase& c = colour_case(kColourImage, 3);
        simd::conv2d_into(c.plan, c.x.data.data(), c.w.data.data(), nullptr, c.out.data());
        run_opencv(c);
        const int64_t h = kColourImage.h, w = kColourImage.w;
        double worst = 0.0;
        for (int64_t y = 0; y < h; ++y) {
            const float* b = c.dst.ptr<float>(int(y));
            for (int64_t x = 0; x < w; ++x)
                for (int ch = 0; ch < 3; ++ch)
                    worst = std::max(worst,
                                     double(std::fabs(c.out[size_t((ch * h + y) * w + x)] - b[x * 3 + ch])));
        }
        const bool same = worst <= 1e-5;
        std::printf("check colour %lldx%lld k3: simd CHW groups=3 vs cv::filter2D HWC max |diff| = %.3g %s\n",
                    (long long)w, (long long)h, worst, same ? "(same numbers)" : "(DIFFERENT)");
        ok = ok && same;
    }
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    // Ours, before Google Benchmark sees the arguments: --quick (every-thread runs only, no reference) and
    // --isa=NAME (the simd backend's instruction set, e.g. avx2 on an AVX-512 machine; default: the best).
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            g_quick = true;
        } else if (arg.rfind("--isa=", 0) == 0) {
            if (const Status st = simd::force_isa(arg.substr(6)); !st) {
                std::fprintf(stderr, "error: %s\n", st.error().c_str());
                return 2;
            }
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("simd_isa", std::string(simd::active_isa()));
    benchmark::AddCustomContext("opencv",
                                cv::getVersionString() + ", threads " + std::to_string(cv::getNumThreads()));
    if (!check_same_numbers()) return 1;
    register_fma_peak();
    for (Size2 s : kImages) {
        for (int k : kKernels) {
            for (const char* impl : {"simd", "simd_1t", "opencv", "opencv_1t", "reference"}) {
                if (g_quick && std::string(impl) != "simd" && std::string(impl) != "opencv") continue;
                const std::string name = std::string("image/") + impl + "/" + std::to_string(s.w) + "x" +
                                         std::to_string(s.h) + "/k" + std::to_string(k);
                auto* b = benchmark::RegisterBenchmark(
                    name.c_str(), [s, k, impl](benchmark::State& st) { bm_image(st, s, k, impl); });
                b->Unit(benchmark::kMillisecond)->UseRealTime();
                if (std::string(impl) == "reference") b->Iterations(1);
                // CPU time of every thread: compared with simd_1t it shows what threading costs.
                if (std::string(impl) == "simd") b->MeasureProcessCPUTime();
            }
        }
    }
    for (int k : kColourKernels) {
        for (const char* impl : {"simd", "opencv"}) {
            const std::string name = std::string("colour/") + impl + "/" + std::to_string(kColourImage.w) +
                                     "x" + std::to_string(kColourImage.h) + "/k" + std::to_string(k);
            benchmark::RegisterBenchmark(name.c_str(),
                                         [k, impl](benchmark::State& st) { bm_colour(st, k, impl); })
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
        }
    }
    for (Size2 s : kImages) {
        for (int64_t ch : {1, 3}) {
            if (ch == 3 && (s.w != kColourImage.w || s.h != kColourImage.h)) continue;
            const int64_t floats = s.w * s.h * ch;
            const std::string name =
                "copy/" + std::to_string(s.w) + "x" + std::to_string(s.h) + "x" + std::to_string(ch);
            benchmark::RegisterBenchmark(name.c_str(),
                                         [floats](benchmark::State& st) { bm_copy(st, floats); })
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
        }
    }
    for (const Layer& l : kLayers) {
        for (const char* impl : {"simd", "simd_1t", "reference"}) {
            if (g_quick && std::string(impl) != "simd") continue;
            const std::string name = std::string("layer/") + impl + "/" + l.name;
            auto* b = benchmark::RegisterBenchmark(
                name.c_str(), [&l, impl](benchmark::State& st) { bm_layer(st, l, impl); });
            b->Unit(benchmark::kMillisecond)->UseRealTime();
            if (std::string(impl) == "reference" && l.c > 1) b->Iterations(1);
            if (std::string(impl) == "simd") b->MeasureProcessCPUTime();
        }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
