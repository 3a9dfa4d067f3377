// The stepper: the lecture's convolution, one window (or one term) at a time. It edits a StepperProblem, asks
// core/stepper/stepper.hpp to solve it (traces per window, the playhead), and draws the result: the input with its
// padding ring, the kernel, the output filling in, the multiply-accumulate line, and the output-size formula.
//
// [SECTION] State and problem editing
// [SECTION] Controls panel
// [SECTION] Playback and keys
// [SECTION] Output size and legend
// [SECTION] Grids
// [SECTION] Multiply-accumulate line
// [SECTION] Export and the view entry point
#include <array>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <GLFW/glfw3.h>

#include <cstdio>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/widgets/palette.hpp"
#include "app/ui/stepper_panels.hpp"
#include "app/ui/view.hpp"
#include "core/stepper/stepper.hpp"
#include "core/support/undo.hpp"

namespace convscope::ui {
namespace {

// Limits of the controls: large enough for the lecture's drawings, small enough that cells stay legible.
constexpr int kMaxSide = 24, kMaxKernel = 7, kMaxStride = 4, kMaxPad = 4, kMaxDilation = 3, kMaxIn = 3,
              kMaxOut = 4;

// A cell the user clicked to edit: an input cell (c, y, x) or a kernel cell (o, c, y, x).
struct EditTarget {
    bool kernel = false;
    int64_t o = 0, c = 0, y = 0, x = 0;
};

// One piece of the multiply-accumulate line.
struct Token {
    std::string text;
    ImU32 col = 0;
    ImU32 bg = 0;  // 0: none
    bool newline = false;
};

// A GIF with more frames than this is long for a slide: the button asks first.
constexpr int64_t kLongGifFrames = 150;

// Cells never get smaller than this (numbers ≥ 12 px); a problem too large for the canvas at this size
// scrolls instead.
constexpr float kMinCell = 26.0f;

// Where each grid sits this frame. Everything is sized from the cell, which comes from the canvas: the UI
// scale changes the chrome around the canvas, never the grids.
struct Layout {
    float cell = 40.0f;
    float label_px = 16.0f;  // grid labels
    float label_h = 20.0f;
    float gap = 40.0f;                   // between input, kernel and output (the operator symbols)
    float block_gap = 20.0f;             // between tiled channels
    int in_cols = 1, out_cols = 1;       // channels tiled in this many columns (input+kernel pairs, outputs)
    ImVec2 origin;                       // top-left of the grid area
    std::vector<ImVec2> input;           // per input channel: top-left of its (padded) grid
    std::vector<ImVec2> kernel;          // per input channel: the current output channel's kernel
    std::vector<ImVec2> output;          // per output channel
    ImVec2 size;                         // of the whole grid area
    float in_w = 0, k_w = 0, out_w = 0;  // column widths (grid or label, the wider)
    // Line widths that read from the back of the room, from the cell.
    float thin() const { return std::clamp(cell / 60.0f, 1.0f, 4.0f); }
    float border() const { return std::clamp(cell * 0.035f, 1.5f, 12.0f); }
    float outline() const { return std::clamp(cell * 0.07f, 2.5f, 24.0f); }
};

ImU32 text_on(ImU32 fill) {
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
    return (0.299f * c.x + 0.587f * c.y + 0.114f * c.z) > 0.6f ? IM_COL32(0, 0, 0, 255)
                                                               : IM_COL32(255, 255, 255, 255);
}

class StepperView final : public View {
public:
    StepperView() { load(lecture_example()); }

    std::string_view id() const override { return "stepper"; }
    Str title() const override { return Str::view_stepper; }

    void apply_options(const GuiOptions& o) override {
        if (!o.preset.empty())
            for (const StepperPreset& p : stepper_presets())
                if (p.key == o.preset) {
                    load(p.problem);
                    m_preset = p.key;
                    m_im2col.open = p.key == "im2col_lecture";
                }
        m_pending_steps = o.step;
        m_pending_terms = o.step_terms;
        m_pending_gif = o.export_gif;
        // Slides want big grids: an exported animation records the canvas with the panel closed.
        if (o.hide_controls || !o.export_gif.empty()) m_show_controls = false;
    }

    void restore_preferences(const Settings& s) override { m_speed = s.speed; }
    void store_preferences(Settings& s) const override { s.speed = m_speed; }

    bool busy() const override {
        return m_recording || !m_pending_gif.empty() || m_pending_steps > 0 || m_pending_terms > 0 ||
               m_frames_to_settle > 0;
    }

    void draw_content(ViewContext& ctx) override;

    // Scenes: the whole problem and the playhead; the loaded scene is kept so that its caption and unknown
    // fields are saved back.
    bool load_scene(const Scene& scene) override {
        if (scene.view != SceneView::Stepper) return false;
        load(scene.stepper.problem);
        m_undo.reset(Snapshot{m_problem});  // showing a scene is not an edit
        m_scene = scene;
        m_predict = scene.stepper.predict;
        m_transpose.gather = scene.stepper.transpose_view == "gather";
        m_im2col.open = scene.stepper.im2col;
        m_revealed_window = -2;
        m_preset.clear();
        solve_if_needed();
        if (m_solution && scene.stepper.window) {
            const int64_t w = std::clamp<int64_t>(*scene.stepper.window, 0, m_seq.windows() - 1);
            m_ph = m_seq.clamp(Playhead{w, scene.stepper.term.value_or(INT64_MAX)});  // none: complete
        }
        return true;
    }
    std::optional<Scene> current_scene() const override {
        Scene s = m_scene ? *m_scene : stepper_scene({});
        s.view = SceneView::Stepper;
        s.stepper.problem = m_problem;
        s.stepper.predict = m_predict;
        s.stepper.transpose_view = m_transpose.gather ? "gather" : "scatter";
        s.stepper.im2col = m_im2col.open;
        s.stepper.window.reset();
        s.stepper.term.reset();
        if (m_ph.window >= 0) {
            s.stepper.window = m_ph.window;
            if (!m_seq.complete(m_ph)) s.stepper.term = m_ph.term;
        }
        return s;
    }
    // Undo: the problem as it was before each settled edit (a drag or a typed number is one edit).
    bool undo() override { return restore(m_undo.undo()); }
    bool redo() override { return restore(m_undo.redo()); }
    int64_t edit_count() const override { return m_edits; }
    // Reached the end only once its last value is shown (predicting, the last press reveals it).
    bool at_scene_end() const override { return !m_solution || (m_ph == m_seq.end() && !hidden()); }
    // Predict, then reveal: the current window's value is hidden until R or the next step.
    bool hidden() const {
        return m_predict && m_solution && m_ph.window >= 0 && m_seq.complete(m_ph) &&
               m_revealed_window != m_ph.window;
    }
    bool at_scene_start() const override { return !m_solution || m_ph == m_seq.start(); }

private:
    // [SECTION] State and problem editing
    struct Snapshot {
        StepperProblem p;
        bool operator==(const Snapshot& o) const {
            return p.op == o.p.op && p.input.shape == o.p.input.shape && p.input.data == o.p.input.data &&
                   p.weight.shape == o.p.weight.shape && p.weight.data == o.p.weight.data &&
                   p.has_bias == o.p.has_bias && p.bias.data == o.p.bias.data && p.conv == o.p.conv &&
                   p.pool == o.p.pool && p.output_padding == o.p.output_padding;
        }
    };
    bool restore(std::optional<Snapshot> s) {
        if (!s) return false;
        m_problem = std::move(s->p);
        m_dirty = true;
        ++m_edits;
        return true;
    }
    // Called once a frame: an edit that has settled (no drag, no field being typed in) becomes an undo step.
    void commit_settled_edit() {
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsAnyItemActive()) return;
        const bool first = !m_undo.current();
        Snapshot now{m_problem};
        if (!first && *m_undo.current() == now) return;
        m_undo.commit(std::move(now));
        if (!first) ++m_edits;
    }
    void load(StepperProblem p) {
        m_problem = std::move(p);
        m_ph = Playhead{};
        m_playing = false;
        m_dirty = true;
    }
    void solve_if_needed();
    int64_t channels() const { return m_problem.input.dim(0); }
    int64_t in_h() const { return m_problem.input.dim(1); }
    int64_t in_w() const { return m_problem.input.dim(2); }
    bool is_conv() const { return m_problem.op == StepOp::Conv; }
    bool transposed() const { return m_problem.op == StepOp::ConvTranspose; }
    const Trace* current_trace() const {
        return m_solution && m_ph.window >= 0 && !transposed() ? &m_solution->traces[size_t(m_ph.window)]
                                                               : nullptr;
    }

    std::string input_label(int64_t c) const {
        return channels() > 1 ? trf(Str::label_input_c, int(c)) : std::string(tr(Str::label_input));
    }
    std::string kernel_label(int64_t o, int64_t c) const {
        return (channels() > 1 || m_problem.weight.dim(0) > 1) ? trf(Str::label_kernel_oc, int(o), int(c))
                                                               : std::string(tr(Str::label_kernel));
    }
    std::string output_label(int64_t o) const {
        return m_solution && m_solution->out_channels > 1 ? trf(Str::label_output_c, int(o))
                                                          : std::string(tr(Str::label_output));
    }
    bool draw_controls(ViewContext& ctx);
    void draw_toolbar();
    void draw_playback_settings(ViewContext& ctx);
    void handle_keys(ViewContext& ctx);
    void step(bool forward, bool by_term);
    void advance_playback(ViewContext& ctx);
    std::vector<std::string> size_lines(std::vector<std::string>* notes) const;
    void draw_size_lines(ViewContext& ctx, float width);
    void draw_legend(ViewContext& ctx, bool vertical, float width);
    // Canvas text sizes, from the canvas (m_t), not the UI scale.
    float formula_size() const { return m_t; }
    float legend_size() const { return std::max(13.0f, m_t * 0.62f); }
    void record_grid(ImVec2 a, ImVec2 b) { m_grid_rects.push_back({a.x, a.y, b.x, b.y}); }
    void write_layout_report(const ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max, float cell);
    float mac_size(ViewContext& ctx, const std::vector<Token>& tokens, float width) const;
    Layout layout(ViewContext& ctx, ImVec2 avail) const;
    void draw_grids(ViewContext& ctx, const Layout& L);
    void draw_input_grid(ViewContext& ctx, const Layout& L, int64_t c);
    void draw_kernel_grid(ViewContext& ctx, const Layout& L, int64_t c);
    void draw_output_grid(ViewContext& ctx, const Layout& L, int64_t o);
    std::vector<Token> mac_tokens() const;
    float flow_tokens(ViewContext& ctx, const std::vector<Token>& tokens, float width, float size, bool draw);
    void draw_edit_popup();
    void run_recording(ViewContext& ctx, ImVec2 min, ImVec2 max);
    void draw_long_gif_question(ViewContext& ctx);

