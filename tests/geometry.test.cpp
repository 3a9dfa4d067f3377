// Output geometry and validation: the lecture's output-size exercises, the formula text, and every error.
#include <catch2/catch.hpp>

#include "core/geometry.hpp"

using namespace convscope;

namespace {

AxisSize conv_axis(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d = 1) {
    return axis_size(AxisSpec{in, k, s, p, p, d, false});
}

// The error plan_conv2d gives, or "" when valid.
std::string conv_error(const Shape& x, const Shape& w, const Conv2dParams& p, const Shape* bias = nullptr) {
    auto plan = plan_conv2d(x, w, bias, p);
    return plan ? "" : plan.error();
}

std::string pool_error(const Shape& x, const Pool2dParams& p) {
    auto plan = plan_pool2d(x, p);
    return plan ? "" : plan.error();
}

}  // namespace

TEST_CASE("axis_size: the lecture's five output-size exercises") {
    SECTION("227, k11, s4, p0 -> 55") {
        CHECK(conv_axis(227, 11, 4, 0).out == 55);
    }
    SECTION("64, k7, s2, p0 -> 29 (28.5 + 1 = 29.5, floored)") {
        const AxisSize a = conv_axis(64, 7, 2, 0);
        CHECK(a.out == 29);
        CHECK(a.exact == 29.5);
    }
    SECTION("32, k5, s1, p2 -> 32") {
        CHECK(conv_axis(32, 5, 1, 2).out == 32);
    }
    SECTION("32x64, k5, s1, p0 -> 28x60") {
        auto plan = plan_conv2d({1, 1, 32, 64}, {1, 1, 5, 5}, nullptr, {});
        REQUIRE(plan);
        CHECK(plan->oh == 28);
        CHECK(plan->ow == 60);
    }
    SECTION("64x32, k3, s1, p1 -> 64x32") {
        Conv2dParams p;
        p.padding = Padding(1);
        auto plan = plan_conv2d({1, 1, 64, 32}, {1, 1, 3, 3}, nullptr, p);
        REQUIRE(plan);
        CHECK(plan->oh == 64);
        CHECK(plan->ow == 32);
    }
}

TEST_CASE("axis_size: dilation, ceil_mode and the rows no window reaches") {
    SECTION("dilation 2 makes a 3-kernel span 5") {
        const AxisSize a = conv_axis(7, 3, 1, 0, 2);
        CHECK(a.effective_kernel == 5);
        CHECK(a.out == 3);
    }
    SECTION("floor leaves the last row unreached") {
        const AxisSize a = conv_axis(6, 3, 2, 0);  // windows at 0, 2; row 5 unreached
        CHECK(a.out == 2);
        CHECK(a.reached == 5);
    }
    SECTION("ceil_mode adds a partial window") {
        CHECK(axis_size(AxisSpec{5, 2, 2, 0, 0, 1, true}).out == 3);
        CHECK(axis_size(AxisSpec{5, 2, 2, 0, 0, 1, false}).out == 2);
    }
    SECTION("ceil_mode drops a window that would start in the right padding") {
        // in 4, k 3, s 2, p 1: ceil((4+2-3)/2)+1 = 3, but window 2 starts at 4 >= in + pad_before (5)? no:
        // 2*2=4 < 5.
        CHECK(axis_size(AxisSpec{4, 3, 2, 1, 1, 1, true}).out == 3);
        // in 5, k 2, s 2, p 1: ceil((5+2-2)/2)+1 = 4; window 3 starts at 6 >= 5 + 1, dropped.
        CHECK(axis_size(AxisSpec{5, 2, 2, 1, 1, 1, true}).out == 3);
    }
}

TEST_CASE("axis_formula: the worked formula as the UI shows it") {
    CHECK(axis_formula(AxisSpec{5, 3, 1, 0, 0, 1, false}) == "⌊(5 − 3 + 2×0) / 1⌋ + 1 = 3");
    CHECK(axis_formula(AxisSpec{64, 7, 2, 0, 0, 1, false}) == "⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29");
    CHECK(axis_formula(AxisSpec{7, 3, 1, 0, 0, 2, false}) == "⌊(7 − (2×(3 − 1) + 1) + 2×0) / 1⌋ + 1 = 3");
    CHECK(axis_formula(AxisSpec{5, 2, 1, 0, 1, 1, false}) == "⌊(5 − 2 + (0 + 1)) / 1⌋ + 1 = 5");
    CHECK(axis_formula(AxisSpec{5, 2, 2, 0, 0, 1, true}) == "⌈(5 − 2 + 2×0) / 2⌉ + 1 = ⌈1.5⌉ + 1 = 3");
}

