// [SECTION] Solving (plan, then one trace per output element)
// [SECTION] The playhead
// [SECTION] Editing helpers and presets
#include "core/stepper/stepper.hpp"

#include "core/stepper/stepper_transpose.hpp"

#include <algorithm>
#include <random>

namespace convscope {

// [SECTION] Solving

Result<StepperSolution> solve_stepper(const StepperProblem& p) {
    if (p.transposed()) {
        auto g = gather_problem(p);
        if (!g) return g.err();
        return solve_stepper(g->conv);
    }
    StepperSolution s;
    if (p.input.rank() != 3) return fail<ErrCode::stepper_input_rank>(shape_to_string(p.input.shape));
    const ConvProblem* conv = p.weighted();
    const Pool2dParams* pool = p.pool();
    const Tensor* bias = conv && conv->has_bias ? &conv->bias : nullptr;
    if (conv) {
        auto plan = plan_conv2d(p.input.shape, conv->weight.shape, bias ? &bias->shape : nullptr, conv->conv);
        if (!plan) return plan.err();
        s.out_channels = plan->o;
        s.oh = plan->oh;
        s.ow = plan->ow;
        s.pad_top = plan->pad_top;
        s.pad_bottom = plan->pad_bottom;
        s.pad_left = plan->pad_left;
        s.pad_right = plan->pad_right;
        s.axis_h = plan->axis_h();
        s.axis_w = plan->axis_w();
    } else {
        auto plan = plan_pool2d(p.input.shape, *pool);
        if (!plan) return plan.err();
        s.out_channels = plan->c;
        s.oh = plan->oh;
        s.ow = plan->ow;
        s.pad_top = s.pad_bottom = plan->ph;
        s.pad_left = s.pad_right = plan->pw;
        s.axis_h = plan->axis_h();
        s.axis_w = plan->axis_w();
    }
    s.output = Tensor::filled({s.out_channels, s.oh, s.ow});
    s.traces.reserve(size_t(s.out_channels * s.oh * s.ow));
    for (int64_t o = 0; o < s.out_channels; ++o)
        for (int64_t oy = 0; oy < s.oh; ++oy)
            for (int64_t ox = 0; ox < s.ow; ++ox) {
                auto t = conv ? trace_conv2d(p.input, conv->weight, bias, conv->conv, 0, o, oy, ox)
                              : trace_pool2d(p.input, *pool, 0, o, oy, ox);
                if (!t) return t.err();
                s.output.data[size_t(s.window_of(o, oy, ox))] = t->result;
                s.traces.push_back(std::move(*t));
            }
    return s;
}

std::vector<int64_t> windows_reading(const StepperSolution& s, int64_t c, int64_t iy, int64_t ix) {
    std::vector<int64_t> out;
    for (int64_t w = 0; w < s.window_count(); ++w)
        for (const TraceTerm& term : s.traces[size_t(w)].terms)
            if (term.c == c && term.iy == iy && term.ix == ix) {
                out.push_back(w);
                break;
            }
    return out;
}

// [SECTION] The playhead

StepSequence::StepSequence(std::vector<int64_t> term_counts) : m_terms(std::move(term_counts)) {
    int64_t tick = 1;
    m_first.reserve(m_terms.size());
    for (int64_t t : m_terms) {
        m_first.push_back(tick);
        tick += t + 1;
    }
}

StepSequence StepSequence::of(const StepperSolution& s) {
    std::vector<int64_t> counts;
    counts.reserve(s.traces.size());
    for (const Trace& t : s.traces) counts.push_back(int64_t(t.terms.size()));
    return StepSequence(std::move(counts));
}

Playhead StepSequence::end() const {
    return at_window(windows() - 1);
}

Playhead StepSequence::at_window(int64_t w) const {
    w = std::clamp<int64_t>(w, -1, windows() - 1);
    if (w < 0) return start();
    return {w, m_terms[size_t(w)]};
}

Playhead StepSequence::clamp(Playhead p) const {
    if (p.window < 0 || windows() == 0) return start();
    if (p.window >= windows()) return end();
    return {p.window, std::clamp<int64_t>(p.term, 0, m_terms[size_t(p.window)])};
}

int64_t StepSequence::tick(Playhead p) const {
    p = clamp(p);
    return p.window < 0 ? 0 : m_first[size_t(p.window)] + p.term;
}

Playhead StepSequence::at_tick(int64_t tick) const {
    if (tick <= 0 || windows() == 0) return start();
    if (tick >= total_ticks()) return end();
    // The last window whose first tick is ≤ tick.
    const auto it = std::upper_bound(m_first.begin(), m_first.end(), tick);
    const int64_t w = int64_t(it - m_first.begin()) - 1;
    return {w, tick - m_first[size_t(w)]};
}

bool StepSequence::complete(Playhead p) const {
    p = clamp(p);
    return p.window >= 0 && p.term == m_terms[size_t(p.window)];
}

bool StepSequence::filled(Playhead p, int64_t w) const {
    p = clamp(p);
    return w < p.window || (w == p.window && complete(p));
}

Playhead StepSequence::next_window(Playhead p) const {
    p = clamp(p);
    if (p.window >= 0 && !complete(p)) return at_window(p.window);
    return at_window(p.window + 1);
}

Playhead StepSequence::prev_window(Playhead p) const {
    p = clamp(p);
    return at_window(p.window - 1);
}

Playhead StepSequence::next_term(Playhead p) const {
    return at_tick(tick(p) + 1);
}

Playhead StepSequence::prev_term(Playhead p) const {
    return at_tick(tick(p) - 1);
}

// [SECTION] Editing helpers and presets

Tensor resized(const Tensor& t, const Shape& shape) {
    Tensor out = Tensor::filled(shape);
    if (t.rank() != int(shape.size()) || (t.rank() != 3 && t.rank() != 4)) return out;
    const Tensor a = as_batched(t);
    Tensor b = as_batched(out);
    for (int64_t n = 0; n < std::min(a.dim(0), b.dim(0)); ++n)
        for (int64_t c = 0; c < std::min(a.dim(1), b.dim(1)); ++c)
            for (int64_t y = 0; y < std::min(a.dim(2), b.dim(2)); ++y)
                for (int64_t x = 0; x < std::min(a.dim(3), b.dim(3)); ++x)
                    b.at(n, c, y, x) = a.at(n, c, y, x);
    out.data = std::move(b.data);
    return out;
}

void randomize_small_ints(Tensor& t, uint32_t seed, int lo, int hi) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(lo, hi);
    for (float& v : t.data) v = float(dist(rng));
}

