#include "core/engine/backend.hpp"

#include <algorithm>

namespace convscope {

// Backends other than the reference register here; each is compiled in by its own folder's CMake option.
#ifdef CONVSCOPE_HAVE_SIMD
Backend& simd_backend();
#endif
#ifdef CONVSCOPE_HAVE_GPU
Backend& gpu_backend();
// The GL renderer's name ("llvmpipe (LLVM 15.0.6, 256 bits), …"), "" when unavailable.
std::string gpu_renderer();
#endif

namespace {

std::vector<Backend*> all_backends() {
    std::vector<Backend*> v{&reference_backend()};
#ifdef CONVSCOPE_HAVE_SIMD
    v.push_back(&simd_backend());
#endif
#ifdef CONVSCOPE_HAVE_GPU
    v.push_back(&gpu_backend());
#endif
    return v;
}

}  // namespace

std::vector<std::string_view> backend_names() {
    std::vector<std::string_view> names;
    for (Backend* b : all_backends()) names.push_back(b->name());
    return names;
}

Result<Backend*> find_backend(std::string_view name) {
    std::string choices;
    for (Backend* b : all_backends()) {
        if (b->name() == name) {
            if (auto s = b->available(); !s) return fail<ErrCode::backend_unavailable>(name, s.err());
            return b;
        }
        choices += (choices.empty() ? "" : ", ") + std::string(b->name());
    }
    return fail<ErrCode::backend_unknown>(name, choices);
}

Backend& fastest_backend(std::optional<Error>* why_not_gpu) {
#ifdef CONVSCOPE_HAVE_GPU
    Error why;
    if (auto s = gpu_backend().available(); !s) {
        why = s.err();
    } else {
        const std::string renderer = gpu_renderer();
        bool software = false;
        for (const char* name : {"llvmpipe", "softpipe", "swrast", "SwiftShader", "Software Rasterizer"})
            software = software || renderer.find(name) != std::string::npos;
        if (!software) return gpu_backend();
        why = fail<ErrCode::gpu_emulated>(renderer);
    }
    if (why_not_gpu) *why_not_gpu = std::move(why);
#else
    if (why_not_gpu) *why_not_gpu = fail<ErrCode::gpu_not_built>();
#endif
    return fastest_cpu_backend();
}

Backend& fastest_cpu_backend() {
#ifdef CONVSCOPE_HAVE_SIMD
    return simd_backend();
#else
    return reference_backend();
#endif
}

}  // namespace convscope
