// The gpu backend's fallback context: where EGL's surfaceless platform is missing but X is there, the backend
// borrows a hidden GLFW window with an OpenGL 4.3 core context.
#pragma once

struct GLFWwindow;

namespace convscope::ui {

// Creates the hidden 4.3 window (on the main thread, as GLFW requires) and offers it to the gpu backend,
// which uses it only if EGL surfaceless fails. Returns the window, or null where no 4.3 context can be made
// (the gpu backend then reports itself unavailable, with the reason, and the app computes on the CPU).
GLFWwindow* offer_gpu_fallback_window();

// True when the gpu backend has made the hidden window's context current on its thread; GLFW must then not
// destroy that window (it is current elsewhere), so the process leaves it to exit.
bool gpu_fallback_in_use();

}  // namespace convscope::ui