Result<Pair> parse_size_answer(std::string_view text) {
    std::string t(text);
    for (size_t at; (at = t.find("×")) != std::string::npos;)
        t.replace(at, std::string_view("×").size(), "x");
    auto p = parse_pair(t);
    if (!p) return fail<ErrCode::type_number_or_hw>();
    return *p;
}

namespace {

Tensor grid(std::initializer_list<std::initializer_list<float>> rows) {
    const int64_t h = int64_t(rows.size()), w = int64_t(rows.begin()->size());
    Tensor t = Tensor::filled({1, h, w});
    size_t i = 0;
    for (const auto& row : rows)
        for (float v : row) t.data[i++] = v;
    return t;
}

Tensor as_weight(const Tensor& g) {
    return Tensor({1, 1, g.dim(1), g.dim(2)}, g.data);
}

// A conv problem of small random integers, replicable from the seeds: the input in 0..in_hi, the weight in
// −1..1, a zero bias.
StepperProblem random_conv(const Shape& in, uint32_t in_seed, int in_hi, const Shape& w, uint32_t w_seed) {
    StepperProblem p;
    p.input = Tensor::filled(in);
    randomize_small_ints(p.input, in_seed, 0, in_hi);
    ConvProblem c;
    c.weight = Tensor::filled(w);
    randomize_small_ints(c.weight, w_seed, -1, 1);
    c.bias = Tensor::filled({w[0]});
    p.operation = std::move(c);
    return p;
}

const Tensor& lecture_input() {
    static const Tensor t =
        grid({{1, 2, 3, 0, 1}, {0, 1, 5, 1, 0}, {1, 0, 2, 2, 1}, {1, 1, 2, 0, 0}, {1, 0, 1, 1, 1}});
    return t;
}

}  // namespace

StepperProblem lecture_example() {
    StepperProblem p;
    p.input = lecture_input();
    p.operation =
        ConvProblem{as_weight(grid({{1, 0, 1}, {0, 1, 0}, {1, 0, 1}})), Tensor::filled({1}), false, {}};
    return p;
}

