#include "core/backend.hpp"

#include <algorithm>

namespace convscope {

// Backends other than the reference register here; each is compiled in by its own folder's CMake option.
#ifdef CONVSCOPE_HAVE_SIMD
Backend& simd_backend();
#endif
#ifdef CONVSCOPE_HAVE_GPU
Backend& gpu_backend();
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
            if (auto s = b->available(); !s) return fail("backend " + std::string(name) + " is unavailable: " + s.error());
            return b;
        }
        choices += (choices.empty() ? "" : ", ") + std::string(b->name());
    }
    return fail("unknown backend '" + std::string(name) + "' (choose " + choices + ")");
}

Backend& fastest_cpu_backend() {
#ifdef CONVSCOPE_HAVE_SIMD
    return simd_backend();
#else
    return reference_backend();
#endif
}

}  // namespace convscope
