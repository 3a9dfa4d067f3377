// The `gpu` backend: conv2d and pool2d as OpenGL 4.3 compute shaders (shaders/conv2d.comp,
// shaders/pool2d.comp).
//
// Threading: each GpuBackend owns one GL thread holding its own context; every call is marshalled to it, so
// conv2d/pool2d may be called from any thread (one call runs at a time; others wait).
// Context: EGL's surfaceless platform on Mesa (no X server, no window). Where that is missing, an application
// may supply a fallback context (e.g. a hidden GLFW window) through ExternalContext; core never links GLFW.
// Where no OpenGL 4.3 context can be made, available() says why and the caller falls back to a CPU backend:
//
//     auto& gpu = convscope::gpu::default_backend();
//     if (auto s = gpu.available(); !s) use_simd_instead(s.error());
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/engine/backend.hpp"
#include "core/engine/planned_backend.hpp"

namespace convscope::gpu {

// A GL 4.3 core context made by someone else, used when EGL surfaceless is unavailable. With GLFW (windows
// are created on the main thread; glfwMakeContextCurrent works on any thread):
//
//     glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
//     GLFWwindow* hidden = glfwCreateWindow(16, 16, "gpu", nullptr, nullptr);  // 4.3 core hints as usual
//     gpu::set_fallback_context({"a hidden GLFW window",
//                                [hidden] { glfwMakeContextCurrent(hidden); return true; },
//                                [] { glfwMakeContextCurrent(nullptr); },
//                                [](const char* f) { return (void*)glfwGetProcAddress(f); }});
//
// The window must outlive the backend's use of it and must not be current on any other thread.
struct ExternalContext {
    std::string description;             // shown in renderer() and in errors
    std::function<bool()> make_current;  // called on the GL thread; true when the context is current
    std::function<void()> release;       // called on the GL thread when the backend lets go (optional)
    std::function<void*(const char*)> get_proc_address;  // GL function lookup, e.g. glfwGetProcAddress
};

// Where the time of the last conv2d/pool2d went, in milliseconds (wall clock on the GL thread).
struct Timings {
    double upload_ms = 0;    // copying changed inputs into GPU buffers (only the comparison when unchanged)
    double dispatch_ms = 0;  // running the compute shaders, until they finished
    double readback_ms = 0;  // copying the output back
    bool uploaded_input = false;
    bool uploaded_weight = false;
    int dispatches = 0;  // compute dispatches issued (more than one when a tensor exceeds buffer limits)
    bool tiled = false;  // whether the shared-memory tile path ran
    // Same problem and data as the call before: its output was returned again, with no dispatch and no
    // read-back.
    bool reused_output = false;
};

// Whether work groups stage their input tile in shared memory. Auto: yes on hardware, where shared memory is
// on-chip and each input value is read once per group instead of once per tap; no on software rasterizers
// (llvmpipe), where shared memory is ordinary memory and a barrier is a coroutine switch (measured there: the
// direct path needs about half the CPU time). Kernels whose tile exceeds shared memory always go direct.
enum class Tiling { Auto, Always, Never };

struct Options {
    std::string shader_dir;  // read shaders/*.comp from here instead of the embedded copies ("" = embedded)
    std::optional<Error> disabled;  // set: the backend is unavailable with this reason (tests, users)
    bool use_egl = true;            // false: only the external context (tests of the fallback path)
    Tiling tiling = Tiling::Auto;   // tests force each path
    // Return the last output again when nothing changed (see Timings). Off by default so that `--repeat` and
    // the benchmark time the computation, not a copy.
    bool reuse_output = false;
    // > 0: pretend a bound buffer range may span only this many bytes (tests of the chunked passes).
    int64_t storage_limit_bytes = 0;
};

class GpuBackend final : public PlannedBackend {
public:
    // Starts no thread and makes no context yet; the first available()/conv2d/pool2d does.
    explicit GpuBackend(Options options = {});
    // Releases the context and joins the GL thread.
    ~GpuBackend() override;
    GpuBackend(const GpuBackend&) = delete;
    GpuBackend& operator=(const GpuBackend&) = delete;

    // "gpu".
    std::string_view name() const override;
    // Ok once a GL 4.3 context exists; otherwise why not, e.g. "no OpenGL 4.3 context: EGL: … ; no fallback".
    Status available() override;

    // Installs a fallback context; takes effect if no context was made yet or the last attempt failed.
    void set_fallback_context(ExternalContext context);
    // "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6 via EGL surfaceless", or ""
    // when unavailable.
    std::string renderer();
    // Timings of the last successful conv2d/pool2d.
    Timings last_timings();
    // Compiles `source` as a compute shader named `file_name` and links it; the compiler's log as the error.
    // For tests and shader development.
    Status check_shader(std::string_view file_name, std::string_view source);

protected:
    // conv2d, pool2d and conv_transpose2d (PlannedBackend's) give the reference's answers (float32 rounding
    // aside), errors as values; these run a validated plan on the GL thread.
    Result<Tensor> run_conv2d(const ConvPlan& plan, const Tensor& input, const Tensor& weight,
                              const Tensor* bias, const Conv2dParams& params) override;
    Result<Tensor> run_pool2d(const PoolPlan& plan, const Tensor& input, const Pool2dParams& params) override;
    Result<Tensor> run_conv_transpose2d(const ConvTransposePlan& plan, const Tensor& input,
                                        const Tensor& weight, const Tensor* bias,
                                        const ConvTranspose2dParams& params) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The backend registered as "gpu". Environment: CONVSCOPE_GPU_DISABLE=1 makes it unavailable (to exercise the
// fallback), CONVSCOPE_SHADER_DIR reads shaders from that folder. Lives until the process exits.
GpuBackend& default_backend();

// default_backend().set_fallback_context(context): for the app, before its first use of the gpu backend.
void set_fallback_context(ExternalContext context);

}  // namespace convscope::gpu
