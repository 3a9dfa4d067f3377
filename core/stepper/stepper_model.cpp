// [SECTION] Edits
// [SECTION] Solving and what the view draws from it
// [SECTION] The playhead and playback
// [SECTION] The multiply-accumulate line
#include "core/stepper/stepper_model.hpp"

#include <algorithm>
#include <cmath>

namespace convscope {

StepperModel::StepperModel() {
    m_problem = lecture_example();
    solve();
}

// [SECTION] Edits

namespace {

using L = StepperLimits;

// "size must be 1–N" when any of `v` is outside 1..hi.
Status in_range(std::initializer_list<int64_t> v, int hi) {
    for (int64_t x : v)
        if (x < 1 || x > hi) return fail<ErrCode::lab_size_range>(hi);
    return {};
}

// The default conv kernel for C channels: 3×3 with the lecture's corners-and-centre ones.
Tensor lecture_kernel(int64_t channels) {
    Tensor w = Tensor::filled({1, channels, 3, 3}, 0.0f);
    for (int64_t c = 0; c < channels; ++c)
        for (int i : {0, 2, 4, 6, 8}) w.data[size_t(c * 9 + i)] = 1.0f;
    return w;
}

// The bias resized to `o` values, keeping those that overlap.
Tensor resized_bias(const Tensor& bias, int64_t o) {
    Tensor b = resized(Tensor({1, 1, bias.numel()}, bias.data), {1, 1, o});
    b.shape = {o};
    return b;
}

}  // namespace

Status StepperModel::apply(const StepperEdit& edit) {
    namespace e = stepper_edit;
    StepperProblem& p = m_problem;
    const int64_t C = p.input.rank() == 3 ? p.input.dim(0) : 0;
    bool restart = false;
    std::string preset;
    if (const auto* x = std::get_if<e::Load>(&edit)) {
        load_remembering(x->problem);
        preset = x->preset;
        restart = true;
    } else if (const auto* x = std::get_if<e::Replace>(&edit)) {
        p = x->problem;
    } else if (const auto* x = std::get_if<e::SetOp>(&edit)) {
        if (x->op == p.op()) return m_error ? Status(*m_error) : Status();
        // Into or out of a transposed problem the kernel's axes differ (C×O vs O×C): start from an example.
        if (transposed()) load_remembering(lecture_example());
        if (x->op == Op::ConvTranspose) {
            load_remembering(transpose_presets()[0].problem);
        } else if (is_pool(x->op)) {
            // Conv to pool and back keeps the kernel, and pool to conv and back the window: remembered.
            if (const ConvProblem* c = p.weighted()) m_conv_memory = *c;
            if (!p.pool()) p.operation = PoolProblem{m_pool_memory};
            p.pool()->op = x->op;
        } else if (const Pool2dParams* q = p.pool()) {
            m_pool_memory = *q;
            p.operation = m_conv_memory;
        }
        if (is_conv() && p.weighted()->weight.numel() == 0) {
            p.weighted()->weight = lecture_kernel(p.input.dim(0));
            p.weighted()->bias = Tensor::filled({1});
        }
    } else if (const auto* x = std::get_if<e::ResizeInput>(&edit)) {
        if (auto s = in_range({x->h, x->w}, L::kSide); !s) return s;
        if (auto s = in_range({x->c}, L::kInChannels); !s) return s;
        p.input = resized(p.input, {x->c, x->h, x->w});
        // The kernel follows C, a remembered one too (pooling now, conv again later).
        Tensor& weight = conv_half().weight;
        if (const Shape ws = weight.shape; ws.size() == 4)
            weight = resized(
                weight, transposed() ? Shape{x->c, ws[1], ws[2], ws[3]} : Shape{ws[0], x->c, ws[2], ws[3]});
    } else if (const auto* x = std::get_if<e::ResizeKernel>(&edit)) {
        if (!is_conv()) return fail<ErrCode::lab_no_size>();
        if (auto s = in_range({x->kh, x->kw}, L::kKernel); !s) return s;
        if (auto s = in_range({x->o}, L::kOutChannels); !s) return s;
        ConvProblem& c = *p.weighted();
        c.weight = resized(c.weight, {x->o, C, x->kh, x->kw});
        c.bias = resized_bias(c.bias, x->o);
    } else if (const auto* x = std::get_if<e::SetConv>(&edit)) {
        conv_half().conv = x->params;
    } else if (const auto* x = std::get_if<e::SetPool>(&edit)) {
        // The operation stays: max or average is SetOp's.
        Pool2dParams& q = pool_half();
        const Op op = q.op;
        q = x->params;
        q.op = op;
    } else if (const auto* x = std::get_if<e::SetBias>(&edit)) {
        for (float v : x->values)
            if (!std::isfinite(v)) return fail<ErrCode::token_not_a_number>(format_number(v));
        ConvProblem& c = conv_half();
        c.has_bias = x->on;
        if (!x->values.empty()) c.bias = Tensor({int64_t(x->values.size())}, x->values);
    } else if (const auto* x = std::get_if<e::SetCell>(&edit)) {
        if (!std::isfinite(x->value)) return fail<ErrCode::token_not_a_number>(format_number(x->value));
        Tensor& t = x->kernel ? conv_half().weight : p.input;
        const int r = x->kernel ? 4 : 3;
        if (t.rank() != r) return fail<ErrCode::stepper_input_rank>(shape_to_string(t.shape));
        const int64_t at[4] = {x->o, x->c, x->y, x->x};
        const ErrCode words[4] = {ErrCode::w_output_channel, ErrCode::w_channel, ErrCode::w_row,
                                  ErrCode::w_column};
        size_t index = 0;
        for (int d = 0; d < r; ++d) {
            const int64_t v = at[d + 4 - r], n = t.dim(d);
            if (v < 0 || v >= n)
                return fail<ErrCode::index_outside>(fail_code(words[d + 4 - r], {}), v, n - 1);
            index = index * size_t(n) + size_t(v);
        }
        t.data[index] = x->value;
    } else if (const auto* x = std::get_if<e::Randomize>(&edit)) {
        randomize_small_ints(p.input, x->seed, 0, 5);
        if (ConvProblem* c = p.weighted()) randomize_small_ints(c->weight, x->seed + 1, -1, 2);
    }
    m_preset = preset;
    if (restart) {
        m_ph = Playhead{};
        m_playing = false;
        m_revealed = -2;
    }
    solve();
    return m_error ? Status(*m_error) : Status();
}

void StepperModel::load_remembering(StepperProblem p) {
    m_problem = std::move(p);
    m_conv_memory = {};
    m_pool_memory = {};
}

ConvProblem& StepperModel::conv_half() {
    ConvProblem* c = m_problem.weighted();
    return c ? *c : m_conv_memory;
}

Pool2dParams& StepperModel::pool_half() {
    Pool2dParams* q = m_problem.pool();
    return q ? *q : m_pool_memory;
}

bool StepperModel::load_preset(std::string_view key) {
    for (StepperPreset& p : stepper_presets())
        if (p.key == key) {
            (void)apply(stepper_edit::Load{std::move(p.problem), std::string(key)});
            m_im2col_open = key == "im2col_lecture";
            return true;
        }
    return false;
}

Status StepperModel::restore(Snapshot s) {
    m_conv_memory = std::move(s.conv_memory);
    m_pool_memory = std::move(s.pool_memory);
    return apply(stepper_edit::Replace{std::move(s.problem)});
}

// [SECTION] Solving and what the view draws from it

void StepperModel::solve() {
    m_solution.reset();
    m_scatter.reset();
    m_gather.reset();
    m_error.reset();
    auto s = solve_stepper(m_problem);
    if (s && transposed()) {
        auto plan = plan_scatter(m_problem);
        auto g = gather_problem(m_problem);
        if (!plan) s = plan.err();
        if (plan && !g) s = g.err();
        if (plan && g) {
            m_scatter = std::move(*plan);
            m_gather = std::move(*g);
        }
    }
    const int64_t H = m_problem.input.rank() == 3 ? m_problem.input.dim(1) : 0;
    const int64_t W = m_problem.input.rank() == 3 ? m_problem.input.dim(2) : 0;
    if (!s) {
        m_error = s.err();
        m_ext_h = H;
        m_ext_w = W;
        m_seq = StepSequence({});
        m_ph = Playhead{};
        m_playing = false;
        return;
    }
    m_solution = std::move(*s);
    const StepperSolution& so = *m_solution;
    m_ext_h = H + so.pad_top + so.pad_bottom;
    m_ext_w = W + so.pad_left + so.pad_right;
    for (const Trace& t : so.traces)
        for (const TraceTerm& term : t.terms) {
            m_ext_h = std::max(m_ext_h, term.iy + so.pad_top + 1);
            m_ext_w = std::max(m_ext_w, term.ix + so.pad_left + 1);
        }
    m_seq = transposed() && !m_gather_view ? StepSequence(m_scatter->term_counts()) : StepSequence::of(so);
    m_ph = m_seq.clamp(m_ph);
}

std::vector<StepperSizeLine> StepperModel::size_lines() const {
    std::vector<StepperSizeLine> lines;
    if (!m_solution) return lines;
    for (const bool rows : {true, false}) {
        StepperSizeLine l;
        l.name = rows ? "H_out" : "W_out";
        l.rows = rows;
        l.axis = rows ? m_solution->axis_h : m_solution->axis_w;
        const AxisSize s = axis_size(l.axis);
        const double quotient = s.exact - 1.0;
        const int64_t unreached = s.padded_in - s.reached;
        if (quotient != std::floor(quotient) && unreached > 0 && !l.axis.ceil_mode)
            l.note = StepperSizeLine::FloorNote{quotient, int64_t(std::floor(quotient)), unreached};
        lines.push_back(l);
    }
    return lines;
}

std::vector<int64_t> StepperModel::windows_reading(int64_t c, int64_t iy, int64_t ix) const {
    if (!m_solution) return {};
    return convscope::windows_reading(*m_solution, c, iy, ix);
}

// [SECTION] The playhead and playback

void StepperModel::set_gather_view(bool gather) {
    if (gather == m_gather_view) return;
    m_gather_view = gather;
    if (m_solution && transposed())
        m_seq = gather ? StepSequence::of(*m_solution) : StepSequence(m_scatter->term_counts());
    m_ph = m_seq.start();
}

const Trace* StepperModel::current_trace() const {
    if (!m_solution || m_ph.window < 0 || (transposed() && !m_gather_view)) return nullptr;
    return &m_solution->traces[size_t(m_ph.window)];
}

void StepperModel::step(bool forward, bool term) {
    // Predicting: the first press shows the hidden value, the next one moves on.
    if (forward && hidden()) {
        m_revealed = m_ph.window;
        return;
    }
    if (term)
        m_ph = forward ? m_seq.next_term(m_ph) : m_seq.prev_term(m_ph);
    else
        m_ph = forward ? m_seq.next_window(m_ph) : m_seq.prev_window(m_ph);
}

void StepperModel::jump_to_window(int64_t w) {
    m_ph = m_seq.at_window(w);
    m_playing = false;
}

void StepperModel::toggle_play() {
    if (!m_playing && m_ph == m_seq.end()) m_ph = m_seq.start();
    m_playing = !m_playing;
    m_accum = 0.0f;
}

void StepperModel::advance(float seconds) {
    if (!m_playing) return;
    // A speed of 0 (a hand-edited settings file) would play without moving: the slider's least is the floor.
    m_accum += std::clamp(seconds, 0.0f, 0.1f) * std::clamp(speed, 0.25f, 20.0f);
    while (m_accum >= 1.0f) {
        m_accum -= 1.0f;
        step(true, by_term);
        if (m_ph == m_seq.end()) {
            m_playing = false;
            m_accum = 0.0f;
        }
    }
}

void StepperModel::set_predict(bool on, bool reveal) {
    m_predict = on;
    m_revealed = reveal ? m_ph.window : -2;
}

bool StepperModel::hidden() const {
    return m_predict && m_solution && m_ph.window >= 0 && m_seq.complete(m_ph) && m_revealed != m_ph.window;
}

// [SECTION] The multiply-accumulate line

std::vector<MacToken> StepperModel::mac_tokens(MacStyle style) const {
    const Trace* t = current_trace();
    if (!t) return {};
    std::vector<MacToken> v = explain_tokens(*t, style, complete() ? int64_t(t->terms.size()) : m_ph.term);
    // Predict, then reveal: every "= value" waits for R or the next step.
    if (hidden())
        for (MacToken& k : v)
            if (const size_t eq = k.text.find(" = "); eq != std::string::npos)
                k.text = k.text.substr(0, eq + 3) + "?";
    return v;
}

}  // namespace convscope
