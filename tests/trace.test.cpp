// Traces: replaying a trace reproduces the reference backend's output bit for bit for every output element of
// random problems across every parameter; the lecture's explain line; the text formats; padding terms;
// errors.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/support/limits.hpp"
#include "core/engine/trace.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::kLectureFilter;
using convscope::testing::kLectureInput;
using convscope::testing::kLectureLine;

namespace {

uint32_t bits(float v) {
    return std::bit_cast<uint32_t>(v);
}

// Bit for bit, except that any NaN equals any NaN: when two NaNs meet in an addition (inf + −inf next to a
// NaN input), IEEE 754 leaves open which one propagates, and the compiler may order the operands of the
// commutative
// `+` differently in the kernel and in replay (x86 returns the first operand's NaN). Every other value, −0
// included, must match exactly.
bool same_bits(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) || bits(a) == bits(b);
}

// A random conv2d problem, valid by construction or rejected by plan_conv2d (then drawn again).
struct ConvProblem {
    Tensor x, w, b;
    bool has_bias = false;
    Conv2dParams p;
};

ConvProblem random_conv_problem(std::mt19937& rng, int index) {
    auto pick = [&](int lo, int hi) { return int64_t(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    for (;;) {
        ConvProblem q;
        const int64_t groups = pick(1, 3);
        const int64_t c = groups * pick(1, 2), o = groups * pick(1, 2);
        const int64_t h = pick(2, 9), w = pick(2, 9), kh = pick(1, 4), kw = pick(1, 4);
        q.p.groups = groups;
        q.p.stride = Pair{pick(1, 3), pick(1, 3)};
        q.p.dilation = Pair{pick(1, 3), pick(1, 3)};
        q.p.padding_mode = PaddingMode(index % 4);  // every mode in turn
        switch (pick(0, 3)) {
            case 0:
                q.p.padding = Padding(pick(0, 3));
                break;
            case 1:
                q.p.padding = Padding(Pair{pick(0, 3), pick(0, 3)});
                break;
            case 2:
                q.p.padding = Padding::same();
                q.p.stride = Pair{1};
                break;
            default:
                q.p.padding = Padding::valid();
                break;
        }
        const bool unbatched = pick(0, 3) == 0;
        const Shape xs = unbatched ? Shape{c, h, w} : Shape{pick(1, 2), c, h, w};
        const Shape ws{o, c / groups, kh, kw};
        q.has_bias = pick(0, 1) == 1;
        const Shape bs{o};
        if (!plan_conv2d(xs, ws, q.has_bias ? &bs : nullptr, q.p)) continue;
        const uint32_t seed = uint32_t(rng());
        q.x = testing::random_tensor(xs, seed);
        q.w = testing::random_tensor(ws, seed + 1);
        q.b = testing::random_tensor(bs, seed + 2);
        return q;
    }
}

// Traces every output element of a conv2d problem; checks result and replay against the output bit for bit,
// and the shape of each trace. Returns the number of elements checked.
int64_t check_conv_traces(const ConvProblem& q) {
    const Tensor* bias = q.has_bias ? &q.b : nullptr;
    auto y = reference_backend().conv2d(q.x, q.w, bias, q.p);
    REQUIRE(y.ok());
    auto plan = plan_conv2d(q.x.shape, q.w.shape, bias ? &bias->shape : nullptr, q.p);
    REQUIRE(plan.ok());
    const ConvPlan& P = *plan;
    const Tensor yb = as_batched(*y);
    int64_t checked = 0;
    for (int64_t n = 0; n < P.n; ++n)
        for (int64_t o = 0; o < P.o; ++o)
            for (int64_t oy = 0; oy < P.oh; ++oy)
                for (int64_t ox = 0; ox < P.ow; ++ox) {
                    auto t = trace_conv2d(q.x, q.w, bias, q.p, n, o, oy, ox);
                    REQUIRE(t.ok());
                    const float expected = yb.at(n, o, oy, ox);
                    INFO("at (n=" << n << ", o=" << o << ", y=" << oy << ", x=" << ox << ") expected "
                                  << expected);
                    CHECK(bits(t->result) == bits(expected));
                    CHECK(bits(replay(*t)) == bits(expected));
                    CHECK(t->terms.size() == size_t(P.c_per_group() * P.kh * P.kw));
                    CHECK(t->channels.size() == size_t(P.c_per_group()));
                    CHECK(t->has_bias == q.has_bias);
                    for (const TraceTerm& term : t->terms) {
                        const bool outside = term.iy < 0 || term.iy >= P.h || term.ix < 0 || term.ix >= P.w;
                        CHECK(term.padding == outside);
                        if (P.mode == PaddingMode::Zeros && term.padding) {
                            CHECK(term.x == 0.0f);
                            CHECK(term.sy == -1);
                        } else {
                            // The value is the input element the padding mode points at.
                            REQUIRE(term.sy >= 0);
                            REQUIRE(term.sx >= 0);
                            CHECK(bits(term.x) == bits(as_batched(q.x).at(n, term.c, term.sy, term.sx)));
                        }
                    }
                    ++checked;
                }
    return checked;
}

Tensor random_pool_input(std::mt19937& rng, const Shape& shape, bool specials) {
    Tensor x = testing::random_tensor(shape, uint32_t(rng()));
    if (specials) {
        const float nan = std::numeric_limits<float>::quiet_NaN(),
                    inf = std::numeric_limits<float>::infinity();
        const float pool[] = {nan, inf, -inf};
        for (float& v : x.data)
            if (rng() % 8 == 0) v = pool[rng() % 3];
    }
    return x;
}

std::vector<std::string> conv_explain(const Tensor& x, const Tensor& w, const Tensor* b,
                                      const Conv2dParams& p, int64_t o, int64_t oy, int64_t ox) {
    auto t = trace_conv2d(x, w, b, p, 0, o, oy, ox);
    REQUIRE(t.ok());
    return explain_lines(*t);
}

}  // namespace

TEST_CASE("trace_conv2d: replay equals the output bit for bit, every element of random problems") {
    std::mt19937 rng(2024);
    std::set<std::string> seen;
    int64_t elements = 0;
    for (int i = 0; i < 160; ++i) {
        const ConvProblem q = random_conv_problem(rng, i);
        INFO("problem " << i << ": x " << shape_to_string(q.x.shape) << ", w " << shape_to_string(q.w.shape)
                        << (q.has_bias ? ", bias, " : ", ") << q.p);
        elements += check_conv_traces(q);
        seen.insert(std::string(to_string(q.p.padding_mode)));
        seen.insert(to_string(q.p.padding) == "same" || to_string(q.p.padding) == "valid"
                        ? to_string(q.p.padding)
                        : "explicit");
        if (q.p.stride.h > 1 || q.p.stride.w > 1) seen.insert("stride");
        if (q.p.dilation.h > 1 || q.p.dilation.w > 1) seen.insert("dilation");
        if (q.p.groups > 1) seen.insert("groups");
        if (q.has_bias) seen.insert("bias");
        if (q.x.rank() == 3) seen.insert("unbatched");
        if (q.x.rank() == 4 && q.x.shape[0] > 1) seen.insert("batch");
    }
    for (const char* want : {"zeros", "reflect", "replicate", "circular", "same", "valid", "explicit",
                             "stride", "dilation", "groups", "bias", "unbatched", "batch"}) {
        INFO("random problems cover " << want);
        CHECK(seen.count(want) == 1);
    }
    CHECK(elements > 2000);
}

TEST_CASE("trace_pool2d: replay equals the output bit for bit, every element, max and avg, NaN and inf") {
    std::mt19937 rng(77);
    auto pick = [&](int lo, int hi) { return int64_t(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    int64_t elements = 0, argmax_padding = 0;
    for (int i = 0; i < 200; ++i) {
        Pool2dParams p;
        p.op = i % 2 ? Op::AvgPool : Op::MaxPool;
        p.kernel = Pair{pick(1, 4), pick(1, 4)};
        p.stride = pick(0, 2) == 0 ? Pair{0} : Pair{pick(1, 3), pick(1, 3)};
        p.padding = Pair{pick(0, p.kernel.h / 2), pick(0, p.kernel.w / 2)};
        if (p.op == Op::MaxPool) p.dilation = Pair{pick(1, 2), pick(1, 2)};
        p.ceil_mode = pick(0, 1) == 1;
        p.count_include_pad = pick(0, 1) == 1;
        const bool unbatched = pick(0, 3) == 0;
        const int64_t c = pick(1, 3), h = pick(1, 9), w = pick(1, 9);
        const Shape xs = unbatched ? Shape{c, h, w} : Shape{pick(1, 2), c, h, w};
        auto plan = plan_pool2d(xs, p);
        if (!plan) continue;
        const Tensor x = random_pool_input(rng, xs, i % 4 < 2);
        INFO("problem " << i << ": x " << shape_to_string(xs) << ", " << p);
        auto y = reference_backend().pool2d(x, p);
        REQUIRE(y.ok());
        const Tensor yb = as_batched(*y);
        const Tensor xb = as_batched(x);
        for (int64_t n = 0; n < plan->n; ++n)
            for (int64_t ch = 0; ch < plan->c; ++ch)
                for (int64_t oy = 0; oy < plan->oh; ++oy)
                    for (int64_t ox = 0; ox < plan->ow; ++ox) {
                        auto t = trace_pool2d(x, p, n, ch, oy, ox);
                        REQUIRE(t.ok());
                        const float expected = yb.at(n, ch, oy, ox);
                        INFO("at (n=" << n << ", c=" << ch << ", y=" << oy << ", x=" << ox << ") expected "
                                      << expected);
                        CHECK(same_bits(t->result, expected));
                        CHECK(same_bits(replay(*t), expected));
                        for (const TraceTerm& term : t->terms) {
                            CHECK(term.padding ==
                                  (term.iy < 0 || term.iy >= plan->h || term.ix < 0 || term.ix >= plan->w));
                            if (!term.padding) CHECK(bits(term.x) == bits(xb.at(n, ch, term.iy, term.ix)));
                        }
                        if (p.op == Op::MaxPool) {
                            CHECK(t->kind == Op::MaxPool);
                            CHECK(t->terms.size() == size_t(plan->kh * plan->kw));
                            if (t->argmax >= 0) {
                                CHECK(!t->terms[size_t(t->argmax)].padding);
                            } else {
                                ++argmax_padding;
                                CHECK(expected == -std::numeric_limits<float>::infinity());
                            }
                        } else {
                            CHECK(t->kind == Op::AvgPool);
                            int64_t real = 0;
                            for (const TraceTerm& term : t->terms) real += term.padding ? 0 : 1;
                            if (real > 0)
                                CHECK(t->divisor ==
                                      float(p.count_include_pad ? int64_t(t->terms.size()) : real));
                        }
                        ++elements;
                    }
    }
    CHECK(elements > 2000);
}

TEST_CASE("explain_lines: the lecture's first output, exactly") {
    const auto lines = conv_explain(kLectureInput, kLectureFilter, nullptr, {}, 0, 0, 0);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == kLectureLine);
    // Every output of the lecture example: one line, ending in the lecture's value.
    const float expected[3][3] = {{8, 9, 8}, {8, 5, 9}, {6, 5, 5}};
    for (int oy = 0; oy < 3; ++oy)
        for (int ox = 0; ox < 3; ++ox) {
            auto t = trace_conv2d(kLectureInput, kLectureFilter, nullptr, {}, 0, 0, oy, ox);
            REQUIRE(t.ok());
            CHECK(t->result == expected[oy][ox]);
            CHECK(replay(*t) == expected[oy][ox]);
            const auto l = explain_lines(*t);
            REQUIRE(l.size() == 1);
            CHECK(l[0].ends_with(" = " + format_number(expected[oy][ox])));
        }
}

TEST_CASE("explain_lines: several channels, then the bias and the total") {
    const Tensor x({1, 2, 2, 2}, {1, 2, 3, 4, /**/ 0.5f, -1, 2, 0.25f});
    const Tensor w({1, 2, 2, 2}, {1, 0, 0, 1, /**/ 2, 1, 0.5f, -1});
    const Tensor b({1}, {1});
    SECTION("two channels with bias") {
        const auto lines = conv_explain(x, w, &b, {}, 0, 0, 0);
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "channel 0: (1×1) + (2×0) + (3×0) + (4×1) = 5");
        CHECK(lines[1] == "channel 1: (0.5×2) + (-1×1) + (2×0.5) + (0.25×-1) = 0.75");
        CHECK(lines[2] == "5 + 0.75 + bias 1 = 6.75");
    }
    SECTION("two channels without bias") {
        const auto lines = conv_explain(x, w, nullptr, {}, 0, 0, 0);
        REQUIRE(lines.size() == 3);
        CHECK(lines[2] == "5 + 0.75 = 5.75");
    }
    SECTION("one channel with bias") {
        const Tensor b2({1}, {-0.5f});
        const auto lines = conv_explain(kLectureInput, kLectureFilter, &b2, {}, 0, 0, 0);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == kLectureLine);
        CHECK(lines[1] == "8 + bias -0.5 = 7.5");
    }
    SECTION("groups: the channels are the group's, numbered as in the input") {
        const Tensor x4({1, 4, 1, 1}, {1, 2, 3, 4});
        const Tensor w2({2, 2, 1, 1}, {1, 1, 10, 100});
        Conv2dParams p;
        p.groups = 2;
        const auto lines = conv_explain(x4, w2, nullptr, p, 1, 0, 0);
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "channel 2: (3×10) = 30");
        CHECK(lines[1] == "channel 3: (4×100) = 400");
        CHECK(lines[2] == "30 + 400 = 430");
    }
}

