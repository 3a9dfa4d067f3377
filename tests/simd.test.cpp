// The simd backend against the reference, on every instruction set this CPU runs (each forced in turn):
// random problems swept over sizes below, at and above the vector widths (4, 8, 16) and the segment width,
// strides larger than the kernel, dilation, groups, every padding mode, ceil_mode. Output buffers are
// pre-filled with NaN so an element the kernels never write shows. The simd sums run in another order and use
// fused multiply-add, so conv is compared within |a − e| ≤ 1e-5 + 1e-4·M, where M = Σ|x·w| + |b| is the
// magnitude of the terms (rounding error grows with it, not with the possibly cancelled result |e|; a wrong
// or missing term is about M/terms, far above that for every size here); with small-integer data every sum is
// exact and the answer must be bit-identical. Avg pool: |a − e| ≤ 1e-5 + 1e-4·|e|. Max pool: exact, NaN
// included.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "core/engine/backend.hpp"
#include "core/engine/simd/conv_transpose.hpp"
#include "core/engine/simd/simd.hpp"
#include "support/operator_testers.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::mismatch;
using convscope::testing::random_int_tensor;
using convscope::testing::random_tensor;

namespace {

constexpr float kRtol = 1e-4f, kAtol = 1e-5f;
const float kNaN = std::numeric_limits<float>::quiet_NaN();

struct ConvCase {
    Shape x, w;
    bool bias = false;
    Conv2dParams p;
};

std::string describe(const ConvCase& c) {
    std::ostringstream os;
    os << "x " << shape_to_string(c.x) << ", w " << shape_to_string(c.w) << (c.bias ? ", bias" : "") << ", "
       << c.p;
    return os.str();
}

std::string describe(const Shape& x, const Pool2dParams& p) {
    std::ostringstream os;
    os << "x " << shape_to_string(x) << ", " << p;
    return os.str();
}

// Runs one conv2d problem on the active instruction set two ways (through the Backend, and into a NaN-filled
// buffer) and returns the first mismatch with the reference, or "". `integers`: small-integer data, exact
// sums, so the answer must be bit-identical.
std::string conv_mismatch(const ConvCase& c, uint32_t seed, bool integers = false) {
    const testing::ConvTester t = testing::ConvTester()
                                      .input(c.x)
                                      .weight(c.w)
                                      .bias(c.bias)
                                      .params(c.p)
                                      .seed(seed)
                                      .integers(integers)
                                      .tolerance(integers ? testing::Tolerance::exact()
                                                          : testing::Tolerance::of_magnitude(kRtol, kAtol));
    if (auto m = t.test_into("conv2d_into", simd::conv2d_into); !m.empty()) return m;
    return t.test(*find_backend("simd").value());
}

// As conv_mismatch for pooling: max exactly, avg within |a − e| ≤ kAtol + kRtol·|e|.
std::string pool_mismatch(const Tensor& x, const Pool2dParams& p) {
    const testing::PoolTester t = testing::PoolTester().data(x).params(p).tolerance(
        p.op == Op::MaxPool ? testing::Tolerance::exact() : testing::Tolerance::of_value(kRtol, kAtol));
    if (auto m = t.test_into("pool2d_into", simd::pool2d_into); !m.empty()) return m;
    return t.test(*find_backend("simd").value());
}

// Calls body() once per instruction set this CPU can run, with that set forced; restores the best after.
template <class Body>
void for_each_isa(Body body) {
    for (std::string_view isa : simd::supported_isas()) {
        REQUIRE(simd::force_isa(isa));
        INFO("isa " << isa);
        body(isa);
    }
    REQUIRE(simd::force_isa("auto"));
}

const std::vector<int64_t> kSides = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 100};

