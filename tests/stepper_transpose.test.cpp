// The stepper's transposed-convolution and im2col models: the scatter order and its running sums, the
// overlap counts (the checkerboard), the gather form giving the same numbers, and W_row × X_cols = Y.
#include <catch2/catch.hpp>

#include "core/engine/backend.hpp"
#include "core/engine/transpose.hpp"
#include "core/lesson/lesson.hpp"
#include "core/stepper/stepper_transpose.hpp"

using namespace convscope;

namespace {

StepperProblem preset(std::string_view key) {
    for (const StepperPreset& p : stepper_presets())
        if (p.key == key) return p.problem;
    FAIL("no preset " << key);
    return {};
}

// A transposed problem with every parameter set, small integers so every sum is exact.
StepperProblem awkward_transpose() {
    StepperProblem p;
    p.operation = ConvTransposeProblem{};
    p.input = Tensor::filled({2, 3, 4});
    randomize_small_ints(p.input, 21, -2, 3);
    p.weighted()->weight = Tensor::filled({2, 2, 3, 2});  // C=2 × O/g=2, groups 2 → 4 output channels
    randomize_small_ints(p.weighted()->weight, 22, -1, 2);
    p.weighted()->conv.stride = Pair(3, 2);
    p.weighted()->conv.padding = Padding(Pair(1, 0));
    p.weighted()->conv.dilation = Pair(1, 2);
    p.weighted()->conv.groups = 2;
    p.transposed()->output_padding = Pair(2, 1);
    p.weighted()->bias = Tensor({4}, {1, -1, 2, 0});
    p.weighted()->has_bias = true;
    return p;
}

}  // namespace

TEST_CASE("plan_scatter: 2×2 → 5×5 with k3, s2 (the checkerboard preset)") {
    const StepperProblem p = preset("transpose_checkerboard");
    auto plan = plan_scatter(p);
    REQUIRE(plan);
    CHECK(plan->oh == 5);
    CHECK(plan->ow == 5);
    CHECK(plan->output.data ==
          std::vector<float>{1, 1, 3, 2, 2, 1, 1, 3, 2, 2, 4, 4, 10, 6, 6, 3, 3, 7, 4, 4, 3, 3, 7, 4, 4});
    // Where two stamps meet, two products land; in the middle, four: the checkerboard.
    CHECK(plan->overlap ==
          std::vector<int64_t>{1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 2, 2, 4, 2, 2, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1});
    CHECK(plan->max_overlap() == 4);
    REQUIRE(plan->stamps.size() == 4);
    // Stamp 1 is input (0, 1) = 2: its top-left product lands on output (0, 2), on top of stamp 0's.
    const ScatterStamp& s1 = plan->stamps[1];
    CHECK(s1.iy == 0);
    CHECK(s1.ix == 1);
    CHECK(s1.x == 2);
    REQUIRE(s1.terms.size() == 9);
    CHECK(s1.terms[0].oy == 0);
    CHECK(s1.terms[0].ox == 2);
    CHECK(s1.terms[0].product == 2);
    CHECK(s1.terms[0].sum == 3);

    SECTION("partial sums follow the playhead") {
        StepSequence seq(plan->term_counts());
        CHECK(scatter_partial(*plan, seq.start()).data == std::vector<float>(25, 0.0f));
        std::vector<bool> reached;
        const Tensor after_one = scatter_partial(*plan, seq.at_window(0), &reached);
        CHECK(after_one.data[0] == 1);
        CHECK(after_one.data[2] == 1);
        CHECK(after_one.data[3] == 0);
        CHECK(reached[2]);
        CHECK_FALSE(reached[3]);
        // Two products of stamp 1: (0, 2) and (0, 3) have them, (0, 4) not yet.
        const Tensor mid = scatter_partial(*plan, Playhead{1, 1});
        CHECK(mid.data[2] == 3);
        CHECK(mid.data[3] == 2);
        CHECK(mid.data[4] == 0);
        CHECK(scatter_partial(*plan, seq.end()).data == plan->output.data);
    }
}