TEST_CASE("trace_pool2d: max pool's argmax and avg pool's divisor") {
    Pool2dParams p;
    p.kernel = Pair{2};
    SECTION("max 2x2: the chosen term is the largest") {
        auto t = trace_pool2d(kLectureInput, p, 0, 0, 0, 1);
        REQUIRE(t.ok());
        CHECK(t->argmax == 2);
        CHECK(t->terms[2].x == 5);
        CHECK(t->result == 5);
        CHECK(explain_lines(*t) == std::vector<std::string>{"max(3, 0, 5, 1) = 5"});
    }
    SECTION("max pads with -inf, never chosen") {
        p.padding = Pair{1};
        auto t = trace_pool2d(kLectureInput, p, 0, 0, 0, 0);
        REQUIRE(t.ok());
        CHECK(t->argmax == 3);
        CHECK(t->terms[0].padding);
        CHECK(t->terms[0].x == -std::numeric_limits<float>::infinity());
        CHECK(!t->terms[3].padding);
        CHECK(explain_lines(*t) == std::vector<std::string>{"max(-inf, -inf, -inf, 1) = 1"});
    }
    SECTION("max: the first NaN is chosen and propagates") {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Tensor x({1, 1, 2, 2}, {1, nan, 7, nan});
        auto t = trace_pool2d(x, p, 0, 0, 0, 0);
        REQUIRE(t.ok());
        CHECK(t->argmax == 1);
        CHECK(std::isnan(t->result));
        CHECK(explain_lines(*t) == std::vector<std::string>{"max(1, nan, 7, nan) = nan"});
    }
    SECTION("avg 2x2: divisor 4") {
        p.op = Op::AvgPool;
        auto t = trace_pool2d(kLectureInput, p, 0, 0, 0, 1);
        REQUIRE(t.ok());
        CHECK(t->divisor == 4);
        CHECK(t->result == 2.25f);
        CHECK(explain_lines(*t) == std::vector<std::string>{"(3 + 0 + 5 + 1) / 4 = 2.25"});
    }
    SECTION("avg with padding: count_include_pad counts the zeros, exclude does not") {
        p.op = Op::AvgPool;
        p.kernel = Pair{3};
        p.stride = Pair{2};
        p.padding = Pair{1};
        auto inc = trace_pool2d(kLectureInput, p, 0, 0, 0, 0);
        REQUIRE(inc.ok());
        CHECK(inc->divisor == 9);
        CHECK(explain_lines(*inc) ==
              std::vector<std::string>{"(0 + 0 + 0 + 0 + 1 + 2 + 0 + 0 + 1) / 9 = 0.4444"});
        p.count_include_pad = false;
        auto exc = trace_pool2d(kLectureInput, p, 0, 0, 0, 0);
        REQUIRE(exc.ok());
        CHECK(exc->divisor == 4);
        CHECK(explain_lines(*exc) == std::vector<std::string>{"(1 + 2 + 0 + 1) / 4 = 1"});
    }
    SECTION("avg with ceil_mode: the clipped last window divides by what it covers") {
        p.op = Op::AvgPool;
        p.ceil_mode = true;
        auto t = trace_pool2d(kLectureInput, p, 0, 0, 2, 2);  // the 1x1 corner x[4][4]
        REQUIRE(t.ok());
        CHECK(t->terms.size() == 1);
        CHECK(t->divisor == 1);
        CHECK(t->result == 1);
    }
}

