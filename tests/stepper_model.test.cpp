// The stepper's model (core/stepper/stepper_model.hpp): stepping by window and by term, wrapping playback,
// edits that resize the output and keep the playhead valid, refused edits, the output-size formula on the
// lecture's worked examples, and the multiply-accumulate tokens: the same text as `convscope explain`, with
// padding terms marked as padding.
#include <catch2/catch.hpp>

#include "core/stepper/stepper_model.hpp"

using namespace convscope;
namespace edit = convscope::stepper_edit;

namespace {

const char* const kLectureLine = "(1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8";

std::string text(const std::vector<MacToken>& tokens) {
    std::string s;
    for (const std::string& l : join_lines(tokens)) s += (s.empty() ? "" : "\n") + l;
    return s;
}

std::string text(const std::vector<std::string>& lines) {
    std::string s;
    for (const std::string& l : lines) s += (s.empty() ? "" : "\n") + l;
    return s;
}

std::string ph(Playhead p) {
    return "(" + std::to_string(p.window) + ", " + std::to_string(p.term) + ")";
}

// A conv problem on an h×w input of ones with a k×k kernel of ones.
StepperProblem ones(int64_t h, int64_t w, int64_t k, int64_t stride, int64_t pad) {
    StepperProblem p;
    p.input = Tensor::filled({1, h, w}, 1.0f);
    ConvProblem& c = p.operation.emplace<ConvProblem>();
    c.weight = Tensor::filled({1, 1, k, k}, 1.0f);
    c.bias = Tensor::filled({1});
    c.conv.stride = Pair(stride);
    c.conv.padding = Padding(pad);
    return p;
}

// The playhead lies on the sequence (what clamp() would leave unchanged) and on a solved window.
void check_valid(const StepperModel& m) {
    INFO("playhead " << ph(m.playhead()) << " of " << m.sequence().windows() << " windows");
    CHECK(m.sequence().clamp(m.playhead()) == m.playhead());
    REQUIRE(m.solution());
    CHECK(m.playhead().window < m.solution()->window_count());
}

}  // namespace

TEST_CASE("StepperModel: the lecture example, window by window") {
    StepperModel m;
    REQUIRE(m.solution());
    CHECK(m.preset() == "lecture");
    CHECK(m.playhead() == Playhead{});
    CHECK(m.mac_tokens().empty());  // before the first window
    const float expected[9] = {8, 9, 8, 8, 5, 9, 6, 5, 5};
    for (int w = 0; w < 9; ++w) {
        m.step(true, false);
        INFO("window " << w);
        CHECK(m.playhead() == Playhead{w, 9});
        CHECK(m.complete());
        const Trace& t = *m.current_trace();
        // The view's tokens and the CLI's explain are one function: the same text.
        CHECK(text(m.mac_tokens(MacStyle::Plain)) == text(explain_lines(t)));
        CHECK(text(m.mac_tokens(MacStyle::Board)) == text(explain_lines(t)));  // no negative numbers here
        CHECK(join_lines(m.mac_tokens()).back().ends_with(" = " + format_number(expected[w])));
    }
    m.jump_to_window(0);
    CHECK(join_lines(m.mac_tokens()) == std::vector<std::string>{kLectureLine});
}

