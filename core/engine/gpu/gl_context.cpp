#include "core/engine/gpu/gl_context.hpp"

#include <glad/egl.h>
#include <glad/gl.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <type_traits>

namespace convscope::gpu {

struct GlContext::Egl {
    EGLDisplay display = EGL_NO_DISPLAY;
    EGLContext context = EGL_NO_CONTEXT;
};

static_assert(std::is_same_v<EGLint, int32_t>, "egl_context_attributes() hands out EGLints as int32_t");

const int32_t* egl_context_attributes() {
    static constexpr EGLint kAttributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                             4,
                                             EGL_CONTEXT_MINOR_VERSION,
                                             3,
                                             EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                             EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                             EGL_NONE};
    return kAttributes;
}

namespace {

// glad keeps its function pointers in globals; loading from two GL threads at once must not interleave.
std::mutex g_glad_mutex;

std::string hex(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04X", v);
    return buf;
}

bool has_extension(const char* list, const char* name) {
    if (!list) return false;
    const size_t n = std::strlen(name);
    for (const char* p = list; (p = std::strstr(p, name)) != nullptr; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

// Loads GL through `load` and checks the version; the error names what is missing.
Status load_gl(GLADloadfunc load) {
    const int version = gladLoadGL(load);
    if (version == 0) return fail<ErrCode::gl_cannot_load>();
    if (GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version) < 43)
        return fail<ErrCode::gl_version_low>(GLAD_VERSION_MAJOR(version), GLAD_VERSION_MINOR(version));
    return {};
}

GLADapiproc external_lookup(void* user, const char* name) {
    auto* f = static_cast<std::function<void*(const char*)>*>(user);
    return reinterpret_cast<GLADapiproc>((*f)(name));
}

// EGL surfaceless: a context with no surface and no window system.
Result<std::unique_ptr<GlContext::Egl>> create_egl() {
    if (gladLoaderLoadEGL(EGL_NO_DISPLAY) == 0) return fail<ErrCode::egl_no_library>();
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!has_extension(client, "EGL_MESA_platform_surfaceless")) return fail<ErrCode::egl_no_surfaceless>();
    if (!has_extension(client, "EGL_EXT_platform_base") || !eglGetPlatformDisplayEXT)
        return fail<ErrCode::egl_no_platform_display>();
    auto egl = std::make_unique<GlContext::Egl>();
    egl->display = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (egl->display == EGL_NO_DISPLAY) return fail<ErrCode::egl_no_display>(hex(eglGetError()));
    EGLint major = 0, minor = 0;
    if (!eglInitialize(egl->display, &major, &minor))
        return fail<ErrCode::egl_init_failed>(hex(eglGetError()));
    if (gladLoaderLoadEGL(egl->display) == 0) return fail<ErrCode::egl_display_functions>();
    const char* exts = eglQueryString(egl->display, EGL_EXTENSIONS);
    if (!has_extension(exts, "EGL_KHR_surfaceless_context"))
        return fail<ErrCode::egl_no_surfaceless_context>();
    if (!eglBindAPI(EGL_OPENGL_API)) return fail<ErrCode::egl_no_desktop_gl>();

    EGLConfig config = EGL_NO_CONFIG_KHR;
    if (!has_extension(exts, "EGL_KHR_no_config_context")) {
        const EGLint wanted[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, EGL_DONT_CARE,
                                 EGL_NONE};
        EGLint count = 0;
        if (!eglChooseConfig(egl->display, wanted, &config, 1, &count) || count < 1)
            return fail<ErrCode::egl_no_config>();
    }
    egl->context = eglCreateContext(egl->display, config, EGL_NO_CONTEXT, egl_context_attributes());
    if (egl->context == EGL_NO_CONTEXT) return fail<ErrCode::egl_no_context>(hex(eglGetError()));
    if (!eglMakeCurrent(egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, egl->context)) {
        eglDestroyContext(egl->display, egl->context);
        return fail<ErrCode::egl_not_current>(hex(eglGetError()));
    }
    if (auto s = load_gl(reinterpret_cast<GLADloadfunc>(eglGetProcAddress)); !s) {
        eglMakeCurrent(egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(egl->display, egl->context);
        return s.err();
    }
    return egl;
}

std::string gl_string(GLenum name) {
    const GLubyte* s = glGetString(name);
    return s ? reinterpret_cast<const char*>(s) : "?";
}

}  // namespace

Result<std::unique_ptr<GlContext>> GlContext::create(bool use_egl, const ExternalContext* fallback) {
    std::lock_guard lock(g_glad_mutex);
    std::unique_ptr<GlContext> ctx(new GlContext());
    // Why no context could be made: each attempt's reason, joined by "; ".
    std::optional<Error> why;
    const auto add_reason = [&why](Error reason) {
        why = why ? fail<ErrCode::gl_reasons>(std::move(*why), std::move(reason)) : std::move(reason);
    };
    if (use_egl) {
        auto egl = create_egl();
        if (egl) {
            ctx->m_egl = std::move(*egl);
            ctx->m_description =
                gl_string(GL_RENDERER) + ", OpenGL " + gl_string(GL_VERSION) + " via EGL surfaceless";
            return ctx;
        }
        add_reason(fail<ErrCode::gl_via_egl>(egl.err()));
    }
    if (fallback && fallback->make_current && fallback->get_proc_address) {
        ctx->m_external = *fallback;
        const std::string name =
            fallback->description.empty() ? "the fallback context" : fallback->description;
        // The name as the caller gave it (a description of its own context), or our word for it.
        const ErrorArg name_arg = fallback->description.empty()
                                      ? to_error_arg(word<ErrCode::w_fallback_context>())
                                      : to_error_arg(fallback->description);
        if (!ctx->m_external.make_current()) {
            add_reason(fail<ErrCode::gl_not_current>(name_arg));
        } else {
            const int version = gladLoadGLUserPtr(external_lookup, &ctx->m_external.get_proc_address);
            const int v = GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version);
            if (version != 0 && v >= 43) {
                ctx->m_description =
                    gl_string(GL_RENDERER) + ", OpenGL " + gl_string(GL_VERSION) + " via " + name;
                return ctx;
            }
            add_reason(version == 0 ? fail<ErrCode::path_colon>(name_arg, word<ErrCode::gl_cannot_load>())
                                    : fail<ErrCode::gl_fallback_version>(name_arg, v / 10, v % 10));
            if (ctx->m_external.release) ctx->m_external.release();
            ctx->m_external = {};
        }
    } else {
        add_reason(fail<ErrCode::gl_no_fallback>());
    }
    return fail<ErrCode::gl_no_context>(why ? std::move(*why) : fail<ErrCode::gl_no_fallback>());
}

GlContext::~GlContext() {
    if (m_egl) {
        eglMakeCurrent(m_egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(m_egl->display, m_egl->context);
        // The display is shared by every context of the process; eglTerminate would pull it from under
        // others.
    } else if (m_external.release) {
        m_external.release();
    }
}

}  // namespace convscope::gpu
