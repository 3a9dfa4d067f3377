// conv_transpose2d (plan, reference scatter loop, trace), unfold (im2col), the gather form of a transposed
// convolution, and conv2d's flip option, on every backend compiled in.
#include <catch2/catch.hpp>

#include <cstring>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/trace.hpp"
#include "core/engine/transpose.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::kLectureFilter;
using convscope::testing::kLectureInput;
using convscope::testing::mismatch;
using convscope::testing::random_int_tensor;
using convscope::testing::random_tensor;

namespace {

const Tensor kX2x2({1, 1, 2, 2}, {1, 2, 3, 4});
const Tensor kW3x3({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});

ConvTranspose2dParams tparams(Pair s, Pair p, Pair op, Pair d, int64_t g = 1) {
    ConvTranspose2dParams t;
    t.stride = s, t.padding = p, t.output_padding = op, t.dilation = d, t.groups = g;
    return t;
}

// Bitwise equality, NaNs included (the trace must reproduce the reference exactly).
bool same_bits(float a, float b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// A direct conv2d written here (no backend), for the flip tests: out = Σ x[iy+ky][ix+kx] · k[ky][kx].
float correlate_at(const Tensor& x, const Tensor& k, int64_t oy, int64_t ox) {
    float s = 0;
    for (int64_t ky = 0; ky < k.shape[2]; ++ky)
        for (int64_t kx = 0; kx < k.shape[3]; ++kx) s += x.at(0, 0, oy + ky, ox + kx) * k.at(0, 0, ky, kx);
    return s;
}

}  // namespace

TEST_CASE("conv_transpose2d: 2x2 input, k3 s2 gives PyTorch's 5x5 (checkerboard overlaps)") {
    // torch.nn.functional.conv_transpose2d(x, w, stride=2), x = [[1,2],[3,4]], w = 1..9.
    const Tensor expected({1, 1, 5, 5}, {1,  2,  5,  4,  6,   //
                                         4,  5,  14, 10, 12,  //
                                         10, 14, 36, 24, 30,  //
                                         12, 15, 34, 20, 24,  //
                                         21, 24, 55, 32, 36});
    for (std::string_view name : backend_names()) {
        auto backend = find_backend(name);
        if (!backend) continue;  // gpu without a context: gpu_tests say why
        INFO("backend " << name);
        auto y = (*backend)->conv_transpose2d(kX2x2, kW3x3, nullptr, tparams(2, 0, 0, 1));
        REQUIRE(y);
        CHECK(mismatch(expected, *y, 0, 0) == "");
        // padding 1, output_padding 1: PyTorch's 4×4 (the 5×5 without its first row and column).
        auto z = (*backend)->conv_transpose2d(kX2x2, kW3x3, nullptr, tparams(2, 1, 1, 1));
        REQUIRE(z);
        CHECK(mismatch(Tensor({1, 1, 4, 4}, {5, 14, 10, 12, 14, 36, 24, 30, 15, 34, 20, 24, 24, 55, 32, 36}),
                       *z, 0, 0) == "");
    }
}

TEST_CASE("plan_conv_transpose2d: shapes, groups, and PyTorch's refusals") {
    SECTION("unbatched, groups, rectangular") {
        auto p =
            plan_conv_transpose2d({4, 3, 5}, {4, 3, 2, 3}, nullptr, tparams({2, 1}, {0, 1}, {1, 0}, 1, 2));
        REQUIRE(p);
        CHECK(p->unbatched);
        CHECK(p->o == 6);
        CHECK(p->c_per_group() == 2);
        CHECK(p->o_per_group() == 3);
        CHECK(p->oh == (3 - 1) * 2 + (2 - 1) + 1 + 1);  // 7
        CHECK(p->ow == (5 - 1) * 1 - 2 + (3 - 1) + 1);  // 5
        CHECK(p->output_shape() == Shape{6, 7, 5});
        CHECK(p->mult_adds == 4 * 3 * 5 * 3 * 2 * 3);
    }
    SECTION("errors") {
        const Shape x{1, 1, 2, 2}, w{1, 1, 3, 3};
        auto op = plan_conv_transpose2d(x, w, nullptr, tparams(1, 0, 1, 1));
        REQUIRE(!op);
        CHECK(op.error() == "output_padding 1 must be smaller than either stride 1 or dilation 1");
        // output_padding below the dilation is allowed, as in PyTorch.
        CHECK(plan_conv_transpose2d(x, w, nullptr, tparams(1, 0, 1, 2)));
        auto small = plan_conv_transpose2d(x, w, nullptr, tparams(1, 3, 0, 1));
        REQUIRE(!small);
        CHECK(small.error().starts_with("the output would be -2×-2: the input 2×2 is too small"));
        auto ch = plan_conv_transpose2d({1, 3, 2, 2}, w, nullptr, {});
        REQUIRE(!ch);
        CHECK(ch.error().find("expects 1 input channels") != std::string::npos);
        CHECK(!plan_conv_transpose2d({1, 3, 2, 2}, {3, 1, 3, 3}, nullptr, tparams(1, 0, 0, 1, 2)));
        const Shape bad_bias{2};
        CHECK(plan_conv_transpose2d(x, w, &bad_bias, {}).error() ==
              "bias must have shape 1 (one per output channel), got 2");
        CHECK(plan_conv_transpose2d(x, w, nullptr, tparams(0, 0, 0, 1)).error() ==
              "stride must be at least 1, got 0");
        CHECK(!plan_conv_transpose2d(x, w, nullptr, tparams(1, -1, 0, 1)));
        CHECK(!plan_conv_transpose2d(x, {1, 1, 3}, nullptr, {}));
        // Hostile sizes: saturated, never wrapped.
        auto huge = plan_conv_transpose2d(x, w, nullptr, tparams(INT64_MAX, 0, 0, 1));
        REQUIRE(!huge);
        CHECK(huge.error() == "the output over 2⁶³×over 2⁶³ is larger than the limit of 16777216 per side");
        // A stride and padding that cancel out to a 3×3 output, but whose terms are beyond 2⁴⁰.
        auto cancel = plan_conv_transpose2d(x, w, nullptr, tparams(int64_t(1) << 41, int64_t(1) << 40, 0, 1));
        REQUIRE(!cancel);
        CHECK(
            cancel.error().ends_with("are beyond the limit of 2⁴⁰ for (in − 1)·stride, padding and "
                                     "dilation·(kernel − 1)"));
        ConvTranspose2dParams limited;
        limited.max_mult_adds = 8;
        CHECK(plan_conv_transpose2d(x, w, nullptr, limited)
                  .error()
                  .starts_with("this transposed convolution needs 36 multiply-adds"));
    }
}

TEST_CASE("transposed_axis_out and transposed_axis_formula") {
    const TransposedAxisSpec a{2, 3, 2, 0, 0, 1};
    CHECK(transposed_axis_out(a) == 5);
    CHECK(transposed_axis_formula(a) == "(2 − 1)×2 − 2×0 + 1×(3 − 1) + 0 + 1 = 5");
    // DCGAN: 4×4, k4, s2, p1 doubles the size.
    CHECK(transposed_axis_out({4, 4, 2, 1, 0, 1}) == 8);
    CHECK(transposed_axis_formula({2, 3, 1, 3, 0, 1}) == "(2 − 1)×1 − 2×3 + 1×(3 − 1) + 0 + 1 = −2");
    CHECK(transposed_axis_out({INT64_MAX, 2, INT64_MAX, 0, 0, 1}) == INT64_MAX);
    CHECK(transposed_axis_out({1, 1, 1, INT64_MAX, 0, 1}) == INT64_MIN);
}

TEST_CASE("conv_inputs_for_output: the input sizes a Conv2d maps to one output size (why output_padding)") {
    // Conv2d k3 s2 p1 maps 7 and 8 to 4; ConvTranspose2d restores 7 with output_padding 0, 8 with 1.
    AxisSpec conv{0, 3, 2, 1, 1, 1, false};
    const InverseSizes r = conv_inputs_for_output(conv, 4);
    CHECK(r.lo == 7);
    CHECK(r.hi == 8);
    for (int64_t op = 0; op <= 1; ++op) CHECK(transposed_axis_out({4, 3, 2, 1, op, 1}) == r.lo + op);
    // Stride 1: exactly one input.
    const InverseSizes one = conv_inputs_for_output({0, 5, 1, 0, 0, 1, false}, 24);
    CHECK(one.lo == 28);
    CHECK(one.hi == 28);
    // Stride 4, k11 (the lecture's 227 → 55): 227..230.
    const InverseSizes alex = conv_inputs_for_output({0, 11, 4, 0, 0, 1, false}, 55);
    CHECK(alex.lo == 227);
    CHECK(alex.hi == 230);
    // No input gives 0, and none is too large to say.
    CHECK(conv_inputs_for_output(conv, 0).lo > conv_inputs_for_output(conv, 0).hi);
    // Every size in the range maps to out, the neighbours do not.
    for (int64_t out = 1; out < 20; ++out) {
        const InverseSizes s = conv_inputs_for_output({0, 4, 3, 2, 2, 2, false}, out);
        REQUIRE(s.lo <= s.hi);
        for (int64_t in = s.lo - 1; in <= s.hi + 1; ++in) {
            if (in < 1) continue;
            const bool inside = in >= s.lo && in <= s.hi;
            CHECK((axis_size({in, 4, 3, 2, 2, 2, false}).out == out) == inside);
        }
    }
}

TEST_CASE("trace_conv_transpose2d: replays to the reference's output bit for bit") {
    struct Case {
        Shape x, w;
        ConvTranspose2dParams p;
        bool bias;
    };
    const Case cases[] = {
        {{1, 1, 2, 2}, {1, 1, 3, 3}, tparams(2, 0, 0, 1), false},
        {{2, 4, 3, 4}, {4, 3, 3, 2}, tparams({2, 3}, {1, 0}, {1, 2}, 1, 2), true},
        {{3, 5, 4}, {3, 2, 2, 3}, tparams(1, {1, 2}, {1, 0}, {2, 3}), true},
        {{1, 2, 3, 3}, {2, 1, 4, 4}, tparams(2, 1, 0, 1, 2), false},
    };
    for (const Case& k : cases) {
        const Tensor x = random_tensor(k.x, 11), w = random_tensor(k.w, 12);
        auto plan = plan_conv_transpose2d(k.x, k.w, nullptr, k.p);
        REQUIRE(plan);
        const Tensor b = random_tensor({plan->o}, 13);
        const Tensor* bias = k.bias ? &b : nullptr;
        auto y = reference_backend().conv_transpose2d(x, w, bias, k.p);
        REQUIRE(y);
        const Tensor yb = as_batched(*y);
        for (int64_t n = 0; n < plan->n; ++n)
            for (int64_t o = 0; o < plan->o; ++o)
                for (int64_t oy = 0; oy < plan->oh; ++oy)
                    for (int64_t ox = 0; ox < plan->ow; ++ox) {
                        auto t = trace_conv_transpose2d(x, w, bias, k.p, n, o, oy, ox);
                        REQUIRE(t);
                        INFO(k.p << " at (n=" << n << ", o=" << o << ", y=" << oy << ", x=" << ox << ")");
                        CHECK(t->kind == Op::ConvTranspose);
                        CHECK(same_bits(t->result, yb.at(n, o, oy, ox)));
                        CHECK(same_bits(replay(*t), t->result));
                        // Every term lands here: oy = iy·s − p + ky·d, in input order.
                        for (size_t i = 0; i < t->terms.size(); ++i) {
                            const TraceTerm& term = t->terms[i];
                            CHECK(term.iy * plan->sh - plan->ph + term.ky * plan->dh == oy);
                            CHECK(term.ix * plan->sw - plan->pw + term.kx * plan->dw == ox);
                            if (i > 0 && t->terms[i - 1].c == term.c)
                                CHECK(std::pair(t->terms[i - 1].iy, t->terms[i - 1].ix) <
                                      std::pair(term.iy, term.ix));
                        }
                    }
    }
}

TEST_CASE("trace_conv_transpose2d: the centre of the 5x5 checkerboard gathers four stamps") {
    auto t = trace_conv_transpose2d(kX2x2, kW3x3, nullptr, tparams(2, 0, 0, 1), 0, 0, 2, 2);
    REQUIRE(t);
    REQUIRE(t->terms.size() == 4);
    // Input order: x[0][0]·w[2][2], x[0][1]·w[2][0], x[1][0]·w[0][2], x[1][1]·w[0][0].
    CHECK(explain_lines(*t) == std::vector<std::string>{"(1×9) + (2×7) + (3×3) + (4×1) = 36"});
    CHECK(t->terms[1].ky == 2);
    CHECK(t->terms[1].kx == 0);
    // (1, 1) is reached by one stamp only.
    auto corner = trace_conv_transpose2d(kX2x2, kW3x3, nullptr, tparams(2, 0, 0, 1), 0, 0, 1, 1);
    REQUIRE(corner);
    CHECK(explain_lines(*corner) == std::vector<std::string>{"(1×5) = 5"});
    CHECK(!trace_conv_transpose2d(kX2x2, kW3x3, nullptr, tparams(2, 0, 0, 1), 0, 0, 5, 0));
    // Stride 3 > kernel 2 leaves gaps: nothing lands on (2, 2), which is 0 plus the bias.
    const Tensor x2({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    const Tensor w2 = Tensor::filled({2, 1, 2, 2}, 1.0f), b({1}, {0.5f});
    auto gap = trace_conv_transpose2d(x2, w2, &b, tparams(3, 0, 0, 1), 0, 0, 2, 2);
    REQUIRE(gap);
    CHECK(gap->terms.empty());
    CHECK(gap->result == 0.5f);
    CHECK(replay(*gap) == 0.5f);
    CHECK(explain_lines(*gap) == std::vector<std::string>{"channel 0: nothing lands here = 0",
                                                          "channel 1: nothing lands here = 0",
                                                          "0 + 0 + bias 0.5 = 0.5"});
}

TEST_CASE("as_convolution: conv2d of the gather form equals conv_transpose2d") {
    int checked = 0;
    for (int64_t s : {1, 2, 3})
        for (int64_t pad : {0, 1, 2, 4})  // 4 > d(k − 1) for k ≤ 3, d ≤ 2: the stuffed input is cropped
            for (int64_t d : {1, 2})
                for (int64_t op = 0; op < std::max(s, d); ++op)
                    for (int64_t g : {1, 2}) {
                        const Shape xs{2, 2 * g, 3, 4}, ws{2 * g, 2, 3, 2};
                        const ConvTranspose2dParams p = tparams({s, 1}, {pad, 1}, {op, 0}, {d, 1}, g);
                        if (!plan_conv_transpose2d(xs, ws, nullptr, p)) continue;  // output too small
                        const Tensor x = random_int_tensor(xs, uint32_t(7 + s + pad)),
                                     w = random_int_tensor(ws, uint32_t(3 + d + op));
                        const Tensor b = random_int_tensor({2 * g}, 5);
                        auto expected = reference_backend().conv_transpose2d(x, w, &b, p);
                        REQUIRE(expected);
                        auto gf = as_convolution(x, w, p);
                        REQUIRE(gf);
                        CHECK(gf->pad_before == Pair{d * 2 - pad, 1 - 1});
                        auto y = reference_backend().conv2d(gf->input, gf->weight, &b, gf->params);
                        REQUIRE(y);
                        INFO(p);
                        CHECK(mismatch(*expected, *y, 0, 0) == "");
                        ++checked;
                    }
    CHECK(checked > 40);
    // Unbatched stays unbatched; the stuffed input shows s − 1 zeros between cells.
    auto gf = as_convolution(Tensor({1, 2, 2}, {1, 2, 3, 4}), kW3x3, tparams(2, 0, 0, 1));
    REQUIRE(gf);
    CHECK(gf->input.shape == Shape{1, 7, 7});
    CHECK(gf->input.data[size_t(2 * 7 + 2)] == 1);
    CHECK(gf->input.data[size_t(2 * 7 + 3)] == 0);
    CHECK(gf->input.data[size_t(2 * 7 + 4)] == 2);
    CHECK(gf->weight.data[0] == 9);  // rotated 180°
}

TEST_CASE("unfold: torch.nn.functional.unfold, and conv2d as W_row × cols") {
    auto cols = unfold(kLectureInput, 3, 1, 0, 1);
    REQUIRE(cols);
    CHECK(cols->shape == Shape{1, 9, 9});
    // Column 0 is the first window, row-major: 1 2 3 / 0 1 5 / 1 0 2.
    const float first[] = {1, 2, 3, 0, 1, 5, 1, 0, 2};
    for (int r = 0; r < 9; ++r) CHECK(cols->data[size_t(r * 9)] == first[r]);
    // W_row × cols = the lecture's output.
    const float expected[] = {8, 9, 8, 8, 5, 9, 6, 5, 5};
    for (int l = 0; l < 9; ++l) {
        float dot = 0;
        for (int r = 0; r < 9; ++r) dot += kLectureFilter.data[size_t(r)] * cols->data[size_t(r * 9 + l)];
        CHECK(dot == expected[l]);
    }
    SECTION("unbatched, padding, stride, dilation: matches conv2d for several channels") {
        const Tensor x = random_int_tensor({3, 6, 7}, 4), w = random_int_tensor({2, 3, 2, 3}, 5);
        Conv2dParams cp;
        cp.stride = {2, 1}, cp.padding = Padding(Pair{1, 2}), cp.dilation = {1, 2};
        auto u = unfold(x, {2, 3}, {2, 1}, {1, 2}, {1, 2});
        REQUIRE(u);
        auto y = reference_backend().conv2d(x, w, nullptr, cp);
        REQUIRE(y);
        const int64_t rows = 3 * 2 * 3, L = y->shape[1] * y->shape[2];
        CHECK(u->shape == Shape{rows, L});
        for (int64_t o = 0; o < 2; ++o)
            for (int64_t l = 0; l < L; ++l) {
                float dot = 0;
                for (int64_t r = 0; r < rows; ++r)
                    dot += w.data[size_t(o * rows + r)] * u->data[size_t(r * L + l)];
                CHECK(dot == y->data[size_t(o * L + l)]);
            }
    }
    SECTION("errors") {
        CHECK(unfold(kLectureInput, 0, 1, 0, 1).error() == "kernel size must be at least 1, got 0");
        CHECK(unfold(kLectureInput, 7, 1, 0, 1).error().starts_with("kernel 7×7"));
        CHECK(!unfold(Tensor({5, 5}, std::vector<float>(25)), 3, 1, 0, 1));
        CHECK(!unfold(kLectureInput, 3, 0, 0, 1));
    }
}

TEST_CASE("conv2d flip: true convolution, the kernel rotated 180°, on every backend") {
    const Tensor k({1, 1, 3, 3}, {1, 2, 0, 0, 1, 0, 0, 0, 3});
    const Tensor rotated = rotate_kernel_180(k);
    CHECK(rotated.data == std::vector<float>{3, 0, 0, 0, 1, 0, 0, 2, 1});
    Conv2dParams p;
    p.flip = true;
    for (std::string_view name : backend_names()) {
        auto backend = find_backend(name);
        if (!backend) continue;
        INFO("backend " << name);
        auto y = (*backend)->conv2d(kLectureInput, k, nullptr, p);
        REQUIRE(y);
        for (int64_t oy = 0; oy < 3; ++oy)
            for (int64_t ox = 0; ox < 3; ++ox)
                CHECK(y->at(0, 0, oy, ox) == correlate_at(kLectureInput, rotated, oy, ox));
        // The lecture's filter is symmetric: flipping changes nothing.
        auto same = (*backend)->conv2d(kLectureInput, kLectureFilter, nullptr, p);
        REQUIRE(same);
        CHECK(mismatch(Tensor({1, 1, 3, 3}, {8, 9, 8, 8, 5, 9, 6, 5, 5}), *same, 0, 0) == "");
    }
    SECTION("the trace names the rotated kernel and replays") {
        auto t = trace_conv2d(kLectureInput, k, nullptr, p, 0, 0, 0, 0);
        REQUIRE(t);
        CHECK(t->terms[0].ky == 0);
        CHECK(t->terms[0].w == 3);  // rotated[0][0] = k[2][2]
        CHECK(t->result == correlate_at(kLectureInput, rotated, 0, 0));
        CHECK(replay(*t) == t->result);
    }
}
