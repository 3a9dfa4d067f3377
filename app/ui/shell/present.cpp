// Presenting: full screen (F11), presentation mode (F5), the blank screen (B / W), every key the shell
// takes from the KeyQueue, and the key help (F1 or ?).
#include "app/ui/shell/shell.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

// The monitor that holds most of the window (full screen goes there), else the primary one.
GLFWmonitor* current_monitor(GLFWwindow* window) {
    int wx = 0, wy = 0, ww = 0, wh = 0;
    glfwGetWindowPos(window, &wx, &wy);
    glfwGetWindowSize(window, &ww, &wh);
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* best = glfwGetPrimaryMonitor();
    long best_area = -1;
    for (int i = 0; i < count; ++i) {
        int mx = 0, my = 0;
        glfwGetMonitorPos(monitors[i], &mx, &my);
        const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]);
        if (!mode) continue;
        const long ox = std::max(0, std::min(wx + ww, mx + mode->width) - std::max(wx, mx));
        const long oy = std::max(0, std::min(wy + wh, my + mode->height) - std::max(wy, my));
        if (ox * oy > best_area) best_area = ox * oy, best = monitors[i];
    }
    return best;
}

// The UI scale for a first start on `monitor`: at least its content scale, and large enough that the UI
// text is at least 1/60 of its height (18 px at 1080, 36 px at 2160), in quarter steps.
float scale_for_monitor(GLFWmonitor* monitor) {
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return 1.0f;
    float cx = 1.0f, cy = 1.0f;
    glfwGetMonitorContentScale(monitor, &cx, &cy);
    const float wanted = std::max(cy, float(mode->height) / 60.0f / kUiFontPx);
    return std::clamp(std::ceil(wanted * 4.0f - 0.01f) / 4.0f, kMinScale, kMaxScale);
}

void Shell::attach(GLFWwindow* window, KeyQueue* keys) {
    m_window = window;
    m_keys = keys;
    if (!scripted() && m_options.scale == 0.0f && !m_settings.scale_chosen) {
        m_settings.scale = scale_for_monitor(current_monitor(window));
        m_settings.scale_chosen = true;
    }
    if (m_options.present_in_window)
        m_present = true;  // handouts: the presented layout at the window's size
    else if (m_options.present)
        set_present(true);
    else if (m_options.fullscreen)
        set_fullscreen(true);
}

bool Shell::windowed_geometry(int& x, int& y, int& w, int& h) const {
    if (!m_fullscreen) return false;
    x = m_windowed[0], y = m_windowed[1], w = m_windowed[2], h = m_windowed[3];
    return true;
}