TEST_CASE("StepperModel: tokens carry roles and the playhead's time") {
    StepperModel m;
    SECTION("a complete window: nine input terms, then the output") {
        m.jump_to_window(0);
        const auto tokens = m.mac_tokens();
        int terms = 0;
        for (const MacToken& k : tokens) {
            CHECK(k.time == MacTime::Done);
            if (k.role == MacRole::Input) CHECK(k.term == terms++);
        }
        CHECK(terms == 9);
        // A conv channel's line ends with its sum, then a Newline.
        REQUIRE(tokens.size() >= 2);
        CHECK(tokens.back().role == MacRole::Newline);
        CHECK(tokens[tokens.size() - 2].role == MacRole::Output);
        CHECK(tokens[tokens.size() - 2].text == " = 8");
    }
    SECTION("term by term: done, current, later, and the running sum") {
        for (int i = 0; i < 4; ++i) m.step(true, true);  // window 0, term 3
        REQUIRE(m.playhead() == Playhead{0, 3});
        const auto tokens = m.mac_tokens();
        for (const MacToken& k : tokens)
            if (k.role == MacRole::Input)
                CHECK(k.time == (k.term < 3    ? MacTime::Done
                                 : k.term == 3 ? MacTime::Current
                                               : MacTime::Later));
        // 1×1 + 2×0 + 3×1 + 0×0 = 4 so far.
        const MacToken& sum = tokens[tokens.size() - 2];
        CHECK(sum.role == MacRole::Output);
        CHECK(sum.text == " = 4 …");
        CHECK(sum.time == MacTime::Later);
    }
    SECTION("padding 1: the lecture's 7×7 grid, padding terms marked as padding") {
        REQUIRE(m.load_preset("lecture_padding"));
        CHECK(m.extent_h() == 7);
        CHECK(m.extent_w() == 7);
        m.jump_to_window(0);
        const Trace& t = *m.current_trace();
        const auto tokens = m.mac_tokens();
        int padding = 0, input = 0;
        for (const MacToken& k : tokens) {
            if (k.role == MacRole::Padding) {
                ++padding;
                CHECK(t.terms[size_t(k.term)].padding);
                CHECK(k.text.starts_with("(0×"));
            }
            if (k.role == MacRole::Input) {
                ++input;
                CHECK_FALSE(t.terms[size_t(k.term)].padding);
            }
        }
        CHECK(padding == 5);  // the top row and the left column of the 3×3 window
        CHECK(input == 4);
        CHECK(join_lines(tokens) ==
              std::vector<std::string>{
                  "(0×1) + (0×0) + (0×1) + (0×0) + (1×1) + (2×0) + (0×1) + (0×0) + (1×1) = 2"});
        CHECK(text(tokens) == text(explain_lines(t)));
    }
    SECTION("channels and bias: labels the view translates, the same text as explain") {
        REQUIRE(m.load_preset("rgb_bias"));
        m.jump_to_window(0);
        const auto tokens = m.mac_tokens(MacStyle::Plain);
        std::vector<int64_t> channels;
        int bias = 0;
        for (const MacToken& k : tokens) {
            if (k.role == MacRole::Channel) channels.push_back(k.channel);
            if (k.role == MacRole::Bias) {
                ++bias;
                CHECK(k.number == "1");
            }
        }
        CHECK(channels == std::vector<int64_t>{0, 1, 2});
        CHECK(bias == 1);
        CHECK(text(tokens) == text(explain_lines(*m.current_trace())));
        CHECK(join_lines(tokens).size() == 4);  // three channels, then the total
    }
    SECTION("the board's numbers: a true minus and bracketed negative factors") {
        REQUIRE(m.load_preset("edge"));
        m.jump_to_window(1);  // [[0,0,9],…] under the vertical Sobel filter
        const auto board = join_lines(m.mac_tokens(MacStyle::Board));
        const auto plain = join_lines(m.mac_tokens(MacStyle::Plain));
        REQUIRE(board.size() == 1);
        CHECK(board[0].starts_with("(0×(−1)) + (0×0) + (9×1) + (0×(−2))"));
        CHECK(plain == explain_lines(*m.current_trace()));
        CHECK(plain[0].starts_with("(0×-1) + (0×0) + (9×1) + (0×-2)"));
    }
    SECTION("max pooling: the window's values, then the chosen one") {
        REQUIRE(m.load_preset("max_pool"));
        m.jump_to_window(0);
        CHECK(join_lines(m.mac_tokens()) == std::vector<std::string>{"max(1, 1, 5, 6) = 6"});
        CHECK(join_lines(m.mac_tokens(MacStyle::Plain)) == explain_lines(*m.current_trace()));
    }
}

