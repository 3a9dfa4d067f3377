// The stepper's model: the problem being stepped (conv, pool or transposed, with its parameters), its
// solution, the playhead over it (window by window or term by term), playback (playing, speed, predict then
// reveal) and what a view draws from them: the output-size formula, the multiply-accumulate tokens of the
// current step, which outputs an input cell feeds. No ImGui; the stepper view only reads it and sends edits:
//   StepperModel m;                                  // the lecture's example
//   if (auto e = m.apply(stepper_edit::SetConv{p}); !e) show(e.err());
//   m.step(true, false);  draw(m.mac_tokens(MacStyle::Board));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/engine/explain.hpp"
#include "core/stepper/stepper.hpp"
#include "core/stepper/stepper_transpose.hpp"

namespace convscope {

// The controls' ranges: large enough for the lecture's drawings, small enough that cells stay legible. A
// problem from a scene may be larger; edits stay within them.
struct StepperLimits {
    static constexpr int kSide = 24, kKernel = 7, kStride = 4, kPad = 4, kDilation = 3, kInChannels = 3,
                         kOutChannels = 4;
};

// The edits a view sends (StepperModel::apply).
namespace stepper_edit {
// A whole new problem (a preset, a scene, the image lab's hand-off): the playhead goes back to the start.
struct Load {
    StepperProblem problem;
    std::string preset;  // its preset key, empty for none
};
// The whole problem as a panel edited it (the transposed convolution's controls); the playhead is kept.
struct Replace {
    StepperProblem problem;
};
// Another operation; into or out of a transposed convolution the kernel's axes differ, so that starts from
// an example; a conv without a kernel gets a 3×3 one.
struct SetOp {
    Op op;
};
// The input's C×H×W (values kept where they overlap); the kernel follows C.
struct ResizeInput {
    int64_t c, h, w;
};
// A conv kernel's output channels and size (the bias follows the output channels).
struct ResizeKernel {
    int64_t o, kh, kw;
};
struct SetConv {
    Conv2dParams params;
};
struct SetPool {
    Pool2dParams params;
};
struct SetBias {
    bool on;
    std::vector<float> values;  // one per output channel
};
// One input cell (kernel false: c, y, x) or kernel cell (kernel true: o, c, y, x, in the stored layout).
struct SetCell {
    bool kernel = false;
    int64_t o = 0, c = 0, y = 0, x = 0;
    float value = 0.0f;
};
// Small random integers in the input (0..5) and, for conv and transposed, the kernel (−1..2).
struct Randomize {
    uint32_t seed;
};
}  // namespace stepper_edit

using StepperEdit =
    std::variant<stepper_edit::Load, stepper_edit::Replace, stepper_edit::SetOp, stepper_edit::ResizeInput,
                 stepper_edit::ResizeKernel, stepper_edit::SetConv, stepper_edit::SetPool,
                 stepper_edit::SetBias, stepper_edit::SetCell, stepper_edit::Randomize>;

// One line of the output-size formula ("H_out = ⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3") and, when the division is not
// whole and the floor leaves rows or columns that no window reaches, the numbers of that note.
struct StepperSizeLine {
    const char* name = "H_out";  // H_out or W_out
    AxisSpec axis;
    bool rows = true;  // false: the columns (W_out)
    struct FloorNote {
        double quotient = 0;  // (in − k + 2p) / s, before the floor
        int64_t floored = 0;
        int64_t unreached = 0;  // rows or columns never reached
    };
    std::optional<FloorNote> note;
};

class StepperModel {
public:
    // The lecture's example, before its first window.
    StepperModel();

    // [SECTION] The problem and its edits

    // Applies an edit. An edit that cannot apply (a cell outside the grid, a size beyond StepperLimits, a
    // value that is not finite) is refused and nothing changes; otherwise the problem changes and is solved
    // again, and the error is the problem's refusal (kept, so the view shows the grids and why: error()).
    Status apply(const StepperEdit& edit);
    // Loads the preset named `key` (see stepper_presets), opening the im2col panel for "im2col_lecture" and
    // closing it for the others; false when there is none.
    bool load_preset(std::string_view key);
    const StepperProblem& problem() const { return m_problem; }
    // The preset the problem is, or empty once edited.
    const std::string& preset() const { return m_preset; }
    bool is_conv() const { return m_problem.op() == Op::Conv; }
    bool transposed() const { return m_problem.op() == Op::ConvTranspose; }

    // [SECTION] Undo

    // What one undo step restores: the problem and what is remembered of the other operation (so that an
    // undo back to a conv problem and a switch to pooling find the window they had then).
    struct Snapshot {
        StepperProblem problem;
        ConvProblem conv_memory;
        Pool2dParams pool_memory;
        bool operator==(const Snapshot&) const = default;
    };
    Snapshot snapshot() const { return {m_problem, m_conv_memory, m_pool_memory}; }
    // True when the problem (or what is remembered) differs from `s`: an edit since that snapshot.
    bool changed_since(const Snapshot& s) const { return !(snapshot() == s); }
    // Back to a snapshot (an undo or redo): the playhead is kept where the problem allows; the error is the
    // restored problem's refusal, if any.
    Status restore(Snapshot s);