    void draw_panel_canvas(ViewContext& ctx, ImVec2 avail);

    StepperProblem m_problem;
    TransposePanel m_transpose;    // the transposed convolution's scatter/gather canvas
    Im2colPanel m_im2col;          // conv as W_row × X_cols
    std::optional<Scene> m_scene;  // the scene last loaded (caption, predict, unknown fields)
    UndoStack<Snapshot> m_undo;
    bool m_predict = false;          // predict, then reveal
    int64_t m_revealed_window = -2;  // the window whose hidden value was revealed
    int64_t m_edits = 0;
    std::string m_preset = "lecture";
    bool m_dirty = true;
    std::optional<StepperSolution> m_solution;
    std::optional<Error> m_error;  // kept structured: drawn in the current language every frame
    StepSequence m_seq{{}};
    Playhead m_ph;
    bool m_playing = false;
    float m_speed = 1.5f;  // playback, steps per second (a saved preference)
    bool m_by_term = false;
    float m_accum = 0.0f;
    uint32_t m_seed = 1;
    bool m_show_controls = true;
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
    // This frame's canvas: its text unit (formula size, from the canvas size), the input grid's drawn extent
    // (the padded grid, or further where a ceil_mode window runs past it), the grids drawn (for
    // --report-layout) and the window number being typed (digits, then Enter).
    float m_t = 20.0f;
    int64_t m_ext_h = 1, m_ext_w = 1;
    std::vector<std::array<float, 4>> m_grid_rects;
    std::string m_jump;
    std::string m_last_report;
    float m_report_cell = 0;  // this frame's cell (the panels: their text unit), for --report-layout
};

void StepperView::solve_if_needed() {
    if (!m_dirty) return;
    m_dirty = false;
    auto s = solve_stepper(m_problem);
    if (s) {
        m_solution = std::move(*s);
        m_error.reset();
        if (transposed()) m_transpose.solve(m_problem);
        m_seq = transposed() ? m_transpose.sequence() : StepSequence::of(*m_solution);
        m_ph = m_seq.clamp(m_ph);
        const StepperSolution& so = *m_solution;
        m_ext_h = in_h() + so.pad_top + so.pad_bottom;
        m_ext_w = in_w() + so.pad_left + so.pad_right;
        for (const Trace& t : so.traces)
            for (const TraceTerm& term : t.terms) {
                m_ext_h = std::max(m_ext_h, term.iy + so.pad_top + 1);
                m_ext_w = std::max(m_ext_w, term.ix + so.pad_left + 1);
            }
    } else {
        m_ext_h = in_h();
        m_ext_w = in_w();
        m_solution.reset();
        m_error = s.err();
        m_seq = StepSequence({});
        m_ph = Playhead{};
        m_playing = false;
    }
}

// [SECTION] Controls panel

// A control's label on its own line above it (the settings panel is narrow); returns the hidden ImGui label.
const char* above(Str label) {
    static std::string id;
    ImGui::TextUnformatted(tr(label));
    id = std::string("##") + tr(label, Lang::En);
    return id.c_str();
}

// Two integer sliders on one row ("H, W"); true when either changed. Dragging stays within lo–hi; a value
// typed (Ctrl+click) may go down to typed_lo, so a stride of 0 or a negative padding reaches core, whose
// refusal the canvas then explains, instead of being clamped without a word. Above hi is clamped (the grids'
// size limit, not a rule of convolution).
bool pair_slider(const char* label, int64_t& h, int64_t& w, int lo, int hi, int typed_lo) {
    int v[2] = {int(h), int(w)};
    const bool changed = ImGui::SliderInt2(
        label, v, lo, hi, "%d", typed_lo < lo ? ImGuiSliderFlags_None : ImGuiSliderFlags_AlwaysClamp);
    if (changed) {
        h = std::clamp(v[0], std::min(typed_lo, lo), hi);
        w = std::clamp(v[1], std::min(typed_lo, lo), hi);
    }
    return changed;
}
bool pair_slider(const char* label, int64_t& h, int64_t& w, int lo, int hi) {
    return pair_slider(label, h, w, lo, hi, lo);
}

bool StepperView::draw_controls(ViewContext& ctx) {
    bool changed = false;
    ImGui::PushItemWidth(-FLT_MIN);

    // Examples
    const auto presets = stepper_presets();
    auto preset_name = [](std::string_view key) -> const char* {
        static const std::pair<std::string_view, Str> names[] = {
            {"lecture", Str::preset_lecture},
            {"lecture_padding", Str::preset_lecture_padding},
            {"stride2", Str::preset_stride2},
            {"floor", Str::preset_floor},
            {"edge", Str::preset_edge},
            {"blur", Str::preset_blur},
            {"sharpen", Str::preset_sharpen},
            {"rgb_bias", Str::preset_rgb_bias},
            {"max_pool", Str::preset_max_pool},
            {"avg_pool", Str::preset_avg_pool},
            {"rgb_7x5", Str::preset_rgb_7x5},
            {"max_pool_ceil", Str::preset_max_pool_ceil},
            {"diagonal16", Str::preset_diagonal16},
            {"transpose_checkerboard", Str::preset_transpose_checkerboard},
            {"transpose_dcgan", Str::preset_transpose_dcgan},
            {"im2col_lecture", Str::preset_im2col_lecture}};
        for (const auto& [k, s] : names)
            if (k == key) return tr(s);
        return "?";
    };
    if (ImGui::BeginCombo(above(Str::preset),
                          m_preset.empty() ? tr(Str::preset_custom) : preset_name(m_preset))) {
        for (const StepperPreset& p : presets)
            if (ImGui::Selectable(preset_name(p.key), p.key == m_preset)) {
                load(p.problem);
                m_preset = p.key;
                m_im2col.open = p.key == "im2col_lecture";
            }
        ImGui::EndCombo();
    }
    if (ImGui::Button(tr(Str::randomize))) {
        randomize_small_ints(m_problem.input, m_seed++, 0, 5);
        if (is_conv() || transposed()) randomize_small_ints(m_problem.weight, m_seed++, -1, 2);
        changed = true;
    }
    ImGui::Separator();

    // Operation
    int op = int(m_problem.op);
    const char* ops[] = {tr(Str::op_conv), tr(Str::op_max), tr(Str::op_avg), tr(Str::op_conv_transpose)};
    if (ImGui::Combo(above(Str::op), &op, ops, 4) && StepOp(op) != m_problem.op) {
        // Into or out of a transposed problem the kernel's axes differ (C×O vs O×C): start from an example.
        if (transposed()) m_problem = lecture_example();
        if (StepOp(op) == StepOp::ConvTranspose) m_problem = transpose_presets()[0].problem;
        m_problem.op = StepOp(op);
        if (is_conv() && m_problem.weight.numel() == 0) {
            m_problem.weight = Tensor::filled({1, channels(), 3, 3}, 0.0f);
            m_problem.weight.data = std::vector<float>(size_t(channels()) * 9, 0.0f);
            for (int64_t c = 0; c < channels(); ++c)
                for (int i : {0, 2, 4, 6, 8}) m_problem.weight.data[size_t(c * 9 + i)] = 1.0f;
            m_problem.bias = Tensor::filled({1});
        }
        changed = true;
    }

    // Input
    int64_t h = in_h(), w = in_w(), c = channels();
    if (pair_slider(above(Str::input_hw), h, w, 1, kMaxSide)) changed = true;
    int ci = int(c);
    if (ImGui::SliderInt(above(Str::in_channels), &ci, 1, kMaxIn, "%d", ImGuiSliderFlags_AlwaysClamp)) {
        c = ci;
        changed = true;
    }
    if (h != in_h() || w != in_w() || c != channels()) {
        m_problem.input = resized(m_problem.input, {c, h, w});
        if (is_conv() || m_problem.weight.numel() > 0) {
            const Shape& ws = m_problem.weight.shape;
            m_problem.weight = resized(m_problem.weight, transposed() ? Shape{c, ws[1], ws[2], ws[3]}
                                                                      : Shape{ws[0], c, ws[2], ws[3]});
        }
    }

    if (is_conv()) {
        Conv2dParams& p = m_problem.conv;
        int64_t o = m_problem.weight.dim(0), kh = m_problem.weight.dim(2), kw = m_problem.weight.dim(3);
        int oi = int(o);
        if (ImGui::SliderInt(above(Str::out_channels), &oi, 1, kMaxOut, "%d", ImGuiSliderFlags_AlwaysClamp))
            o = oi;
        if (pair_slider(above(Str::kernel_hw), kh, kw, 1, kMaxKernel)) changed = true;
        if (o != m_problem.weight.dim(0) || kh != m_problem.weight.dim(2) || kw != m_problem.weight.dim(3)) {
            m_problem.weight = resized(m_problem.weight, {o, c, kh, kw});
            m_problem.bias = resized(Tensor({1, 1, m_problem.bias.numel()}, m_problem.bias.data), {1, 1, o});
            m_problem.bias.shape = {o};
            changed = true;
        }
        if (pair_slider(above(Str::stride), p.stride.h, p.stride.w, 1, kMaxStride, -kMaxStride))
            changed = true;
        int kind = int(p.padding.kind);
        const char* kinds[] = {tr(Str::padding_numbers), "same", "valid"};
        if (ImGui::Combo(above(Str::padding_kind), &kind, kinds, 3)) {
            p.padding.kind = PaddingKind(kind);
            changed = true;
        }
        if (p.padding.kind == PaddingKind::Explicit &&
            pair_slider(above(Str::padding), p.padding.amount.h, p.padding.amount.w, 0, kMaxPad, -kMaxPad))
            changed = true;
        if (pair_slider(above(Str::dilation), p.dilation.h, p.dilation.w, 1, kMaxDilation)) changed = true;
        int mode = int(p.padding_mode);
        const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
        if (ImGui::Combo(above(Str::padding_mode), &mode, modes, 4)) {
            p.padding_mode = PaddingMode(mode);
            changed = true;
        }
        if (ImGui::Checkbox(tr(Str::bias), &m_problem.has_bias)) changed = true;
        if (m_problem.has_bias)
            for (int64_t i = 0; i < o; ++i) {
                ImGui::PushID(int(i));
                const std::string label = std::string(tr(Str::bias)) + " " + std::to_string(i);
                if (ImGui::InputFloat(label.c_str(), &m_problem.bias.data[size_t(i)], 1.0f, 0.0f, "%g"))
                    changed = true;
                ImGui::PopID();
            }
        if (ImGui::Checkbox(tr(Str::flip_toggle), &p.flip)) changed = true;
        ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
        ImGui::TextWrapped("%s", tr(p.flip ? Str::flip_on_caption : Str::flip_off_caption));
        ImGui::PopStyleColor();
        ImGui::Checkbox(tr(Str::im2col_toggle), &m_im2col.open);
    } else if (transposed()) {
        bool view_changed = false;
        if (m_transpose.draw_controls(m_problem, view_changed)) changed = true;
        if (view_changed) {
            m_seq = m_transpose.sequence();
            m_ph = m_seq.start();
        }
    } else {
        Pool2dParams& p = m_problem.pool;
        if (pair_slider(above(Str::kernel_hw), p.kernel.h, p.kernel.w, 1, kMaxKernel)) changed = true;
        Pair s = p.effective_stride();
        if (pair_slider(above(Str::stride), s.h, s.w, 1, kMaxStride, -kMaxStride)) {
            p.stride = s;
            changed = true;
        }
        if (pair_slider(above(Str::padding), p.padding.h, p.padding.w, 0, kMaxPad, -kMaxPad)) changed = true;
        if (m_problem.op == StepOp::MaxPool &&
            pair_slider(above(Str::dilation), p.dilation.h, p.dilation.w, 1, kMaxDilation))
            changed = true;
        if (ImGui::Checkbox(tr(Str::ceil_mode), &p.ceil_mode)) changed = true;
        if (m_problem.op == StepOp::AvgPool &&
            ImGui::Checkbox(tr(Str::count_include_pad), &p.count_include_pad))
            changed = true;
    }
    ImGui::PopItemWidth();
    (void)ctx;
    if (changed) m_preset.clear();
    return changed;
}

// [SECTION] Playback and keys

void StepperView::step(bool forward, bool by_term) {
    // Predicting: the first press shows the hidden value, the next one moves on.
    if (forward && hidden()) {
        m_revealed_window = m_ph.window;
        return;
    }
    if (by_term)
        m_ph = forward ? m_seq.next_term(m_ph) : m_seq.prev_term(m_ph);
    else
        m_ph = forward ? m_seq.next_window(m_ph) : m_seq.prev_window(m_ph);
}

// The clicker and the keyboard: next (PageDown → ↓ N Enter), previous (PageUp ← ↑ P Backspace), by term
// when "term by term" is on (Shift swaps), Space play/pause, Home/End, digits then Enter jump to a window.
void StepperView::handle_keys(ViewContext& ctx) {
    if (!ctx.keys) return;
    if (ImGui::GetIO().WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    for (const KeyPress& k : *ctx.keys) {
        if (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) continue;
        const bool shift = (k.mods & GLFW_MOD_SHIFT) != 0;
        const bool by_term = m_by_term != shift;
        int digit = -1;
        if (k.key >= GLFW_KEY_0 && k.key <= GLFW_KEY_9 && !shift) digit = k.key - GLFW_KEY_0;
        if (k.key >= GLFW_KEY_KP_0 && k.key <= GLFW_KEY_KP_9) digit = k.key - GLFW_KEY_KP_0;
        if (digit >= 0) {
            if (m_jump.size() < 6) m_jump += char('0' + digit);
            continue;
        }
        switch (k.key) {
            case GLFW_KEY_RIGHT:
            case GLFW_KEY_DOWN:
            case GLFW_KEY_PAGE_DOWN:
            case GLFW_KEY_N:
                step(true, by_term);
                break;
            case GLFW_KEY_LEFT:
            case GLFW_KEY_UP:
            case GLFW_KEY_PAGE_UP:
            case GLFW_KEY_P:
                step(false, by_term);
                break;
            case GLFW_KEY_ENTER:
            case GLFW_KEY_KP_ENTER:
                if (m_jump.empty()) {
                    step(true, by_term);
                } else {
                    m_ph = m_seq.at_window(std::stoll(m_jump) - 1);
                    m_jump.clear();
                    m_playing = false;
                }
                break;
            case GLFW_KEY_BACKSPACE:
                if (m_jump.empty())
                    step(false, by_term);
                else
                    m_jump.pop_back();
                break;
            case GLFW_KEY_ESCAPE:
                m_jump.clear();
                break;
            case GLFW_KEY_R:
                m_revealed_window = m_ph.window;  // predict, then reveal
                break;
            case GLFW_KEY_HOME:
                m_ph = m_seq.start();
                break;
            case GLFW_KEY_END:
                m_ph = m_seq.end();
                break;
            case GLFW_KEY_SPACE:
                if (!m_playing && m_ph == m_seq.end()) m_ph = m_seq.start();
                m_playing = !m_playing;
                m_accum = 0.0f;
                break;
            default:
                break;
        }
    }
}

void StepperView::advance_playback(ViewContext& ctx) {
    if (!m_playing) return;
    ctx.requests.need_frames();  // playing: the app must not sleep
    // A speed of 0 (a hand-edited settings file) would play without moving: the slider's least is the floor.
    const float speed = std::clamp(m_speed, 0.25f, 20.0f);
    // The frame after the app slept has a long DeltaTime: it must not play the sleep's steps at once.
    m_accum += std::min(ImGui::GetIO().DeltaTime, 0.1f) * speed;
    while (m_accum >= 1.0f) {
        m_accum -= 1.0f;
        step(true, m_by_term);
        if (m_ph == m_seq.end()) {
            m_playing = false;
            m_accum = 0.0f;
        }
    }
}

void StepperView::draw_toolbar() {
    const bool disabled = !m_solution || m_recording;
    // Each button on the same row while it fits, else on the next (a large UI scale on a small screen).
    const auto next_to = [](const std::string& label) {
        const float w =
            ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    };
    ImGui::BeginDisabled(disabled);
    next_to("|◀");
    if (ImGui::Button("|◀")) m_ph = m_seq.start();
    next_to(" ◀ ");
    if (ImGui::Button(" ◀ ")) step(false, m_by_term);
    const std::string play =
        m_playing ? std::string("❚❚ ") + tr(Str::pause) : std::string("▶ ") + tr(Str::play);
    next_to(play);
    if (ImGui::Button((play + "###play").c_str())) {
        if (!m_playing && m_ph == m_seq.end()) m_ph = m_seq.start();
        m_playing = !m_playing;
        m_accum = 0.0f;
    }
    next_to(" ▶ ");
    if (ImGui::Button(" ▶ ")) step(true, m_by_term);
    next_to("▶|");
    if (ImGui::Button("▶|")) m_ph = m_seq.end();
    // The scrubber: every window, with "Start" before the first; on the same row when there is room.
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 9) ImGui::NewLine();
    int w = int(m_ph.window);
    const int n = int(m_seq.windows());
    const bool stamps = transposed() && !m_transpose.gather;
    const std::string label = w < 0    ? std::string(tr(Str::before_start))
                              : stamps ? trf(Str::tr_stamp_n, w + 1, n)
                                       : trf(Str::window_n, w + 1, n);
    if (m_recording) {
        // Recording: the scrubber's place shows the progress (outside the canvas, so not in the GIF).
        ImGui::EndDisabled();
        ImGui::ProgressBar(n ? float(w + 1) / float(n) : 0.0f, ImVec2(-1, 0), label.c_str());
        return;
    }
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##scrub", &w, -1, std::max(0, n - 1), label.c_str(), ImGuiSliderFlags_AlwaysClamp))
        m_ph = m_seq.at_window(w);
    ImGui::EndDisabled();
}

// Term-by-term playback and the speed, at the top of the settings panel.
void StepperView::draw_playback_settings(ViewContext&) {
    ImGui::Checkbox(tr(Str::by_term), &m_by_term);
    if (ImGui::Checkbox(tr(Str::predict_toggle), &m_predict)) m_revealed_window = m_ph.window;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::predict_tip));
    ImGui::TextUnformatted(tr(Str::speed));
    ImGui::SetNextItemWidth(-FLT_MIN);
    const std::string fmt = trf(Str::steps_per_s, double(m_speed));
    ImGui::SliderFloat("##speed", &m_speed, 0.25f, 10.0f, fmt.c_str(), ImGuiSliderFlags_Logarithmic);
}

