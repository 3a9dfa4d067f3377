// The app shell: menu bar (file, language, theme, scale), one tab per registered view, a status line, the
// scale shortcuts (Ctrl+= / Ctrl+− / Ctrl+0), font and style rebuilds, and scripted runs (--frames,
// --screenshot, --export-gif). It also owns presentation: full screen (F11), presentation mode (F5: full
// screen, only the current view's canvas, the pointer hidden when idle; Escape leaves), the blank screen
// (B or ".": black, W or ",": white), the key help (F1 or ?) and Ctrl+1…4 for the views; every key comes
// from the KeyQueue (app/ui/shell/keys.hpp). main.cpp owns the window and the frame loop and calls, once per
// frame:
//   shell.before_frame();  ImGui::NewFrame();  shell.draw();  ImGui::Render();  … render …
//   shell.after_render();
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/ui/shell/capture.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/shell/keys.hpp"
#include "app/ui/shell/save_dialog.hpp"
#include "app/ui/shell/settings.hpp"
#include "app/ui/view.hpp"

struct GLFWwindow;

namespace convscope::ui {

class Shell {
public:
    // `settings` are the loaded settings (why loading them failed goes in `startup_message`, drawn in the
    // status line in the current language).
    Shell(GuiOptions options, Settings settings, Message startup_message);

    // Rebuilds fonts and style when the scale, language or theme changed. Call before ImGui::NewFrame().
    void before_frame();
    // Draws the whole UI for this frame (between NewFrame and Render).
    void draw();
    // After rendering into the back buffer, before the swap: screenshots and GIF frames.
    void after_render(int fb_width, int fb_height);
    // True when a scripted run is done or the user chose Quit.
    bool should_exit() const { return m_exit; }
    // The window's close button: true to close now, false when the shell asks first (unsaved changes).
    bool close_requested();
    // The process exit status of a scripted run: 0, or 2 when a screenshot or GIF could not be written.
    int exit_status() const { return m_exit_status; }
    // True for --frames/--screenshot/--export-gif runs (settings are neither read nor written).
    bool scripted() const { return m_options.headless_run(); }
    // The settings to save at exit (window geometry is filled in by main).
    Settings& settings() { return m_settings; }
    // Shows a message in the status line (drawn in the current language, so a language switch redraws it).
    void notify(Message message) { m_status = std::move(message); }
    // The window (for full screen and the pointer) and the key queue main.cpp fills; applies --present and
    // --fullscreen. Call once, before the first frame.
    void attach(GLFWwindow* window, KeyQueue* keys);
    // While full screen: true, and the window's position and size before it went full screen (to save).
    bool windowed_geometry(int& x, int& y, int& w, int& h) const;
    // How long main may sleep waiting for events before drawing the next frame: 0 to draw at once (a view
    // animates, a job runs, a drag, the frames after input while the picture still changes), else the time
    // until something timed is due (a caret blink, the presenter's pointer hiding) or a long wait. Scripted
    // runs never sleep.
    double idle_wait_seconds() const { return m_wait; }
    // Probes the backends again on a worker thread (View ▸ Re-check GPU); the views see the answer when it
    // arrives (ViewContext::backends).
    void recheck_backends();
    // The typed requests the views send each other (tests and main may read them).
    Requests& requests() { return m_requests; }

private:
    void apply_style();
    void draw_menu();
    void handle_keys();
    void set_fullscreen(bool on);
    void set_present(bool on);
    void draw_help();
    void draw_view(View& v, bool presenting, float status_h);
    void set_scale(float scale);
    void save_if_changed();
    // Scenes and lessons.
    void open_document(const std::string& path);
    void show_scene(size_t index);
    void draw_lesson_bar(bool presenting);
    float lesson_bar_height(bool presenting) const;
    float window_caption_width() const;
    float window_caption_lines(float wrap) const;
    void save_scene_and_exit();
    void capture_scene();  // the current view's state into the lesson's current scene
    void save_document();
    bool save_to(const std::string& path);
    std::string document_json();
    void mark_saved();
    bool unsaved();
    void update_title();
    void draw_file_menu();
    void draw_lesson_menu();
    void draw_popups();
    void save_session();
    void restore_session();
    void take_dropped_files();
    void take_backend_probe();
    void plan_next_frame();
    void handle_save_dialog();
    void run_pending_export(ImVec2 view_min, ImVec2 view_max);
    void draw_about();
    void new_lesson();
    // A new lesson of one scene, the current view's; false (and a status message) when the view has none.
    bool start_lesson_from_view();
    void export_frame();
    void export_animation();