TEST_CASE("StepperModel: stepping, ends and wrapping playback") {
    StepperModel m;
    SECTION("by window: stays at either end") {
        m.step(false, false);
        CHECK(m.playhead() == Playhead{});
        for (int i = 0; i < 12; ++i) m.step(true, false);
        CHECK(m.playhead() == m.sequence().end());
        CHECK(m.playhead() == Playhead{8, 9});
        m.step(false, false);
        CHECK(m.playhead() == Playhead{7, 9});
    }
    SECTION("by term: back and forward are inverses") {
        std::vector<Playhead> seen{m.playhead()};
        for (int i = 0; i < 25; ++i) {
            m.step(true, true);
            seen.push_back(m.playhead());
        }
        CHECK(seen[1] == Playhead{0, 0});
        CHECK(seen[10] == Playhead{0, 9});  // window 0 complete
        CHECK(seen[11] == Playhead{1, 0});
        for (int i = 24; i >= 0; --i) {
            m.step(false, true);
            CHECK(m.playhead() == seen[size_t(i)]);
        }
    }
    SECTION("playback steps at its speed and stops at the end; playing from the end wraps") {
        m.speed = 5.0f;
        m.toggle_play();
        CHECK(m.playing());
        m.advance(0.1f);
        CHECK(m.playhead() == Playhead{});
        m.advance(0.1f);  // 0.2 s × 5 = one step
        CHECK(m.playhead() == Playhead{0, 9});
        m.advance(5.0f);  // a frame after a long sleep: 0.1 s at most
        CHECK(m.playhead() == Playhead{0, 9});
        for (int i = 0; i < 100; ++i) m.advance(0.1f);
        CHECK(m.playhead() == m.sequence().end());
        CHECK_FALSE(m.playing());
        m.toggle_play();  // from the end: back to the start
        CHECK(m.playing());
        CHECK(m.playhead() == m.sequence().start());
        m.jump_to_window(4);
        CHECK_FALSE(m.playing());
        CHECK(m.playhead() == Playhead{4, 9});
    }
    SECTION("predict, then reveal: the first step forward shows the value") {
        m.set_predict(true);
        m.step(true, false);
        CHECK(m.hidden());
        CHECK(join_lines(m.mac_tokens()).back().ends_with(" = ?"));
        m.step(true, false);  // reveals, stays
        CHECK(m.playhead() == Playhead{0, 9});
        CHECK_FALSE(m.hidden());
        CHECK(join_lines(m.mac_tokens()).back().ends_with(" = 8"));
        m.step(true, false);
        CHECK(m.playhead() == Playhead{1, 9});
        CHECK(m.hidden());
    }
}

TEST_CASE("StepperModel: editing stride, padding and dilation resizes the output and keeps the playhead") {
    StepperModel m;
    m.to_end();  // window 8 of 3×3
    Conv2dParams p = m.problem().weighted()->conv;
    SECTION("stride 2: 2×2") {
        p.stride = Pair(2);
        REQUIRE(m.apply(edit::SetConv{p}));
        CHECK(m.solution()->oh == 2);
        CHECK(m.solution()->ow == 2);
        CHECK(m.playhead() == Playhead{3, 9});
        CHECK(m.preset().empty());
        check_valid(m);
    }
    SECTION("padding 1: 5×5 on a 7×7 grid, the playhead where it was") {
        p.padding = Padding(1);
        REQUIRE(m.apply(edit::SetConv{p}));
        CHECK(m.solution()->oh == 5);
        CHECK(m.extent_h() == 7);
        CHECK(m.playhead() == Playhead{8, 9});
        check_valid(m);
    }
    SECTION("dilation 2: one window") {
        p.dilation = Pair(2);
        REQUIRE(m.apply(edit::SetConv{p}));
        CHECK(m.solution()->window_count() == 1);
        CHECK(m.playhead() == Playhead{0, 9});
        CHECK(join_lines(m.mac_tokens()) ==
              std::vector<std::string>{
                  "(1×1) + (3×0) + (1×1) + (1×0) + (2×1) + (1×0) + (1×1) + (1×0) + (1×1) = 6"});
        check_valid(m);
    }
    SECTION("a term-level playhead past the new window's terms is clamped") {
        m.jump_to_window(0);
        m.step(true, true);  // window 1, term 0
        m.step(true, true);
        REQUIRE(m.playhead() == Playhead{1, 1});
        REQUIRE(m.apply(edit::ResizeKernel{1, 2, 2}));
        CHECK(m.solution()->oh == 4);
        CHECK(m.playhead() == Playhead{1, 1});
        check_valid(m);
    }
    SECTION("a stride of 0 is refused by core: the problem is kept, and so is its reason") {
        p.stride = Pair(0);
        const Status s = m.apply(edit::SetConv{p});
        REQUIRE_FALSE(s);
        CHECK(m.error());
        CHECK(m.solution() == nullptr);
        CHECK(m.problem().weighted()->conv.stride == Pair(0));
        CHECK(m.mac_tokens().empty());
        CHECK(m.playhead() == Playhead{});
        p.stride = Pair(1);
        REQUIRE(m.apply(edit::SetConv{p}));
        CHECK_FALSE(m.error());
        CHECK(m.solution()->window_count() == 9);
    }
    SECTION("a smaller input keeps its overlapping values") {
        REQUIRE(m.apply(edit::ResizeInput{1, 4, 4}));
        CHECK(m.solution()->oh == 2);
        CHECK(m.problem().input.data[size_t(1 * 4 + 2)] == 5.0f);
        check_valid(m);
    }
}