// [SECTION] Output size and legend

// The formula lines "H_out = ⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3", and in `notes` why the floor drops rows/columns
// when the division is not whole.
std::vector<std::string> StepperView::size_lines(std::vector<std::string>* notes) const {
    std::vector<std::string> lines;
    if (!m_solution) return lines;
    const auto line = [&](const char* name, const AxisSpec& a, Str one, Str many) {
        const std::string f = tr_axis_formula(a);
        lines.push_back(std::string(name) + " = " + f);
        const AxisSize s = axis_size(a);
        const double quotient = s.exact - 1.0;
        const int64_t unreached = s.padded_in - s.reached;
        if (notes && quotient != std::floor(quotient) && unreached > 0 && !a.ceil_mode) {
            const std::string q = format_number(quotient);
            const std::string fl = std::to_string(int64_t(std::floor(quotient)));
            const std::string which = unreached == 1        ? std::string(tr(one))
                                      : many == Str::rows_n ? trf(Str::rows_n, int(unreached))
                                                            : trf(Str::cols_n, int(unreached));
            notes->push_back(trf(Str::floor_note, name, q.c_str(), fl.c_str(), which.c_str()));
        }
    };
    line("H_out", m_solution->axis_h, Str::rows_1, Str::rows_n);
    line("W_out", m_solution->axis_w, Str::cols_1, Str::cols_n);
    if (notes && is_conv() && m_problem.conv.flip) notes->push_back(tr(Str::flip_on_caption));
    return lines;
}