TEST_CASE("plan_scatter: the last stamp gives conv_transpose2d's output") {
    for (const StepperProblem& p :
         {preset("transpose_checkerboard"), preset("transpose_dcgan"), awkward_transpose()}) {
        auto plan = plan_scatter(p);
        REQUIRE(plan);
        auto gather = solve_stepper(p);  // the gather form: a stride-1 convolution, traced
        REQUIRE(gather);
        CHECK(gather->output.shape == plan->output.shape);
        StepSequence seq(plan->term_counts());
        CHECK(scatter_partial(*plan, seq.end()).data == gather->output.data);
        // The engine's conv_transpose2d, on every CPU backend.
        const ConvTranspose2dParams tp = transpose_params(p);
        for (Backend* b : {&reference_backend(), &fastest_cpu_backend()}) {
            INFO(b->name());
            auto y = b->conv_transpose2d(p.input, p.weighted()->weight,
                                         p.weighted()->has_bias ? &p.weighted()->bias : nullptr, tp);
            REQUIRE(y);
            CHECK(y->shape == plan->output.shape);
            CHECK(scatter_partial(*plan, seq.end()).data == y->data);
        }
        // Every product is counted once: the overlaps add up to the stamps' products.
        int64_t products = 0, overlaps = 0;
        for (const ScatterStamp& s : plan->stamps) products += int64_t(s.terms.size());
        for (int64_t v : plan->overlap) overlaps += v;
        CHECK(products == overlaps);
    }
}

TEST_CASE("plan_scatter: the DCGAN preset doubles 4×4 to 8×8, evenly (k a multiple of s: no checkerboard)") {
    auto plan = plan_scatter(preset("transpose_dcgan"));
    REQUIRE(plan);
    CHECK(plan->oh == 8);
    CHECK(plan->ow == 8);
    // Four products on every inner cell, two on the border rows/columns, one in the corners.
    for (int64_t y = 0; y < 8; ++y)
        for (int64_t x = 0; x < 8; ++x) {
            const int64_t edges = (y == 0 || y == 7) + (x == 0 || x == 7);
            CHECK(plan->overlap[size_t(y * 8 + x)] == (edges == 0 ? 4 : edges == 1 ? 2 : 1));
        }
}

TEST_CASE("plan_scatter and gather_problem: readable errors") {
    StepperProblem p = preset("transpose_checkerboard");
    SECTION("output_padding must be smaller than stride or dilation") {
        p.transposed()->output_padding = Pair(2);
        auto plan = plan_scatter(p);
        REQUIRE_FALSE(plan);
        CHECK(plan.error().find("output_padding") != std::string::npos);
        CHECK_FALSE(solve_stepper(p));
    }
    SECTION("padding that crops everything") {
        p.weighted()->conv.padding = Padding(3);
        auto plan = plan_scatter(p);
        REQUIRE_FALSE(plan);
        CHECK(plan.error().find("output would be") != std::string::npos);
    }
    SECTION("a kernel whose first dimension is not the input channels") {
        p.weighted()->weight = Tensor::filled({2, 1, 3, 3});
        CHECK_FALSE(plan_scatter(p));
        CHECK_FALSE(gather_problem(p));
    }
    SECTION("not a transposed problem") {
        CHECK_FALSE(plan_scatter(lecture_example()));
    }
}

TEST_CASE("gather_problem: zeros inserted, padding d(k−1)−p, the kernel rotated") {
    auto g = gather_problem(preset("transpose_checkerboard"));
    REQUIRE(g);
    // 2×2 with one zero between cells is 3×3; d(k−1) − p = 2 zeros around: 7×7.
    CHECK(g->conv.input.shape == Shape{1, 7, 7});
    CHECK(g->off_h == 2);
    int64_t iy = -1, ix = -1;
    CHECK(g->source(2, 4, iy, ix));
    CHECK(iy == 0);
    CHECK(ix == 1);
    CHECK_FALSE(g->source(3, 2, iy, ix));  // an inserted zero
    CHECK_FALSE(g->source(0, 0, iy, ix));  // the border
    CHECK(g->conv.input.data[size_t(2 * 7 + 4)] == 2);
    CHECK(g->conv.weighted()->conv.stride == Pair(1));

    SECTION("the kernel is rotated 180°") {
        StepperProblem p = preset("transpose_checkerboard");
        p.weighted()->weight = Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
        auto r = gather_problem(p);
        REQUIRE(r);
        CHECK(r->conv.weighted()->weight.data == std::vector<float>{9, 8, 7, 6, 5, 4, 3, 2, 1});
    }
}