std::vector<StepperPreset> stepper_presets() {
    std::vector<StepperPreset> v;
    v.push_back({"lecture", lecture_example()});

    StepperProblem padded = lecture_example();
    padded.weighted()->conv.padding = Padding(1);
    v.push_back({"lecture_padding", padded});

    StepperProblem strided = lecture_example();
    strided.weighted()->conv.stride = Pair(2);
    v.push_back({"stride2", strided});

    // The floor at work: (6 − 3) / 2 = 1.5 → 1, so the last row and column never enter a window.
    StepperProblem floor = lecture_example();
    floor.input = grid({{1, 2, 3, 0, 1, 2},
                        {0, 1, 5, 1, 0, 3},
                        {1, 0, 2, 2, 1, 0},
                        {1, 1, 2, 0, 0, 1},
                        {1, 0, 1, 1, 1, 2},
                        {2, 1, 0, 3, 1, 1}});
    floor.weighted()->weight = lecture_example().weighted()->weight;
    floor.weighted()->bias = Tensor::filled({1});
    floor.weighted()->conv.stride = Pair(2);
    v.push_back({"floor", floor});

    // A vertical edge: dark left half, bright right half; the Sobel-like filter answers only at the edge.
    StepperProblem edge = lecture_example();
    edge.input = Tensor::filled({1, 6, 6});
    for (size_t i = 0; i < edge.input.data.size(); ++i) edge.input.data[i] = i % 6 < 3 ? 0.0f : 9.0f;
    edge.weighted()->weight = as_weight(grid({{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}));
    edge.weighted()->bias = Tensor::filled({1});
    v.push_back({"edge", edge});

    StepperProblem blur = lecture_example();
    blur.weighted()->weight =
        as_weight(grid({{0.0625f, 0.125f, 0.0625f}, {0.125f, 0.25f, 0.125f}, {0.0625f, 0.125f, 0.0625f}}));
    blur.weighted()->conv.padding = Padding(1);
    v.push_back({"blur", blur});

    StepperProblem sharpen = lecture_example();
    sharpen.weighted()->weight = as_weight(grid({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}));
    v.push_back({"sharpen", sharpen});

    // out = bias + Σ_c weight ⋆ input: three input channels, two output channels, a bias.
    StepperProblem rgb = random_conv({3, 4, 4}, 7, 3, {2, 3, 2, 2}, 11);
    rgb.weighted()->bias = Tensor({2}, {1, -1});
    rgb.weighted()->has_bias = true;
    v.push_back({"rgb_bias", rgb});

    StepperProblem max_pool;
    max_pool.input = grid({{1, 1, 2, 4}, {5, 6, 7, 8}, {3, 2, 1, 0}, {1, 2, 3, 4}});
    max_pool.operation = PoolProblem{};
    max_pool.pool()->kernel = Pair(2);
    v.push_back({"max_pool", max_pool});

    StepperProblem avg_pool = max_pool;
    avg_pool.pool()->op = Op::AvgPool;
    v.push_back({"avg_pool", avg_pool});

    // The largest kernel the stepper draws, on three channels: three 7×5 kernels beside their inputs.
    StepperProblem wide = random_conv({3, 9, 7}, 5, 4, {1, 3, 7, 5}, 13);
    v.push_back({"rgb_7x5", wide});

    // ceil_mode: (5 − 2) / 2 = 1.5 → 2, so a third window starts on the last row and column and reads −∞
    // (max pooling's padding) past the edge.
    StepperProblem ceil = max_pool;
    ceil.input = grid({{1, 1, 2, 4, 3}, {5, 6, 7, 8, 1}, {3, 2, 1, 0, 2}, {1, 2, 3, 4, 6}, {5, 0, 2, 1, 7}});
    ceil.pool()->ceil_mode = true;
    v.push_back({"max_pool_ceil", ceil});

    // A diagonal line on 16×16 and a filter that answers to it: 196 windows, a long animation to export.
    StepperProblem diagonal = lecture_example();
    diagonal.input = Tensor::filled({1, 16, 16});
    for (int64_t i = 0; i < 16; ++i) diagonal.input.data[size_t(i * 16 + i)] = 9.0f;
    diagonal.weighted()->weight = as_weight(grid({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
    diagonal.weighted()->bias = Tensor::filled({1});
    v.push_back({"diagonal16", diagonal});
    for (StepperPreset& t : transpose_presets()) v.push_back(std::move(t));
    return v;
}

}  // namespace convscope