TEST_CASE("StepperModel: edits that cannot apply are refused and change nothing") {
    StepperModel m;
    m.jump_to_window(3);
    const StepperProblem before = m.problem();
    const auto unchanged = [&] {
        CHECK(m.problem().input.data == before.input.data);
        CHECK(m.problem().weighted()->weight.data == before.weighted()->weight.data);
        CHECK(m.problem().input.shape == before.input.shape);
        CHECK(m.playhead() == Playhead{3, 9});
        CHECK(m.preset() == "lecture");
    };
    SECTION("a cell outside the grid") {
        const Status s = m.apply(edit::SetCell{false, 0, 0, 5, 0, 1.0f});
        REQUIRE_FALSE(s);
        CHECK(s.err().code == ErrCode::index_outside);
        CHECK(s.error() == "row 5 is outside 0..4");
        unchanged();
    }
    SECTION("a value that is not finite") {
        const Status s = m.apply(edit::SetCell{true, 0, 0, 1, 1, std::numeric_limits<float>::infinity()});
        REQUIRE_FALSE(s);
        CHECK(s.err().code == ErrCode::token_not_a_number);
        CHECK(s.error() == "'inf' is not a number");
        unchanged();
    }
    SECTION("an input beyond the stepper's grids") {
        const Status s = m.apply(edit::ResizeInput{1, StepperLimits::kSide + 1, 5});
        REQUIRE_FALSE(s);
        CHECK(s.err().code == ErrCode::lab_size_range);
        unchanged();
    }
    SECTION("a kernel resize on a pooling problem") {
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        CHECK_FALSE(m.apply(edit::ResizeKernel{1, 2, 2}));
    }
    SECTION("a cell inside is set") {
        REQUIRE(m.apply(edit::SetCell{false, 0, 0, 0, 0, 4.0f}));
        m.jump_to_window(0);
        CHECK(join_lines(m.mac_tokens()).back().ends_with(" = 11"));  // 8 − 1 + 4
        CHECK(m.preset().empty());
    }
}

TEST_CASE("StepperModel: the output-size formula on the lecture's worked examples") {
    struct Case {
        int64_t h, w, k, s, p, out_h, out_w;
    };
    // 227, k11, s4, p0 → 55 · 64, k7, s2, p0 → 29 · 32, k5, s1, p2 → 32 · 32×64, k5 → 28×60 · 64×32, k3, p1.
    const Case cases[] = {{227, 227, 11, 4, 0, 55, 55},
                          {64, 64, 7, 2, 0, 29, 29},
                          {32, 32, 5, 1, 2, 32, 32},
                          {32, 64, 5, 1, 0, 28, 60},
                          {64, 32, 3, 1, 1, 64, 32}};
    for (const Case& c : cases) {
        INFO(c.h << "×" << c.w << " k" << c.k << " s" << c.s << " p" << c.p);
        StepperModel m;
        REQUIRE(m.apply(edit::Load{ones(c.h, c.w, c.k, c.s, c.p), ""}));
        const auto lines = m.size_lines();
        REQUIRE(lines.size() == 2);
        CHECK(std::string(lines[0].name) == "H_out");
        CHECK(axis_size(lines[0].axis).out == c.out_h);
        CHECK(axis_size(lines[1].axis).out == c.out_w);
        CHECK(m.solution()->oh == c.out_h);
        CHECK(m.solution()->ow == c.out_w);
    }
    SECTION("64, k7, s2: 28.5 + 1 = 29.5 floors, and one row and one column are never reached") {
        StepperModel m;
        REQUIRE(m.apply(edit::Load{ones(64, 64, 7, 2, 0), ""}));
        for (const StepperSizeLine& l : m.size_lines()) {
            REQUIRE(l.note);
            CHECK(l.note->quotient == 28.5);
            CHECK(l.note->floored == 28);
            CHECK(l.note->unreached == 1);
        }
        CHECK(axis_formula(m.size_lines()[0].axis) == "⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29");
    }
    SECTION("a whole division has no note") {
        StepperModel m;
        for (const StepperSizeLine& l : m.size_lines()) CHECK_FALSE(l.note);
    }
}

