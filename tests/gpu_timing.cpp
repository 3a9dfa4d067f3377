// gpu_timing: where the gpu backend's time goes (upload, dispatch, read-back), at 1080p and 12 MP for kernels
// 3, 7 and 11. Not a test: run it by hand, `build/tests/gpu_timing [--quick] [--repeat N] [--only TEXT]`.
// On Mesa's llvmpipe the "GPU" is the CPU, so those figures say nothing about a real GPU.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "core/backend.hpp"
#include "core/gpu/gpu_backend.hpp"
#include "support/testing.hpp"

using namespace convscope;

namespace {

struct Split {
    double upload = 0, dispatch = 0, readback = 0, total = 0;
};

// CPU time of the whole process (llvmpipe's worker threads included), in ms: on a shared machine the wall
// clock mostly measures the other tenants.
double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The first run uploads (fresh data); later runs find the data unchanged, so their upload is the comparison
// only. Reports the first run's upload and the medians of the later runs' dispatch and read-back.
// --only TEXT: run only the measurements whose label contains TEXT.
const char* g_only = "";

template <class Op>
bool measure(gpu::GpuBackend& b, const char* label, int repeat, Op op) {
    if (!std::strstr(label, g_only)) return true;
    std::vector<double> dispatch, readback, total, cpu;
    double first_upload = 0, cached_upload = 0;
    int dispatches = 0;
    bool tiled = false;
    for (int i = 0; i <= repeat; ++i) {
        const double cpu0 = process_cpu_ms();
        auto y = op();
        const double cpu_ms = process_cpu_ms() - cpu0;
        if (!y) {
            std::printf("%-44s error: %s\n", label, y.error().c_str());
            return false;
        }
        const gpu::Timings t = b.last_timings();
        if (i == 0) {
            first_upload = t.upload_ms;
            continue;
        }
        cached_upload = t.upload_ms;
        cpu.push_back(cpu_ms);
        dispatch.push_back(t.dispatch_ms);
        readback.push_back(t.readback_ms);
        total.push_back(t.upload_ms + t.dispatch_ms + t.readback_ms);
        dispatches = t.dispatches;
        tiled = t.tiled;
    }
    std::printf(
        "%-40s upload %7.1f ms (unchanged %5.1f)  dispatch %8.1f ms  read-back %6.1f ms  | process CPU "
        "%8.1f ms  [%d dispatch%s, %s]\n",
        label, first_upload, cached_upload, median(dispatch), median(readback), median(cpu), dispatches,
        dispatches == 1 ? "" : "es", tiled ? "tiled" : "direct");
    std::fflush(stdout);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick"))
            quick = true;
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
            g_only = argv[++i];
        else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
    }
    gpu::GpuBackend& b = gpu::default_backend();
    if (auto s = b.available(); !s) {
        std::printf("gpu unavailable: %s\n", s.error().c_str());
        return 4;
    }
    std::printf("renderer: %s\n", b.renderer().c_str());
    std::printf("(llvmpipe runs the shaders on the CPU: these figures say nothing about a real GPU)\n");

    struct Size {
        const char* name;
        int64_t h, w;
    };
    std::vector<Size> sizes = {{"1080p", 1080, 1920}};
    if (!quick) sizes.push_back({"12 MP", 3000, 4000});
    for (const Size& s : sizes) {
        const Tensor x = testing::random_tensor({1, 3, s.h, s.w}, 1, 0.0f, 1.0f);
        for (int64_t k : {3, 7, 11}) {
            // An image filter: the same k×k kernel on each colour channel (groups = 3), 'same' padding.
            const Tensor w = testing::random_tensor({3, 1, k, k}, 2);
            Conv2dParams p;
            p.groups = 3;
            p.padding = Padding::same();
            const std::string label =
                std::string(s.name) + " RGB conv2d k=" + std::to_string(k) + " depthwise";
            measure(b, label.c_str(), repeat, [&] { return b.conv2d(x, w, nullptr, p); });
        }
        {
            const Tensor w = testing::random_tensor({3, 3, 3, 3}, 3);
            Conv2dParams p;
            p.padding = Padding::same();
            const std::string label = std::string(s.name) + " RGB conv2d k=3 dense 3->3";
            measure(b, label.c_str(), repeat, [&] { return b.conv2d(x, w, nullptr, p); });
        }
        {
            Pool2dParams p;
            p.kernel = Pair{2};
            const std::string label = std::string(s.name) + " RGB max pool 2x2";
            measure(b, label.c_str(), repeat, [&] { return b.pool2d(x, p); });
        }
    }
    return 0;
}
