// The stepper's model: solving the lecture example, stepping order by window and by term, playhead bounds,
// and which outputs an input cell feeds.
#include <catch2/catch.hpp>

#include "core/stepper/stepper.hpp"

using namespace convscope;

namespace {

std::string ph(Playhead p) {
    return "(" + std::to_string(p.window) + ", " + std::to_string(p.term) + ")";
}

}  // namespace

TEST_CASE("solve_stepper: the lecture example") {
    auto s = solve_stepper(lecture_example());
    REQUIRE(s);
    CHECK(s->oh == 3);
    CHECK(s->ow == 3);
    CHECK(s->output.data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    REQUIRE(s->window_count() == 9);
    CHECK(explain_lines(s->traces[0]) ==
          std::vector<std::string>{
              "(1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8"});
    CHECK(axis_formula(s->axis_h) == "⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3");
}

TEST_CASE("solve_stepper: padding, pools, channels and errors") {
    SECTION("padding 1 gives 5×5 and padding terms read zero") {
        StepperProblem p = lecture_example();
        p.weighted()->conv.padding = Padding(1);
        auto s = solve_stepper(p);
        REQUIRE(s);
        CHECK(s->oh == 5);
        CHECK(s->pad_top == 1);
        const Trace& t = s->traces[0];
        REQUIRE(t.terms.size() == 9);
        CHECK(t.terms[0].padding);
        CHECK(t.terms[0].x == 0.0f);
        CHECK_FALSE(t.terms[4].padding);
    }
    SECTION("every preset solves, and replaying each trace gives its output") {
        for (const StepperPreset& preset : stepper_presets()) {
            INFO(preset.key);
            auto s = solve_stepper(preset.problem);
            REQUIRE(s);
            for (int64_t w = 0; w < s->window_count(); ++w)
                CHECK(replay(s->traces[size_t(w)]) == s->output.data[w]);
        }
    }
    SECTION("max pool marks the chosen cell") {
        StepperProblem p = stepper_presets()[8].problem;
        REQUIRE(p.op() == Op::MaxPool);
        auto s = solve_stepper(p);
        REQUIRE(s);
        CHECK(s->output.data == std::vector<float>{6, 8, 3, 4});
        const Trace& t = s->traces[0];
        REQUIRE(t.argmax >= 0);
        CHECK(t.terms[size_t(t.argmax)].iy == 1);
        CHECK(t.terms[size_t(t.argmax)].ix == 1);
    }
    SECTION("a kernel larger than the input is an error in words, not a crash") {
        StepperProblem p = lecture_example();
        p.weighted()->weight = Tensor::filled({1, 1, 7, 7});
        auto s = solve_stepper(p);
        REQUIRE_FALSE(s);
        CHECK(s.error() == "kernel 7×7 (dilated 7×7) is larger than the padded input 5×5");
    }
    SECTION("the floor preset leaves the last row and column unreached") {
        StepperProblem p = stepper_presets()[3].problem;
        auto s = solve_stepper(p);
        REQUIRE(s);
        const AxisSize a = axis_size(s->axis_h);
        CHECK(a.out == 2);
        CHECK(a.exact == 2.5);
        CHECK(a.reached == 5);
        CHECK(windows_reading(*s, 0, 5, 5).empty());
    }
    SECTION("three channels and a bias: windows in channel, row, column order") {
        StepperProblem p = stepper_presets()[7].problem;
        auto s = solve_stepper(p);
        REQUIRE(s);
        CHECK(s->out_channels == 2);
        CHECK(s->window_count() == 2 * 3 * 3);
        const Trace& t = s->traces[size_t(s->window_of(1, 2, 0))];
        CHECK(t.o == 1);
        CHECK(t.oy == 2);
        CHECK(t.ox == 0);
        CHECK(t.channels.size() == 3);
        CHECK(t.has_bias);
    }
}

TEST_CASE("stepper_presets: the 7×5 kernel on three channels, ceil_mode and the long animation") {
    const auto find = [](std::string_view key) {
        for (const StepperPreset& p : stepper_presets())
            if (p.key == key) return p.problem;
        FAIL("no preset " << key);
        return StepperProblem{};
    };
    SECTION("rgb_7x5: three 9×7 inputs, one 7×5 kernel per channel, a 3×3 output") {
        auto s = solve_stepper(find("rgb_7x5"));
        REQUIRE(s);
        CHECK(s->output.shape == Shape{1, 3, 3});
        CHECK(s->traces[0].terms.size() == 3u * 7u * 5u);
    }
    SECTION("max_pool_ceil: (5 − 2) / 2 = 1.5 rounds up to 2, so a third window reads past the edge") {
        auto s = solve_stepper(find("max_pool_ceil"));
        REQUIRE(s);
        CHECK(s->output.shape == Shape{1, 3, 3});
        // Worked by hand: the last row and column hold one real cell per window row or column.
        CHECK(s->output.data == std::vector<float>{6, 8, 3, 3, 4, 6, 5, 2, 7});
        // The last window (row 4, column 4) holds one cell of the input; the rest of it is past the edge.
        int inside = 0;
        for (const TraceTerm& t : s->traces[8].terms) inside += !t.padding;
        CHECK(inside == 1);
    }
    SECTION("diagonal16: 196 windows, the diagonal answers 27") {
        auto s = solve_stepper(find("diagonal16"));
        REQUIRE(s);
        CHECK(s->window_count() == 196);
        CHECK(s->output.data[0] == 27.0f);
        CHECK(s->output.data[1] == 0.0f);
    }
}

TEST_CASE("StepSequence: stepping by window") {
    const StepSequence seq({3, 3, 3});
    Playhead p = seq.start();
    CHECK(p.window == -1);
    p = seq.next_window(p);
    CHECK(p == Playhead{0, 3});
    CHECK(seq.complete(p));
    CHECK(seq.filled(p, 0));
    CHECK_FALSE(seq.filled(p, 1));
    p = seq.next_window(p);
    CHECK(p == Playhead{1, 3});
    p = seq.next_window(seq.next_window(p));
    CHECK(p == seq.end());
    CHECK(p == Playhead{2, 3});
    SECTION("forward at the end stays") {
        CHECK(seq.next_window(p) == p);
    }
    SECTION("back walks to the start and stays") {
        p = seq.prev_window(seq.prev_window(seq.prev_window(p)));
        CHECK(p == seq.start());
        CHECK(seq.prev_window(p) == seq.start());
    }
    SECTION("forward from the middle of a window completes it") {
        CHECK(seq.next_window({1, 1}) == Playhead{1, 3});
    }
    SECTION("back from the middle of a window goes to the previous complete one") {
        CHECK(seq.prev_window({1, 1}) == Playhead{0, 3});
        CHECK(seq.prev_window({0, 1}) == seq.start());
    }
}

TEST_CASE("StepSequence: stepping by term visits every tick once, in order") {
    const StepSequence seq({2, 1, 3});
    CHECK(seq.total_ticks() == 1 + 3 + 2 + 4);
    std::vector<Playhead> forward{seq.start()};
    while (forward.back() != seq.end()) {
        forward.push_back(seq.next_term(forward.back()));
        REQUIRE(forward.size() <= size_t(seq.total_ticks()));
    }
    const std::vector<Playhead> expected{{-1, 0}, {0, 0}, {0, 1}, {0, 2}, {1, 0},
                                         {1, 1},  {2, 0}, {2, 1}, {2, 2}, {2, 3}};
    REQUIRE(forward.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        INFO("tick " << i << ": " << ph(forward[i]));
        CHECK(forward[i] == expected[i]);
        CHECK(seq.tick(forward[i]) == int64_t(i));
        CHECK(seq.at_tick(int64_t(i)) == forward[i]);
    }
    SECTION("back is the exact inverse") {
        for (size_t i = expected.size() - 1; i > 0; --i) CHECK(seq.prev_term(expected[i]) == expected[i - 1]);
        CHECK(seq.prev_term(seq.start()) == seq.start());
        CHECK(seq.next_term(seq.end()) == seq.end());
    }
    SECTION("a term position shows the window but has not filled its output") {
        CHECK_FALSE(seq.filled({1, 0}, 1));
        CHECK(seq.filled({1, 0}, 0));
        CHECK(seq.filled({1, 1}, 1));
    }
}

TEST_CASE("StepSequence: bounds") {
    const StepSequence seq({9, 9});
    CHECK(seq.clamp({5, 0}) == Playhead{1, 9});
    CHECK(seq.clamp({0, 42}) == Playhead{0, 9});
    CHECK(seq.clamp({-7, 3}) == seq.start());
    CHECK(seq.at_window(99) == seq.end());
    CHECK(seq.at_window(-5) == seq.start());
    CHECK(seq.at_tick(-3) == seq.start());
    CHECK(seq.at_tick(1000) == seq.end());
    SECTION("an empty sequence stays at the start") {
        const StepSequence none({});
        CHECK(none.end() == none.start());
        CHECK(none.next_term(none.start()) == none.start());
        CHECK(none.next_window(none.start()) == none.start());
        CHECK(none.total_ticks() == 1);
    }
}

TEST_CASE("windows_reading: which outputs an input cell feeds") {
    auto s = solve_stepper(lecture_example());
    REQUIRE(s);
    SECTION("the top-left corner feeds only the first output") {
        CHECK(windows_reading(*s, 0, 0, 0) == std::vector<int64_t>{0});
    }
    SECTION("the centre feeds all nine") {
        CHECK(windows_reading(*s, 0, 2, 2).size() == 9);
    }
    SECTION("an edge cell feeds a row of three") {
        CHECK(windows_reading(*s, 0, 0, 2) == std::vector<int64_t>{0, 1, 2});
    }
    SECTION("with stride 2 some cells feed one output, the rest more") {
        StepperProblem p = lecture_example();
        p.weighted()->conv.stride = Pair(2);
        auto s2 = solve_stepper(p);
        REQUIRE(s2);
        CHECK(windows_reading(*s2, 0, 1, 1) == std::vector<int64_t>{0});
        CHECK(windows_reading(*s2, 0, 2, 2) == std::vector<int64_t>{0, 1, 2, 3});
    }
    SECTION("padding cells are read too") {
        StepperProblem p = lecture_example();
        p.weighted()->conv.padding = Padding(1);
        auto s2 = solve_stepper(p);
        REQUIRE(s2);
        CHECK(windows_reading(*s2, 0, -1, -1) == std::vector<int64_t>{0});
    }
}

TEST_CASE("resized keeps the overlap and zero-fills") {
    Tensor t({1, 2, 2}, {1, 2, 3, 4});
    const Tensor r = resized(t, {1, 3, 3});
    CHECK(r.data == std::vector<float>{1, 2, 0, 3, 4, 0, 0, 0, 0});
    const Tensor s = resized(t, {1, 1, 1});
    CHECK(s.data == std::vector<float>{1});
    const Tensor c = resized(t, {2, 1, 2});
    CHECK(c.data == std::vector<float>{1, 2, 0, 0});
}

TEST_CASE("parse_size_answer: the ways students write an output size") {
    CHECK(parse_size_answer("55").value() == Pair(55));
    CHECK(parse_size_answer("28×60").value() == Pair(28, 60));
    CHECK(parse_size_answer("28x60").value() == Pair(28, 60));
    CHECK(parse_size_answer(" 28, 60 ").value() == Pair(28, 60));
    CHECK_FALSE(parse_size_answer("").ok());
    CHECK_FALSE(parse_size_answer("twenty").ok());
    CHECK_FALSE(parse_size_answer("28.5").ok());
}