// Formula lines shrink to fit `width`; notes wrap.
void StepperView::draw_size_lines(ViewContext& ctx, float width) {
    const Palette& pal = palette();
    std::vector<std::string> notes;
    const float x0 = ImGui::GetCursorPosX();
    ImFont* f = ctx.fonts.for_size(formula_size());
    for (const std::string& l : size_lines(&notes)) {
        ImGui::SetCursorPosX(x0);
        text_line(f, fit_size(f, formula_size(), width, l), pal.text, l);
    }
    for (const std::string& n : notes) {
        ImGui::SetCursorPosX(x0);
        text_wrapped(ctx.fonts.for_size(legend_size()), legend_size(), pal.text_muted, n, width);
    }
}

// The colour key, one item per role shown; `vertical` puts one per line (beside the grids), else the items
// flow and wrap within `width`.
void StepperView::draw_legend(ViewContext& ctx, bool vertical, float width) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float sw = legend_size();
    ImFont* f = ctx.fonts.for_size(sw);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImVec2 at = start;
    float bottom = start.y;
    const auto item = [&](Role role, const char* text, bool outline) {
        const float item_w = sw * 1.4f + text_size(f, sw, text).x;
        if (vertical || (at.x > start.x && at.x + item_w > start.x + width)) {
            if (at.x > start.x || at.y < bottom) at = ImVec2(start.x, bottom);
        }
        const ImVec2 p = at;
        const ImVec2 q(p.x + sw, p.y + sw);
        dl->AddText(f, sw, ImVec2(p.x + sw * 1.4f, p.y), pal.text, text);
        bottom = std::max(bottom, p.y + sw * 1.45f);
        at.x += item_w + sw * 1.2f;
        if (outline) {
            dl->AddRect(p, q, pal.strong(role), 0, 0, std::max(2.0f, sw * 0.14f));
        } else if (role == Role::Unreached) {
            dl->AddRectFilled(p, q, pal.fill(Role::Input));
            dl->AddRectFilled(p, q, pal.fill(Role::Unreached));
            hatch(dl, p, q, with_alpha(pal.text, 0.5f), sw / 3, 1.0f);
        } else {
            dl->AddRectFilled(p, q, pal.fill(role));
            dl->AddRect(p, q, pal.strong(role), 0, 0, std::max(1.5f, sw * 0.07f));
            if (role == Role::Padding) hatch(dl, p, q, pal.strong(role), sw / 3, 1.0f);
        }
    };
    item(Role::Input, tr(Str::label_input), false);
    if (m_solution &&
        (m_solution->pad_top || m_solution->pad_left || m_solution->pad_bottom || m_solution->pad_right))
        item(Role::Padding, tr(Str::legend_padding), false);
    if (is_conv()) item(Role::Kernel, tr(Str::label_kernel), false);
    item(Role::Output, tr(Str::label_output), false);
    item(Role::Window, tr(Str::legend_window), true);
    if (m_problem.op == StepOp::MaxPool) item(Role::Chosen, tr(Str::legend_chosen), true);
    if (m_solution) {
        const AxisSize ah = axis_size(m_solution->axis_h), aw = axis_size(m_solution->axis_w);
        if (ah.reached < ah.padded_in || aw.reached < aw.padded_in)
            item(Role::Unreached, tr(Str::legend_unreached), false);
    }
    ImGui::Dummy(ImVec2(vertical ? width : std::min(width, at.x - start.x), bottom - start.y));
}

// [SECTION] Grids

Layout StepperView::layout(ViewContext& ctx, ImVec2 avail) const {
    Layout L;
    L.label_px = std::max(13.0f, m_t * 0.7f);
    L.label_h = L.label_px * 1.3f;
    const int64_t C = channels();
    const int64_t ph = m_ext_h, pw = m_ext_w;
    const int64_t kh = is_conv() ? m_problem.weight.dim(2) : 0, kw = is_conv() ? m_problem.weight.dim(3) : 0;
    const int64_t O = m_solution ? m_solution->out_channels : 0;
    const int64_t oh = m_solution ? m_solution->oh : 0, ow = m_solution ? m_solution->ow : 0;
    // Labels may shrink to 85% of their size, no further; a column is as wide as its grid or its label.
    ImFont* lf = ctx.fonts.for_size(L.label_px);
    const auto label_w = [&](const std::string& text) { return text_size(lf, L.label_px * 0.85f, text).x; };
    const float lin = label_w(input_label(C - 1));
    const float lk = is_conv() ? label_w(kernel_label(m_problem.weight.dim(0) - 1, C - 1)) : 0.0f;
    const float lout = O ? label_w(output_label(O - 1)) : 0.0f;
    const auto gap_at = [&](float cell) { return std::max(m_t * 1.3f, cell * 0.6f); };
    const auto block_gap_at = [&](float cell) { return std::max(m_t * 0.8f, cell * 0.35f); };
    // Size of the grid area at `cell` with a input+kernel pairs and b outputs per row.
    const auto extent = [&](float cell, int a, int b) {
        const float gap = gap_at(cell), bgap = block_gap_at(cell);
        const float in_col = std::max(float(pw) * cell, lin), k_col = kw ? std::max(float(kw) * cell, lk) : 0;
        const float out_col = O ? std::max(float(ow) * cell, lout) : 0;
        const float block_w = in_col + (kw ? gap + k_col : 0.0f);
        const int64_t in_rows = (C + a - 1) / a, out_rows = O ? (O + b - 1) / b : 0;
        const float w = float(a) * block_w + float(a - 1) * bgap +
                        (O ? gap + float(b) * out_col + float(b - 1) * bgap : 0.0f);
        const float block_h = L.label_h + float(std::max(ph, kh)) * cell;
        const float h_in = float(in_rows) * block_h + float(in_rows - 1) * bgap * 0.5f;
        const float h_out = float(out_rows) * (L.label_h + float(oh) * cell) +
                            float(std::max<int64_t>(out_rows - 1, 0)) * bgap * 0.5f;
        return ImVec2(w, std::max(h_in, h_out));
    };
    // For each tiling, the largest cell that fits both ways (the extent grows with the cell); the tiling
    // with the largest cell wins, the one with fewer columns on a tie.
    const float max_cell = std::max(kMinCell, m_t * 6.0f);
    float best = -1.0f;
    // Where no tiling fits at the smallest cell (three channels of a 7×5 kernel), the one that overflows
    // least wins, so the channels go side by side into the free width instead of down past the screen.
    float least_over = FLT_MAX;
    const auto overflow = [&](int a, int b) {
        const ImVec2 e = extent(kMinCell, a, b);
        return std::max(e.x / std::max(1.0f, avail.x), e.y / std::max(1.0f, avail.y));
    };
    for (int a = 1; a <= int(C); ++a)
        for (int b = 1; b <= std::max<int>(1, int(O)); ++b) {
            const auto fits = [&](float cell) {
                const ImVec2 e = extent(cell, a, b);
                return e.x <= avail.x && e.y <= avail.y;
            };
            float lo = kMinCell, hi = max_cell;
            if (fits(hi)) lo = hi;
            for (int i = 0; i < 30 && hi - lo > 0.25f; ++i) {
                const float mid = 0.5f * (lo + hi);
                (fits(mid) ? lo : hi) = mid;
            }
            const float over = lo <= kMinCell ? overflow(a, b) : 0.0f;
            if (lo > best + 0.5f || (lo <= kMinCell && best <= kMinCell && over < least_over)) {
                best = lo;
                least_over = over;
                L.in_cols = a;
                L.out_cols = b;
            }
        }
    L.cell = std::floor(best);
    L.gap = gap_at(L.cell);
    L.block_gap = block_gap_at(L.cell);
    L.origin = ImGui::GetCursorScreenPos();
    L.in_w = std::max(float(pw) * L.cell, lin);
    L.k_w = kw ? std::max(float(kw) * L.cell, lk) : 0.0f;
    L.out_w = O ? std::max(float(ow) * L.cell, lout) : 0.0f;
    const float block_w = L.in_w + (kw ? L.gap + L.k_w : 0.0f);
    const float block_h = L.label_h + float(std::max(ph, kh)) * L.cell;
    for (int64_t c = 0; c < C; ++c) {
        const float x = L.origin.x + float(c % L.in_cols) * (block_w + L.block_gap);
        const float y = L.origin.y + L.label_h + float(c / L.in_cols) * (block_h + L.block_gap * 0.5f);
        L.input.push_back(ImVec2(x, y));
        if (kw) L.kernel.push_back(ImVec2(x + L.in_w + L.gap, y));
    }
    const float out_x = L.origin.x + float(L.in_cols) * block_w + float(L.in_cols - 1) * L.block_gap + L.gap;
    for (int64_t o = 0; o < O; ++o)
        L.output.push_back(
            ImVec2(out_x + float(o % L.out_cols) * (L.out_w + L.block_gap),
                   L.origin.y + L.label_h +
                       float(o / L.out_cols) * (L.label_h + float(oh) * L.cell + L.block_gap * 0.5f)));
    L.size = extent(L.cell, L.in_cols, L.out_cols);
    return L;
}

