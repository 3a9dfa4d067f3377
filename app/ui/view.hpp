// The view interface and registry. A view is one file: a class deriving from View that draws its content each
// frame, plus one line `X(name)` in CONVSCOPE_VIEWS (app/ui/views.cpp) and its source in app/CMakeLists.txt.
//
//   class MyView final : public View {
//       std::string_view id() const override { return "mine"; }      // --view mine, settings
//       Str title() const override { return Str::view_mine; }          // tab label (app/ui/strings.hpp)
//       void draw_content(ViewContext& ctx) override { ... }          // inside the shell's tab; no Begin/End
//   };
//   std::unique_ptr<View> make_mine_view() { return std::make_unique<MyView>(); }
//
// Views read colours from palette() (app/ui/widgets/palette.hpp), text from tr() (app/ui/strings.hpp), and compute
// nothing themselves: core computes, views draw.
#pragma once

#include <imgui.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ui/shell/settings.hpp"
#include "app/ui/strings.hpp"
#include "core/lesson/lesson.hpp"

namespace convscope::ui {

class Requests;      // app/ui/shell/handoff.hpp: typed requests between views, owned by the shell
struct BackendInfo;  // app/ui/shell/handoff.hpp: the backends probed once at start-up

// What `convscope gui …` was asked for (app/ui/shell/gui_options.cpp parses it).
struct GuiOptions {
    std::string image;       // IMAGE argument: kept for the image lab
    std::string view;        // --view; empty: the last one used
    std::string lang;        // --lang en|ko; empty: settings
    float scale = 0.0f;      // --scale; 0: settings
    std::string theme;       // --theme light|dark; empty: settings
    std::string screenshot;  // --screenshot OUT.png: save the window after the last frame
    int frames = 0;          // --frames N: render N frames, then exit (0: run until closed)
    double exit_after = 0;   // --exit-after SECONDS: run that long taking input, then exit (tests drive keys)
    int step = 0;            // --step N: press → N times at start (screenshots of a stepped state)
    int step_terms = 0;      // --step-terms N: then press Shift+→ N times
    std::string export_gif;  // --export-gif OUT.gif: record the stepper's animation, then exit
    int width = 0, height = 0;   // --size WxH of the window
    std::string preset;          // --preset NAME (stepper)
    bool hide_controls = false;  // --hide-controls: start with the settings panel closed (slides)
    std::string kernel;          // --kernel NAME|FILE (image lab): a preset (as `convscope filter`) or a file
    std::string explain;         // --explain ROW,COL (image lab): explain this output pixel
    bool present = false;        // --present: presentation mode (full screen, only the canvas)
    bool present_in_window = false;  // --present-in-window: presentation's layout in the window (handouts)
    bool fullscreen = false;         // --fullscreen: full screen with the menus
    std::string report_layout;       // --report-layout FILE: the stepper writes where its grids are (tests)
    std::string document;         // a SCENE.json or LESSON.json to open (the positional argument, --lesson)
    int scene = 0;                // --scene K: start on scene K (from 1) of the lesson
    std::string save_scene;       // --save-scene OUT.json: save what is shown as a scene, then exit
    std::string report_clipping;  // --report-clipping FILE: the shell writes the windows whose content is cut
    bool headless_run() const {
        return frames > 0 || exit_after > 0 || !screenshot.empty() || !export_gif.empty() ||
               !save_scene.empty();
    }
};

// The fonts every view uses: ui for controls, big for grid numbers and formulas, both at the UI scale; and
// huge and small, rasterized at fixed sizes, so canvas text sized from the screen (not the UI scale) scales
// down crisply. Sizes in pixels.
struct Fonts {
    ImFont* ui = nullptr;
    ImFont* big = nullptr;
    ImFont* huge = nullptr;
    ImFont* small = nullptr;  // fixed size too: small canvas text at a large UI scale
    float ui_size = 13.0f;
    float big_size = 13.0f;
    float huge_size = 13.0f;
    float small_size = 13.0f;
    // The font to draw text of `px` pixels with: the smallest one rasterized at least that large (glyphs
    // shrink well, they do not grow well), else the largest.
    ImFont* for_size(float px) const {
        if (small && px <= small_size * 1.05f && small_size < ui_size) return small;
        if (ui && px <= ui_size * 1.05f) return ui;
        if (big && px <= big_size * 1.05f) return big;
        return huge ? huge : big;
    }
};

// Screen grabs a view can ask for; they happen after this frame is rendered. Rectangles are in ImGui
// coordinates (the region of the window to keep).
class Capture {
public:
    virtual ~Capture() = default;
    // Saves the region as a PNG after this frame.
    virtual void request_png(std::string path, ImVec2 min, ImVec2 max) = 0;
    // Starts an animated GIF of the region; each gif_frame() adds this frame, shown for delay_cs hundredths.
    virtual void gif_begin(std::string path, ImVec2 min, ImVec2 max) = 0;
    virtual void gif_frame(int delay_cs) = 0;
    // Finishes the GIF after this frame (its last gif_frame included).
    virtual void gif_end() = 0;
    // Stops the GIF now and removes its file (Escape while recording).
    virtual void gif_cancel() = 0;
    virtual bool gif_recording() const = 0;
};

// A key press taken from GLFW's event queue (main.cpp installs the callback), so a press and release
// inside one frame still counts. Key repeats are presses too.
struct KeyPress {
    int key = 0;   // GLFW_KEY_*
    int mods = 0;  // GLFW_MOD_*
};

// What the shell hands a view each frame.
struct ViewContext {
    float scale = 1.0f;  // UI scale, 1 to 3
    const Fonts& fonts;
    const GuiOptions& options;
    Capture& capture;
    std::function<void(Message)> notify;      // a status-bar message (drawn in each frame's language)
    Requests& requests;                       // hand-offs to other views, dropped files, "I need frames"
    const BackendInfo& backends;              // probed once (never call fastest_backend() per frame)
    // This frame's key presses the shell did not take (its own: F5, F11, B, W, F1, Ctrl+…); none while
    // a text field has the keyboard.
    const std::vector<KeyPress>* keys = nullptr;
    bool presenting = false;  // presentation mode: draw only the canvas (no panel, no toolbar)
};

class View {
public:
    virtual ~View() = default;
    // Stable name: the --view argument and the settings key.
    virtual std::string_view id() const = 0;
    // Tab label.
    virtual Str title() const = 0;
    // Start-up options (called once, before the first frame).
    virtual void apply_options(const GuiOptions&) {}
    // Draws the view's content inside the shell's tab; keyboard shortcuts apply only while the view is shown.
    virtual void draw_content(ViewContext& ctx) = 0;
    // True while the view has unfinished work that a scripted run (--frames, --export-gif) must wait for.
    virtual bool busy() const { return false; }
    // Scenes (core/lesson/lesson.hpp): shows `scene` (of this view's kind) and returns true, or false when this
    // view does not show scenes.
    virtual bool load_scene(const Scene&) { return false; }
    // What the view shows now as a scene, or nullopt when it cannot say.
    virtual std::optional<Scene> current_scene() const { return std::nullopt; }
    // In a lesson, PageDown at the end of the scene's steps goes to the next scene, PageUp at its start to
    // the previous one. Views without steps are always at both.
    virtual bool at_scene_end() const { return true; }
    virtual bool at_scene_start() const { return true; }
    // Undo and redo of the view's edits (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y); false when there is nothing to do.
    virtual bool undo() { return false; }
    virtual bool redo() { return false; }
    // How many edits the view has committed since it started (the shell marks unsaved changes by it).
    virtual int64_t edit_count() const { return 0; }
    // The view's saved preferences (e.g. the stepper's playback speed): read once at start-up, written back
    // before the shell compares the settings with what it saved last.
    virtual void restore_preferences(const Settings&) {}
    virtual void store_preferences(Settings&) const {}
};

// Every view, in tab order.
std::vector<std::unique_ptr<View>> make_views();
// Ids of the registered views ("stepper", "size", …), for --view's help and validation.
std::vector<std::string> view_ids();

}  // namespace convscope::ui
