// The engine: one Backend interface, three implementations (reference, simd, gpu) that all agree with
// PyTorch.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/params.hpp"
#include "core/engine/tensor.hpp"
#include "core/support/result.hpp"

namespace convscope {

class Backend {
public:
    virtual ~Backend() = default;

    // "reference", "simd" or "gpu".
    virtual std::string_view name() const = 0;

    // Ok when the backend can run here; otherwise the reason (e.g. "no OpenGL 4.3 context: …").
    virtual Status available() = 0;

    // True when several threads may run operations at once, each on its own tensors (the CPU backends, whose
    // state is thread-local or read-only). The gpu backend owns one OpenGL context, bound to the thread
    // that made it, so its operations run one at a time on that thread.
    virtual bool concurrent() const { return false; }

    // Conv2d of an NCHW (or unbatched CHW) input with weight O×(C/groups)×kh×kw and optional bias [O].
    virtual Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const Conv2dParams& params) = 0;

    // Max or average pooling of an NCHW (or CHW) input.
    virtual Result<Tensor> pool2d(const Tensor& input, const Pool2dParams& params) = 0;

    // ConvTranspose2d of an NCHW (or CHW) input with weight C×(O/groups)×kh×kw and optional bias [O].
    virtual Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                            const ConvTranspose2dParams& params) = 0;
};

// conv2d with params.flip: rotates the weight 180° once and runs `backend.conv2d` with flip off. Every
// PlannedBackend (core/engine/planned_backend.hpp) does it for every backend.
Result<Tensor> conv2d_flipped(Backend& backend, const Tensor& input, const Tensor& weight, const Tensor* bias,
                              const Conv2dParams& params);

// The textbook backend; always available.
Backend& reference_backend();

// Names of every backend compiled in, fastest last: {"reference", "simd", "gpu"}.
std::vector<std::string_view> backend_names();

// The backend called `name`, or an error naming the choices or saying why it is unavailable here.
Result<Backend*> find_backend(std::string_view name);

// The fastest available CPU backend (simd where built, else reference).
Backend& fastest_cpu_backend();

// The fastest backend here: gpu when it runs on a real GPU, else fastest_cpu_backend(). A GPU emulated on the
// CPU (Mesa's llvmpipe) is slower than simd, so it is not chosen. When gpu is not chosen, `why_not_gpu` (if
// given) receives the reason (coded, for the UI to word in its language); else it is left as it was.
Backend& fastest_backend(std::optional<Error>* why_not_gpu = nullptr);

}  // namespace convscope
