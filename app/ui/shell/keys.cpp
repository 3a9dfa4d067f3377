#include "app/ui/shell/keys.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>

namespace convscope::ui {
namespace {

// ImGui's own key callback, called for every key except the stepping keys while not navigating.
GLFWkeyfun g_imgui_key_callback = nullptr;

void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    auto* queue = static_cast<KeyQueue*>(glfwGetWindowUserPointer(window));
    // The first Tab only starts keyboard navigation (ImGui's own Tab would jump into a slider's text field);
    // from then on the arrows move ImGui's focus ring and Tab goes to ImGui.
    bool starts_navigation = false;
    if (queue && action != GLFW_RELEASE) {
        if (queue->presses.size() < 256) queue->presses.push_back(KeyPress{key, mods});
        if (key == GLFW_KEY_TAB && !queue->navigating && !queue->text_input) {
            queue->navigating = true;
            starts_navigation = true;
        }
    }
    const bool withheld = starts_navigation || (queue && !queue->navigating && !queue->text_input &&
                                                is_stepping_key(key) && action != GLFW_RELEASE);
    if (queue && action == GLFW_PRESS && !withheld) queue->pressed_this_frame.push_back(key);
    if (queue && action == GLFW_RELEASE) {
        const auto& p = queue->pressed_this_frame;
        if (std::find(p.begin(), p.end(), key) != p.end()) {
            if (queue->held_releases.size() < 256)
                queue->held_releases.push_back({key, scancode, action, mods});
            return;
        }
    }
    if (g_imgui_key_callback && !withheld) g_imgui_key_callback(window, key, scancode, action, mods);
}

// GLFW reports drops on the main thread during event polling; the shell takes them on its next frame.
void drop_callback(GLFWwindow* window, int count, const char** paths) {
    auto* queue = static_cast<KeyQueue*>(glfwGetWindowUserPointer(window));
    if (!queue) return;
    for (int i = 0; i < count && queue->dropped.size() < 64; ++i) queue->dropped.emplace_back(paths[i]);
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

void key_queue_frame_ended(GLFWwindow* window, KeyQueue& queue) {
    queue.pressed_this_frame.clear();
    const auto held = std::move(queue.held_releases);
    queue.held_releases.clear();
    for (const auto& r : held)
        if (g_imgui_key_callback) g_imgui_key_callback(window, r[0], r[1], r[2], r[3]);
}

void install_key_queue(GLFWwindow* window, KeyQueue& queue) {
    glfwSetWindowUserPointer(window, &queue);
    g_imgui_key_callback = glfwSetKeyCallback(window, key_callback);
    glfwSetDropCallback(window, drop_callback);
}

}  // namespace convscope::ui