// A random valid conv2d problem (retries until plan_conv2d accepts it).
ConvCase random_conv_case(std::mt19937& rng, bool wide) {
    auto pick = [&](std::initializer_list<int64_t> v) {
        return *(v.begin() + std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng));
    };
    for (;;) {
        ConvCase c;
        const int64_t groups = pick({1, 1, 1, 2, 3});
        const int64_t cpg = pick({1, 1, 2, 3}), opg = pick({1, 1, 2, 3, 4, 5, 9});
        const int64_t h = kSides[std::uniform_int_distribution<size_t>(0, kSides.size() - 1)(rng)] % 40 + 1;
        const int64_t w = wide ? pick({255, 256, 257, 300, 513})
                               : kSides[std::uniform_int_distribution<size_t>(0, kSides.size() - 1)(rng)];
        const int64_t kh = pick({1, 2, 3, 3, 4, 5, 7}), kw = pick({1, 2, 3, 3, 5, 6, 7});
        c.x = pick({0, 1}) ? Shape{pick({1, 2}), groups * cpg, h, w} : Shape{groups * cpg, h, w};
        c.w = {groups * opg, cpg, kh, kw};
        c.bias = pick({0, 1});
        c.p.groups = groups;
        c.p.stride = Pair{pick({1, 1, 2, 3, 9}), pick({1, 1, 2, 3, 8})};
        c.p.dilation = Pair{pick({1, 1, 2, 3}), pick({1, 1, 2})};
        const int64_t pad_kind = pick({0, 0, 1, 2});
        if (pad_kind == 1 && c.p.stride == Pair{1})
            c.p.padding = Padding::same();
        else if (pad_kind == 2)
            c.p.padding = Padding::valid();
        else
            c.p.padding = Padding(Pair{pick({0, 1, 2, 3}), pick({0, 1, 2, 4})});
        c.p.padding_mode = PaddingMode(pick({0, 0, 1, 2, 3}));
        if (plan_conv2d(c.x, c.w, nullptr, c.p)) return c;
    }
}

}  // namespace

TEST_CASE("simd isa dispatch: lists the sets this CPU runs, best first, scalar last, and forces each") {
    const auto isas = simd::supported_isas();
    REQUIRE(!isas.empty());
    CHECK(isas.back() == "scalar");
    CHECK(simd::active_isa() == isas.front());
    for (auto isa : isas) {
        REQUIRE(simd::force_isa(isa));
        CHECK(simd::active_isa() == isa);
    }
    CHECK(!simd::force_isa("mmx"));
    REQUIRE(simd::force_isa("auto"));
    CHECK(simd::active_isa() == isas.front());
    CHECK(find_backend("simd"));
}

TEST_CASE("simd conv2d: lecture example, width_lt_vector, width_eq_vector, width_gt_vector") {
    for_each_isa([](std::string_view) {
        const Tensor x({1, 1, 5, 5},
                       {1, 2, 3, 0, 1, 0, 1, 5, 1, 0, 1, 0, 2, 2, 1, 1, 1, 2, 0, 0, 1, 0, 1, 1, 1});
        const Tensor f({1, 1, 3, 3}, {1, 0, 1, 0, 1, 0, 1, 0, 1});
        auto y = find_backend("simd").value()->conv2d(x, f, nullptr, {});
        REQUIRE(y);
        CHECK(mismatch(Tensor({1, 1, 3, 3}, {8, 9, 8, 8, 5, 9, 6, 5, 5}), *y, 0, 0) == "");
        for (int64_t w : {1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 255, 256, 257, 300}) {
            for (int64_t k : {1, 3, 4}) {
                for (bool same : {false, true}) {
                    ConvCase c{{1, 1, 6, w}, {1, 1, std::min<int64_t>(k, 6), std::min(k, w)}, true, {}};
                    if (same) c.p.padding = Padding::same();
                    INFO(describe(c));
                    CHECK(conv_mismatch(c, uint32_t(w * 10 + k)) == "");
                }
            }
        }
    });
}

TEST_CASE("simd conv2d: image filters 3x3 to 15x15, stride_gt_kernel, dilation, rectangular kernels") {
    for_each_isa([](std::string_view) {
        for (int64_t k : {3, 5, 7, 9, 11, 13, 15}) {
            ConvCase c{{1, 1, 40, 70}, {1, 1, k, k}, false, {}};
            c.p.padding = Padding::same();
            INFO(describe(c));
            CHECK(conv_mismatch(c, uint32_t(k)) == "");
        }
        ConvCase strided{{1, 1, 30, 50}, {1, 1, 2, 3}, true, {}};
        strided.p.stride = Pair{5, 7};
        strided.p.padding = Padding(Pair{1, 1});
        INFO(describe(strided));
        CHECK(conv_mismatch(strided, 11) == "");
        ConvCase dilated{{2, 2, 21, 40}, {3, 2, 3, 5}, true, {}};
        dilated.p.dilation = Pair{2, 3};
        dilated.p.padding = Padding::same();
        INFO(describe(dilated));
        CHECK(conv_mismatch(dilated, 12) == "");
    });
}

