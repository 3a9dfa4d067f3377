// The gpu backend (OpenGL 4.3 compute shaders) against the reference backend, on Mesa's llvmpipe through
// EGL's surfaceless platform with no display. Tests tagged [gpu] need a GL context; where none can be made
// they print why and exit with code 4, which CTest reports as skipped (never as passed).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string_view>
#include <thread>

#include <unistd.h>

#ifdef CONVSCOPE_TEST_HAVE_EGL
#include <EGL/egl.h>
#include <EGL/eglext.h>
#endif

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/gpu/gl_context.hpp"
#include "core/engine/gpu/gpu_backend.hpp"
#include "core/io/npy.hpp"
#include "support/operator_testers.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::kLectureFilter;
using convscope::testing::kLectureInput;
using convscope::testing::mismatch;
namespace fs = std::filesystem;

namespace {

// No display server: the context must come from EGL surfaceless. Call before anything touches the backend.
void forget_display() {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
}

// The default gpu backend, or skip this test (exit code 4) saying why it cannot run here.
gpu::GpuBackend& require_gpu() {
    forget_display();
    gpu::GpuBackend& b = gpu::default_backend();
    if (auto s = b.available(); !s) {
        std::cout << "SKIPPED: no OpenGL 4.3 context for the gpu backend: " << s.error() << std::endl;
        std::exit(4);
    }
    return b;
}

// Skips (exit code 4) when `b` has no context.
void require_available(gpu::GpuBackend& b) {
    if (auto s = b.available(); !s) {
        std::cout << "SKIPPED: no OpenGL 4.3 context: " << s.error() << std::endl;
        std::exit(4);
    }
}

// A backend of its own that takes one path (tiled through shared memory, or direct), so that both are checked
// on any machine; `default_backend()` picks one of them per renderer.
struct PathBackend {
    gpu::GpuBackend backend;
    explicit PathBackend(gpu::Tiling tiling) : backend(options(tiling)) {
        forget_display();
        require_available(backend);
    }
    static gpu::Options options(gpu::Tiling tiling) {
        gpu::Options o;
        o.tiling = tiling;
        return o;
    }
};

const char* path_name(gpu::Tiling t) {
    return t == gpu::Tiling::Always ? "tiled path" : "direct path";
}

// Runs one conv2d problem on both backends (support/operator_testers.hpp); "" when they agree (both the
// same error, or outputs within float32 tolerance), else what differs and where. `valid` counts the problems
// that had an answer.
std::string compare_conv(Backend& b, const Shape& xs, const Shape& ws, bool with_bias, const Conv2dParams& p,
                         uint32_t seed, int* valid = nullptr) {
    return testing::ConvTester().input(xs).weight(ws).bias(with_bias).params(p).seed(seed).test(b, valid);
}

std::string compare_pool(Backend& b, const Shape& xs, const Pool2dParams& p, uint32_t seed,
                         int* valid = nullptr) {
    return testing::PoolTester()
        .input(xs)
        .params(p)
        .seed(seed)
        .tolerance(testing::Tolerance::of_value(1e-5f, 1e-5f))
        .test(b, valid);
}

// Sizes below, at and above the shaders' 16-wide, 32-tall output tile.
const int64_t kHeights[] = {1, 2, 5, 8, 17, 31, 32, 33, 47, 70};
const int64_t kWidths[] = {1, 3, 7, 15, 16, 17, 20, 33, 50};

template <class T, size_t N>
T pick(std::mt19937& rng, const T (&values)[N]) {
    return values[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

int64_t uniform(std::mt19937& rng, int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

// A random conv2d problem: every parameter, strides up to beyond the kernel, batched or not.
struct ConvProblem {
    Shape x, w;
    bool bias = false;
    Conv2dParams p;
};

ConvProblem random_conv_problem(std::mt19937& rng) {
    ConvProblem c;
    const int64_t groups = uniform(rng, 1, 3), cpg = uniform(rng, 1, 3), opg = uniform(rng, 1, 5);
    const int64_t n = uniform(rng, 0, 2), h = pick(rng, kHeights), w = pick(rng, kWidths);
    const int64_t kh = uniform(rng, 1, 5), kw = uniform(rng, 1, 5);
    c.x = n == 0 ? Shape{groups * cpg, h, w} : Shape{n, groups * cpg, h, w};
    c.w = {groups * opg, cpg, kh, kw};
    c.bias = uniform(rng, 0, 1) == 1;
    c.p.groups = groups;
    c.p.stride = Pair{uniform(rng, 1, 4), uniform(rng, 1, 4)};
    c.p.dilation = uniform(rng, 0, 2) == 0 ? Pair{uniform(rng, 1, 3), uniform(rng, 1, 3)} : Pair{1};
    c.p.padding_mode = PaddingMode(uniform(rng, 0, 3));
    switch (uniform(rng, 0, 3)) {
        case 0:
            c.p.padding = Padding::same();
            c.p.stride = Pair{1};
            break;
        case 1:
            c.p.padding = Padding::valid();
            break;
        default:
            c.p.padding = Padding(Pair{uniform(rng, 0, 3), uniform(rng, 0, 3)});
    }
    return c;
}

Pool2dParams random_pool_params(std::mt19937& rng) {
    Pool2dParams p;
    p.op = uniform(rng, 0, 1) ? Op::MaxPool : Op::AvgPool;
    p.kernel = Pair{uniform(rng, 1, 5), uniform(rng, 1, 5)};
    p.stride = uniform(rng, 0, 3) == 0 ? Pair{0} : Pair{uniform(rng, 1, 6), uniform(rng, 1, 6)};
    p.padding = Pair{uniform(rng, 0, p.kernel.h / 2), uniform(rng, 0, p.kernel.w / 2)};
    if (p.op == Op::MaxPool && uniform(rng, 0, 2) == 0)
        p.dilation = Pair{uniform(rng, 1, 3), uniform(rng, 1, 3)};
    p.ceil_mode = uniform(rng, 0, 1) == 1;
    p.count_include_pad = uniform(rng, 0, 1) == 1;
    return p;
}

// A scratch folder removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("convscope-gpu-test-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(std::random_device{}()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

}  // namespace

// [SECTION] Parity with the reference

TEST_CASE("gpu conv2d: the lecture's 5x5 example", "[gpu]") {
    Backend& b = require_gpu();
    auto y = b.conv2d(kLectureInput, kLectureFilter, nullptr, {});
    REQUIRE(y);
    CHECK(mismatch(Tensor({1, 1, 3, 3}, {8, 9, 8, 8, 5, 9, 6, 5, 5}), *y, 0, 0) == "");
    // The lecture's CNN: Conv2d(1,5,5) then MaxPool2d(2) on 1x1x28x28.
    const Tensor x = testing::random_tensor({1, 1, 28, 28}, 1);
    const Tensor w = testing::random_tensor({5, 1, 5, 5}, 2);
    const Tensor bias = testing::random_tensor({5}, 3);
    auto conv = b.conv2d(x, w, &bias, {});
    REQUIRE(conv);
    CHECK(conv->shape == Shape{1, 5, 24, 24});
    Pool2dParams pool;
    pool.kernel = Pair{2};
    auto pooled = b.pool2d(*conv, pool);
    REQUIRE(pooled);
    CHECK(pooled->shape == Shape{1, 5, 12, 12});
    CHECK(mismatch(*reference_backend().pool2d(*reference_backend().conv2d(x, w, &bias, {}), pool),
                   *pooled) == "");
}

TEST_CASE("gpu conv2d: parity sweep against the reference (random problems, every parameter)", "[gpu]") {
    const gpu::Tiling tiling = GENERATE(gpu::Tiling::Always, gpu::Tiling::Never);
    INFO(path_name(tiling));
    PathBackend path(tiling);
    Backend& b = path.backend;
    std::mt19937 rng(20261124);
    int valid = 0;
    for (int i = 0; i < 400; ++i) {
        const ConvProblem c = random_conv_problem(rng);
        INFO("problem " << i);
        const std::string diff = compare_conv(b, c.x, c.w, c.bias, c.p, uint32_t(1000 + 3 * i), &valid);
        CHECK(diff == "");
    }
    CHECK(valid >= 250);  // most random problems are valid; the rest must fail with the reference's message
}

TEST_CASE("gpu conv2d: edge cases by name", "[gpu]") {
    const gpu::Tiling tiling = GENERATE(gpu::Tiling::Always, gpu::Tiling::Never);
    INFO(path_name(tiling));
    PathBackend path(tiling);
    Backend& b = path.backend;
    Conv2dParams p;
    SECTION("width_lt_tile, height_lt_tile") {
        CHECK(compare_conv(b, {1, 2, 3, 5}, {3, 2, 3, 3}, true, p, 1) == "");
    }
    SECTION("width_eq_tile, height_eq_tile (16 x 32 outputs)") {
        CHECK(compare_conv(b, {1, 1, 34, 18}, {2, 1, 3, 3}, false, p, 2) == "");
    }
    SECTION("width_gt_tile, height_gt_tile") {
        CHECK(compare_conv(b, {2, 3, 71, 53}, {4, 3, 3, 3}, true, p, 3) == "");
    }
    SECTION("stride_gt_kernel") {
        p.stride = Pair{5, 4};
        CHECK(compare_conv(b, {1, 2, 40, 37}, {2, 2, 2, 3}, true, p, 4) == "");
    }
    SECTION("same padding, even kernel (asymmetric: the extra row and column at the bottom right)") {
        p.padding = Padding::same();
        for (PaddingMode m :
             {PaddingMode::Zeros, PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Circular}) {
            p.padding_mode = m;
            CHECK(compare_conv(b, {1, 2, 9, 12}, {3, 2, 4, 2}, true, p, 5) == "");
        }
    }
    SECTION("valid padding, rectangular dilation") {
        p.padding = Padding::valid();
        p.dilation = Pair{2, 3};
        CHECK(compare_conv(b, {2, 2, 20, 25}, {2, 2, 3, 4}, false, p, 6) == "");
    }
    SECTION("depthwise: groups = channels") {
        p.groups = 6;
        p.padding = Padding(1);
        CHECK(compare_conv(b, {1, 6, 19, 23}, {6, 1, 3, 3}, true, p, 7) == "");
    }
    SECTION("many output channels: blocks of four and a remainder") {
        CHECK(compare_conv(b, {1, 3, 18, 21}, {11, 3, 3, 3}, true, p, 8) == "");
    }
    SECTION("circular padding equal to the input size") {
        p.padding = Padding(Pair{3, 4});
        p.padding_mode = PaddingMode::Circular;
        CHECK(compare_conv(b, {1, 1, 3, 4}, {1, 1, 2, 3}, false, p, 9) == "");
    }
    SECTION("a huge stride on a single output") {
        p.stride = Pair{int64_t(1) << 40};
        CHECK(compare_conv(b, {1, 1, 4, 4}, {1, 1, 3, 3}, false, p, 10) == "");
    }
    SECTION("unbatched C x H x W") {
        CHECK(compare_conv(b, {3, 20, 18}, {2, 3, 5, 5}, true, p, 11) == "");
    }
}

TEST_CASE("gpu conv2d: kernels whose tile exceeds shared memory take the direct path", "[gpu]") {
    PathBackend path(gpu::Tiling::Always);
    gpu::GpuBackend& b = path.backend;
    Conv2dParams p;
    p.dilation = Pair{5, 5};  // a 71×71 window: the tile is (31 + 71) × (15 + 71) floats, over 32 KiB
    p.padding = Padding(Pair{5, 7});
    p.padding_mode = PaddingMode::Reflect;
    CHECK(compare_conv(b, {1, 2, 80, 90}, {3, 2, 15, 15}, true, p, 12) == "");
    CHECK_FALSE(b.last_timings().tiled);
    CHECK(compare_conv(b, {1, 2, 60, 70}, {3, 2, 3, 3}, true, {}, 13) == "");
    CHECK(b.last_timings().tiled);
}

TEST_CASE(
    "gpu pool2d: parity sweep against the reference (max/avg, padding, dilation, ceil_mode, "
    "count_include_pad)",
    "[gpu]") {
    const gpu::Tiling tiling = GENERATE(gpu::Tiling::Always, gpu::Tiling::Never);
    INFO(path_name(tiling));
    PathBackend path(tiling);
    Backend& b = path.backend;
    std::mt19937 rng(7);
    int valid = 0;
    for (int i = 0; i < 400; ++i) {
        const Pool2dParams p = random_pool_params(rng);
        const int64_t n = uniform(rng, 0, 2), c = uniform(rng, 1, 4);
        const int64_t h = pick(rng, kHeights), w = pick(rng, kWidths);
        const Shape xs = n == 0 ? Shape{c, h, w} : Shape{n, c, h, w};
        INFO("problem " << i);
        CHECK(compare_pool(b, xs, p, uint32_t(5000 + i), &valid) == "");
    }
    CHECK(valid >= 250);
}

TEST_CASE("gpu pool2d: NaN propagates through max pooling, -inf stays, large windows take the direct path",
          "[gpu]") {
    const gpu::Tiling tiling = GENERATE(gpu::Tiling::Always, gpu::Tiling::Never);
    INFO(path_name(tiling));
    PathBackend path(tiling);
    gpu::GpuBackend& b = path.backend;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    Tensor x = testing::random_tensor({1, 2, 6, 6}, 21);
    x.at(0, 0, 1, 1) = nan;
    x.at(0, 1, 4, 4) = -inf;
    for (int64_t y = 0; y < 2; ++y)
        for (int64_t xx = 0; xx < 2; ++xx) x.at(0, 1, y, xx) = -inf;
    Pool2dParams p;
    p.kernel = Pair{2};
    for (Op op : {Op::MaxPool, Op::AvgPool}) {
        p.op = op;
        const auto t =
            testing::PoolTester().data(x).params(p).tolerance(testing::Tolerance::of_value(1e-5f, 1e-5f));
        int answered = 0;
        CHECK(t.test(b, &answered) == "");
        CHECK(answered == 1);
    }
    Pool2dParams big;
    big.op = Op::MaxPool;
    big.kernel = Pair{40, 30};
    big.stride = Pair{3, 2};
    big.dilation = Pair{2, 3};
    big.padding = Pair{10, 12};
    big.ceil_mode = true;
    CHECK(compare_pool(b, {1, 1, 150, 140}, big, 22) == "");
    CHECK_FALSE(b.last_timings().tiled);
    CHECK(compare_pool(b, {1, 1, 150, 140}, p, 23) == "");
    CHECK(b.last_timings().tiled == (tiling == gpu::Tiling::Always));
}

TEST_CASE("gpu: tensors larger than one storage-buffer range are split into passes", "[gpu]") {
    forget_display();
    gpu::Options options;
    options.storage_limit_bytes = 4096;  // 1020 floats per bound range once aligned
    gpu::GpuBackend b(options);
    require_available(b);
    Conv2dParams p;
    p.padding = Padding(1);
    CHECK(compare_conv(b, {2, 7, 20, 24}, {5, 7, 3, 3}, true, p, 31) == "");  // 480-float planes: 2 per pass
    CHECK(b.last_timings().dispatches > 1);
    p.groups = 7;
    CHECK(compare_conv(b, {1, 7, 20, 24}, {14, 1, 3, 3}, true, p, 32) == "");
    Pool2dParams pool;
    pool.op = Op::AvgPool;
    pool.kernel = Pair{3};
    pool.stride = Pair{2};
    pool.padding = Pair{1};
    CHECK(compare_pool(b, {3, 5, 20, 24}, pool, 33) == "");
    CHECK(b.last_timings().dispatches > 1);
    // One plane larger than the limit is refused with the reason, not computed wrongly.
    auto big = b.conv2d(testing::random_tensor({1, 1, 40, 40}, 34), testing::random_tensor({1, 1, 1, 1}, 35),
                        nullptr, {});
    REQUIRE_FALSE(big);
    CHECK(big.error().find("storage-buffer limit") != std::string::npos);
}

// [SECTION] Buffers, threads

TEST_CASE("gpu: unchanged data is not uploaded again, and an unchanged problem is not recomputed", "[gpu]") {
    forget_display();
    gpu::Options options;
    options.reuse_output = true;  // off by default, so that --repeat times the computation
    gpu::GpuBackend b(options);
    require_available(b);
    Tensor x = testing::random_tensor({1, 3, 40, 30}, 41);
    Tensor w = testing::random_tensor({2, 3, 3, 3}, 42);
    const Tensor bias = testing::random_tensor({2}, 43);
    Conv2dParams p;
    auto expect = [&] { return *reference_backend().conv2d(x, w, &bias, p); };

    auto first = b.conv2d(x, w, &bias, p);
    REQUIRE(first);
    gpu::Timings t = b.last_timings();
    CHECK(t.uploaded_input);
    CHECK(t.uploaded_weight);
    CHECK_FALSE(t.reused_output);
    CHECK(mismatch(expect(), *first) == "");

    SECTION("the same call again: no upload, no dispatch, no read-back") {
        auto again = b.conv2d(x, w, &bias, p);
        REQUIRE(again);
        t = b.last_timings();
        CHECK_FALSE(t.uploaded_input);
        CHECK_FALSE(t.uploaded_weight);
        CHECK(t.reused_output);
        CHECK(t.dispatches == 0);
        CHECK(mismatch(*first, *again, 0, 0) == "");
    }
    SECTION("other parameters on the same data: recomputed without uploading") {
        p.padding = Padding(1);
        auto padded = b.conv2d(x, w, &bias, p);
        REQUIRE(padded);
        t = b.last_timings();
        CHECK_FALSE(t.uploaded_input);
        CHECK_FALSE(t.reused_output);
        CHECK(mismatch(expect(), *padded) == "");
    }
    SECTION("without the bias: recomputed") {
        auto plain = b.conv2d(x, w, nullptr, p);
        REQUIRE(plain);
        CHECK_FALSE(b.last_timings().reused_output);
        CHECK(mismatch(*reference_backend().conv2d(x, w, nullptr, p), *plain) == "");
    }
    SECTION("a pooling in between: the conv is recomputed from the buffers it left") {
        auto pooled = b.pool2d(x, {});
        REQUIRE(pooled);
        CHECK_FALSE(b.last_timings().uploaded_input);
        CHECK(mismatch(*reference_backend().pool2d(x, {}), *pooled) == "");
        auto conv = b.conv2d(x, w, &bias, p);
        REQUIRE(conv);
        CHECK_FALSE(b.last_timings().reused_output);
        CHECK(mismatch(expect(), *conv) == "");
    }
    SECTION("one input value changed: the input is uploaded again, the weight is not") {
        x.data[17] += 1.0f;
        auto changed = b.conv2d(x, w, &bias, p);
        REQUIRE(changed);
        t = b.last_timings();
        CHECK(t.uploaded_input);
        CHECK_FALSE(t.uploaded_weight);
        CHECK_FALSE(t.reused_output);
        CHECK(mismatch(expect(), *changed) == "");
    }
    SECTION("one weight changed: recomputed") {
        w.data[5] = -w.data[5];
        auto changed = b.conv2d(x, w, &bias, p);
        REQUIRE(changed);
        t = b.last_timings();
        CHECK_FALSE(t.uploaded_input);
        CHECK(t.uploaded_weight);
        CHECK(mismatch(expect(), *changed) == "");
    }
}

TEST_CASE("gpu: callable from several threads at once", "[gpu]") {
    Backend& b = require_gpu();
    std::vector<std::string> diffs(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            Conv2dParams p;
            p.padding = Padding(t);
            for (int i = 0; i < 5 && diffs[size_t(t)].empty(); ++i)
                diffs[size_t(t)] =
                    compare_conv(b, {1, 2, 23, 19 + t}, {3, 2, 3, 3}, true, p, uint32_t(100 * t + i));
        });
    for (auto& th : threads) th.join();
    for (const auto& d : diffs) CHECK(d == "");
}

// [SECTION] Unavailable backends, shader errors

TEST_CASE("gpu: a disabled backend says why, and every call gives that reason") {
    gpu::Options options;
    options.disabled = fail<ErrCode::gpu_disabled_env>("1");
    gpu::GpuBackend b(options);
    auto s = b.available();
    REQUIRE_FALSE(s);
    CHECK(s.error() == "disabled by CONVSCOPE_GPU_DISABLE=1");
    CHECK(render_error(s.err(), ErrorLang::Ko) == "CONVSCOPE_GPU_DISABLE=1(으)로 꺼져 있습니다");
    auto y = b.conv2d(kLectureInput, kLectureFilter, nullptr, {});
    REQUIRE_FALSE(y);
    CHECK(y.error() == "the gpu backend is unavailable: disabled by CONVSCOPE_GPU_DISABLE=1");
    CHECK(b.renderer().empty());
}

TEST_CASE("gpu: without EGL and without a fallback context, available() gives the reason") {
    gpu::Options options;
    options.use_egl = false;
    gpu::GpuBackend b(options);
    auto s = b.available();
    REQUIRE_FALSE(s);
    CHECK(s.error() == "no OpenGL 4.3 context: no fallback context was supplied");
    CHECK(render_error(s.err(), ErrorLang::Ko) ==
          "OpenGL 4.3 컨텍스트가 없습니다: 대체 컨텍스트가 주어지지 않았습니다");
    // A fallback that cannot be made current is named in the reason.
    gpu::ExternalContext broken;
    broken.description = "test window";
    broken.make_current = [] { return false; };
    broken.get_proc_address = [](const char*) -> void* { return nullptr; };
    b.set_fallback_context(broken);
    s = b.available();
    REQUIRE_FALSE(s);
    CHECK(s.error() == "no OpenGL 4.3 context: test window: could not be made current");
    CHECK(render_error(s.err(), ErrorLang::Ko) ==
          "OpenGL 4.3 컨텍스트가 없습니다: test window: 활성화할 수 없습니다");
}

#ifdef CONVSCOPE_TEST_HAVE_EGL
TEST_CASE("gpu: a context supplied through the fallback hook is used when EGL surfaceless is not", "[gpu]") {
    forget_display();
    // Stands in for the app's hidden GLFW window: a context made by someone else, made current by the hook on
    // the backend's GL thread.
    struct Made {
        EGLDisplay display = EGL_NO_DISPLAY;
        EGLContext context = EGL_NO_CONTEXT;
    };
    auto made = std::make_shared<Made>();
    gpu::ExternalContext ext;
    ext.description = "the test's own EGL context";
    ext.make_current = [made] {
        if (made->context == EGL_NO_CONTEXT) {
            made->display =
                eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
            if (made->display == EGL_NO_DISPLAY || !eglInitialize(made->display, nullptr, nullptr))
                return false;
            eglBindAPI(EGL_OPENGL_API);
            // The attributes ConvScope's own context asks for (OpenGL 4.3 core).
            made->context = eglCreateContext(made->display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT,
                                             gpu::egl_context_attributes());
            if (made->context == EGL_NO_CONTEXT) return false;
        }
        return eglMakeCurrent(made->display, EGL_NO_SURFACE, EGL_NO_SURFACE, made->context) == EGL_TRUE;
    };
    ext.release = [made] {
        eglMakeCurrent(made->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(made->display, made->context);
        made->context = EGL_NO_CONTEXT;
    };
    ext.get_proc_address = [](const char* name) { return reinterpret_cast<void*>(eglGetProcAddress(name)); };

    gpu::Options options;
    options.use_egl = false;  // as on a machine without EGL surfaceless
    gpu::GpuBackend b(options);
    REQUIRE_FALSE(b.available());
    b.set_fallback_context(ext);  // after a failed probe: the next call tries again
    if (auto s = b.available(); !s) {
        std::cout << "SKIPPED: the test could not make its own EGL context: " << s.error() << std::endl;
        std::exit(4);
    }
    CHECK(b.renderer().find("via the test's own EGL context") != std::string::npos);
    Conv2dParams p;
    p.padding = Padding(2);
    p.padding_mode = PaddingMode::Circular;
    CHECK(compare_conv(b, {2, 3, 21, 34}, {4, 3, 5, 3}, true, p, 61) == "");
}
#endif

#ifdef CONVSCOPE_TEST_APP_PATH
TEST_CASE("gpu: convscope conv --backend gpu exits 2 with one error line when the gpu is unavailable") {
    TempDir dir;
    REQUIRE(write_npy((dir.path / "x.npy").string(), kLectureInput));
    REQUIRE(write_npy((dir.path / "w.npy").string(), kLectureFilter));
    const fs::path out = dir.path / "y.npy";
    testing::ProcessOptions disabled;
    disabled.env = {"CONVSCOPE_GPU_DISABLE=1"};
    const auto r =
        testing::run_process({CONVSCOPE_TEST_APP_PATH, "conv", (dir.path / "x.npy").string(),
                              (dir.path / "w.npy").string(), "--backend", "gpu", "-o", out.string()},
                             disabled);
    CHECK(r.status == 2);
    CHECK(r.out == "");
    CHECK(r.err == "error: backend gpu is unavailable: disabled by CONVSCOPE_GPU_DISABLE=1\n");
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("gpu: convscope conv and pool --backend gpu write the reference's answer", "[gpu]") {
    require_gpu();
    TempDir dir;
    const Tensor x = testing::random_tensor({2, 3, 30, 41}, 51), w = testing::random_tensor({4, 3, 3, 5}, 52);
    REQUIRE(write_npy((dir.path / "x.npy").string(), x));
    REQUIRE(write_npy((dir.path / "w.npy").string(), w));
    const std::string app = CONVSCOPE_TEST_APP_PATH, in = (dir.path / "x.npy").string();
    const auto conv = testing::run_process({app, "conv", in, (dir.path / "w.npy").string(), "--stride", "2",
                                            "--padding", "1,2", "--padding-mode", "replicate", "--backend",
                                            "gpu", "-o", (dir.path / "y.npy").string()});
    INFO(conv.err);
    REQUIRE(conv.status == 0);
    Conv2dParams p;
    p.stride = Pair{2};
    p.padding = Padding(Pair{1, 2});
    p.padding_mode = PaddingMode::Replicate;
    auto y = read_npy((dir.path / "y.npy").string());
    REQUIRE(y);
    CHECK(mismatch(*reference_backend().conv2d(x, w, nullptr, p), *y) == "");
    const auto pool = testing::run_process({app, "pool", "avg", in, "--kernel", "3", "--stride", "2",
                                            "--padding", "1", "--ceil-mode", "--exclude-pad", "--backend",
                                            "gpu", "-o", (dir.path / "z.npy").string()});
    INFO(pool.err);
    REQUIRE(pool.status == 0);
    Pool2dParams q;
    q.op = Op::AvgPool;
    q.kernel = Pair{3};
    q.stride = Pair{2};
    q.padding = Pair{1};
    q.ceil_mode = true;
    q.count_include_pad = false;
    auto z = read_npy((dir.path / "z.npy").string());
    REQUIRE(z);
    CHECK(mismatch(*reference_backend().pool2d(x, q), *z) == "");
}
#endif

TEST_CASE("gpu: a broken shader gives a readable compile error naming the file and line", "[gpu]") {
    forget_display();
    TempDir dir;
    {
        std::ofstream(dir.path / "conv2d.comp")
            << "#version 430\nlayout(local_size_x = 1) in;\nvoid main() {\n    undeclared_thing = 1.0;\n}\n";
        std::ofstream(dir.path / "pool2d.comp")
            << "#version 430\nlayout(local_size_x = 1) in;\nvoid main() {}\n";
    }
    gpu::Options options;
    options.shader_dir = dir.path.string();
    gpu::GpuBackend b(options);
    require_available(b);
    auto y = b.conv2d(kLectureInput, kLectureFilter, nullptr, {});
    REQUIRE_FALSE(y);
    INFO(y.error());
    CHECK(y.error().rfind("shader conv2d.comp (TILED=", 0) == 0);  // the file and its variant
    CHECK(y.error().find("does not compile: ") != std::string::npos);
    CHECK(y.error().find("undeclared_thing") != std::string::npos);
    CHECK(y.error().find("0:4(") !=
          std::string::npos);                          // the line of the file, despite the injected #defines
    CHECK(y.error().find('\n') == std::string::npos);  // one line, for the command line's `error: …`
    // A missing shader file is named too.
    fs::remove(dir.path / "pool2d.comp");
    auto z = b.pool2d(kLectureInput, {});
    REQUIRE_FALSE(z);
    CHECK(z.error() == "cannot read shader " + (dir.path / "pool2d.comp").string());
    // The direct hook.
    auto s =
        b.check_shader("broken.comp", "#version 430\nlayout(local_size_x = 1) in;\nvoid main() { x = ; }\n");
    REQUIRE_FALSE(s);
    CHECK(s.error().rfind("shader broken.comp does not compile: 0:3(", 0) == 0);
    CHECK(b.check_shader("fine.comp", "#version 430\nlayout(local_size_x = 1) in;\nvoid main() {}\n"));
}

TEST_CASE("gpu: with no display the context comes from EGL surfaceless and names its renderer", "[gpu]") {
    gpu::GpuBackend& b = require_gpu();
    const std::string r = b.renderer();
    std::cout << "gpu renderer: " << r << std::endl;
    CHECK(r.find("OpenGL") != std::string::npos);
    CHECK(r.find("via EGL surfaceless") != std::string::npos);  // no display: it can only have come from EGL
    // That context computes: the lecture's example, exactly.
    auto y = b.conv2d(kLectureInput, kLectureFilter, nullptr, {});
    REQUIRE(y);
    CHECK(mismatch(Tensor({1, 1, 3, 3}, {8, 9, 8, 8, 5, 9, 6, 5, 5}), *y, 0, 0) == "");
}

TEST_CASE("gpu conv2d: sums longer than llvmpipe's 65,535-iteration loop limit are split or refused",
          "[gpu]") {
    gpu::GpuBackend& b = require_gpu();
    const bool software = b.renderer().find("llvmpipe") != std::string::npos ||
                          b.renderer().find("softpipe") != std::string::npos;
    INFO(b.renderer());
    Conv2dParams p;
    p.stride = Pair{150};
    // 3 channels × 150×150 = 67,500 taps per output: on llvmpipe one pass per channel, adding up. Ones keep
    // every sum exact in float32.
    const Tensor x = Tensor::filled({1, 3, 300, 300}, 1.0f);
    const Tensor w = Tensor::filled({2, 3, 150, 150}, 1.0f);
    auto y = b.conv2d(x, w, nullptr, p);
    REQUIRE(y.ok());
    REQUIRE(y->numel() == 8);
    for (float v : y->data) CHECK(v == 67500.0f);
    // One channel of 256×256 = 65,536 taps cannot be split: refused on a software renderer, else exact.
    const Tensor x1 = Tensor::filled({1, 1, 256, 256}, 1.0f);
    const Tensor w1 = Tensor::filled({1, 1, 256, 256}, 1.0f);
    auto y1 = b.conv2d(x1, w1, nullptr, {});
    Pool2dParams avg;
    avg.op = Op::AvgPool;
    avg.kernel = Pair{256};
    auto y2 = b.pool2d(x1, avg);
    if (software) {
        REQUIRE_FALSE(y1.ok());
        CHECK(y1.error().find("65,535") != std::string::npos);
        REQUIRE_FALSE(y2.ok());
    } else {
        REQUIRE(y1.ok());
        CHECK(y1->data[0] == 65536.0f);
        REQUIRE(y2.ok());
        CHECK(y2->data[0] == 1.0f);
    }
}

// [SECTION] conv_transpose2d

TEST_CASE("gpu conv_transpose2d: parity sweep against the reference (random problems, every parameter)",
          "[gpu]") {
    Backend& b = require_gpu();
    std::mt19937 rng(20261202);
    int valid = 0;
    for (int i = 0; i < 300; ++i) {
        const auto t = testing::random_conv_transpose(rng, i % 4 == 3).seed(uint32_t(900 + 3 * i));
        INFO("problem " << i);
        CHECK(t.test(b, &valid) == "");
    }
    CHECK(valid >= 180);
}

TEST_CASE("gpu conv_transpose2d: edge cases by name", "[gpu]") {
    SECTION("the 2x2 -> 5x5 checkerboard, exactly") {
        Backend& b = require_gpu();
        auto y = b.conv_transpose2d(Tensor({1, 1, 2, 2}, {1, 2, 3, 4}),
                                    Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}), nullptr, [] {
                                        ConvTranspose2dParams p;
                                        p.stride = Pair{2};
                                        return p;
                                    }());
        REQUIRE(y);
        CHECK(y->data[12] == 36);
        CHECK(y->data[6] == 5);
    }
    SECTION("more images x output channels than one dispatch's 65,535 work groups") {
        Backend& b = require_gpu();
        CHECK(testing::ConvTransposeTester()
                  .input({1, 1, 1})
                  .weight({1, 70000, 1, 1})
                  .bias()
                  .seed(21)
                  .test(b) == "");
    }
    SECTION("a huge stride over a single input cell") {
        Backend& b = require_gpu();
        CHECK(testing::ConvTransposeTester()
                  .input({1, 2, 1, 1})
                  .weight({2, 3, 3, 2})
                  .stride(Pair{int64_t(1) << 40})
                  .seed(22)
                  .test(b) == "");
    }
    SECTION("buffers larger than one bound range: one image and group at a time") {
        gpu::Options o;
        o.storage_limit_bytes = 4096;
        gpu::GpuBackend small(o);
        forget_display();
        require_available(small);
        CHECK(testing::ConvTransposeTester()
                  .input({2, 4, 8, 8})
                  .weight({4, 2, 3, 3})
                  .bias()
                  .stride(Pair{2})
                  .groups(2)
                  .seed(23)
                  .test(small) == "");
        CHECK(small.last_timings().dispatches >= 4);
        // One group's output over the range: refused with a reason, never a wrong answer.
        ConvTranspose2dParams p;
        p.stride = Pair{2};
        const Tensor x = Tensor::filled({1, 1, 30, 30}, 1.0f), w = Tensor::filled({1, 1, 3, 3}, 1.0f);
        auto y = small.conv_transpose2d(x, w, nullptr, p);
        REQUIRE(!y);
        CHECK(y.error().find("storage-buffer limit") != std::string::npos);
    }
}

TEST_CASE("gpu conv_transpose2d: sums longer than llvmpipe's 65,535-iteration loop limit are split",
          "[gpu]") {
    gpu::GpuBackend& b = require_gpu();
    INFO(b.renderer());
    // 300 channels × a 220×1 kernel over a 220×1 input: about 300 × (220 + 220) = 132,000 loop iterations
    // for a middle output, so several passes of channels on llvmpipe. Ones keep every sum exact:
    // out[oy] = 300 × (the kernel rows that land on oy).
    const Tensor x = Tensor::filled({1, 300, 220, 1}, 1.0f);
    const Tensor w = Tensor::filled({300, 1, 220, 1}, 1.0f);
    auto y = b.conv_transpose2d(x, w, nullptr, {});
    REQUIRE(y.ok());
    REQUIRE(y->shape == Shape{1, 1, 439, 1});
    for (int64_t oy = 0; oy < 439; ++oy) {
        INFO("row " << oy);
        CHECK(y->data[size_t(oy)] == 300.0f * float(std::min<int64_t>({oy + 1, 220, 439 - oy})));
    }
}

TEST_CASE("fastest_backend: why the gpu was passed over is a coded reason, worded in Korean too") {
    std::optional<Error> why;
    const Backend& fastest = fastest_backend(&why);
    if (fastest.name() == std::string_view("gpu")) {
        // A real GPU: chosen, with nothing to explain.
        CHECK_FALSE(why);
        return;
    }
    // Unavailable (its reason from available()) or emulated on the CPU (llvmpipe): either way a code the UI
    // renders in its language, not English prose.
    REQUIRE(why);
    INFO(why->message);
    CHECK(why->code != ErrCode::text);
    CHECK_FALSE(why->message.empty());
    CHECK(render_error(*why, ErrorLang::Ko) != why->message);
    if (gpu::default_backend().available())
        CHECK(why->code == ErrCode::gpu_emulated);
    else
        CHECK(why->message == gpu::default_backend().available().error());
}