void Shell::set_fullscreen(bool on) {
    if (!m_window || on == m_fullscreen) return;
    if (on) {
        GLFWmonitor* monitor = current_monitor(m_window);
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;
        glfwGetWindowPos(m_window, &m_windowed[0], &m_windowed[1]);
        glfwGetWindowSize(m_window, &m_windowed[2], &m_windowed[3]);
        m_full_w = mode->width;
        m_full_h = mode->height;
        glfwSetWindowMonitor(m_window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(m_window, nullptr, m_windowed[0], m_windowed[1], m_windowed[2], m_windowed[3],
                             0);
    }
    m_fullscreen = on;
}

void Shell::set_present(bool on) {
    if (on == m_present) return;
    if (on) m_full_before_present = m_fullscreen;
    set_fullscreen(on || m_full_before_present);
    m_present = on;
    m_blank = Blank::None;
    m_select_current = true;  // the tab bar comes back on the view that was presented
}

// Takes this frame's presses from the queue: the shell's own keys here, the rest for the current view.
void Shell::handle_keys() {
    std::vector<KeyPress> presses;
    const ImGuiIO& io = ImGui::GetIO();
    if (m_keys) {
        presses.swap(m_keys->presses);
        m_keys->text_input = io.WantTextInput;
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) || ImGui::IsMouseClicked(ImGuiMouseButton_Right))
            m_keys->navigating = false;
    }
    m_view_keys.clear();
    m_modal_enter = false;
    // A question or dialog is up: its keys are its own (Enter answers it: the stepping keys never reach
    // ImGui outside a text field), and nothing reaches the view behind it.
    if (ImGui::GetTopMostPopupModal() != nullptr) {
        for (const KeyPress& k : presses)
            if (k.key == GLFW_KEY_ENTER || k.key == GLFW_KEY_KP_ENTER) m_modal_enter = true;
        return;
    }
    for (const KeyPress& k : presses) {
        const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
        if (ctrl) {
            if (k.key == GLFW_KEY_EQUAL || k.key == GLFW_KEY_KP_ADD) set_scale(m_settings.scale + 0.25f);
            if (k.key == GLFW_KEY_MINUS || k.key == GLFW_KEY_KP_SUBTRACT) set_scale(m_settings.scale - 0.25f);
            if (k.key == GLFW_KEY_0 || k.key == GLFW_KEY_KP_0) set_scale(1.0f);
            if (k.key == GLFW_KEY_Q) m_quit_requested = true;
            if (!io.WantTextInput) {  // a text field undoes its own typing
                if (k.key == GLFW_KEY_Z && !shift) m_views[m_current]->undo();
                if ((k.key == GLFW_KEY_Z && shift) || k.key == GLFW_KEY_Y) m_views[m_current]->redo();
            }
            if (k.key == GLFW_KEY_S && !shift) save_document();
            if (k.key == GLFW_KEY_S && shift) {
                if (!m_lesson) save_document();
                m_popup = Popup::SaveAs;
            }
            if (k.key == GLFW_KEY_O) m_popup = Popup::Open;
            if (k.key == GLFW_KEY_N) new_lesson();
            if (k.key == GLFW_KEY_E && !shift) export_frame();
            if (k.key == GLFW_KEY_E && shift) export_animation();
            if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && size_t(k.key - GLFW_KEY_1) < m_views.size()) {
                m_current = size_t(k.key - GLFW_KEY_1);
                m_select_current = true;
            }
            continue;
        }
        if (io.WantTextInput) continue;  // a text field has these keys
        // Navigating with the keyboard (after Tab): the arrows, Space and Enter move ImGui's focus, not the
        // stepper.
        if (m_keys && m_keys->navigating && is_stepping_key(k.key)) continue;
        const bool black = k.key == GLFW_KEY_B || k.key == GLFW_KEY_PERIOD;
        const bool white = k.key == GLFW_KEY_W || k.key == GLFW_KEY_COMMA;
        // Blanked: the same key, a step key or Escape brings back the exact step; nothing else happens.
        if (m_blank != Blank::None) {
            if (k.key == m_blank_key || black || white || is_stepping_key(k.key) || k.key == GLFW_KEY_N ||
                k.key == GLFW_KEY_P || k.key == GLFW_KEY_ESCAPE)
                m_blank = Blank::None;
            continue;
        }
        if (black || white) {
            m_blank = black ? Blank::Black : Blank::White;
            m_blank_key = k.key;
        } else if (k.key == GLFW_KEY_F5) {
            set_present(!m_present);
        } else if (k.key == GLFW_KEY_F11) {
            if (m_present)
                set_present(false);
            else
                set_fullscreen(!m_fullscreen);
        } else if (k.key == GLFW_KEY_F1 || (k.key == GLFW_KEY_SLASH && shift)) {
            m_help = !m_help;
        } else if (k.key == GLFW_KEY_ESCAPE && m_capture.gif_recording()) {
            m_view_keys.push_back(k);  // cancels the recording (the view decides)
        } else if (k.key == GLFW_KEY_ESCAPE && m_help) {
            m_help = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_keys && m_keys->navigating) {
            m_keys->navigating = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_present) {
            set_present(false);
        } else if (k.key == GLFW_KEY_ESCAPE && m_fullscreen) {
            set_fullscreen(false);
        } else if (m_lesson && (k.key == GLFW_KEY_PAGE_DOWN || k.key == GLFW_KEY_PAGE_UP) && !shift &&
                   (k.key == GLFW_KEY_PAGE_DOWN
                        ? m_views[m_current]->at_scene_end() && m_scene + 1 < m_lesson->scenes.size()
                        : m_views[m_current]->at_scene_start() && m_scene > 0)) {
            // In a lesson, the clicker walks on from the last step of a scene into the next scene.
            show_scene(k.key == GLFW_KEY_PAGE_DOWN ? m_scene + 1 : m_scene - 1);
        } else {
            m_view_keys.push_back(k);
        }
    }
}

// The key help: every key of the stepper and the shell, in the UI's language, over the view.
void Shell::draw_help() {
    if (!m_help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->Size.x * 0.95f, vp->Size.y * 0.95f));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("##keyhelp", nullptr, flags)) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().strong(Role::Output));
        ImGui::TextUnformatted(tr(Str::help_title));
        ImGui::PopStyleColor();
        ImGui::Separator();
        const std::pair<std::string, Str> rows[] = {
            {"PageDown  →  ↓  N  Enter", Str::help_next},
            {"PageUp  ←  ↑  P  Backspace", Str::help_prev},
            {"Space", Str::help_play},
            {"Home  End", Str::help_ends},
            {"R", Str::help_reveal},
            {tr(Str::key_digits), Str::help_jump},
            {"B  .", Str::help_black},
            {"W  ,", Str::help_white},
            {"F5", Str::help_present},
            {"F11", Str::help_full},
            {"Ctrl+1 … Ctrl+4", Str::help_views},
            {"Ctrl+=  Ctrl+−  Ctrl+0", Str::help_scale},
            {"Tab", Str::help_nav},
            {"F1  ?", Str::help_help},
        };
        if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (const auto& [keys, what] : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(tr(what));
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

}  // namespace convscope::ui