// Text of a cell: the number at a share of the cell, shrunk to fit its width whole (a long negative number
// keeps its minus sign).
void cell_number(ImDrawList* dl, ViewContext& ctx, ImVec2 a, float cell, ImVec2 offset, float size_frac,
                 ImU32 col, const std::string& text, float width_frac = 0.86f) {
    const float size = cell * size_frac;
    text_centred(dl, ctx.fonts.for_size(size), size,
                 ImVec2(a.x + cell * 0.5f + offset.x, a.y + cell * 0.5f + offset.y), col, text,
                 cell * width_frac);
}

void grid_label(ImDrawList* dl, ViewContext& ctx, const Layout& L, ImVec2 grid_top_left, float max_w,
                ImU32 col, const std::string& text) {
    ImFont* f = ctx.fonts.for_size(L.label_px);
    const float size = fit_size(f, L.label_px, max_w, text);
    dl->AddText(f, size, ImVec2(grid_top_left.x, grid_top_left.y - L.label_h), col, text.c_str());
}

void StepperView::draw_input_grid(ViewContext& ctx, const Layout& L, int64_t c) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const int64_t pt = m_solution ? m_solution->pad_top : 0, pl = m_solution ? m_solution->pad_left : 0;
    const int64_t H = in_h(), W = in_w();
    const int64_t ph = H + pt + (m_solution ? m_solution->pad_bottom : 0);
    const int64_t pw = W + pl + (m_solution ? m_solution->pad_right : 0);
    const ImVec2 o = L.input[size_t(c)];
    record_grid(o, ImVec2(o.x + float(pw) * cell, o.y + float(ph) * cell));
    grid_label(dl, ctx, L, o, L.in_w, pal.strong(Role::Input), input_label(c));

    const Trace* t = current_trace();
    const PaddingMode mode = is_conv() ? m_problem.conv.padding_mode : PaddingMode::Zeros;
    const AxisSize ah = m_solution ? axis_size(m_solution->axis_h) : AxisSize{};
    const AxisSize aw = m_solution ? axis_size(m_solution->axis_w) : AxisSize{};

    // Which padded cells the current window covers (this channel), with their weights and term indices.
    std::map<std::pair<int64_t, int64_t>, size_t> covered;
    if (t)
        for (size_t i = 0; i < t->terms.size(); ++i)
            if (t->terms[i].c == c) covered[{t->terms[i].iy, t->terms[i].ix}] = i;
    const int64_t term_now = t && !m_seq.complete(m_ph) ? m_ph.term : -1;

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int64_t r = 0; r < ph; ++r)
        for (int64_t q = 0; q < pw; ++q) {
            const int64_t iy = r - pt, ix = q - pl;  // input coordinates (negative in the padding)
            const bool pad = iy < 0 || iy >= H || ix < 0 || ix >= W;
            const ImVec2 a(o.x + float(q) * cell, o.y + float(r) * cell), b(a.x + cell, a.y + cell);
            // The value shown: the input, or what the padding mode reads there (zeros: 0).
            float value = 0.0f;
            if (!pad)
                value = m_problem.input.data[size_t((c * H + iy) * W + ix)];
            else if (const auto sy = source_index(iy, H, mode), sx = source_index(ix, W, mode); sy && sx)
                value = m_problem.input.data[size_t((c * H + *sy) * W + *sx)];
            const auto it = covered.find({iy, ix});
            const bool in_window = it != covered.end();
            const bool is_term = in_window && int64_t(it->second) == term_now;
            ImU32 fill = pad ? pal.fill(Role::Padding) : pal.fill(Role::Input);
            if (is_term) fill = pal.fill(Role::Term);
            dl->AddRectFilled(a, b, fill);
            if (pad && !is_term)
                hatch(dl, a, b, with_alpha(pal.strong(Role::Padding), 0.35f), cell / 5, L.thin());
            if (m_solution && (r >= ah.reached || q >= aw.reached))
                dl->AddRectFilled(a, b, pal.fill(Role::Unreached));
            dl->AddRect(a, b, pal.grid_line, 0, 0, L.thin());
            ImU32 text_col = is_term ? text_on(fill) : pad ? pal.strong(Role::Padding) : pal.text;
            std::string text =
                (pad && !is_conv() && m_problem.op == StepOp::MaxPool) ? "−∞" : format_number_typeset(value);
            if (in_window && is_conv()) {
                const TraceTerm& term = t->terms[it->second];
                // The value above, the weight it is multiplied by below on a strip of the kernel's colour:
                // both shrink to fit the cell whole, never clipped.
                cell_number(dl, ctx, a, cell, ImVec2(0, -cell * 0.18f), 0.44f, text_col, text);
                const std::string wt = "×" + format_number_typeset(term.w);
                const float inset = std::max(1.0f, L.thin());
                const ImVec2 sa(a.x + inset, b.y - cell * 0.4f), sb(b.x - inset, b.y - inset);
                dl->AddRectFilled(sa, sb, pal.fill(Role::Kernel), cell * 0.06f);
                text_centred(dl, ctx.fonts.for_size(cell * 0.32f), cell * 0.32f,
                             ImVec2((sa.x + sb.x) * 0.5f, (sa.y + sb.y) * 0.5f),
                             text_on(pal.fill(Role::Kernel)), wt, cell * 0.9f);
            } else {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, text_col, text);
            }
            // Hover: light every output this cell feeds; click: edit (not padding).
            if (!m_recording && ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x &&
                mouse.y >= a.y && mouse.y < b.y) {
                m_hover = std::array<int64_t, 3>{c, iy, ix};
                if (!pad && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                    m_edit = EditTarget{false, 0, c, iy, ix};
                    m_edit_value = value;
                    m_open_edit = true;
                }
            }
        }
    // The image's own border: padding lies outside it.
    const ImVec2 ia(o.x + float(pl) * cell, o.y + float(pt) * cell);
    dl->AddRect(ia, ImVec2(ia.x + float(W) * cell, ia.y + float(H) * cell), pal.strong(Role::Input), 0, 0,
                L.border());
    // The current window: each covered cell outlined, and the window's bounding box.
    if (!covered.empty()) {
        float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
        for (const auto& [pos, i] : covered) {
            const ImVec2 a(o.x + float(pos.second + pl) * cell, o.y + float(pos.first + pt) * cell);
            x0 = std::min(x0, a.x), y0 = std::min(y0, a.y), x1 = std::max(x1, a.x + cell),
            y1 = std::max(y1, a.y + cell);
            const float in = L.outline() * 0.5f;
            dl->AddRect(ImVec2(a.x + in, a.y + in), ImVec2(a.x + cell - in, a.y + cell - in),
                        with_alpha(pal.strong(Role::Window), 0.8f), 0, 0, L.outline() * 0.45f);
        }
        dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), pal.strong(Role::Window), 0, 0, L.outline());
        // Max pooling: ring the chosen element once the window is complete.
        if (t->kind == TraceKind::MaxPool && t->argmax >= 0 && m_seq.complete(m_ph) &&
            t->terms[size_t(t->argmax)].c == c) {
            const TraceTerm& best = t->terms[size_t(t->argmax)];
            const ImVec2 ctr(o.x + (float(best.ix + pl) + 0.5f) * cell,
                             o.y + (float(best.iy + pt) + 0.5f) * cell);
            dl->AddCircle(ctr, cell * 0.42f, pal.strong(Role::Chosen), 0, L.outline() * 0.8f);
        }
    }
}