TEST_CASE("im2col_matrix: W_row × X_cols = conv2d's output") {
    for (const char* key : {"im2col_lecture", "lecture_padding", "stride2", "rgb_bias", "blur"}) {
        INFO(key);
        const StepperProblem p = preset(key);
        auto s = solve_stepper(p);
        REQUIRE(s);
        auto expected = reference_backend().conv2d(p.input, p.weighted()->weight,
                                                   p.weighted()->has_bias ? &p.weighted()->bias : nullptr,
                                                   p.weighted()->conv);
        REQUIRE(expected);
        for (int64_t o = 0; o < s->out_channels; ++o) {
            auto m = im2col_matrix(*s, o);
            REQUIRE(m);
            CHECK(m->rows == p.input.dim(0) / p.weighted()->conv.groups * p.weighted()->weight.dim(2) *
                                 p.weighted()->weight.dim(3));
            CHECK(m->cols == s->oh * s->ow);
            for (int64_t l = 0; l < m->cols; ++l) {
                float dot = m->bias;
                for (int64_t r = 0; r < m->rows; ++r) dot += m->kernel_row[size_t(r)] * m->at(r, l);
                CHECK(dot == Approx(expected->data[size_t(o * m->cols + l)]));
                CHECK(m->product[size_t(l)] + m->bias == Approx(expected->data[size_t(o * m->cols + l)]));
            }
        }
    }
    SECTION("the matrix is F.unfold's (zero padding)") {
        for (const char* key : {"im2col_lecture", "lecture_padding", "stride2", "rgb_bias"}) {
            INFO(key);
            const StepperProblem p = preset(key);
            auto s = solve_stepper(p);
            REQUIRE(s);
            auto m = im2col_matrix(*s, 0);
            REQUIRE(m);
            auto cols = unfold(p.input, Pair(p.weighted()->weight.dim(2), p.weighted()->weight.dim(3)),
                               p.weighted()->conv.stride, p.weighted()->conv.padding.amount,
                               p.weighted()->conv.dilation);
            REQUIRE(cols);
            REQUIRE(cols->shape == Shape{m->rows, m->cols});
            CHECK(cols->data == m->x);
        }
    }
    SECTION("the lecture example's first column is its first window, top-left to bottom-right") {
        auto s = solve_stepper(preset("im2col_lecture"));
        REQUIRE(s);
        auto m = im2col_matrix(*s, 0);
        REQUIRE(m);
        CHECK(m->rows == 9);
        CHECK(m->cols == 9);
        std::vector<float> col0;
        for (int64_t r = 0; r < 9; ++r) col0.push_back(m->at(r, 0));
        CHECK(col0 == std::vector<float>{1, 2, 3, 0, 1, 5, 1, 0, 2});
        CHECK(m->kernel_row == std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1});
        CHECK(m->product[0] == 8);
    }
    SECTION("the padding ring is marked") {
        auto s = solve_stepper(preset("lecture_padding"));
        REQUIRE(s);
        auto m = im2col_matrix(*s, 0);
        REQUIRE(m);
        CHECK(m->padding[0]);  // row (0,0) of window (0,0) is the top-left corner's pad
        CHECK_FALSE(m->padding[size_t(4 * m->cols)]);  // the centre of window (0,0) is input (0,0)
        CHECK_FALSE(im2col_matrix(*s, 1));
    }
}

