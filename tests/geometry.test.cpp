// Output geometry and validation: the lecture's output-size exercises, the formula text, and every error.
#include <catch2/catch.hpp>

#include <limits>

#include "core/engine/geometry.hpp"

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
        p.op = Op::AvgPool;
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

TEST_CASE("plan_conv2d/plan_pool2d: the limits and the remaining errors, message by message") {
    const Shape x{1, 3, 8, 8}, w{4, 3, 3, 3};
    const int64_t huge = int64_t(1) << 40;
    SECTION("conv") {
        Conv2dParams p;
        CHECK(conv_error(x, {4, 3, 1025, 3}, p) == "kernel 1025×3 is larger than the limit of 1024 per side");
        CHECK(conv_error(x, {4, 0, 3, 3}, p) == "weight of shape 4×0×3×3 has an empty dimension");
        CHECK(conv_error({1, 1, huge, 8}, w, p) ==
              "input of shape 1×1×1099511627776×8 is larger than the limits");
        CHECK(conv_error({1, 1, 16384, 16384}, {2, 1, 1, 1}, p) ==
              "the output 1×2×16384×16384 would be larger than the limits");
        CHECK(conv_error({1, 16384, 16384}, {2, 1, 1, 1}, p) ==
              "the output 2×16384×16384 would be larger than the limits");
        p.padding = Padding(int64_t(1) << 25);
        CHECK(conv_error(x, w, p) == "padding 33554432×33554432 is over the limit of 16777216 per side");
        p.padding = Padding(Pair{0, -2});
        CHECK(conv_error(x, w, p) == "padding must not be negative, got 0,-2");
    }
    SECTION("pool") {
        Pool2dParams p;
        p.kernel = Pair{2};
        CHECK(pool_error({5, 5}, p) == "input must be N×C×H×W or C×H×W, got shape 5×5");
        CHECK(pool_error({1, 1, 0, 5}, p) == "input of shape 1×1×0×5 has an empty dimension");
        CHECK(pool_error({1, 1, huge, 5}, p) ==
              "input of shape 1×1×1099511627776×5 is larger than the limits");
        p.stride = Pair{-1};
        CHECK(pool_error(x, p) == "stride must be at least 1, got -1");
        p.stride = Pair{0};
        p.dilation = Pair{1, 0};
        CHECK(pool_error(x, p) == "dilation must be at least 1, got 1,0");
        p.dilation = Pair{1};
        p.padding = Pair{-1};
        CHECK(pool_error(x, p) == "padding must not be negative, got -1");
        p.padding = Pair{0};
        p.kernel = Pair{1025};
        CHECK(pool_error(x, p) == "kernel 1025×1025 is larger than the limit of 1024 per side");
        p.kernel = Pair{2};
        p.stride = Pair{1};
        p.padding = Pair{1};
        CHECK(pool_error({1, 1, 16384, 16384}, p) ==
              "the output 1×1×16385×16385 would be larger than the limits");
        p.kernel = Pair{3, 2};
        p.padding = Pair{1, 2};
        CHECK(pool_error(x, p) == "padding 1,2 must be at most half the kernel 3×2 (PyTorch's rule)");
    }
}