TEST_CASE("simd conv2d: depthwise colour filter, groups, and CNN layers 1->5, 3->8, 16->16, 64->64") {
    for_each_isa([](std::string_view) {
        ConvCase depthwise{{1, 3, 33, 41}, {3, 1, 5, 5}, true, {}};
        depthwise.p.groups = 3;
        depthwise.p.padding = Padding::same();
        depthwise.p.padding_mode = PaddingMode::Reflect;
        ConvCase grouped{{2, 6, 12, 19}, {4, 3, 3, 3}, true, {}};
        grouped.p.groups = 2;
        grouped.p.padding = Padding(1);
        // Copied strips everywhere (cin·kh ≥ 16), dilated, across segments, 14 channels (two whole groups of
        // 6 on AVX2 and a narrower one), circular padding.
        ConvCase dilated{{1, 8, 12, 150}, {14, 8, 3, 3}, true, {Pair{1}, Padding(2)}};
        dilated.p.dilation = Pair{2};
        dilated.p.padding_mode = PaddingMode::Circular;
        for (const ConvCase& c :
             {depthwise, grouped, dilated, ConvCase{{1, 1, 28, 28}, {5, 1, 5, 5}, true, {}},
              ConvCase{{1, 3, 20, 37}, {8, 3, 3, 3}, true, {Pair{1}, Padding(1)}},
              ConvCase{{1, 16, 18, 18}, {16, 16, 3, 3}, true, {Pair{1}, Padding(1)}},
              ConvCase{{1, 64, 9, 20}, {64, 64, 3, 3}, false, {Pair{1}, Padding::same()}}}) {
            INFO(describe(c));
            CHECK(conv_mismatch(c, 21) == "");
            CHECK(conv_mismatch(c, 22, /*integers=*/true) == "");
        }
    });
}

TEST_CASE(
    "simd conv2d: stem k7 s2, depthwise k3 and k3 s2 layers, output widths around vector, unroll, row") {
    // Segments are as wide as the output row (rounded up to vectors) when it is narrower than a segment, so
    // these output widths land below, at and above one vector (4, 8, 16 lanes), one register block
    // (lanes × unroll) and one segment on every instruction set.
    for_each_isa([](std::string_view) {
        for (int64_t ow : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 112, 257}) {
            ConvCase stem{{1, 3, 11, 2 * ow}, {8, 3, 7, 7}, true, {Pair{2}, Padding(3)}};
            ConvCase depthwise{{1, 8, 9, ow}, {8, 1, 3, 3}, true, {Pair{1}, Padding(1)}};
            depthwise.p.groups = 8;
            ConvCase strided{{1, 16, 7, 2 * ow}, {16, 16, 3, 3}, false, {Pair{2}, Padding(1)}};
            ConvCase colour{{1, 3, 13, ow}, {3, 1, 3, 3}, false, {Pair{1}, Padding::same()}};
            colour.p.groups = 3;
            for (const ConvCase& c : {stem, depthwise, strided, colour}) {
                INFO(describe(c));
                CHECK(conv_mismatch(c, uint32_t(ow)) == "");
                CHECK(conv_mismatch(c, uint32_t(ow) + 1, /*integers=*/true) == "");
            }
        }
    });
}

TEST_CASE(
    "simd conv2d: stride-2 layers of whole channel vectors (conv_c) at output widths around its column "
    "block") {
    // conv_c takes stride-2 layers whose output channels per group are a multiple of the vector and fill at
    // least one whole group of its vectors (AVX-512: 32, AVX2: 16, SSE4.1: 8, scalar: 4). 32, 40 and 48
    // channels give whole groups and a narrower last one on the tables that take them (40 goes to conv_b on
    // AVX-512). Output widths 1 … 29 and 57 land below, at and above its column block (AVX-512: 14, AVX2:
    // 6, SSE4.1: 4, scalar: 3) and its multiples; rows come from padded copies, or straight from the input
    // where no column is padded.
    for_each_isa([](std::string_view) {
        for (int64_t ow : {1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 27, 28, 29, 57}) {
            const int64_t w = 2 * ow;  // k3, padding 1, stride 2: ow output columns
            ConvCase layer{{1, 5, 7, w}, {32, 5, 3, 3}, true, {Pair{2}, Padding(1)}};
            // Stride 1 vertically, a dilated 5-wide kernel, reflect padding.
            ConvCase dilated{{1, 3, 6, w + 6}, {48, 3, 2, 5}, true, {Pair{1, 2}, Padding(Pair{1, 2})}};
            dilated.p.dilation = Pair{1, 2};
            dilated.p.padding_mode = PaddingMode::Reflect;
            // Two groups of 40 channels, circular padding, a batch of 2.
            ConvCase grouped{{2, 6, 5, w}, {80, 3, 3, 3}, false, {Pair{2}, Padding(1)}};
            grouped.p.groups = 2;
            grouped.p.padding_mode = PaddingMode::Circular;
            // No column padded: row pointers straight into the input; rows padded above and below.
            ConvCase direct{{1, 4, 6, w + 1}, {32, 4, 3, 3}, true, {Pair{2}, Padding(Pair{1, 0})}};
            for (const ConvCase& c : {layer, dilated, grouped, direct}) {
                INFO(describe(c));
                CHECK(conv_mismatch(c, uint32_t(ow)) == "");
                CHECK(conv_mismatch(c, uint32_t(ow) + 1, /*integers=*/true) == "");
            }
        }
    });
}