void StepperView::draw_kernel_grid(ViewContext& ctx, const Layout& L, int64_t c) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const Trace* t = current_trace();
    const int64_t o = t ? t->o : 0;
    const int64_t C = channels(), kh = m_problem.weight.dim(2), kw = m_problem.weight.dim(3);
    const ImVec2 org = L.kernel[size_t(c)];
    record_grid(org, ImVec2(org.x + float(kw) * cell, org.y + float(kh) * cell));
    grid_label(dl, ctx, L, org, L.k_w, pal.strong(Role::Kernel),
               kernel_label(o, c) + (m_problem.conv.flip ? " (180°)" : ""));
    // The operator between input and kernel, as the lecture writes it.
    const float mid = org.y + float(std::min<int64_t>(kh, 3)) * cell * 0.5f;
    // DejaVu's ⋆ is drawn small; twice the size matches the = sign.
    const float op_px = std::min(L.gap * 0.9f, cell * 0.7f) * 2.0f;
    text_centred(dl, ctx.fonts.for_size(op_px), op_px, ImVec2(org.x - L.gap * 0.5f, mid), pal.text, "⋆",
                 L.gap);
    int64_t term_ky = -1, term_kx = -1;
    if (t && !m_seq.complete(m_ph) && m_ph.term < int64_t(t->terms.size()) &&
        t->terms[size_t(m_ph.term)].c == c) {
        term_ky = t->terms[size_t(m_ph.term)].ky;
        term_kx = t->terms[size_t(m_ph.term)].kx;
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
            const ImVec2 a(org.x + float(x) * cell, org.y + float(y) * cell), b(a.x + cell, a.y + cell);
            const bool is_term = y == term_ky && x == term_kx;
            const ImU32 fill = is_term ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
            dl->AddRectFilled(a, b, fill);
            dl->AddRect(a, b, pal.grid_line, 0, 0, L.thin());
            // Flipped, the grid shows the rotated kernel: the weights the window's terms use.
            const int64_t sy = m_problem.conv.flip ? kh - 1 - y : y,
                          sx = m_problem.conv.flip ? kw - 1 - x : x;
            const float v = m_problem.weight.data[size_t(((o * C + c) * kh + sy) * kw + sx)];
            cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, is_term ? text_on(fill) : pal.text,
                        format_number_typeset(v));
            if (!m_recording && ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x &&
                mouse.y >= a.y && mouse.y < b.y && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                m_edit = EditTarget{true, o, c, sy, sx};
                m_edit_value = v;
                m_open_edit = true;
            }
        }
    dl->AddRect(org, ImVec2(org.x + float(kw) * cell, org.y + float(kh) * cell), pal.strong(Role::Kernel), 0,
                0, L.border());
}

void StepperView::draw_output_grid(ViewContext& ctx, const Layout& L, int64_t o) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cell = L.cell;
    const StepperSolution& s = *m_solution;
    const ImVec2 org = L.output[size_t(o)];
    record_grid(org, ImVec2(org.x + float(s.ow) * cell, org.y + float(s.oh) * cell));
    grid_label(dl, ctx, L, org, L.out_w, pal.strong(Role::Output), output_label(o));
    if (o % L.out_cols == 0) {
        const float mid = org.y + float(std::min<int64_t>(s.oh, 3)) * cell * 0.5f;
        const float op_px = std::min(L.gap * 0.9f, cell * 0.7f);
        text_centred(dl, ctx.fonts.for_size(op_px), op_px, ImVec2(org.x - L.gap * 0.5f, mid), pal.text,
                     is_conv() ? "=" : "→", L.gap);
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int64_t y = 0; y < s.oh; ++y)
        for (int64_t x = 0; x < s.ow; ++x) {
            const int64_t w = s.window_of(o, y, x);
            const ImVec2 a(org.x + float(x) * cell, org.y + float(y) * cell), b(a.x + cell, a.y + cell);
            const bool filled = m_seq.filled(m_ph, w);
            const bool current = w == m_ph.window;
            const bool fed = m_fed.count(w) > 0;
            dl->AddRectFilled(a, b, filled || current ? pal.fill(Role::Output) : pal.panel);
            if (fed) dl->AddRectFilled(a, b, with_alpha(pal.strong(Role::Feeds), 0.45f));
            dl->AddRect(a, b, pal.grid_line, 0, 0, L.thin());
            if (filled && current && hidden()) {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, pal.strong(Role::Window), "?");
            } else if (filled) {
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.5f, pal.text,
                            format_number_typeset(s.output.data[size_t(w)]));
            } else if (current && m_ph.term < s.term_count(w)) {
                // Term by term: the running sum so far, muted until the window completes.
                const TraceTerm& term = s.traces[size_t(w)].terms[size_t(m_ph.term)];
                cell_number(dl, ctx, a, cell, ImVec2(0, 0), 0.4f, pal.text_muted,
                            format_number_typeset(term.acc) + "…");
            }
            if (fed)
                dl->AddRect(ImVec2(a.x + 3, a.y + 3), ImVec2(b.x - 3, b.y - 3), pal.strong(Role::Feeds), 0, 0,
                            L.outline() * 0.7f);
            // Click: jump to this output's window.
            if (!m_recording && ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x &&
                mouse.y >= a.y && mouse.y < b.y) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                    m_ph = m_seq.at_window(w);
                    m_playing = false;
                }
            }
        }
    dl->AddRect(org, ImVec2(org.x + float(s.ow) * cell, org.y + float(s.oh) * cell), pal.strong(Role::Output),
                0, 0, L.border());
    // The current cell's outline goes over the grid's border, so it reads whole at the edges too.
    if (m_ph.window >= 0 && s.traces[size_t(m_ph.window)].o == o) {
        const Trace& t = s.traces[size_t(m_ph.window)];
        const ImVec2 a(org.x + float(t.ox) * cell, org.y + float(t.oy) * cell);
        dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), pal.strong(Role::Window), 0, 0, L.outline());
    }
}

void StepperView::draw_grids(ViewContext& ctx, const Layout& L) {
    m_hover.reset();
    for (int64_t c = 0; c < channels(); ++c) draw_input_grid(ctx, L, c);
    if (is_conv())
        for (int64_t c = 0; c < channels(); ++c) draw_kernel_grid(ctx, L, c);
    // The outputs the hovered input cell feeds (computed before the outputs are drawn).
    m_fed.clear();
    if (m_hover && m_solution)
        for (int64_t w : windows_reading(*m_solution, (*m_hover)[0], (*m_hover)[1], (*m_hover)[2]))
            m_fed.insert(w);
    if (m_solution)
        for (int64_t o = 0; o < m_solution->out_channels; ++o) draw_output_grid(ctx, L, o);
    ImGui::Dummy(L.size);
}

// [SECTION] Multiply-accumulate line

std::vector<Token> StepperView::mac_tokens() const {
    const Palette& pal = palette();
    std::vector<Token> v;
    const Trace* t = current_trace();
    if (!t) return v;
    const bool complete = m_seq.complete(m_ph);
    const int64_t now = complete ? int64_t(t->terms.size()) : m_ph.term;
    // Colours: done terms plain, the current term on yellow, terms still to come muted; padding terms grey.
    const auto term_token = [&](size_t i, std::string text) {
        Token k;
        k.text = std::move(text);
        const TraceTerm& term = t->terms[i];
        // Padding terms sit on the padding colour, as their cells do: visibly zero, visibly not the image.
        if (term.padding) {
            k.bg = pal.fill(Role::Padding);
            k.col = pal.strong(Role::Padding);
        } else {
            k.col = pal.text;
        }
        // Terms still to come are faint.
        if (int64_t(i) > now) k.col = with_alpha(k.col, 0.4f);
        if (int64_t(i) == now) {
            k.bg = pal.fill(Role::Term);
            k.col = text_on(k.bg);
        }
        return k;
    };
    const auto plain = [&](std::string text, ImU32 col) { return Token{std::move(text), col, 0, false}; };
    const auto newline = [&] { v.push_back(Token{"", 0, 0, true}); };
    // A sentence as one token per word, so it wraps like the sums do.
    const auto words = [&](const std::string& text, ImU32 col) {
        size_t at = 0;
        while (at < text.size()) {
            const size_t next = text.find(' ', text.find_first_not_of(' ', at));
            v.push_back(
                plain(text.substr(at, next == std::string::npos ? std::string::npos : next - at), col));
            at = next;
        }
    };
    switch (t->kind) {
        case TraceKind::ConvTranspose:  // the same sums: per input channel, then + bias
        case TraceKind::Conv: {
            const bool several = t->channels.size() > 1;
            // The lecture's formula heads the lines when there is more than one plain sum.
            if (several || t->has_bias) {
                words(tr(Str::mac_formula), pal.text_muted);
                newline();
            }
            size_t i = 0;
            for (size_t ci = 0; ci < t->channels.size(); ++ci) {
                if (several)
                    v.push_back(plain(trf(Str::channel_n, int(t->channels[ci])) + " ", pal.text_muted));
                bool first = true;
                size_t last = i;
                for (; i < t->terms.size() && t->terms[i].c == t->channels[ci]; ++i) {
                    if (!first) v.push_back(plain(" + ", int64_t(i) > now ? pal.text_muted : pal.text));
                    const TraceTerm& term = t->terms[i];
                    v.push_back(term_token(i, format_product_typeset(term.x, term.w)));
                    first = false;
                    last = i;
                }
                if (int64_t(last) < now) {
                    v.push_back(plain(" = " + format_number_typeset(t->channel_sums[ci]), pal.text));
                } else if (now >= 0 && int64_t(last) >= now &&
                           (ci == 0 || t->terms[last].c == t->terms[size_t(now)].c)) {
                    // The running sum of the channel being summed.
                    if (t->terms[size_t(now)].c == t->channels[ci])
                        v.push_back(plain(" = " + format_number_typeset(t->terms[size_t(now)].acc) + " …",
                                          pal.text_muted));
                }
                newline();
            }
            if (several || t->has_bias) {
                // "5 − 3 + bias 1 = 3": one token per addend, so the line wraps and keeps its "= value".
                const ImU32 col = complete ? pal.text : pal.text_muted;
                for (size_t ci = 0; ci < t->channel_sums.size(); ++ci)
                    v.push_back(plain(ci ? format_addend_typeset(t->channel_sums[ci])
                                         : format_number_typeset(t->channel_sums[ci]),
                                      col));
                if (t->has_bias) {
                    const std::string b = format_number_typeset(t->bias);
                    v.push_back(plain(
                        " + " + std::string(tr(Str::bias_word)) + " " + (t->bias < 0 ? "(" + b + ")" : b),
                        col));
                }
                v.push_back(plain(" = " + format_number_typeset(t->result), col));
            }
            break;
        }
        case TraceKind::MaxPool: {
            v.push_back(plain("max(", pal.text));
            for (size_t i = 0; i < t->terms.size(); ++i) {
                if (i) v.push_back(plain(", ", pal.text));
                Token k = term_token(i, t->terms[i].padding ? "−∞" : format_number_typeset(t->terms[i].x));
                if (complete && int64_t(i) == t->argmax) {
                    k.bg = pal.strong(Role::Chosen);
                    k.col = text_on(k.bg);
                }
                v.push_back(k);
            }
            v.push_back(plain(complete ? ") = " + format_number_typeset(t->result) : ") …",
                              complete ? pal.text : pal.text_muted));
            break;
        }
        case TraceKind::AvgPool: {
            // Padding zeros appear only when the divisor counts them (count_include_pad), as in
            // explain_lines.
            const bool show_padding = t->divisor == float(t->terms.size());
            v.push_back(plain("(", pal.text));
            bool first = true;
            for (size_t i = 0; i < t->terms.size(); ++i) {
                if (t->terms[i].padding && !show_padding) continue;
                if (!first) v.push_back(plain(" + ", pal.text));
                const std::string x = format_number_typeset(t->terms[i].x);
                v.push_back(term_token(i, t->terms[i].x < 0 ? "(" + x + ")" : x));
                first = false;
            }
            v.push_back(
                plain(") / " + format_number_typeset(t->divisor), complete ? pal.text : pal.text_muted));
            v.push_back(plain(complete ? " = " + format_number_typeset(t->result) : " …",
                              complete ? pal.text : pal.text_muted));
            break;
        }
    }
    // Predict, then reveal: every "= value" waits for R or the next step.
    if (hidden())
        for (Token& k : v)
            if (const size_t eq = k.text.find(" = "); eq != std::string::npos)
                k.text = k.text.substr(0, eq + 3) + "?";
    return v;
}