TEST_CASE("trace_conv2d: padding terms are flagged, with the element each padding mode reads") {
    Conv2dParams p;
    p.padding = Padding(1);
    SECTION("zeros: x is 0 and nothing is read") {
        auto t = trace_conv2d(kLectureInput, kLectureFilter, nullptr, p, 0, 0, 0, 0);
        REQUIRE(t.ok());
        REQUIRE(t->terms.size() == 9);
        for (int i : {0, 1, 2, 3, 6}) {
            INFO("term " << i);
            CHECK(t->terms[size_t(i)].padding);
            CHECK(t->terms[size_t(i)].x == 0);
            CHECK(t->terms[size_t(i)].sy == -1);
            CHECK(t->terms[size_t(i)].sx == -1);
        }
        CHECK(t->terms[0].iy == -1);
        CHECK(t->terms[0].ix == -1);
        CHECK(!t->terms[4].padding);
        CHECK(t->terms[4].iy == 0);
        CHECK(t->terms[4].ix == 0);
        CHECK(t->result == 2);  // x[0][0]·1 + x[1][1]·1
        CHECK(explain_lines(*t)[0] ==
              "(0×1) + (0×0) + (0×1) + (0×0) + (1×1) + (2×0) + (0×1) + (0×0) + (1×1) = 2");
    }
    SECTION("reflect: the corner reads x[1][1]") {
        p.padding_mode = PaddingMode::Reflect;
        auto t = trace_conv2d(kLectureInput, kLectureFilter, nullptr, p, 0, 0, 0, 0);
        REQUIRE(t.ok());
        CHECK(t->terms[0].padding);
        CHECK(t->terms[0].sy == 1);
        CHECK(t->terms[0].sx == 1);
        CHECK(t->terms[0].x == 1);
    }
    SECTION("replicate and circular") {
        p.padding_mode = PaddingMode::Replicate;
        auto r = trace_conv2d(kLectureInput, kLectureFilter, nullptr, p, 0, 0, 0, 0);
        REQUIRE(r.ok());
        CHECK(r->terms[0].padding);
        CHECK(r->terms[0].sy == 0);
        CHECK(r->terms[0].sx == 0);
        p.padding_mode = PaddingMode::Circular;
        auto c = trace_conv2d(kLectureInput, kLectureFilter, nullptr, p, 0, 0, 0, 0);
        REQUIRE(c.ok());
        CHECK(c->terms[0].padding);
        CHECK(c->terms[0].sy == 4);
        CHECK(c->terms[0].sx == 4);
        CHECK(c->terms[0].x == 1);
    }
}

