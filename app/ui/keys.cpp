#include "app/ui/keys.hpp"

#include <GLFW/glfw3.h>

namespace convscope::ui {
namespace {

// ImGui's own key callback, called for every key except the stepping keys while not navigating.
GLFWkeyfun g_imgui_key_callback = nullptr;

void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    auto* queue = static_cast<KeyQueue*>(glfwGetWindowUserPointer(window));
    if (queue && action != GLFW_RELEASE) {
        if (queue->presses.size() < 256) queue->presses.push_back(KeyPress{key, mods});
        if (key == GLFW_KEY_TAB) queue->navigating = true;
    }
    const bool withheld =
        queue && !queue->navigating && !queue->text_input && is_stepping_key(key) && action != GLFW_RELEASE;
    if (g_imgui_key_callback && !withheld) g_imgui_key_callback(window, key, scancode, action, mods);
}

}  // namespace

bool is_stepping_key(int key) {
    switch (key) {
        case GLFW_KEY_LEFT:
        case GLFW_KEY_RIGHT:
        case GLFW_KEY_UP:
        case GLFW_KEY_DOWN:
        case GLFW_KEY_PAGE_UP:
        case GLFW_KEY_PAGE_DOWN:
        case GLFW_KEY_HOME:
        case GLFW_KEY_END:
        case GLFW_KEY_SPACE:
        case GLFW_KEY_ENTER:
        case GLFW_KEY_KP_ENTER:
        case GLFW_KEY_BACKSPACE:
            return true;
        default:
            return false;
    }
}

void install_key_queue(GLFWwindow* window, KeyQueue& queue) {
    glfwSetWindowUserPointer(window, &queue);
    g_imgui_key_callback = glfwSetKeyCallback(window, key_callback);
}

}  // namespace convscope::ui