TEST_CASE(
    "simd conv2d: 3x3 stride-1 layers of 32+ channels a group (Winograd) at output widths and heights around "
    "the tile vector and chunk, every padding mode, groups, batches") {
    // Winograd F(2×2, 3×3) takes 3×3 stride-1 layers with at least 32 input and output channels a group whose
    // last vector of tiles (⌈ow / 2⌉ tiles a row, lanes a vector) is at most a quarter empty. These widths
    // give whole and part-filled vectors on every table, odd widths (a tile's second column past the row),
    // rows cut into several chunks (64→64 at 300 columns: 3 chunks on AVX-512 and AVX2), and odd heights
    // (a last tile row of one output row). The cases that take another kernel on some table are checked all
    // the same; each table must take Winograd for a third of them at least (AVX-512, 16 tiles a vector:
    // widths 24, 32, 63 and 64).
    for_each_isa([](std::string_view isa) {
        int winograd = 0, cases = 0;
        for (int64_t ow : {1, 5, 16, 24, 32, 33, 63, 64, 65}) {
            ConvCase layer{{2, 32, 3, ow}, {32, 32, 3, 3}, true, {Pair{1}, Padding(1)}};
            ConvCase grouped{{1, 64, 4, ow + 2}, {64, 32, 3, 3}, false, {Pair{1}, Padding::valid()}};
            grouped.p.groups = 2;
            ConvCase same{{1, 40, 3, ow}, {36, 40, 3, 3}, true, {Pair{1}, Padding::same()}};
            same.p.padding_mode = PaddingMode(ow > 1 ? ow % 4 : 0);  // zeros, reflect, replicate, circular
            for (const ConvCase& c : {layer, grouped, same}) {
                INFO(describe(c));
                ++cases;
                const auto plan = plan_conv2d(c.x, c.w, nullptr, c.p);
                REQUIRE(plan);
                if (simd::conv2d_method(*plan) == "winograd") ++winograd;
                CHECK(conv_mismatch(c, uint32_t(ow)) == "");
                CHECK(conv_mismatch(c, uint32_t(ow) + 1, /*integers=*/true) == "");
            }
        }
        ConvCase wide{{1, 64, 2, 300}, {64, 64, 3, 3}, true, {Pair{1}, Padding(1)}};
        INFO(describe(wide));
        const auto plan = plan_conv2d(wide.x, wide.w, nullptr, wide.p);
        REQUIRE(plan);
        CHECK(simd::conv2d_method(*plan) == "winograd");
        CHECK(conv_mismatch(wide, 7) == "");
        CHECK(conv_mismatch(wide, 8, /*integers=*/true) == "");
        INFO("isa " << isa << ": " << winograd << " of " << cases << " cases took Winograd");
        CHECK(3 * winograd >= cases);
    });
}