TEST_CASE("plan_conv2d: padding same and valid, as PyTorch resolves them") {
    Conv2dParams p;
    p.padding = Padding::same();
    SECTION("odd kernel: symmetric") {
        auto plan = plan_conv2d({1, 1, 6, 6}, {1, 1, 3, 3}, nullptr, p);
        REQUIRE(plan);
        CHECK(plan->pad_top == 1);
        CHECK(plan->pad_bottom == 1);
        CHECK(plan->oh == 6);
    }
    SECTION("even kernel: the extra row/column goes bottom/right") {
        auto plan = plan_conv2d({1, 1, 6, 6}, {1, 1, 4, 2}, nullptr, p);
        REQUIRE(plan);
        CHECK(plan->pad_top == 1);
        CHECK(plan->pad_bottom == 2);
        CHECK(plan->pad_left == 0);
        CHECK(plan->pad_right == 1);
        CHECK(plan->oh == 6);
        CHECK(plan->ow == 6);
    }
    SECTION("with dilation") {
        p.dilation = Pair{2};
        auto plan = plan_conv2d({1, 1, 9, 9}, {1, 1, 3, 3}, nullptr, p);
        REQUIRE(plan);
        CHECK(plan->pad_top == 2);
        CHECK(plan->ow == 9);
    }
    SECTION("valid is no padding") {
        auto plan = plan_conv2d({1, 1, 6, 6}, {1, 1, 3, 3}, nullptr, Conv2dParams{1, Padding::valid()});
        REQUIRE(plan);
        CHECK(plan->oh == 4);
    }
}

TEST_CASE("plan_conv2d: unbatched input keeps its rank") {
    auto plan = plan_conv2d({3, 8, 8}, {4, 3, 3, 3}, nullptr, {});
    REQUIRE(plan);
    CHECK(plan->unbatched);
    CHECK(plan->output_shape() == Shape{4, 6, 6});
}

