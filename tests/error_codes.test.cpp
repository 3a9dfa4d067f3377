// The error catalogue (core/support/error_codes.hpp): every code has an English and a Korean text with the same `{}`
// placeholders, rendering puts every argument in place in either language, and the English rendering is the
// text the CLI and the earlier tests already print.
#include <catch2/catch.hpp>

#include <string>

#include "core/engine/geometry.hpp"
#include "core/io/image.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/network/network.hpp"
#include "core/support/result.hpp"

using namespace convscope;

namespace {

// True when `text` has a `{` that is not a plain `{}` placeholder or an escaped `{{`.
bool has_unplain_brace(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '{') continue;
        if (i + 1 < text.size() && (text[i + 1] == '}' || text[i + 1] == '{')) {
            ++i;
            continue;
        }
        return true;
    }
    return false;
}

bool has_latin_letter(std::string_view s) {
    for (char c : s)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return false;
}

}  // namespace

TEST_CASE("error catalogue: every code has both languages with the same placeholders") {
    REQUIRE(std::size(kErrorTexts) == size_t(ErrCode::count_));
    for (size_t i = 0; i < size_t(ErrCode::count_); ++i) {
        const auto code = ErrCode(i);
        INFO(error_code_name(code));
        const std::string_view en = error_text(code, ErrorLang::En), ko = error_text(code, ErrorLang::Ko);
        CHECK_FALSE(en.empty());
        CHECK_FALSE(ko.empty());
        CHECK(count_placeholders(en) == count_placeholders(ko));
        CHECK_FALSE(has_unplain_brace(en));
        CHECK_FALSE(has_unplain_brace(ko));
        // A Korean text that is the English one word for word is a missing translation, unless it holds no
        // English words at all (pure placeholders and symbols).
        if (en == ko) CHECK_FALSE(has_latin_letter(en));
    }
    CHECK(error_catalogue_consistent());
}

TEST_CASE("count_placeholders: plain {} only, escaped braces are literal") {
    CHECK(count_placeholders("") == 0);
    CHECK(count_placeholders("{}") == 1);
    CHECK(count_placeholders("a {} b {}") == 2);
    CHECK(count_placeholders("{{}} {}") == 1);
}

TEST_CASE("render_error: every argument lands in place, in both languages") {
    for (size_t i = 0; i < size_t(ErrCode::count_); ++i) {
        const auto code = ErrCode(i);
        INFO(error_code_name(code));
        std::vector<ErrorArg> args;
        for (size_t k = 0; k < error_arity(code); ++k) args.push_back("<arg" + std::to_string(k) + ">");
        const Error e = fail_code(code, args);
        for (ErrorLang lang : {ErrorLang::En, ErrorLang::Ko}) {
            const std::string text = render_error(e, lang);
            for (size_t k = 0; k < error_arity(code); ++k)
                CHECK(text.find("<arg" + std::to_string(k) + ">") != std::string::npos);
            CHECK(text.find("{}") == std::string::npos);
        }
    }
}

TEST_CASE("render_error: English is the CLI's text; Korean renders nested words in Korean") {
    Conv2dParams p;
    p.stride = Pair(0, 1);
    auto plan = plan_conv2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, p);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.err().code == ErrCode::must_be_at_least_1);
    CHECK(plan.error() == "stride must be at least 1, got 0,1");
    CHECK(render_error(plan.err(), ErrorLang::En) == plan.error());
    CHECK(render_error(plan.err(), ErrorLang::Ko) == "스트라이드 값은 1 이상이어야 합니다 (입력: 0,1)");

    auto big = plan_conv2d({1, 1, 3, 3}, {1, 1, 5, 5}, nullptr, Conv2dParams{});
    REQUIRE_FALSE(big.ok());
    CHECK(big.error() == "kernel 5×5 (dilated 5×5) is larger than the padded input 3×3");
    CHECK(render_error(big.err(), ErrorLang::Ko) ==
          "커널 5×5 (팽창 후 5×5)이(가) 패딩한 입력 3×3보다 큽니다");

    Pool2dParams q;
    q.kernel = Pair(2);
    q.dilation = Pair(0);
    auto pool = plan_pool2d({1, 1, 4, 4}, q);
    REQUIRE_FALSE(pool.ok());
    CHECK(pool.error() == "dilation must be at least 1, got 0");
    CHECK(render_error(pool.err(), ErrorLang::Ko).starts_with("팽창(dilation) 값은 1 이상이어야 합니다"));
}

TEST_CASE("render_error: a pasted kernel's line error, wrapped, in Korean") {
    auto k = parse_kernel_text("1 2 3\n1 x 3\n");
    REQUIRE_FALSE(k.ok());
    CHECK(k.err().code == ErrCode::at_line);
    CHECK(k.error() == "line 2: 'x' is not a number");
    CHECK(render_error(k.err(), ErrorLang::Ko) == "2행: 'x'은(는) 숫자가 아닙니다");

    auto rows = parse_kernel_text("1 2 3\n1 2\n");
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.error() == "line 2 has 2 numbers but line 1 has 3; every row needs the same count");
    CHECK_FALSE(has_latin_letter(render_error(rows.err(), ErrorLang::Ko)));
}

TEST_CASE("render_error: an image that is not one, in Korean without library names") {
    const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
    auto img = decode_image(text);
    REQUIRE_FALSE(img.ok());
    CHECK(img.error().starts_with("not an image ConvScope can read"));
    const std::string ko = render_error(img.err(), ErrorLang::Ko);
    CHECK(ko.starts_with("ConvScope가 읽을 수 있는 이미지가 아닙니다"));
    CHECK(ko.find("stb") == std::string::npos);
    auto empty = decode_image(std::vector<uint8_t>{});
    REQUIRE_FALSE(empty.ok());
    CHECK(render_error(empty.err(), ErrorLang::Ko) == "파일이 비어 있어 이미지가 아닙니다");
}

TEST_CASE("render_error: a network refusal keeps its English and has a Korean rendering") {
    Network net;
    net.input = {1, 3, 28, 28};
    net.layers = {*parse_layer("Conv2d(1,5,5)")};
    const NetworkCheck check = check_network(net);
    REQUIRE(check.first_error == 0);
    const LayerCheck& c = check.layers[0];
    CHECK(c.error == "in_channels is 1, but the input 1×3×28×28 has 3 channels");
    CHECK(c.reason.message == c.error);
    CHECK(render_error(c.reason, ErrorLang::Ko) ==
          "in_channels은(는) 1이지만 입력 1×3×28×28의 채널은 3개입니다");
}
