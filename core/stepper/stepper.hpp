// The stepper's model, independent of any UI: a small conv/pool problem, its solution as one trace per output
// window, the playhead that walks those windows (by window or by term), and which outputs an input cell
// feeds. The GUI's stepper view only draws what this computes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/engine/geometry.hpp"
#include "core/engine/params.hpp"
#include "core/engine/problem.hpp"
#include "core/engine/tensor.hpp"
#include "core/engine/trace.hpp"
#include "core/support/result.hpp"

namespace convscope {

// A solved problem: the output and one trace per window, in stepping order (channel, then row, then column).
struct StepperSolution {
    Tensor output;  // O×oh×ow (conv) or C×oh×ow (pool)
    int64_t out_channels = 1, oh = 0, ow = 0;
    int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;  // resolved (same/valid made explicit)
    AxisSpec axis_h, axis_w;                                           // for axis_size/axis_formula
    std::vector<Trace> traces;

    // Number of windows (= output elements).
    int64_t window_count() const { return int64_t(traces.size()); }
    // Terms of window w's trace.
    int64_t term_count(int64_t w) const { return int64_t(traces[size_t(w)].terms.size()); }
    // Index of the window that computes output (o, oy, ox).
    int64_t window_of(int64_t o, int64_t oy, int64_t ox) const { return (o * oh + oy) * ow + ox; }
};

// Validates (plan_conv2d / plan_pool2d, with their readable errors) and traces every output element. A
// ConvTranspose problem is solved as its gather form (gather_problem in core/stepper/stepper_transpose.hpp): the
// traces are those of the equivalent stride-1 convolution, the output is conv_transpose2d's.
Result<StepperSolution> solve_stepper(const StepperProblem& p);

// Windows whose trace reads padded-grid cell (iy, ix) of input channel c (iy, ix may lie in the padding
// ring).
std::vector<int64_t> windows_reading(const StepperSolution& s, int64_t c, int64_t iy, int64_t ix);

// The playhead: window −1 is "before the first window"; term runs 0..term_count(window), where term t <
// term_count highlights term t (terms 0..t summed so far) and term == term_count means the window is complete
// and its value has landed in the output.
struct Playhead {
    int64_t window = -1;
    int64_t term = 0;
    bool operator==(const Playhead&) const = default;
};

// Moves a playhead over a sequence of windows with the given term counts. Every position has a tick (0 for
// before-start, then one per term and one per completion), so "back" and "forward" are exact inverses.
class StepSequence {
public:
    explicit StepSequence(std::vector<int64_t> term_counts);
    // The term counts of every window of a solution.
    static StepSequence of(const StepperSolution& s);

    int64_t windows() const { return int64_t(m_terms.size()); }
    // Before the first window.
    Playhead start() const { return {}; }
    // The last window complete (start() when there are no windows).
    Playhead end() const;
    // Window w complete, w clamped to −1..windows−1.
    Playhead at_window(int64_t w) const;
    // Brings any playhead into range (after the problem changed).
    Playhead clamp(Playhead p) const;
    // The next/previous complete window; stays at end()/start().
    Playhead next_window(Playhead p) const;
    Playhead prev_window(Playhead p) const;
    // The next/previous tick (term by term).
    Playhead next_term(Playhead p) const;
    Playhead prev_term(Playhead p) const;
    // True when p shows window p.window complete.
    bool complete(Playhead p) const;
    // True when the output of window w shows its value at p (earlier windows, or this one complete).
    bool filled(Playhead p, int64_t w) const;
    // Position on the tick line and its length (for a term-level scrubber and tests).
    int64_t tick(Playhead p) const;
    int64_t total_ticks() const { return m_first.empty() ? 1 : m_first.back() + m_terms.back() + 1; }
    Playhead at_tick(int64_t tick) const;

private:
    std::vector<int64_t> m_terms;
    std::vector<int64_t> m_first;  // tick of term 0 of each window
};

// [SECTION] Editing helpers

// A copy of `t` (rank 3 or 4) reshaped to `shape`, keeping the overlapping values and zero elsewhere.
Tensor resized(const Tensor& t, const Shape& shape);

// Fills `t` with small integers in [lo, hi], replicable from `seed`.
void randomize_small_ints(Tensor& t, uint32_t seed, int lo = -2, int hi = 3);

// A named teaching example. `key` is stable (settings, translations); the problem is complete.
struct StepperPreset {
    std::string_view key;
    StepperProblem problem;
};

// The lecture's example: the 5×5 input, the 3×3 filter [[1,0,1],[0,1,0],[1,0,1]], stride 1, padding 0.
StepperProblem lecture_example();

// A student's answer to "what is the output size?": "55" (both sides), "28×60", "28x60" or "28, 60"; an error
// when it is not one or two whole numbers.
Result<Pair> parse_size_answer(std::string_view text);

// Every preset, the lecture example first: lecture, lecture_padding, stride2, floor, edge, blur, sharpen,
// rgb_bias, max_pool, avg_pool, …, then transpose_presets().
std::vector<StepperPreset> stepper_presets();

}  // namespace convscope