// The MAC text size: a little larger than the canvas text, shrunk (to 70% at most) so the longest line fits
// `width` when it can; many lines (several channels) keep to about a quarter of the canvas height. What
// still does not fit wraps (flow_tokens), never clips.
float StepperView::mac_size(ViewContext& ctx, const std::vector<Token>& tokens, float width) const {
    const float base = m_t * 1.1f;
    ImFont* f = ctx.fonts.for_size(base);
    float longest = 0, x = 0;
    int lines = 1;
    for (const Token& k : tokens) {
        if (k.newline) {
            x = 0;
            ++lines;
            continue;
        }
        x += text_size(f, base, k.text).x;
        longest = std::max(longest, x);
    }
    const float size = longest <= width ? base : std::max(base * 0.7f, base * width / longest);
    const float cap = ImGui::GetContentRegionAvail().y * 0.25f / (1.35f * float(lines));
    return std::max({12.0f, m_t * 0.55f, std::min(size, cap)});
}

// Lays the tokens out left to right at `size`, wrapping at token boundaries; returns the height used. Draws
// when `draw`.
float StepperView::flow_tokens(ViewContext& ctx, const std::vector<Token>& tokens, float width, float size,
                               bool draw) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = ctx.fonts.for_size(size);
    const float line_h = size * 1.35f;
    const ImVec2 org = ImGui::GetCursorScreenPos();
    float x = 0, y = 0;
    bool line_empty = true;
    for (const Token& k : tokens) {
        if (k.newline) {
            if (!line_empty) y += line_h;
            x = 0;
            line_empty = true;
            continue;
        }
        std::string text = k.text;
        ImVec2 ts = text_size(f, size, text);
        if (x > 0 && x + ts.x > width) {
            x = 0;
            y += line_h;
            // A wrapped line starts at its text, not at the separator's space.
            text.erase(0, text.find_first_not_of(' '));
            ts = text_size(f, size, text);
        }
        if (draw) {
            const ImVec2 p(org.x + x, org.y + y);
            const float pad = size * 0.1f;
            if (k.bg)
                dl->AddRectFilled(ImVec2(p.x - pad, p.y - pad * 0.5f),
                                  ImVec2(p.x + ts.x + pad, p.y + ts.y + pad * 0.5f), k.bg, pad);
            dl->AddText(f, size, p, k.col, text.c_str());
        }
        x += ts.x;
        line_empty = false;
    }
    return line_empty ? y : y + line_h;
}

