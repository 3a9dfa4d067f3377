// convscope: the command line (`convscope conv|pool|size|explain|filter|shapes …`) and the app (no arguments,
// `convscope IMAGE`, or `convscope gui …`). The app part reads like Dear ImGui's example_glfw_opengl3: setup,
// state, the frame loop, cleanup; the views live in app/ui/.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cfloat>
#include <cstdio>
#include <optional>

#include "app/cli/cli.hpp"
#include "app/ui/shell/gpu_fallback.hpp"
#include "app/ui/shell/gui_options.hpp"
#include "app/ui/shell/keys.hpp"
#include "app/ui/shell/lesson_export.hpp"
#include "app/ui/shell/settings.hpp"
#include "app/ui/shell/shell.hpp"

static void glfw_error_callback(int error, const char* description) {
    std::fprintf(stderr, "convscope: GLFW error %d: %s\n", error, description);
}

// The modifier keys as Dear ImGui holds them.
struct ModifierKeys {
    bool ctrl = false, shift = false, alt = false, super = false;
    static ModifierKeys of(const ImGuiIO& io) { return {io.KeyCtrl, io.KeyShift, io.KeyAlt, io.KeySuper}; }
    void apply(ImGuiIO& io) const {
        io.KeyCtrl = ctrl, io.KeyShift = shift, io.KeyAlt = alt, io.KeySuper = super;
    }
};

int main(int argc, char** argv) {
    using namespace convscope;
    if (ui::is_lesson_command(argc, argv)) return ui::run_lesson_command(argc, argv);
    if (!ui::wants_gui(argc, argv)) return cli::run(argc, argv);
    ui::GuiOptions options;
    if (auto status = ui::parse_gui_options(argc, argv, options)) return *status;

    // Settings: scripted runs (tests, slides) neither read nor write them, so their pictures are
    // reproducible.
    std::optional<Error> settings_error;
    ui::Settings settings = options.headless_run() ? ui::Settings{} : ui::load_settings(settings_error);
    if (options.width > 0) {
        settings.window_w = options.width;
        settings.window_h = options.height;
    }

    // 1. Window and OpenGL 3.3 core context
    glfwSetErrorCallback(glfw_error_callback);
    if (!glfwInit()) return cli::error_exit("cannot open a window (no display? try xvfb-run)");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    // Full screen on a projector stays up when the focus goes to the other monitor.
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
    // A scripted run must get exactly the size asked for: no maximizing, no resizing by the window manager.
    glfwWindowHint(GLFW_RESIZABLE, options.headless_run() ? GLFW_FALSE : GLFW_TRUE);
    GLFWwindow* window =
        glfwCreateWindow(settings.window_w, settings.window_h, "ConvScope", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        return cli::error_exit("cannot create an OpenGL 3.3 window");
    }
    if (settings.window_x >= 0 && settings.window_y >= 0 && !options.headless_run())
        glfwSetWindowPos(window, settings.window_x, settings.window_y);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(options.headless_run() && options.exit_after <= 0 ? 0 : 1);

    // 2. A hidden OpenGL 4.3 window the gpu backend borrows where EGL surfaceless is missing; GLFW windows
    //    must be made on the main thread, and the backend makes this one current on its own GL thread.
    GLFWwindow* gpu_window = ui::offer_gpu_fallback_window();

    // 3. Dear ImGui
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // our own settings file holds what we keep
    // Keyboard-only use: Tab, then the arrows and Space, reach every control (the shell keeps the stepping
    // keys for the stepper until Tab is pressed).
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
    // Key presses from GLFW's event queue: a press and release inside one frame still counts.
    ui::KeyQueue keys;
    ui::install_key_queue(window, keys);

    // 4. Our state
    ui::Shell shell(options, settings, settings_error ? ui::Message(*settings_error) : ui::Message());
    shell.attach(window, &keys);

    // 5. The frame loop
    while (!shell.should_exit()) {
        if (glfwWindowShouldClose(window)) {
            if (shell.close_requested()) break;
            glfwSetWindowShouldClose(window, GLFW_FALSE);  // the shell asks about unsaved changes first
        }
        // Asleep until input when nothing changes (the shell says when a view animates or works).
        if (const double wait = shell.idle_wait_seconds(); wait > 0.0)
            glfwWaitEventsTimeout(wait);
        else
            glfwPollEvents();
        shell.before_frame();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        // Reproducible pictures: scripted runs ignore the pointer (unless a test drives the app for a while).
        if (shell.scripted() && options.exit_after <= 0) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        ImGui::NewFrame();
        // GLFW can run input callbacks inside a frame (X11 handles events while it waits for the clipboard or
        // a window change), and Dear ImGui 1.86 aborts when a modifier key changed between NewFrame and
        // EndFrame: a change that arrived mid-frame is held back until the frame has ended.
        const ModifierKeys mods_at_start = ModifierKeys::of(ImGui::GetIO());
        shell.draw();
        const ModifierKeys mods_now = ModifierKeys::of(ImGui::GetIO());
        mods_at_start.apply(ImGui::GetIO());
        ImGui::Render();
        mods_now.apply(ImGui::GetIO());
        // Releases held back this frame (after Render, so no modifier changes inside the next frame).
        ui::key_queue_frame_ended(window, keys);
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(ui::palette().background);
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        shell.after_render(fb_w, fb_h);
        glfwSwapBuffers(window);
    }

    // 6. Save settings and window layout (a read-only config directory only prints a message)
    if (!shell.scripted()) {
        ui::Settings& s = shell.settings();
        // Full screen at exit: keep the window it came from.
        if (!shell.windowed_geometry(s.window_x, s.window_y, s.window_w, s.window_h)) {
            glfwGetWindowPos(window, &s.window_x, &s.window_y);
            glfwGetWindowSize(window, &s.window_w, &s.window_h);
        }
        if (const Status st = ui::save_settings(s); !st)
            std::fprintf(stderr, "convscope: settings not saved: %s\n", st.error().c_str());
    }

    // 7. Cleanup
    const int status = shell.exit_status();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    // The gpu backend's thread may hold the hidden window's context; GLFW must not pull it away from under
    // it.
    if (ui::gpu_fallback_in_use()) return status;
    if (gpu_window) glfwDestroyWindow(gpu_window);
    glfwTerminate();
    return status;
}