TEST_CASE("StepperModel: operations and the transposed convolution's two views") {
    StepperModel m;
    SECTION("pooling, then back to conv with the lecture's kernel") {
        REQUIRE(m.apply(edit::SetOp{Op::AvgPool}));
        Pool2dParams pp = *m.problem().pool();
        pp.kernel = Pair(2);
        REQUIRE(m.apply(edit::SetPool{pp}));
        CHECK(m.solution()->oh == 2);  // (5 − 2) / 2 + 1
        m.jump_to_window(0);
        CHECK(join_lines(m.mac_tokens()) == std::vector<std::string>{"(1 + 2 + 0 + 1) / 4 = 1"});
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        CHECK(m.problem().weighted()->weight.shape == Shape{1, 1, 3, 3});
    }
    SECTION("transposed: the scatter steps the input cells, the gather the output cells") {
        REQUIRE(m.load_preset("transpose_checkerboard"));
        REQUIRE(m.scatter());
        REQUIRE(m.gather());
        CHECK_FALSE(m.gather_view());
        CHECK(m.sequence().windows() == m.problem().input.numel());
        m.step(true, false);
        CHECK(m.current_trace() == nullptr);  // a stamp, not a window
        CHECK(m.mac_tokens().empty());
        m.set_gather_view(true);
        CHECK(m.playhead() == Playhead{});
        CHECK(m.sequence().windows() == m.scatter()->output.numel());
        m.jump_to_window(0);
        REQUIRE(m.current_trace());
        CHECK(join_lines(m.mac_tokens(MacStyle::Plain)) == explain_lines(*m.current_trace()));
    }
}

TEST_CASE(
    "StepperModel: a problem holds only its operation's parameters, the model remembers the other "
    "operation's") {
    StepperModel m;
    REQUIRE(m.apply(edit::SetCell{true, 0, 0, 1, 1, 7.0f}));  // the kernel's centre
    Conv2dParams c = m.problem().weighted()->conv;
    c.padding = Padding(1);
    REQUIRE(m.apply(edit::SetConv{c}));
    REQUIRE(m.apply(edit::SetBias{true, {2.0f}}));
    SECTION("conv → pool: the problem is a pool, with no kernel") {
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        CHECK(m.problem().op() == Op::MaxPool);
        CHECK(m.problem().weighted() == nullptr);
        REQUIRE(m.problem().pool());
        CHECK(m.problem().pool()->op == Op::MaxPool);
        REQUIRE(m.apply(edit::SetOp{Op::AvgPool}));
        CHECK(m.problem().pool()->op == Op::AvgPool);
    }
    SECTION("conv → pool → conv keeps the edited kernel, its bias and its padding") {
        REQUIRE(m.apply(edit::SetOp{Op::AvgPool}));
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        const ConvProblem* w = m.problem().weighted();
        REQUIRE(w);
        CHECK(w->weight.data[4] == 7.0f);
        CHECK(w->has_bias);
        CHECK(w->bias.data == std::vector<float>{2.0f});
        CHECK(w->conv.padding == Padding(1));
        CHECK(m.problem().pool() == nullptr);
    }
    SECTION("pool → conv → pool keeps the window; SetPool keeps max or average") {
        REQUIRE(m.apply(edit::SetOp{Op::AvgPool}));
        Pool2dParams q;  // op MaxPool: SetOp decides the operation, not SetPool
        q.kernel = Pair(3);
        q.ceil_mode = true;
        REQUIRE(m.apply(edit::SetPool{q}));
        CHECK(m.problem().op() == Op::AvgPool);
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        REQUIRE(m.apply(edit::SetOp{Op::AvgPool}));
        REQUIRE(m.problem().pool());
        CHECK(m.problem().pool()->kernel == Pair(3));
        CHECK(m.problem().pool()->ceil_mode);
    }
    SECTION("while pooling, a new input size resizes the remembered kernel's channels") {
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        REQUIRE(m.apply(edit::ResizeInput{2, 5, 5}));
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        CHECK(m.problem().weighted()->weight.shape == Shape{1, 2, 3, 3});
        CHECK(m.solution());
    }
    SECTION("a loaded problem remembers nothing of the one before") {
        REQUIRE(m.load_preset("max_pool"));
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        const ConvProblem* w = m.problem().weighted();
        REQUIRE(w);
        CHECK(w->weight.data == std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1});  // the lecture's kernel
        CHECK_FALSE(w->has_bias);
        CHECK(w->conv == Conv2dParams{});
    }
}