TEST_CASE(
    "simd conv2d: Winograd layers with infinities and NaN in the input give the reference's inf and NaN") {
    // inf − inf in Winograd's transforms would make NaN where the direct sum gives ±inf: such rows are
    // computed again directly.
    for_each_isa([](std::string_view) {
        const Shape xs{1, 32, 6, 64}, ws{32, 32, 3, 3};
        Tensor x = random_tensor(xs, 31);
        const Tensor w = random_tensor(ws, 32), b = random_tensor({32}, 33);
        const float inf = std::numeric_limits<float>::infinity();
        x.data[size_t((3 * 6 + 2) * 64 + 10)] = inf;
        x.data[size_t((5 * 6 + 2) * 64 + 40)] = -inf;
        x.data[size_t((7 * 6 + 4) * 64 + 41)] = inf;
        x.data[size_t((9 * 6 + 0) * 64 + 63)] = kNaN;
        Conv2dParams p;
        p.padding = Padding(1);
        const auto plan = plan_conv2d(xs, ws, nullptr, p);
        REQUIRE(plan);
        CHECK(simd::conv2d_method(*plan) == "winograd");
        auto e = reference_backend().conv2d(x, w, &b, p);
        auto a = find_backend("simd").value()->conv2d(x, w, &b, p);
        REQUIRE((e && a));
        int infinite = 0;
        for (float v : e->data) infinite += std::isinf(v);
        CHECK(infinite > 0);
        CHECK(mismatch(*e, *a, kRtol, 1e-3f) == "");
    });
}

TEST_CASE("simd conv2d: every padding mode, uneven 'same', valid, and unbatched input") {
    for_each_isa([](std::string_view) {
        for (PaddingMode m :
             {PaddingMode::Zeros, PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Circular})
            for (Padding pad : {Padding(Pair{2, 3}), Padding::same(), Padding::valid()})
                for (int64_t w : {5, 17, 260}) {
                    ConvCase c{{2, 5, 7, w}, {4, 5, 4, 4}, true, {}};
                    c.p.padding = pad;
                    c.p.padding_mode = m;
                    if (!plan_conv2d(c.x, c.w, nullptr, c.p)) continue;
                    INFO(describe(c));
                    CHECK(conv_mismatch(c, uint32_t(w)) == "");
                }
        ConvCase unbatched{{2, 9, 9}, {3, 2, 3, 3}, true, {Pair{2}, Padding(1)}};
        INFO(describe(unbatched));
        CHECK(conv_mismatch(unbatched, 5) == "");
    });
}

TEST_CASE("simd conv2d: random problems swept over sizes, strides, dilation, groups, padding and modes") {
    for_each_isa([](std::string_view isa) {
        std::mt19937 rng(uint32_t(isa.size()) * 7919u);
        for (int i = 0; i < 120; ++i) {
            const ConvCase c = random_conv_case(rng, i % 6 == 5);
            INFO("case " << i << ": " << describe(c));
            REQUIRE(conv_mismatch(c, uint32_t(i), /*integers=*/i % 4 == 3) == "");
        }
    });
}

TEST_CASE("simd conv2d: errors are the reference's") {
    // A 5×5 kernel on a 3×3 input: refused by both, with the same message (the tester compares them).
    const auto t = testing::ConvTester().input({1, 1, 3, 3}).weight({1, 1, 5, 5});
    REQUIRE_FALSE(t.valid());
    CHECK(t.test(*find_backend("simd").value()) == "");
}

TEST_CASE("simd conv2d and pool2d: the same bits with one thread and with all") {
    const Tensor x = random_tensor({2, 8, 37, 300}, 3), w = random_tensor({8, 8, 3, 3}, 4);
    const Tensor dw = random_tensor({8, 1, 5, 5}, 5), ws = random_tensor({64, 8, 3, 3}, 6);
    Conv2dParams p;
    p.padding = Padding::same();
    Conv2dParams pd = p;
    pd.groups = 8;
    const Tensor xw = random_tensor({2, 32, 9, 64}, 8);
    Conv2dParams ps;  // stride 2, 64 channels: conv_c
    ps.stride = Pair{2};
    ps.padding = Padding(1);
    Pool2dParams pool;
    pool.op = Op::AvgPool;
    pool.kernel = Pair{3};
    pool.stride = Pair{2};
    pool.padding = Pair{1};
    Backend* simd = find_backend("simd").value();
    simd::set_max_threads(1);
    auto y1 = simd->conv2d(x, w, nullptr, p), d1 = simd->conv2d(x, dw, nullptr, pd);
    auto s1 = simd->conv2d(x, ws, nullptr, ps);
    auto q1 = simd->pool2d(x, pool);
    const Tensor w32 = random_tensor({32, 32, 3, 3}, 7);  // 32→32 3×3: Winograd
    auto v1 = simd->conv2d(xw, w32, nullptr, p);
    simd::set_max_threads(0);
    auto yn = simd->conv2d(x, w, nullptr, p), dn = simd->conv2d(x, dw, nullptr, pd);
    auto sn = simd->conv2d(x, ws, nullptr, ps);
    auto qn = simd->pool2d(x, pool);
    auto vn = simd->conv2d(xw, w32, nullptr, p);
    REQUIRE((y1 && yn && d1 && dn && s1 && sn && q1 && qn && v1 && vn));
    CHECK(v1->data == vn->data);
    CHECK(y1->data == yn->data);
    CHECK(d1->data == dn->data);
    CHECK(s1->data == sn->data);
    CHECK(q1->data == qn->data);
}