    GuiOptions m_options;
    Settings m_settings;
    std::vector<std::unique_ptr<View>> m_views;
    size_t m_current = 0;
    bool m_select_current = true;  // tell the tab bar which tab to show (first frame, --view)
    Fonts m_fonts;
    std::string m_assets;
    bool m_fonts_dirty = true;
    bool m_hangul = true;         // the bundled fonts loaded (else English only)
    Settings m_saved_settings;    // settings as last saved (or loaded)
    std::string m_last_clipping;  // the --report-clipping file's content, written when it changes
    float m_built_scale = 0.0f;
    float m_scale = 1.0f;  // the scale drawn: the user's, or less where the window is too short for it
    float m_pending_scale = 1.0f;
    int m_exit_status = 0;
    FrameCapture m_capture;
    Message m_status;
    int m_frame = 0;
    bool m_exit = false;
    bool m_quit_requested = false;
    // Presentation.
    GLFWwindow* m_window = nullptr;
    KeyQueue* m_keys = nullptr;
    std::vector<KeyPress> m_view_keys;  // this frame's presses the shell did not take
    bool m_fullscreen = false, m_present = false, m_full_before_present = false;
    int m_windowed[4] = {0, 0, 0, 0};  // x, y, w, h before full screen
    int m_full_w = 0, m_full_h = 0;    // the monitor's size while full screen
    enum class Blank { None, Black, White } m_blank = Blank::None;
    int m_blank_key = 0;
    bool m_help = false;
    ImVec2 m_last_mouse{-1, -1};
    // The open lesson (a scene file opens as a lesson of one scene) and its scene shown.
    std::optional<Lesson> m_lesson;
    std::string m_document;  // its path
    size_t m_scene = 0;
    bool m_scene_loaded = false;         // the current view shows m_scene (capture_scene may read it back)
    int m_select_left = 0;               // frames left to tell the tab bar which tab to show
    bool m_document_is_scene = false;    // the file holds one scene (saved back as a scene)
    std::vector<int64_t> m_saved_edits;  // each view's edit count when the document was opened or saved
    bool m_lesson_edited = false;        // scenes added, moved, deleted, captions or title edited
    std::string m_title;                 // the window title set
    std::vector<std::string> m_recent;
    // Popups asked for from the menu (opened on the next frame outside it).
    enum class Popup { None, Open, SaveAs, Caption, About, Quit } m_popup = Popup::None;
    char m_path[1024] = "";
    bool m_confirm_overwrite = false;
    char m_caption_en[512] = "", m_caption_ko[512] = "", m_title_buf[256] = "";
    bool m_quit_after_save = false;
    double m_mouse_moved_at = 0;  // glfwGetTime(): the pointer hides two seconds after it stops
    // Typed requests between views, and the backends probed once (a worker thread answers).
    Requests m_requests;
    BackendInfo m_backends;
    std::future<BackendInfo> m_probe;
    // Sleeping when nothing changes: the last frame's picture and input (hashes), the frames still to draw.
    uint64_t m_last_picture = 0, m_last_input = 0;
    int m_frames_to_draw = 3;
    double m_wait = 0.0;
    // Export frame / animation and Save as through the save dialog.
    SaveDialog m_dialog;
    std::string m_export_frame_path;  // the view's region is saved once the dialog has gone from the picture
    int m_export_frame_delay = 0;
    bool m_modal_enter = false;                 // Enter pressed this frame while a modal popup is up
    ImVec2 m_view_min{0, 0}, m_view_max{0, 0};  // the view's region this frame
};

}  // namespace convscope::ui