TEST_CASE("StepperModel: undo snapshots say whether anything changed and restore what was remembered") {
    StepperModel m;
    const StepperModel::Snapshot start = m.snapshot();
    CHECK_FALSE(m.changed_since(start));
    m.step(true, false);  // the playhead is not an edit
    CHECK_FALSE(m.changed_since(start));
    REQUIRE(m.apply(edit::SetCell{false, 0, 0, 0, 0, 9.0f}));
    CHECK(m.changed_since(start));
    const StepperModel::Snapshot edited = m.snapshot();
    CHECK_FALSE(m.changed_since(edited));
    SECTION("restoring goes back to the problem and keeps the playhead where it can") {
        m.jump_to_window(4);
        REQUIRE(m.restore(start));
        CHECK_FALSE(m.changed_since(start));
        CHECK(m.problem().input.data[0] == 1.0f);
        CHECK(m.playhead() == Playhead{4, 9});
        CHECK(m.solution()->output.data[0] == 8.0f);
    }
    SECTION("what the other operation remembers is part of a snapshot") {
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        Pool2dParams q;
        q.kernel = Pair(3);
        REQUIRE(m.apply(edit::SetPool{q}));
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        const StepperModel::Snapshot with_pool3 = m.snapshot();
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        q.kernel = Pair(4);
        REQUIRE(m.apply(edit::SetPool{q}));
        REQUIRE(m.apply(edit::SetOp{Op::Conv}));
        // The same conv problem, but pooling would now find 4×4: a change.
        CHECK(m.problem() == with_pool3.problem);
        CHECK(m.changed_since(with_pool3));
        REQUIRE(m.restore(with_pool3));
        REQUIRE(m.apply(edit::SetOp{Op::MaxPool}));
        CHECK(m.problem().pool()->kernel == Pair(3));
    }
    SECTION("a refused problem restores too, and says why") {
        Conv2dParams c;
        c.stride = Pair(0);
        REQUIRE_FALSE(m.apply(edit::SetConv{c}));
        const StepperModel::Snapshot refused = m.snapshot();
        REQUIRE(m.restore(edited));
        CHECK_FALSE(m.error());
        CHECK_FALSE(m.restore(refused));
        CHECK(m.error());
    }
}

TEST_CASE("StepperModel: the im2col panel's flag") {
    StepperModel m;
    CHECK_FALSE(m.im2col_open());
    REQUIRE(m.load_preset("im2col_lecture"));
    CHECK(m.im2col_open());
    SECTION("an edit keeps it") {
        REQUIRE(m.apply(edit::SetCell{false, 0, 0, 0, 0, 3.0f}));
        CHECK(m.im2col_open());
    }
    SECTION("another preset closes it") {
        REQUIRE(m.load_preset("blur"));
        CHECK_FALSE(m.im2col_open());
    }
    SECTION("set by the checkbox or a scene") {
        m.set_im2col_open(false);
        CHECK_FALSE(m.im2col_open());
        m.set_im2col_open(true);
        CHECK(m.im2col_open());
    }
    SECTION("an unknown preset is refused and leaves it") {
        CHECK_FALSE(m.load_preset("no such preset"));
        CHECK(m.im2col_open());
    }
}
