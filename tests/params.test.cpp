// Parameter parsing: the command line's and the golden manifest's N, H,W, same/valid and padding-mode
// strings.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/engine/params.hpp"

using namespace convscope;

TEST_CASE("parse_pair: N, H,W and the spellings PyTorch users type") {
    struct Good {
        const char* text;
        Pair expected;
    };
    const Good good[] = {
        {"3", Pair{3}},           {"3,5", Pair{3, 5}},     {"3x5", Pair{3, 5}},     {"3X5", Pair{3, 5}},
        {"(3, 5)", Pair{3, 5}},   {" 3 , 5 ", Pair{3, 5}}, {"(3,)", Pair{3}},       {"(7)", Pair{7}},
        {"0", Pair{0}},           {"227", Pair{227}},      {"32x64", Pair{32, 64}}, {"-1", Pair{-1}},
        {"\t2,\t1 ", Pair{2, 1}},
    };
    for (const Good& g : good) {
        INFO("'" << g.text << "'");
        auto p = parse_pair(g.text);
        REQUIRE(p.ok());
        CHECK(*p == g.expected);
    }
}

TEST_CASE("parse_pair: bad input is a readable error") {
    for (const char* text : {"", " ", "a", "3.5", "3,5,7", "1,,2", ",3", "3;5", "three", "(3, 5", "x3", "()",
                             "99999999999999999999", "1e3", "3 5", "+-3"}) {
        INFO("'" << text << "'");
        auto p = parse_pair(text);
        REQUIRE(!p.ok());
        CHECK(p.error() == "'" + std::string(text) + "' is not N or H,W");
    }
}

TEST_CASE("to_string(Pair): one number when both axes agree") {
    CHECK(to_string(Pair{3}) == "3");
    CHECK(to_string(Pair{3, 5}) == "3,5");
    for (Pair p : {Pair{1}, Pair{2, 1}, Pair{0, 7}}) CHECK(*parse_pair(to_string(p)) == p);
    std::ostringstream os;
    os << Pair{2, 3};
    CHECK(os.str() == "(2, 3)");
}

TEST_CASE("parse_padding: a number, a pair, same or valid") {
    CHECK(*parse_padding("1") == Padding(1));
    CHECK(*parse_padding("2,1") == Padding(Pair{2, 1}));
    CHECK(*parse_padding("(0, 3)") == Padding(Pair{0, 3}));
    CHECK(*parse_padding("same") == Padding::same());
    CHECK(*parse_padding("'same'") == Padding::same());
    CHECK(*parse_padding("\"same\"") == Padding::same());
    CHECK(*parse_padding(" valid ") == Padding::valid());
    CHECK(*parse_padding("'valid'") == Padding::valid());
    CHECK(to_string(Padding::same()) == "same");
    CHECK(to_string(Padding::valid()) == "valid");
    CHECK(to_string(Padding(Pair{2, 1})) == "2,1");
    for (const char* text : {"", "sam", "Same", "VALID", "full", "1,2,3", "same,1", "1.5", "'same"}) {
        INFO("'" << text << "'");
        auto p = parse_padding(text);
        REQUIRE(!p.ok());
        CHECK(p.error() == "padding '" + std::string(text) + "' is not N, H,W, same or valid");
    }
}

TEST_CASE("parse_padding_mode: zeros, reflect, replicate, circular") {
    CHECK(*parse_padding_mode("zeros") == PaddingMode::Zeros);
    CHECK(*parse_padding_mode("reflect") == PaddingMode::Reflect);
    CHECK(*parse_padding_mode("replicate") == PaddingMode::Replicate);
    CHECK(*parse_padding_mode(" circular ") == PaddingMode::Circular);
    for (PaddingMode m :
         {PaddingMode::Zeros, PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Circular})
        CHECK(*parse_padding_mode(to_string(m)) == m);
    for (const char* text : {"", "zero", "Zeros", "reflection", "constant", "wrap", "edge", "1"}) {
        INFO("'" << text << "'");
        auto m = parse_padding_mode(text);
        REQUIRE(!m.ok());
        CHECK(m.error() ==
              "padding mode '" + std::string(text) + "' is not zeros, reflect, replicate or circular");
    }
}

TEST_CASE("Pool2dParams: stride 0 means the kernel, PyTorch's default") {
    Pool2dParams p;
    p.kernel = Pair{3, 2};
    CHECK(p.effective_stride() == Pair{3, 2});
    p.stride = Pair{1, 0};
    CHECK(p.effective_stride() == Pair{1, 2});
    std::ostringstream os;
    os << p;
    CHECK(os.str() ==
          "Pool2dParams{max, kernel=(3, 2), stride=(1, 2), padding=(0, 0), dilation=(1, 1), "
          "ceil_mode=0, count_include_pad=1}");
    std::ostringstream oc;
    oc << Conv2dParams{};
    CHECK(oc.str() ==
          "Conv2dParams{stride=(1, 1), padding=0, dilation=(1, 1), groups=1, padding_mode=zeros}");
}
