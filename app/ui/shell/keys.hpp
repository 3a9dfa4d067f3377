// Key presses from GLFW's event queue. ImGui 1.86 reads key *state* once per frame, so a press and release
// inside one frame (a presenter's clicker, a quick tap) would be lost; this callback, chained in front of
// ImGui's, queues every press for the shell and the views (KeyPress, app/ui/view.hpp).
//
//   ImGui_ImplGlfw_InitForOpenGL(window, true);
//   install_key_queue(window, queue);   // after ImGui's callbacks
//   … each frame the shell takes queue.presses and clears them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "app/ui/view.hpp"

struct GLFWwindow;

namespace convscope::ui {

struct KeyQueue {
    std::vector<KeyPress> presses;  // since the shell last took them
    // While false (the default) the stepping keys (arrows, Page Up/Down, Home/End, Space, Enter, Backspace)
    // are kept from ImGui, so they step rather than move ImGui's keyboard focus. Tab turns keyboard
    // navigation on; Escape or a mouse click turns it off (the shell does that).
    bool navigating = false;
    bool text_input = false;  // a text field had the keyboard last frame: ImGui gets every key
    // Keys pressed since the frame began, and releases held back from ImGui until the next frame (a press
    // and release inside one frame would otherwise never reach ImGui's widgets and navigation).
    std::vector<int> pressed_this_frame;
    std::vector<std::array<int, 4>> held_releases;  // key, scancode, action, mods
    // Files dropped on the window since the shell last took them (GLFW's drop callback, installed with the
    // key callback; at most 64 a frame).
    std::vector<std::string> dropped;
};

// Installs the queue on `window` (its GLFW user pointer) for key presses and dropped files; call after
// ImGui_ImplGlfw_InitForOpenGL.
void install_key_queue(GLFWwindow* window, KeyQueue& queue);

// Call after ImGui::Render(), before the next poll: hands ImGui the releases held back this frame (a key
// pressed and released within one frame is seen down for one frame, then up). Never between NewFrame and
// Render: a held Shift released there changes io.KeyShift mid-frame, and Dear ImGui 1.86 aborts ("Mismatching
// io.KeyCtrl/io.KeyShift… vs io.KeyMods") in the next text field or at EndFrame.
void key_queue_frame_ended(GLFWwindow* window, KeyQueue& queue);

// True for the keys the stepper steps with (kept from ImGui unless navigating or typing).
bool is_stepping_key(int glfw_key);

}  // namespace convscope::ui