TEST_CASE("trace_conv2d: a trace longer than the limit is truncated, its result still exact") {
    // 1 channel × 317 × 317 = 100 489 terms > limits::kMaxTraceTerms.
    const Tensor x = testing::random_tensor({1, 1, 317, 317}, 5);
    const Tensor w = testing::random_tensor({1, 1, 317, 317}, 6);
    auto y = reference_backend().conv2d(x, w, nullptr, {});
    REQUIRE(y.ok());
    auto t = trace_conv2d(x, w, nullptr, {}, 0, 0, 0, 0);
    REQUIRE(t.ok());
    CHECK(t->truncated);
    CHECK(int64_t(t->terms.size()) == limits::kMaxTraceTerms);
    CHECK(bits(t->result) == bits(y->data[0]));
    const auto lines = explain_lines(*t);
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::Contains(" + … (trace truncated) = "));
}

TEST_CASE("format_number: as the lecture writes numbers") {
    CHECK(format_number(8) == "8");
    CHECK(format_number(0) == "0");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(0.5) == "0.5");
    CHECK(format_number(-1.25) == "-1.25");
    CHECK(format_number(2.5) == "2.5");
    CHECK(format_number(100) == "100");
    CHECK(format_number(-40) == "-40");
    CHECK(format_number(1000000) == "1000000");
    CHECK(format_number(1.0 / 3.0) == "0.3333");
    CHECK(format_number(2.0 / 3.0) == "0.6667");
    CHECK(format_number(1.23456) == "1.2346");
    CHECK(format_number(0.1f) == "0.1");  // float 0.1 is 0.100000001…
    CHECK(format_number(0.00001) == "0");
    CHECK(format_number(-0.00001) == "0");
    CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