    // [SECTION] The im2col panel

    // The conv's im2col panel (W_row × X_cols) is open: view state the model keeps, so that a scene carries
    // it and a preset sets it.
    bool im2col_open() const { return m_im2col_open; }
    void set_im2col_open(bool open) { m_im2col_open = open; }

    // [SECTION] The solution

    // The solved problem (for a transposed one, its gather form's), or null with error() saying why.
    const StepperSolution* solution() const { return m_solution ? &*m_solution : nullptr; }
    const std::optional<Error>& error() const { return m_error; }
    // A transposed problem: the scatter and the gather form (null unless solved).
    const ScatterPlan* scatter() const { return m_scatter ? &*m_scatter : nullptr; }
    const GatherProblem* gather() const { return m_gather ? &*m_gather : nullptr; }
    // Rows and columns the input grid spans: the padded grid, or further where a ceil_mode window runs past.
    int64_t extent_h() const { return m_ext_h; }
    int64_t extent_w() const { return m_ext_w; }
    // The output-size formula, one line per axis (none when unsolved).
    std::vector<StepperSizeLine> size_lines() const;
    // Windows whose trace reads padded-grid cell (iy, ix) of input channel c.
    std::vector<int64_t> windows_reading(int64_t c, int64_t iy, int64_t ix) const;

    // [SECTION] The playhead and playback

    const StepSequence& sequence() const { return m_seq; }
    Playhead playhead() const { return m_ph; }
    // A transposed problem steps its stamps (scatter) or its gather windows; switching goes to the start.
    bool gather_view() const { return m_gather_view; }
    void set_gather_view(bool gather);
    // The trace of the current window (null before the first, when unsolved, and in the scatter view).
    const Trace* current_trace() const;
    // The current window complete.
    bool complete() const { return m_seq.complete(m_ph); }
    // One step forward or back, by term or by window; predicting, the first step forward reveals instead.
    void step(bool forward, bool by_term);
    void to_start() { m_ph = m_seq.start(); }
    void to_end() { m_ph = m_seq.end(); }
    // Window w complete (clamped), playback stopped.
    void jump_to_window(int64_t w);
    // Any playhead (a scene's), clamped.
    void set_playhead(Playhead p) { m_ph = m_seq.clamp(p); }
    bool playing() const { return m_playing; }
    // Play or pause; playing from the end wraps to the start.
    void toggle_play();
    void stop() { m_playing = false; }
    // Playback: steps `speed` per second (clamped to 0.25–20) over `seconds` (at most 0.1 s a call, so a
    // frame after a long sleep does not jump); stops at the end.
    void advance(float seconds);
    float speed = 1.5f;    // steps per second (a saved preference)
    bool by_term = false;  // playback and the step keys go term by term
    // Predict, then reveal: a completed window's value stays hidden until reveal() or the next step.
    bool predict() const { return m_predict; }
    // Turns predicting on or off; `reveal` shows the current window's value (the checkbox), else it starts
    // hidden (a scene that opens on a question).
    void set_predict(bool on, bool reveal = true);
    void reveal() { m_revealed = m_ph.window; }
    bool hidden() const;

    // [SECTION] The multiply-accumulate line

    // The current window's tokens (explain_tokens at the playhead; empty before the first window and in the
    // scatter view), with every " = value" hidden as " = ?" while predicting.
    std::vector<MacToken> mac_tokens(MacStyle style = MacStyle::Board) const;

private:
    void solve();
    // A new problem, with nothing remembered of the other operation.
    void load_remembering(StepperProblem p);
    // The conv half the edits change: the problem's, or while pooling the one remembered for conv.
    ConvProblem& conv_half();
    // The pooling half: the problem's, or while convolving the one remembered for pooling.
    Pool2dParams& pool_half();

    StepperProblem m_problem;
    // What the other operation had, so that conv → pool → conv keeps the kernel and pool → conv → pool the
    // window (the problem holds only its own operation's parameters).
    ConvProblem m_conv_memory;
    Pool2dParams m_pool_memory;
    std::string m_preset = "lecture";
    std::optional<StepperSolution> m_solution;
    std::optional<ScatterPlan> m_scatter;
    std::optional<GatherProblem> m_gather;
    std::optional<Error> m_error;
    int64_t m_ext_h = 1, m_ext_w = 1;
    StepSequence m_seq{{}};
    Playhead m_ph;
    bool m_gather_view = false;
    bool m_im2col_open = false;
    bool m_playing = false;
    float m_accum = 0.0f;
    bool m_predict = false;
    int64_t m_revealed = -2;  // the window whose hidden value was revealed
};

}  // namespace convscope