TEST_CASE("simd pool2d: max and avg, every option, swept over sizes") {
    for_each_isa([](std::string_view isa) {
        std::mt19937 rng(uint32_t(isa.size()) * 104729u);
        auto pick = [&](std::initializer_list<int64_t> v) {
            return *(v.begin() + std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng));
        };
        int checked = 0;
        for (int i = 0; checked < 150 && i < 2000; ++i) {
            Pool2dParams p;
            p.op = pick({0, 1}) ? Op::MaxPool : Op::AvgPool;
            p.kernel = Pair{pick({1, 2, 3, 4, 5}), pick({1, 2, 3, 5, 7})};
            p.stride = Pair{pick({0, 1, 2, 3, 6}), pick({0, 1, 2, 3, 8})};
            p.padding = Pair{pick({0, 1, 2}), pick({0, 1, 2, 3})};
            if (p.op == Op::MaxPool) p.dilation = Pair{pick({1, 1, 2}), pick({1, 1, 2, 3})};
            p.ceil_mode = pick({0, 1});
            p.count_include_pad = pick({0, 1});
            const Shape shape{
                pick({1, 2}), pick({1, 3}), pick({1, 2, 5, 8, 17, 30}),
                i % 5 == 4 ? pick({255, 256, 257, 301}) : pick({1, 2, 3, 4, 7, 8, 9, 16, 17, 33})};
            if (!plan_pool2d(shape, p)) continue;
            ++checked;
            Tensor x = random_tensor(shape, uint32_t(i));
            if (i % 7 == 0) x.data[size_t(i) % x.data.size()] = kNaN;  // NaN must propagate like PyTorch's
            INFO("case " << i << ": " << describe(shape, p));
            REQUIRE(pool_mismatch(x, p) == "");
        }
        CHECK(checked == 150);
    });
}

TEST_CASE("simd pool2d: max pool propagates NaN and picks exactly, the lecture's MaxPool2d(2)") {
    for_each_isa([](std::string_view) {
        Tensor x = random_tensor({1, 5, 24, 24}, 9);
        x.at(0, 2, 5, 7) = kNaN;
        Pool2dParams p;
        p.kernel = Pair{2};
        auto y = find_backend("simd").value()->pool2d(x, p);
        REQUIRE(y);
        CHECK(y->shape == Shape{1, 5, 12, 12});
        CHECK(std::isnan(y->at(0, 2, 2, 3)));
        CHECK(pool_mismatch(x, p) == "");
        p.ceil_mode = true;
        p.stride = Pair{3};
        CHECK(pool_mismatch(x, p) == "");
    });
}