void StepperView::draw_edit_popup() {
    if (m_open_edit) {
        ImGui::OpenPopup("edit_cell");
        m_open_edit = false;
    }
    if (!ImGui::BeginPopup("edit_cell")) return;
    ImGui::TextUnformatted(tr(Str::edit_cell));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::InputFloat("##value", &m_edit_value, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (std::isfinite(m_edit_value)) {
            const EditTarget& e = m_edit;
            if (e.kernel) {
                const Tensor& w = m_problem.weight;
                m_problem.weight.data[size_t(((e.o * w.dim(1) + e.c) * w.dim(2) + e.y) * w.dim(3) + e.x)] =
                    m_edit_value;
            } else {
                m_problem.input.data[size_t((e.c * in_h() + e.y) * in_w() + e.x)] = m_edit_value;
            }
            m_dirty = true;
            m_preset.clear();
        }
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// [SECTION] Export and the view entry point

void StepperView::run_recording(ViewContext& ctx, ImVec2 min, ImVec2 max) {
    // Start: from a scripted --export-gif (once the layout has settled) or the button.
    if (!m_recording && !m_pending_gif.empty() && m_frames_drawn >= 2 && m_pending_steps == 0) {
        if (!m_solution) {
            ctx.notify(*m_error);
            m_pending_gif.clear();
            return;
        }
        ctx.capture.gif_begin(m_pending_gif, min, max);
        m_recording_path = m_pending_gif;
        m_pending_gif.clear();
        m_recording = true;
        m_playing = false;
        m_ph_before_recording = m_ph;
        m_ph = m_seq.at_window(0);
        return;  // this frame was drawn at the old playhead; capture from the next one
    }
    if (!m_recording) return;
    // Escape cancels: the file is removed, the playhead goes back.
    if (ctx.keys)
        for (const KeyPress& k : *ctx.keys)
            if (k.key == GLFW_KEY_ESCAPE) {
                ctx.capture.gif_cancel();
                m_recording = false;
                m_ph = m_ph_before_recording;
                return;
            }
    // The capture gave up (the file could not be written): stop; the status line says why.
    if (!ctx.capture.gif_recording()) {
        m_recording = false;
        m_ph = m_ph_before_recording;
        return;
    }
    // One frame per window; the last one stays longer on the slide.
    const bool last = m_ph == m_seq.end();
    ctx.capture.gif_frame(last ? 300 : 90);
    ctx.notify(Message(Str::msg_recording, int(m_ph.window + 1), int(m_seq.windows()), m_recording_path));
    if (last) {
        ctx.capture.gif_end();
        m_recording = false;
        m_ph = m_ph_before_recording;
        m_frames_to_settle = 2;
    } else {
        m_ph = m_seq.next_window(m_ph);
    }
}

// The confirmation for a long GIF: how many frames and roughly how large, then Record or Cancel.
void StepperView::draw_long_gif_question(ViewContext& ctx) {
    if (m_ask_long_gif) {
        ImGui::OpenPopup("##long_gif");
        m_ask_long_gif = false;
    }
    if (!ImGui::BeginPopupModal("##long_gif", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted(tr(Str::gif_long_title));
    // A frame of the canvas compresses to about a tenth of a byte per pixel (flat colours).
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const int mb = int(double(d.x) * d.y * 0.1 * double(m_seq.windows()) / 1e6) + 1;
    ImGui::PushTextWrapPos(ctx.fonts.ui_size * 30.0f);
    ImGui::TextWrapped("%s", trf(Str::gif_long, int(m_seq.windows()), mb, int(kLongGifFrames)).c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(tr(Str::record))) {
        ctx.requests.ask_export_animation();  // the shell's save dialog chooses the file
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// --report-layout FILE: where the grids are this frame, for the tests that measure their share of the
// screen. {"screen":[w,h],"canvas":[x0,y0,x1,y1],"cell":c,"grids":[[x0,y0,x1,y1],…],"share":s}; rewritten
// only when it changes.
void StepperView::write_layout_report(const ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max,
                                      float cell) {
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    double area = 0;
    std::string grids;
    char buf[160];
    for (const auto& r : m_grid_rects) {
        area += double(r[2] - r[0]) * double(r[3] - r[1]);
        std::snprintf(buf, sizeof buf, "%s[%.1f,%.1f,%.1f,%.1f]", grids.empty() ? "" : ",", r[0], r[1], r[2],
                      r[3]);
        grids += buf;
    }
    char head[400];
    std::snprintf(head, sizeof head,
                  "{\"screen\":[%.0f,%.0f],\"canvas\":[%.1f,%.1f,%.1f,%.1f],\"cell\":%.1f,\"text\":%.1f,"
                  "\"presenting\":%s,\"share\":%.4f,\"grids\":[",
                  screen.x, screen.y, canvas_min.x, canvas_min.y, canvas_max.x, canvas_max.y, cell, m_t,
                  ctx.presenting ? "true" : "false", area / std::max(1.0, double(screen.x) * screen.y));
    // The refusal shown above the grids, as drawn (in the UI's language), for the tests.
    std::string error;
    for (char c : m_error ? tr_error(*m_error) : std::string())
        if (c != '"' && c != '\\' && uint8_t(c) >= 0x20) error += c;
    std::string panel = transposed() ? m_transpose.report(m_ph, m_seq)
                        : m_solution ? m_im2col.report(*m_solution, m_ph)
                                     : "";
    if (!panel.empty()) panel = "," + panel;
    const std::string report = std::string(head) + grids + "],\"error\":\"" + error + "\"" + panel + "}\n";
    if (report == m_last_report) return;
    m_last_report = report;
    if (std::FILE* f = std::fopen(ctx.options.report_layout.c_str(), "w")) {
        std::fputs(report.c_str(), f);
        std::fclose(f);
    }
}

void StepperView::draw_content(ViewContext& ctx) {
    ++m_frames_drawn;
    if (m_frames_to_settle > 0) --m_frames_to_settle;
    // "Open in stepper" from the image lab: a photo's neighbourhood, shown at the explained window.
    if (auto r = ctx.requests.take_stepper()) {
        load(std::move(r->problem));
        m_preset.clear();
        m_pending_steps = int(r->window + 1);
    }
    // File ▸ Export animation…: recorded like --export-gif, to the path chosen in the shell's save dialog.
    if (auto path = ctx.requests.take_animation_export()) m_pending_gif = std::move(*path);
    solve_if_needed();
    commit_settled_edit();
    // Scripted key presses (--step, --step-terms).
    for (; m_pending_steps > 0; --m_pending_steps) step(true, false);
    for (; m_pending_terms > 0; --m_pending_terms) step(true, true);

    // The settings panel: narrow enough to leave the grids most of the width at any scale. Presenting, only
    // the canvas is drawn.
    const float full_w = ImGui::GetContentRegionAvail().x;
    if (m_show_controls && !ctx.presenting) {
        const float panel_w = std::min(ctx.fonts.ui_size * 16.0f, full_w * 0.42f);
        ImGui::BeginChild("##controls", ImVec2(panel_w, 0), true);
        draw_playback_settings(ctx);
        ImGui::Separator();
        if (draw_controls(ctx)) m_dirty = true;
        ImGui::Separator();
        ImGui::BeginDisabled(m_recording || !m_solution);
        // Both through the shell's save dialog (File ▸ Export frame… / Export animation…): the file is
        // chosen and replacing one is asked.
        if (ImGui::Button(tr(Str::export_png))) ctx.requests.ask_export_frame();
        if (ImGui::Button(tr(Str::export_gif))) {
            if (m_seq.windows() > kLongGifFrames)
                m_ask_long_gif = true;
            else
                ctx.requests.ask_export_animation();
        }
        ImGui::EndDisabled();
        draw_long_gif_question(ctx);
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
        ImGui::TextWrapped("%s", tr(Str::hint_keys));
        ImGui::PopStyleColor();
        ImGui::EndChild();
        ImGui::SameLine();
    }
    solve_if_needed();

    ImGui::BeginGroup();
    if (!ctx.presenting) {
        const std::string toggle =
            std::string(m_show_controls ? "« " : "» ") + tr(Str::controls) + "###controls";
        if (ImGui::Button(toggle.c_str())) m_show_controls = !m_show_controls;
        draw_toolbar();
    }
    if (!m_recording) {
        handle_keys(ctx);
        advance_playback(ctx);
    }

    // The canvas: what the PNG and GIF exports capture.
    // Padded, so exported frames have a margin and outlines at the edge are not cut.
    ImGui::BeginChild("##canvas", ImVec2(0, 0), false,
                      ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
    const ImVec2 canvas_min = ImGui::GetWindowPos();
    const ImVec2 canvas_max(canvas_min.x + ImGui::GetWindowSize().x, canvas_min.y + ImGui::GetWindowSize().y);
    const Palette& pal = palette();
    // The canvas text unit: from the canvas, so a projector's screen gets large text and the UI scale
    // (which sizes the chrome) never shrinks the grids.
    {
        const ImVec2 a = ImGui::GetContentRegionAvail();
        m_t = std::clamp(std::min(a.y / 24.0f, a.x / 38.0f), 16.0f, 96.0f);
    }
    // Spacing on the canvas follows the canvas too (the UI scale's spacing is for the chrome).
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(m_t * 0.3f, m_t * 0.3f));
    m_grid_rects.clear();
    // An invalid problem: the reason first, in words, then the grids as they are (never an empty view).
    if (m_error) {
        const float w = ImGui::GetContentRegionAvail().x;
        text_line(ctx.fonts.for_size(m_t), m_t, pal.strong(Role::Window), tr(Str::error_title));
        text_wrapped(ctx.fonts.for_size(legend_size()), legend_size(), pal.strong(Role::Window),
                     tr_error(*m_error), w);
        ImGui::Spacing();
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    if (m_solution && (transposed() || (is_conv() && m_im2col.open))) {
        draw_panel_canvas(ctx, avail);
    } else {
        // The MAC lines go below the grids: measure them first so the grids get the rest of the height.
        const std::vector<Token> tokens = mac_tokens();
        const float msize = mac_size(ctx, tokens, avail.x);
        const float mac_h = std::max(m_t * 1.5f, flow_tokens(ctx, tokens, avail.x, msize, false));
        // Below the grids: two spacers (each with item spacing) and the MAC lines.
        const float grid_h = avail.y - mac_h - m_t * 0.5f - 3.0f * ImGui::GetStyle().ItemSpacing.y;

        // The output size and the colour key go beside the grids when that leaves bigger cells, else above
        // them.
        float info_w = 0;
        {
            ImFont* f = ctx.fonts.for_size(formula_size());
            for (const std::string& l : size_lines(nullptr))
                info_w = std::max(info_w, text_size(f, formula_size(), l).x);
        }
        info_w = std::clamp(info_w, m_t * 9.0f, avail.x * 0.42f);
        const float info_gap = m_t;
        // Two formula lines, maybe a note, and the legend line.
        const float stacked_info_h = formula_size() * 2.8f + legend_size() * 3.0f;
        const Layout beside = layout(ctx, ImVec2(avail.x - info_w - info_gap, grid_h));
        const Layout stacked = layout(ctx, ImVec2(avail.x, grid_h - stacked_info_h));
        const bool side = beside.cell >= stacked.cell && beside.size.x + info_gap + info_w <= avail.x;
        float grids_bottom;
        float cell = 0;
        if (side) {
            draw_grids(ctx, beside);
            cell = beside.cell;
            grids_bottom = ImGui::GetCursorScreenPos().y;
            ImGui::SetCursorScreenPos(ImVec2(top.x + beside.size.x + info_gap, top.y));
            ImGui::BeginGroup();
            draw_size_lines(ctx, info_w);
            ImGui::Dummy(ImVec2(0, m_t * 0.3f));
            draw_legend(ctx, true, info_w);
            ImGui::EndGroup();
            grids_bottom =
                std::max(grids_bottom, ImGui::GetItemRectMax().y + ImGui::GetStyle().ItemSpacing.y);
            ImGui::SetCursorScreenPos(ImVec2(top.x, grids_bottom));
        } else {
            draw_size_lines(ctx, avail.x);
            draw_legend(ctx, false, avail.x);
            ImGui::Dummy(ImVec2(0, m_t * 0.2f));
            const Layout L = layout(ctx, ImVec2(avail.x, grid_h - (ImGui::GetCursorScreenPos().y - top.y)));
            draw_grids(ctx, L);
            cell = L.cell;
        }
        ImGui::Dummy(ImVec2(0, m_t * 0.3f));
        if (m_error) {
            // Said above the grids.
        } else if (m_ph.window < 0) {
            const std::string hint = tr(Str::hint_start);
            ImFont* f = ctx.fonts.for_size(m_t);
            text_line(f, fit_size(f, m_t, avail.x, hint), pal.text_muted, hint);
        } else {
            ImGui::Dummy(ImVec2(avail.x - 1.0f, flow_tokens(ctx, tokens, avail.x, msize, true)));
        }
        m_report_cell = cell;
    }
    // The window number being typed, top right, until Enter.
    if (!m_jump.empty()) {
        const std::string j = trf(Str::jump_to, m_jump.c_str());
        ImFont* f = ctx.fonts.for_size(m_t);
        const ImVec2 ts = text_size(f, m_t, j);
        const ImVec2 p(canvas_max.x - ts.x - m_t, canvas_min.y + m_t * 0.5f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(p.x - m_t * 0.3f, p.y - m_t * 0.2f),
                          ImVec2(p.x + ts.x + m_t * 0.3f, p.y + ts.y + m_t * 0.2f), pal.fill(Role::Term),
                          m_t * 0.2f);
        dl->AddText(f, m_t, p, text_on(pal.fill(Role::Term)), j.c_str());
    }
    ImGui::PopStyleVar();
    draw_edit_popup();
    ImGui::EndChild();
    ImGui::EndGroup();
    if (!ctx.options.report_layout.empty()) write_layout_report(ctx, canvas_min, canvas_max, m_report_cell);

    // Exports act on the canvas just drawn: an exported frame (File ▸ Export frame…) is the canvas alone.
    ctx.requests.set_frame_region({canvas_min.x, canvas_min.y, canvas_max.x, canvas_max.y});
    run_recording(ctx, canvas_min, canvas_max);
}

// The transposed convolution's canvas, or for conv the im2col matrix above the multiply-accumulate line.
void StepperView::draw_panel_canvas(ViewContext& ctx, ImVec2 avail) {
    m_report_cell = m_t;
    if (transposed()) {
        m_transpose.draw_canvas(ctx, m_ph, m_seq, m_t, avail, m_grid_rects);
        return;
    }
    const std::vector<Token> tokens = mac_tokens();
    const float msize = mac_size(ctx, tokens, avail.x);
    const float mac_h = std::max(m_t * 1.5f, flow_tokens(ctx, tokens, avail.x, msize, false));
    m_im2col.draw(ctx, *m_solution, m_ph, m_seq, m_t, ImVec2(avail.x, avail.y - mac_h - m_t), m_grid_rects);
    if (m_ph.window >= 0)
        ImGui::Dummy(ImVec2(avail.x - 1.0f, flow_tokens(ctx, tokens, avail.x, msize, true)));
}

}  // namespace

std::unique_ptr<View> make_stepper_view() {
    return std::make_unique<StepperView>();
}

}  // namespace convscope::ui
