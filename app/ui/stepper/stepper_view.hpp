// The stepper view, spread over one file per panel (the model, core/stepper/stepper_model.hpp, computes):
//   stepper_view.cpp      scenes, undo, the frame (controls beside the canvas), the entry point
//   stepper_controls.cpp  the settings panel, the toolbar, keys and playback
//   stepper_grids.cpp     the input with its padding ring, the kernel, the output filling in; the cell editor
//   stepper_mac_line.cpp  the multiply-accumulate line, the output-size formula, the colour key
//   stepper_export.cpp    the GIF recording and --report-layout
//   stepper_transpose_panel.cpp, stepper_transpose_grids.cpp, stepper_im2col_panel.cpp: the extra canvases
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/ui/stepper/stepper_panels.hpp"
#include "app/ui/view.hpp"
#include "core/stepper/stepper_model.hpp"
#include "core/support/undo.hpp"

namespace convscope::ui {

class StepperView final : public View {
public:
    StepperView() = default;

    std::string_view id() const override { return "stepper"; }
    Str title() const override { return Str::view_stepper; }
    void apply_options(const GuiOptions& o) override;
    void restore_preferences(const Settings& s) override { m_model.speed = s.speed; }
    void store_preferences(Settings& s) const override { s.speed = m_model.speed; }
    bool busy() const override {
        return m_recording || !m_pending_gif.empty() || m_pending_steps > 0 || m_pending_terms > 0 ||
               m_frames_to_settle > 0;
    }
    void draw_content(ViewContext& ctx) override;
    // Scenes: the whole problem and the playhead; the loaded scene is kept so that its caption and unknown
    // fields are saved back.
    bool load_scene(const Scene& scene) override;
    std::optional<Scene> current_scene() const override;
    // Undo: the problem as it was before each settled edit (a drag or a typed number is one edit).
    bool undo() override { return restore(m_undo.undo()); }
    bool redo() override { return restore(m_undo.redo()); }
    int64_t edit_count() const override { return m_edits; }
    // Reached the end only once its last value is shown (predicting, the last press reveals it).
    bool at_scene_end() const override {
        return !m_model.solution() || (m_model.playhead() == m_model.sequence().end() && !m_model.hidden());
    }
    bool at_scene_start() const override {
        return !m_model.solution() || m_model.playhead() == m_model.sequence().start();
    }

private:
    // A cell the user clicked to edit: an input cell (c, y, x) or a kernel cell (o, c, y, x).
    struct EditTarget {
        bool kernel = false;
        int64_t o = 0, c = 0, y = 0, x = 0;
    };
    // One piece of the multiply-accumulate line, coloured.
    struct Token {
        std::string text;
        ImU32 col = 0;
        ImU32 bg = 0;  // 0: none
        bool newline = false;
    };
    // Where each grid sits this frame. Everything is sized from the cell, which comes from the canvas: the
    // UI scale changes the chrome around the canvas, never the grids.
    struct Layout {
        float cell = 40.0f;
        float label_px = 16.0f;  // grid labels
        float label_h = 20.0f;
        float gap = 40.0f;              // between input, kernel and output (the operator symbols)
        float block_gap = 20.0f;        // between tiled channels
        int in_cols = 1, out_cols = 1;  // channels tiled in this many columns (input+kernel pairs, outputs)
        ImVec2 origin;                  // top-left of the grid area
        std::vector<ImVec2> input;      // per input channel: top-left of its (padded) grid
        std::vector<ImVec2> kernel;     // per input channel: the current output channel's kernel
        std::vector<ImVec2> output;     // per output channel
        ImVec2 size;                    // of the whole grid area
        float in_w = 0, k_w = 0, out_w = 0;  // column widths (grid or label, the wider)
    };

    // [SECTION] State (stepper_view.cpp)
    bool restore(std::optional<StepperModel::Snapshot> s);
    void commit_settled_edit();
    // Sends an edit; a refused one is said in the status line.
    void send(ViewContext& ctx, const StepperEdit& e);
    void load(StepperProblem p, std::string preset = {});
    const StepperProblem& problem() const { return m_model.problem(); }
    // The kernel, bias and conv parameters (conv and transposed problems only).
    const ConvProblem& weighted() const { return *problem().weighted(); }
    int64_t channels() const { return problem().input.dim(0); }
    int64_t in_h() const { return problem().input.dim(1); }
    int64_t in_w() const { return problem().input.dim(2); }
    bool is_conv() const { return m_model.is_conv(); }
    bool transposed() const { return m_model.transposed(); }
    const Trace* current_trace() const { return transposed() ? nullptr : m_model.current_trace(); }
    std::string input_label(int64_t c) const;
    std::string kernel_label(int64_t o, int64_t c) const;
    std::string output_label(int64_t o) const;
    void draw_panel_canvas(ViewContext& ctx, ImVec2 avail);
    // Whether the settings panel is drawn this frame: the user's choice, else (Auto) settings_fit.
    bool settings_shown(const ViewContext& ctx) const;
    // Auto's rule: the panel fits unless the canvas beside it would be cramped (stepper_view.cpp says how).
    bool settings_fit(const ViewContext& ctx) const;
    void draw_jump(ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max);