TEST_CASE("trace_conv2d/trace_pool2d: positions outside the output are errors") {
    SECTION("conv") {
        auto err = [](int64_t n, int64_t o, int64_t oy, int64_t ox) {
            auto t = trace_conv2d(kLectureInput, kLectureFilter, nullptr, {}, n, o, oy, ox);
            REQUIRE(!t.ok());
            return t.error();
        };
        CHECK(err(0, 0, 3, 0) == "row 3 is outside 0..2");
        CHECK(err(0, 0, 0, 3) == "column 3 is outside 0..2");
        CHECK(err(0, 0, -1, 0) == "row -1 is outside 0..2");
        CHECK(err(0, 0, 0, -1) == "column -1 is outside 0..2");
        CHECK(err(0, 1, 0, 0) == "output channel 1 is outside 0..0");
        CHECK(err(1, 0, 0, 0) == "batch 1 is outside 0..0");
        CHECK(err(-1, 0, 0, 0) == "batch -1 is outside 0..0");
    }
    SECTION("pool") {
        Pool2dParams p;
        auto err = [&](int64_t n, int64_t c, int64_t oy, int64_t ox) {
            auto t = trace_pool2d(kLectureInput, p, n, c, oy, ox);
            REQUIRE(!t.ok());
            return t.error();
        };
        CHECK(err(0, 0, 2, 0) == "row 2 is outside 0..1");
        CHECK(err(0, 0, 0, 2) == "column 2 is outside 0..1");
        CHECK(err(0, 1, 0, 0) == "channel 1 is outside 0..0");
        CHECK(err(1, 0, 0, 0) == "batch 1 is outside 0..0");
    }
    SECTION("an invalid problem gives its validation error") {
        Conv2dParams p;
        p.stride = Pair{0};
        auto t = trace_conv2d(kLectureInput, kLectureFilter, nullptr, p, 0, 0, 0, 0);
        REQUIRE(!t.ok());
        CHECK(t.error() == "stride must be at least 1, got 0");
        Pool2dParams q;
        q.kernel = Pair{6};
        auto u = trace_pool2d(kLectureInput, q, 0, 0, 0, 0);
        REQUIRE(!u.ok());
        CHECK_THAT(u.error(), Catch::Contains("larger than the padded input"));
    }
}

