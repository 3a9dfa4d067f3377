#include "core/engine/gpu/gl_context.hpp"

#include <glad/egl.h>
#include <glad/gl.h>

#include <cstdio>
#include <cstring>
#include <mutex>

namespace convscope::gpu {

struct GlContext::Egl {
    EGLDisplay display = EGL_NO_DISPLAY;
    EGLContext context = EGL_NO_CONTEXT;
};

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
    if (version == 0) return fail("could not load OpenGL functions");
    if (GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version) < 43)
        return fail("OpenGL " + std::to_string(GLAD_VERSION_MAJOR(version)) + "." +
                    std::to_string(GLAD_VERSION_MINOR(version)) +
                    " is below the 4.3 that compute shaders need");
    return {};
}

GLADapiproc external_lookup(void* user, const char* name) {
    auto* f = static_cast<std::function<void*(const char*)>*>(user);
    return reinterpret_cast<GLADapiproc>((*f)(name));
}

// EGL surfaceless: a context with no surface and no window system.
Result<std::unique_ptr<GlContext::Egl>> create_egl() {
    if (gladLoaderLoadEGL(EGL_NO_DISPLAY) == 0) return fail("libEGL.so.1 could not be loaded");
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!has_extension(client, "EGL_MESA_platform_surfaceless"))
        return fail("EGL has no surfaceless platform (EGL_MESA_platform_surfaceless)");
    if (!has_extension(client, "EGL_EXT_platform_base") || !eglGetPlatformDisplayEXT)
        return fail("EGL has no eglGetPlatformDisplayEXT");
    auto egl = std::make_unique<GlContext::Egl>();
    egl->display = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (egl->display == EGL_NO_DISPLAY)
        return fail("no EGL surfaceless display (" + hex(eglGetError()) + ")");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(egl->display, &major, &minor))
        return fail("eglInitialize failed on the surfaceless display (" + hex(eglGetError()) + ")");
    if (gladLoaderLoadEGL(egl->display) == 0) return fail("EGL display functions could not be loaded");
    const char* exts = eglQueryString(egl->display, EGL_EXTENSIONS);
    if (!has_extension(exts, "EGL_KHR_surfaceless_context"))
        return fail("EGL cannot make a context current without a surface (EGL_KHR_surfaceless_context)");
    if (!eglBindAPI(EGL_OPENGL_API)) return fail("EGL does not offer desktop OpenGL");

    EGLConfig config = EGL_NO_CONFIG_KHR;
    if (!has_extension(exts, "EGL_KHR_no_config_context")) {
        const EGLint wanted[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, EGL_DONT_CARE,
                                 EGL_NONE};
        EGLint count = 0;
        if (!eglChooseConfig(egl->display, wanted, &config, 1, &count) || count < 1)
            return fail("EGL has no desktop-OpenGL configuration");
    }
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                 4,
                                 EGL_CONTEXT_MINOR_VERSION,
                                 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                 EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    egl->context = eglCreateContext(egl->display, config, EGL_NO_CONTEXT, attributes);
    if (egl->context == EGL_NO_CONTEXT)
        return fail("EGL could not create an OpenGL 4.3 core context (" + hex(eglGetError()) + ")");
    if (!eglMakeCurrent(egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, egl->context)) {
        eglDestroyContext(egl->display, egl->context);
        return fail("EGL could not make the context current (" + hex(eglGetError()) + ")");
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
    std::string why;
    if (use_egl) {
        auto egl = create_egl();
        if (egl) {
            ctx->m_egl = std::move(*egl);
            ctx->m_description =
                gl_string(GL_RENDERER) + ", OpenGL " + gl_string(GL_VERSION) + " via EGL surfaceless";
            return ctx;
        }
        why = "EGL surfaceless: " + egl.error();
    }
    if (fallback && fallback->make_current && fallback->get_proc_address) {
        ctx->m_external = *fallback;
        const std::string name =
            fallback->description.empty() ? "the fallback context" : fallback->description;
        if (!ctx->m_external.make_current()) {
            why += (why.empty() ? "" : "; ") + name + ": could not be made current";
        } else {
            const int version = gladLoadGLUserPtr(external_lookup, &ctx->m_external.get_proc_address);
            const int v = GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version);
            if (version != 0 && v >= 43) {
                ctx->m_description =
                    gl_string(GL_RENDERER) + ", OpenGL " + gl_string(GL_VERSION) + " via " + name;
                return ctx;
            }
            why += (why.empty() ? "" : "; ") + name + ": " +
                   (version == 0 ? std::string("could not load OpenGL functions")
                                 : "OpenGL " + std::to_string(v / 10) + "." + std::to_string(v % 10) +
                                       " is below 4.3");
            if (ctx->m_external.release) ctx->m_external.release();
            ctx->m_external = {};
        }
    } else {
        why += std::string(why.empty() ? "" : "; ") + "no fallback context was supplied";
    }
    return fail("no OpenGL 4.3 context: " + why);
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
