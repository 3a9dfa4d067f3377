// A current OpenGL 4.3 core context on the calling thread: EGL's surfaceless platform (Mesa, no display
// server), else an application-supplied ExternalContext. Create and destroy it on the GL thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/engine/gpu/gpu_backend.hpp"
#include "core/support/result.hpp"

namespace convscope::gpu {

// The attributes of the context ConvScope asks EGL for (OpenGL 4.3, core profile), as eglCreateContext takes
// them: name, value pairs ending with EGL_NONE (EGLint is a 32-bit int). Tests that make their own context
// use the same list.
const int32_t* egl_context_attributes();

class GlContext {
public:
    // Makes a context current on this thread and loads GL through glad; the error says what was tried and why
    // each attempt failed. `fallback` may be null.
    static Result<std::unique_ptr<GlContext>> create(bool use_egl, const ExternalContext* fallback);
    // Releases the context from this thread (and destroys it when it is ours).
    ~GlContext();

    // "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6 via EGL surfaceless".
    const std::string& description() const { return m_description; }

    struct Egl;

private:
    GlContext() = default;
    std::unique_ptr<Egl> m_egl;  // set when the context is EGL's
    ExternalContext m_external;  // used when it is the application's
    std::string m_description;
};

}  // namespace convscope::gpu