TEST_CASE("plan_conv2d: every validation error is a readable message") {
    const Shape x{1, 3, 8, 8}, w{4, 3, 3, 3};
    Conv2dParams p;
    SECTION("kernel larger than the padded input") {
        CHECK(conv_error({1, 1, 3, 3}, {1, 1, 5, 5}, p) ==
              "kernel 5×5 (dilated 5×5) is larger than the padded input 3×3");
        p.dilation = Pair{2};
        CHECK(conv_error({1, 1, 4, 4}, {1, 1, 3, 3}, p) ==
              "kernel 3×3 (dilated 5×5) is larger than the padded input 4×4");
    }
    SECTION("stride 0") {
        p.stride = Pair{0};
        CHECK(conv_error(x, w, p) == "stride must be at least 1, got 0");
    }
    SECTION("dilation 0") {
        p.dilation = Pair{1, 0};
        CHECK(conv_error(x, w, p) == "dilation must be at least 1, got 1,0");
    }
    SECTION("negative padding") {
        p.padding = Padding(Pair{-1, 0});
        CHECK(conv_error(x, w, p) == "padding must not be negative, got -1,0");
    }
    SECTION("groups not dividing the input channels") {
        p.groups = 2;
        CHECK(conv_error(x, {4, 1, 3, 3}, p) == "groups 2 does not divide the 3 input channels");
    }
    SECTION("groups not dividing the output channels") {
        p.groups = 2;
        CHECK(conv_error({1, 4, 8, 8}, {3, 2, 3, 3}, p) == "groups 2 does not divide the 3 output channels");
    }
    SECTION("groups of zero") {
        p.groups = 0;
        CHECK(conv_error(x, w, p) == "groups must be at least 1, got 0");
    }
    SECTION("weight/input channel mismatch") {
        CHECK(conv_error(x, {4, 2, 3, 3}, p) ==
              "weight 4×2×3×3 expects 2 input channels (2 per group × 1 groups), but the input has 3");
    }
    SECTION("bias of the wrong shape") {
        const Shape b{3};
        CHECK(conv_error(x, w, p, &b) == "bias must have shape 4 (one per output channel), got 3");
    }
    SECTION("wrong ranks and empty dimensions") {
        CHECK(conv_error({8, 8}, w, p) == "input must be N×C×H×W or C×H×W, got shape 8×8");
        CHECK(conv_error(x, {4, 3, 3}, p) == "weight must be O×C×kH×kW (4 dimensions), got shape 4×3×3");
        CHECK(conv_error({1, 3, 0, 8}, w, p) == "input of shape 1×3×0×8 has an empty dimension");
    }
    SECTION("same with stride") {
        p.padding = Padding::same();
        p.stride = Pair{2};
        CHECK(conv_error(x, w, p) ==
              "padding 'same' needs stride 1 (PyTorch refuses strided 'same' convolutions)");
    }
    SECTION("reflect padding as large as the input") {
        p.padding_mode = PaddingMode::Reflect;
        p.padding = Padding(3);
        CHECK(conv_error({1, 1, 3, 8}, {1, 1, 3, 3}, p) ==
              "reflect padding 3×3 must be smaller than the input 3×8");
    }
    SECTION("circular padding larger than the input") {
        p.padding_mode = PaddingMode::Circular;
        p.padding = Padding(4);
        CHECK(conv_error({1, 1, 3, 8}, {1, 1, 3, 3}, p) ==
              "circular padding 4×4 must not exceed the input 3×8");
    }
    SECTION("absurd sizes are refused before allocating") {
        CHECK_FALSE(conv_error({1, 1, int64_t(1) << 40, 8}, w, p).empty());
        CHECK_FALSE(conv_error({1, 1, 60000, 60000}, {1000, 1, 1, 1}, p).empty());
    }
}

TEST_CASE("plan_pool2d: defaults and every validation error") {
    Pool2dParams p;
    p.kernel = Pair{2};
    SECTION("stride defaults to the kernel") {
        auto plan = plan_pool2d({1, 5, 24, 24}, p);
        REQUIRE(plan);
        CHECK(plan->sh == 2);
        CHECK(plan->output_shape() == Shape{1, 5, 12, 12});
    }
    SECTION("padding over half the kernel") {
        p.padding = Pair{2};
        CHECK(pool_error({1, 1, 8, 8}, p) ==
              "padding 2 must be at most half the kernel 2×2 (PyTorch's rule)");
    }
    SECTION("avg pool has no dilation") {
        p.op = PoolOp::Avg;
        p.dilation = Pair{2};
        CHECK(pool_error({1, 1, 8, 8}, p) ==
              "average pooling has no dilation (PyTorch's AvgPool2d takes none)");
    }
    SECTION("kernel 0 and stride 0") {
        p.kernel = Pair{0};
        CHECK(pool_error({1, 1, 8, 8}, p) == "kernel size must be at least 1, got 0");
    }
    SECTION("kernel larger than the input") {
        p.kernel = Pair{5};
        CHECK(pool_error({1, 1, 3, 3}, p) == "kernel 5×5 (dilated 5×5) is larger than the padded input 3×3");
    }
}

TEST_CASE("source_index: PyTorch's padding modes") {
    CHECK_FALSE(source_index(-1, 5, PaddingMode::Zeros));
    CHECK(*source_index(-1, 5, PaddingMode::Reflect) == 1);
    CHECK(*source_index(-2, 5, PaddingMode::Reflect) == 2);
    CHECK(*source_index(5, 5, PaddingMode::Reflect) == 3);
    CHECK(*source_index(-2, 5, PaddingMode::Replicate) == 0);
    CHECK(*source_index(6, 5, PaddingMode::Replicate) == 4);
    CHECK(*source_index(-1, 5, PaddingMode::Circular) == 4);
    CHECK(*source_index(5, 5, PaddingMode::Circular) == 0);
    CHECK(*source_index(3, 5, PaddingMode::Zeros) == 3);
}