    // [SECTION] Controls (stepper_controls.cpp)
    // The settings panel's width in a view `full_w` wide: narrow enough to leave the grids most of it.
    static float settings_width(const ViewContext& ctx, float full_w);
    void draw_settings(ViewContext& ctx);
    void draw_controls(ViewContext& ctx);
    void draw_examples(ViewContext& ctx);
    void draw_conv_controls(ViewContext& ctx);
    void draw_pool_controls(ViewContext& ctx);
    // The toolbar above the canvas: the settings toggle, then playback and the scrubber.
    void draw_toolbar();
    // The toolbar's button labels, left to right (the toggle first), for drawing and for toolbar_height.
    static std::array<std::string, 6> toolbar_labels(bool settings_drawn, bool playing);
    // The toolbar's height in a width of `width` (its buttons wrap into rows when they do not fit).
    static float toolbar_height(float width, bool settings_drawn);
    void draw_playback_settings();
    void handle_keys(ViewContext& ctx);
    void advance_playback(ViewContext& ctx);

    // [SECTION] Grids (stepper_grids.cpp)
    Layout layout(ViewContext& ctx, ImVec2 avail) const;
    void draw_grids(ViewContext& ctx, const Layout& L);
    void draw_input_grid(ViewContext& ctx, const Layout& L, int64_t c);
    void draw_kernel_grid(ViewContext& ctx, const Layout& L, int64_t c);
    void draw_output_grid(ViewContext& ctx, const Layout& L, int64_t o);
    void draw_edit_popup(ViewContext& ctx);
    void record_grid(ImVec2 a, ImVec2 b) { m_grid_rects.push_back({a.x, a.y, b.x, b.y}); }

    // [SECTION] Multiply-accumulate line, size formula, legend (stepper_mac_line.cpp)
    std::vector<Token> mac_tokens() const;
    float mac_size(ViewContext& ctx, const std::vector<Token>& tokens, float width) const;
    float flow_tokens(ViewContext& ctx, const std::vector<Token>& tokens, float width, float size, bool draw);
    std::vector<std::string> size_lines(std::vector<std::string>* notes) const;
    void draw_size_lines(ViewContext& ctx, float width);
    void draw_legend(ViewContext& ctx, bool vertical, float width);
    void draw_stepper_canvas(ViewContext& ctx, ImVec2 avail, ImVec2 top);
    // Canvas text sizes, from the canvas (m_t), not the UI scale.
    float formula_size() const { return m_t; }
    float legend_size() const { return std::max(13.0f, m_t * 0.62f); }

    // [SECTION] Export (stepper_export.cpp)
    void run_recording(ViewContext& ctx, ImVec2 min, ImVec2 max);
    void draw_long_gif_question(ViewContext& ctx);
    void write_layout_report(const ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max, float cell);

    StepperModel m_model;          // the problem, its solution, the playhead and playback
    TransposePanel m_transpose;    // the transposed convolution's scatter/gather canvas
    Im2colPanel m_im2col;          // conv as W_row × X_cols
    std::optional<Scene> m_scene;  // the scene last loaded (caption, predict, unknown fields)
    UndoStack<StepperModel::Snapshot> m_undo;
    int64_t m_edits = 0;
    uint32_t m_seed = 1;
    // The settings panel beside the canvas. Auto: shown unless the canvas would be cramped beside it (a small
    // window at a large UI scale); the toggle button records the user's choice, which then always wins.
    // --hide-controls and --export-gif start Hidden.
    enum class SettingsPanel { Auto, Shown, Hidden };
    SettingsPanel m_settings = SettingsPanel::Auto;
    bool m_settings_drawn = false;  // this frame (the toggle's arrow, --report-layout)
    // Hover: the input cell under the mouse (padded coordinates) and the windows it feeds.
    std::optional<std::array<int64_t, 3>> m_hover;
    std::set<int64_t> m_fed;
    EditTarget m_edit;
    float m_edit_value = 0.0f;
    bool m_open_edit = false;
    // Scripted start-up and recording.
    int m_pending_steps = 0, m_pending_terms = 0;
    std::string m_pending_gif;
    bool m_recording = false;
    Playhead m_ph_before_recording;  // put back when the recording ends or is cancelled
    bool m_ask_long_gif = false;     // the button asked for a GIF above kLongGifFrames: confirm first
    std::string m_recording_path;
    int m_frames_to_settle = 0;  // after a recording: frames until the restored playhead is on screen
    int m_frames_drawn = 0;
    // This frame's canvas: its text unit (formula size, from the canvas size), the grids drawn (for
    // --report-layout) and the window number being typed (digits, then Enter).
    float m_t = 20.0f;
    std::vector<std::array<float, 4>> m_grid_rects;
    std::string m_jump;
    std::string m_last_report;
    float m_report_cell = 0;  // this frame's cell (the panels: their text unit), for --report-layout
};

// A GIF with more frames than this is long for a slide: the button asks first.
constexpr int64_t kLongGifFrames = 150;

}  // namespace convscope::ui
