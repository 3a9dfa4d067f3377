#include "app/ui/shell/gpu_fallback.hpp"

#include <GLFW/glfw3.h>

#include <atomic>

#include "core/engine/gpu/gpu_backend.hpp"

namespace convscope::ui {
namespace {

std::atomic<bool> g_in_use{false};

}  // namespace

GLFWwindow* offer_gpu_fallback_window() {
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 4);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWwindow* hidden = glfwCreateWindow(16, 16, "ConvScope gpu", nullptr, nullptr);
    glfwDefaultWindowHints();
    if (!hidden) return nullptr;
    gpu::set_fallback_context({"a hidden GLFW window",
                               [hidden] {
                                   glfwMakeContextCurrent(hidden);
                                   g_in_use = glfwGetCurrentContext() == hidden;
                                   return g_in_use.load();
                               },
                               [] {
                                   glfwMakeContextCurrent(nullptr);
                                   g_in_use = false;
                               },
                               [](const char* f) { return reinterpret_cast<void*>(glfwGetProcAddress(f)); }});
    return hidden;
}

bool gpu_fallback_in_use() {
    return g_in_use;
}

}  // namespace convscope::ui