TEST_CASE("transpose_axis: the size formula and the round trip through Conv2d") {
    SECTION("2 → 5 with k3, s2: Conv2d maps 5 and 6 back to 2") {
        const TransposeAxis a = transpose_axis(2, 3, 2, 0, 1, 0);
        CHECK(a.out == 5);
        CHECK(a.formula == "(2 − 1)×2 − 2×0 + 1×(3 − 1) + 0 + 1 = 5");
        CHECK(a.back == 2);
        CHECK(a.lo == 5);
        CHECK(a.hi == 6);
        CHECK(transpose_axis(2, 3, 2, 0, 1, 1).out == 6);
        CHECK(transpose_axis(2, 3, 2, 0, 1, 1).back == 2);
    }
    SECTION("DCGAN: 4 → 8 with k4, s2, p1") {
        const TransposeAxis a = transpose_axis(4, 4, 2, 1, 1, 0);
        CHECK(a.out == 8);
        CHECK(a.back == 4);
        CHECK(a.lo == 8);
        CHECK(a.hi == 9);
    }
    SECTION("stride 1 has one preimage") {
        const TransposeAxis a = transpose_axis(5, 3, 1, 1, 1, 0);
        CHECK(a.out == 5);
        CHECK(a.lo == a.hi);
    }
}

TEST_CASE("scenes: conv_transpose, output_padding, transpose_view, im2col and flip round-trip") {
    const std::string text = R"({"convscope":"scene","version":1,"view":"stepper","teacher_note":"kept",
      "stepper":{"operation":"conv_transpose","input":[[[1,2],[3,4]]],"weight":[[[[1,1,1],[1,1,1],[1,1,1]]]],
      "bias":[0.5],"stride":[2,2],"padding":[0,0],"output_padding":[1,0],"transpose_view":"gather"}})";
    auto r = parse_scene(text, ".");
    REQUIRE(std::holds_alternative<Scene>(r));
    const Scene& s = std::get<Scene>(r);
    const StepperProblem& p = s.stepper.problem;
    CHECK(p.op() == Op::ConvTranspose);
    CHECK(p.transposed()->output_padding == Pair(1, 0));
    CHECK(p.weighted()->has_bias);
    CHECK(s.stepper.transpose_view == "gather");
    auto plan = plan_scatter(p);
    REQUIRE(plan);
    CHECK(plan->oh == 6);  // output_padding adds a row
    CHECK(plan->ow == 5);
    // Saved and read back: the same problem, the unknown field kept.
    const std::string saved = scene_to_json(s);
    CHECK(saved.find("teacher_note") != std::string::npos);
    auto back = parse_scene(saved, ".");
    REQUIRE(std::holds_alternative<Scene>(back));
    const Scene& b = std::get<Scene>(back);
    CHECK(b.stepper.problem.op() == Op::ConvTranspose);
    CHECK(b.stepper.problem.transposed()->output_padding == Pair(1, 0));
    CHECK(b.stepper.problem.weighted()->weight.data == p.weighted()->weight.data);
    CHECK(b.stepper.transpose_view == "gather");

    SECTION("conv with flip and im2col") {
        auto f =
            parse_scene(R"({"convscope":"scene","version":1,"view":"stepper","stepper":{"operation":"conv",
          "input":[[[1,2],[3,4]]],"weight":[[[[1,2],[3,4]]]],"flip":true,"im2col":true}})",
                        ".");
        REQUIRE(std::holds_alternative<Scene>(f));
        const Scene& fs = std::get<Scene>(f);
        CHECK(fs.stepper.problem.weighted()->conv.flip);
        CHECK(fs.stepper.im2col);
        auto solved = solve_stepper(fs.stepper.problem);
        REQUIRE(solved);
        CHECK(solved->output.data == std::vector<float>{1 * 4 + 2 * 3 + 3 * 2 + 4 * 1});  // = 20
        const std::string again = scene_to_json(fs);
        CHECK(again.find("\"flip\": true") != std::string::npos);
        CHECK(again.find("\"im2col\": true") != std::string::npos);
    }
    SECTION("refusals name the field") {
        auto bad = parse_scene(R"({"convscope":"scene","version":1,"view":"stepper","stepper":{
          "operation":"conv_transpose","input":[[[1]]],"weight":[[[[1]]]],"transpose_view":"sideways"}})",
                               ".");
        REQUIRE(std::holds_alternative<SceneError>(bad));
        CHECK(std::get<SceneError>(bad).field == "stepper.transpose_view");
    }
}