TEST_CASE("trace_conv2d: an unbatched input is traced at batch 0") {
    const Tensor x({1, 5, 5}, kLectureInput.data);
    auto t = trace_conv2d(x, kLectureFilter, nullptr, {}, 0, 0, 0, 0);
    REQUIRE(t.ok());
    CHECK(explain_lines(*t) == std::vector<std::string>{kLectureLine});
    auto bad = trace_conv2d(x, kLectureFilter, nullptr, {}, 1, 0, 0, 0);
    REQUIRE(!bad.ok());
    CHECK(bad.error() == "batch 1 is outside 0..0");
}

TEST_CASE("format_number_typeset writes numbers as a teacher does", "[trace]") {
    CHECK(format_number_typeset(8) == "8");
    CHECK(format_number_typeset(-1) == "−1");
    CHECK(format_number_typeset(-1.25) == "−1.25");
    CHECK(format_number_typeset(-0.0) == "0");
    CHECK(format_number_typeset(-std::numeric_limits<double>::infinity()) == "−∞");
    CHECK(format_number_typeset(std::numeric_limits<double>::infinity()) == "∞");
    CHECK(format_product_typeset(2, -1) == "(2×(−1))");
    CHECK(format_product_typeset(-3, 2) == "((−3)×2)");
    CHECK(format_product_typeset(1, 0) == "(1×0)");
    CHECK(format_addend_typeset(-6) == " − 6");
    CHECK(format_addend_typeset(3) == " + 3");
    CHECK(format_number_typeset(8) + format_addend_typeset(-6) == "8 − 6");
    SECTION("the command line's explain keeps ASCII") {
        CHECK(format_number(-1) == "-1");
    }
}