TEST_CASE("plan_conv2d / plan_pool2d: sizes that overflow int64 are readable errors") {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    SECTION("a dilation whose d·(k−1)+1 overflows: no window fits (the issue's 6148914691236517206)") {
        Conv2dParams p;
        p.dilation = Pair{6148914691236517206};
        p.padding_mode = PaddingMode::Reflect;
        CHECK(conv_error({1, 1, 5, 5}, {1, 1, 4, 4}, p) ==
              "kernel 4×4 (dilated over 2⁶³×over 2⁶³) is larger than the padded input 5×5");
        const AxisSize a = conv_axis(5, 4, 1, 0, 6148914691236517206);
        CHECK(a.overflow);
        CHECK(a.out == 0);
    }
    SECTION("2⁶²+1 with a 3×3 kernel wraps to a small span without the checks; refused") {
        Conv2dParams p;
        p.dilation = Pair{(int64_t(1) << 62) + 1};
        CHECK(conv_error({1, 1, 5, 5}, {1, 1, 3, 3}, p).starts_with("kernel 3×3 (dilated over 2⁶³"));
    }
    SECTION("size 5, kernel 5, dilation INT64_MAX: refused, as PyTorch does") {
        Conv2dParams p;
        p.dilation = Pair{kMax};
        CHECK_FALSE(plan_conv2d({1, 1, 5, 5}, {1, 1, 5, 5}, nullptr, p));
    }
    SECTION("'same' with a huge dilation gives no negative padding: refused") {
        Conv2dParams p;
        p.padding = Padding::same();
        p.dilation = Pair{kMax / 2};
        CHECK(conv_error({1, 1, 5, 5}, {1, 1, 5, 5}, p) ==
              "padding 'same' with dilation " + std::to_string(kMax / 2) +
                  " and kernel 5×5 needs a padding over the limit of 16777216 per side");
        p.dilation = Pair{kMax};
        CHECK(conv_error({1, 1, 5, 5}, {1, 1, 5, 5}, p).starts_with("padding 'same' with dilation"));
    }
    SECTION("a huge explicit padding is over the limit, not wrapped") {
        Conv2dParams p;
        p.padding = Padding(Pair{kMax, 1});
        CHECK(conv_error({1, 1, 5, 5}, {1, 1, 3, 3}, p) ==
              "padding " + std::to_string(kMax) + "×1 is over the limit of 16777216 per side");
    }
    SECTION("a huge stride: one window, no overflow in ceil_mode") {
        CHECK(conv_axis(5, 3, kMax, 0).out == 1);
        const AxisSize c = axis_size(AxisSpec{5, 3, kMax, 1, 1, 1, true});
        CHECK(c.out == 1);
        Pool2dParams p;
        p.kernel = Pair{3};
        p.stride = Pair{kMax};
        p.ceil_mode = true;
        auto plan = plan_pool2d({1, 1, 5, 5}, p);
        REQUIRE(plan);
        CHECK(plan->oh == 1);
    }
    SECTION("max pooling with a dilation that overflows") {
        Pool2dParams p;
        p.kernel = Pair{3};
        p.dilation = Pair{kMax};
        CHECK(pool_error({1, 1, 5, 5}, p).starts_with("kernel 3×3 (dilated over 2⁶³"));
    }
    SECTION("axis_size and axis_formula take any int64 without UB") {
        for (int64_t v : {kMax, kMax - 1, int64_t(1) << 62, std::numeric_limits<int64_t>::min()}) {
            const AxisSpec a{v, v, v > 0 ? v : 1, v, v, v > 0 ? v : 1, true};
            const AxisSize s = axis_size(a);
            CHECK(s.out <= 1);
            CHECK_FALSE(axis_formula(a).empty());
        }
    }
}

TEST_CASE("plan_conv2d / plan_pool2d: the multiply-add limit is refused up front with the count") {
    SECTION("1×1×16384×16384 with a 1024×1024 kernel: 2.5×10¹⁴ multiply-adds") {
        const std::string e = conv_error({1, 1, 16384, 16384}, {1, 1, 1024, 1024}, {});
        CHECK(e ==
              "this convolution needs 247422329552896 multiply-adds, over the limit of 1000000000000 per "
              "operation (--max-mult-adds raises it)");
    }
    SECTION("the limit counts output × C/groups × kh × kw, and a parameter lifts it") {
        Conv2dParams p;
        p.max_mult_adds = 485;  // output 2×3×3 = 18 elements, each 3 channels × 3×3 = 27 terms: 486
        CHECK_FALSE(plan_conv2d({1, 3, 5, 5}, {2, 3, 3, 3}, nullptr, p));
        p.max_mult_adds += 1;
        auto plan = plan_conv2d({1, 3, 5, 5}, {2, 3, 3, 3}, nullptr, p);
        REQUIRE(plan);
        CHECK(plan->mult_adds == 486);
    }
    SECTION("pooling counts output × kh × kw") {
        Pool2dParams p;
        p.kernel = Pair{2};
        p.max_mult_adds = 15;  // 2×2 output × 4
        CHECK(pool_error({1, 1, 4, 4}, p) ==
              "this pooling needs 16 multiply-adds, over the limit of 15 per operation (--max-mult-adds "
              "raises it)");
        p.max_mult_adds = 16;
        CHECK(pool_error({1, 1, 4, 4}, p) == "");
    }
}