TEST_CASE("simd: scratch bounded by the input and output, not kernel² × phases (huge strided windows)") {
    Backend& simd = *find_backend("simd").value();
    SECTION("normal shapes keep the vector path") {
        auto conv = plan_conv2d({1, 64, 128, 128}, {64, 64, 3, 3}, nullptr, {});
        REQUIRE(conv);
        CHECK(simd::fits_scratch(*conv));
        // The benchmark's shapes, and a wide late CNN layer.
        Conv2dParams same;
        same.padding = Padding::same();
        for (int64_t k : {3, 5, 7, 11, 15}) {
            auto photo = plan_conv2d({1, 1, 3000, 4000}, {1, 1, k, k}, nullptr, same);
            REQUIRE(photo);
            CHECK(simd::fits_scratch(*photo));
        }
        auto wide = plan_conv2d({1, 2048, 7, 7}, {2048, 2048, 3, 3}, nullptr, same);
        REQUIRE(wide);
        CHECK(simd::fits_scratch(*wide));
        Conv2dParams strided;
        strided.stride = Pair{4};
        auto alexnet = plan_conv2d({1, 3, 227, 227}, {64, 3, 11, 11}, nullptr, strided);
        REQUIRE(alexnet);
        CHECK(simd::fits_scratch(*alexnet));
        Pool2dParams p;
        p.kernel = Pair{3};
        p.stride = Pair{2};
        auto pool = plan_pool2d({1, 64, 112, 112}, p);
        REQUIRE(pool);
        CHECK(simd::fits_scratch(*pool));
    }
    SECTION("max pool 8192×1024 with a 1024 window: gigabytes of strips before; now the reference's loops") {
        const Tensor x = testing::random_tensor({1, 1, 8192, 1024}, 41);
        Pool2dParams p;
        p.kernel = Pair{1024};
        auto plan = plan_pool2d(x.shape, p);
        REQUIRE(plan);
        CHECK_FALSE(simd::fits_scratch(*plan));
        auto expected = reference_backend().pool2d(x, p);
        auto actual = simd.pool2d(x, p);
        REQUIRE(expected);
        REQUIRE(actual);
        CHECK(actual->shape == Shape{1, 1, 8, 1});
        CHECK(actual->data == expected->data);
    }
    SECTION("conv with kernel 1024 and stride 1024") {
        const Tensor x = testing::random_tensor({1, 1, 2048, 1024}, 42);
        const Tensor w = testing::random_tensor({1, 1, 1024, 1024}, 43);
        Conv2dParams p;
        p.stride = Pair{1024};
        auto plan = plan_conv2d(x.shape, w.shape, nullptr, p);
        REQUIRE(plan);
        CHECK_FALSE(simd::fits_scratch(*plan));
        auto expected = reference_backend().conv2d(x, w, nullptr, p);
        auto actual = simd.conv2d(x, w, nullptr, p);
        REQUIRE(actual);
        CHECK(actual->data == expected->data);
    }
}

// [SECTION] conv_transpose2d

TEST_CASE("simd conv_transpose2d: parity sweep against the reference (random problems, every parameter)") {
    Backend* simd = find_backend("simd").value();
    std::mt19937 rng(20261201);
    int valid = 0;
    for (int i = 0; i < 400; ++i) {
        const auto t = testing::random_conv_transpose(rng, i % 4 == 3).seed(uint32_t(500 + 3 * i));
        INFO("problem " << i);
        CHECK(t.test(*simd, &valid) == "");
    }
    CHECK(valid >= 250);
}

TEST_CASE("simd conv_transpose2d: the row kernel at widths below, at and above the vector, strides 1 to 3") {
    // width_lt_vector .. width_gt_unroll: every length up to 70 (AVX-512 holds 16 floats, unrolled ×4 = 64).
    for (int64_t stride = 1; stride <= 3; ++stride)
        for (int64_t n = 0; n <= 70; ++n) {
            const Tensor x = random_tensor({n + 1}, uint32_t(n));
            std::vector<float> row(size_t(n * stride + 2), 0.5f), expected = row;
            for (int64_t i = 0; i < n; ++i) expected[size_t(i * stride)] += x.data[size_t(i)] * 1.5f;
            simd::conv_transpose_axpy(row.data(), x.data.data(), 1.5f, n, stride);
            INFO("n " << n << ", stride " << stride);
            for (size_t i = 0; i < row.size(); ++i) CHECK(std::fabs(row[i] - expected[i]) <= 1e-6f);
        }
}

TEST_CASE("simd conv_transpose2d: the same bits with one thread and with all, and the reference's errors") {
    const Tensor x = random_tensor({2, 8, 33, 70}, 6), w = random_tensor({8, 3, 4, 4}, 7);
    const Tensor b = random_tensor({6}, 8);
    ConvTranspose2dParams p;
    p.stride = Pair{2};
    p.padding = Pair{1};
    p.groups = 2;
    Backend* simd = find_backend("simd").value();
    simd::set_max_threads(1);
    auto y1 = simd->conv_transpose2d(x, w, &b, p);
    simd::set_max_threads(0);
    auto yn = simd->conv_transpose2d(x, w, &b, p);
    REQUIRE((y1 && yn));
    CHECK(y1->data == yn->data);
    CHECK(y1->shape == Shape{2, 6, 66, 140});
    CHECK(mismatch(*reference_backend().conv_transpose2d(x, w, &b, p), *yn, kRtol, kAtol) == "");
    p.output_padding = Pair{2};
    auto bad = simd->conv_transpose2d(x, w, &b, p);
    REQUIRE(!bad);
    CHECK(bad.error() == reference_backend().conv_transpose2d(x, w, &b, p).error());
}
