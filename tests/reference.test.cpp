// The reference backend on the lecture's worked examples and on hand-checked cases for every parameter.
#include <catch2/catch.hpp>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::kLectureFilter;
using convscope::testing::kLectureInput;
using convscope::testing::kLectureLine;
using convscope::testing::mismatch;

TEST_CASE("reference conv2d: the lecture's 5x5 example, stride 1, padding 0") {
    auto y = reference_backend().conv2d(kLectureInput, kLectureFilter, nullptr, {});
    REQUIRE(y);
    CHECK(mismatch(Tensor({1, 1, 3, 3}, {8, 9, 8, 8, 5, 9, 6, 5, 5}), *y, 0, 0) == "");
}

TEST_CASE("reference conv2d: the lecture's example with padding 1 (the 7x7 grid with a ring of zeros)") {
    Conv2dParams p;
    p.padding = Padding(1);
    auto plan = plan_conv2d(kLectureInput.shape, kLectureFilter.shape, nullptr, p);
    REQUIRE(plan);
    CHECK(axis_size(plan->axis_h()).padded_in == 7);
    auto y = reference_backend().conv2d(kLectureInput, kLectureFilter, nullptr, p);
    REQUIRE(y);
    // Computed by hand: the corner sees only 1 + 1 (centre and lower-right of the window).
    CHECK(y->shape == Shape{1, 1, 5, 5});
    CHECK(y->at(0, 0, 0, 0) == 2);  // x[0][0]·1 + x[1][1]·1
    CHECK(y->at(0, 0, 1, 1) == 8);  // the unpadded output's first element
    CHECK(y->at(0, 0, 4, 4) == 1);  // x[3][3]·1 + x[4][4]·1
}

TEST_CASE("reference conv2d: the lecture's CNN, Conv2d(1,5,5) then MaxPool2d(2) on 1x1x28x28") {
    const Tensor x = testing::random_tensor({1, 1, 28, 28}, 1);
    const Tensor w = testing::random_tensor({5, 1, 5, 5}, 2);
    const Tensor b = testing::random_tensor({5}, 3);
    auto y = reference_backend().conv2d(x, w, &b, {});
    REQUIRE(y);
    CHECK(y->shape == Shape{1, 5, 24, 24});
    Pool2dParams pool;
    pool.kernel = Pair{2};
    auto z = reference_backend().pool2d(*y, pool);
    REQUIRE(z);
    CHECK(z->shape == Shape{1, 5, 12, 12});
}

TEST_CASE("reference conv2d: stride, dilation, groups, bias and padding modes by hand") {
    const Tensor x({1, 1, 3, 4}, {1, 2, 3, 4,  //
                                  5, 6, 7, 8,  //
                                  9, 10, 11, 12});
    SECTION("stride 2 picks every other window") {
        Conv2dParams p;
        p.stride = Pair{2};
        auto y = reference_backend().conv2d(x, Tensor({1, 1, 1, 1}, {2}), nullptr, p);
        REQUIRE(y);
        CHECK(mismatch(Tensor({1, 1, 2, 2}, {2, 6, 18, 22}), *y, 0, 0) == "");
    }
    SECTION("dilation 2 skips a pixel") {
        Conv2dParams p;
        p.dilation = Pair{1, 2};
        auto y = reference_backend().conv2d(x, Tensor({1, 1, 1, 2}, {1, 1}), nullptr, p);
        REQUIRE(y);
        CHECK(mismatch(Tensor({1, 1, 3, 2}, {4, 6, 12, 14, 20, 22}), *y, 0, 0) == "");
    }
    SECTION("bias is added once per output") {
        const Tensor b({1}, {0.5f});
        auto y = reference_backend().conv2d(x, Tensor({1, 1, 1, 1}, {1}), &b, {});
        REQUIRE(y);
        CHECK(y->at(0, 0, 2, 3) == 12.5f);
    }
    SECTION("groups: each output channel sees only its group's channels") {
        Tensor x2 = Tensor::filled({1, 2, 1, 1});
        x2.data = {3, 5};
        Conv2dParams p;
        p.groups = 2;
        auto y = reference_backend().conv2d(x2, Tensor({2, 1, 1, 1}, {10, 100}), nullptr, p);
        REQUIRE(y);
        CHECK(mismatch(Tensor({1, 2, 1, 1}, {30, 500}), *y, 0, 0) == "");
    }
    SECTION("padding modes on a 1x3 row with a 1x3 box filter") {
        const Tensor row({1, 1, 1, 3}, {1, 2, 3});
        const Tensor box({1, 1, 1, 3}, {1, 1, 1});
        Conv2dParams p;
        p.padding = Padding(Pair{0, 1});
        auto run = [&](PaddingMode m) {
            p.padding_mode = m;
            auto y = reference_backend().conv2d(row, box, nullptr, p);
            REQUIRE(y);
            return y->data;
        };
        CHECK(run(PaddingMode::Zeros) == std::vector<float>{3, 6, 5});
        CHECK(run(PaddingMode::Reflect) == std::vector<float>{5, 6, 7});    // 2 1 2 3 2
        CHECK(run(PaddingMode::Replicate) == std::vector<float>{4, 6, 8});  // 1 1 2 3 3
        CHECK(run(PaddingMode::Circular) == std::vector<float>{6, 6, 6});   // 3 1 2 3 1
    }
}

TEST_CASE("reference pool2d: max and avg on the lecture input") {
    Pool2dParams p;
    p.kernel = Pair{2};
    SECTION("max 2x2 stride 2") {
        auto y = reference_backend().pool2d(kLectureInput, p);
        REQUIRE(y);
        CHECK(mismatch(Tensor({1, 1, 2, 2}, {2, 5, 1, 2}), *y, 0, 0) == "");
    }
    SECTION("avg 2x2 stride 2: (1+2+0+1)/4") {
        p.op = Op::AvgPool;
        auto y = reference_backend().pool2d(kLectureInput, p);
        REQUIRE(y);
        CHECK(y->at(0, 0, 0, 0) == 1.0f);
        CHECK(y->at(0, 0, 0, 1) == 2.25f);
    }
    SECTION("max pads with -inf: an all-negative corner stays negative") {
        const Tensor neg({1, 1, 2, 2}, {-5, -6, -7, -8});
        p.padding = Pair{1};
        auto y = reference_backend().pool2d(neg, p);
        REQUIRE(y);
        CHECK(y->data == std::vector<float>{-5, -6, -7, -8});
    }
    SECTION("avg count_include_pad counts the zeros, exclude does not") {
        const Tensor ones({1, 1, 2, 2}, {4, 4, 4, 4});
        p.op = Op::AvgPool;
        p.padding = Pair{1};
        auto inc = reference_backend().pool2d(ones, p);
        REQUIRE(inc);
        CHECK(inc->data == std::vector<float>{1, 1, 1, 1});
        p.count_include_pad = false;
        auto exc = reference_backend().pool2d(ones, p);
        REQUIRE(exc);
        CHECK(exc->data == std::vector<float>{4, 4, 4, 4});
    }
    SECTION("ceil_mode keeps the partial last window") {
        p.ceil_mode = true;
        auto y = reference_backend().pool2d(kLectureInput, p);
        REQUIRE(y);
        CHECK(y->shape == Shape{1, 1, 3, 3});
        CHECK(y->at(0, 0, 2, 2) == 1);
    }
}
