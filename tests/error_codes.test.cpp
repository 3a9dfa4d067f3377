// The error catalogue (core/support/error_codes.hpp): every code has an English and a Korean text with the
// same `{}` placeholders, rendering puts every argument in place in either language, and the English
// rendering is the text the CLI and the earlier tests already print.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/geometry.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/io/image.hpp"
#include "core/io/npy.hpp"
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
    CHECK(texts_consistent(kErrorTexts, true));
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

namespace {

// A version-1 .npy file whose header dictionary is `dict` (no data after it).
std::vector<uint8_t> npy_with_header(const std::string& dict) {
    const std::string file =
        std::string("\x93NUMPY\x01\x00", 8) + char(dict.size() & 0xff) + char(dict.size() >> 8) + dict;
    return std::vector<uint8_t>(file.begin(), file.end());
}

}  // namespace

TEST_CASE("render_error: a bad .npy header, in Korean, its English unchanged") {
    auto dtype = parse_npy(npy_with_header("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }\n"));
    REQUIRE_FALSE(dtype.ok());
    CHECK(dtype.err().code == ErrCode::npy_dtype);
    CHECK(dtype.error() == "unsupported .npy dtype '<f2' (float32, float64, int32 or int64 needed)");
    CHECK(render_error(dtype.err(), ErrorLang::Ko) ==
          "지원하지 않는 .npy dtype '<f2'입니다 (float32, float64, int32, int64 중 하나여야 합니다)");

    auto key =
        parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}\n"));
    REQUIRE_FALSE(key.ok());
    CHECK(key.error() == "the .npy header has an unknown key 'x'");
    CHECK(render_error(key.err(), ErrorLang::Ko) == ".npy 헤더에 알 수 없는 키 'x'이(가) 있습니다");

    // A literal '}' in the message (escaped in the catalogue) renders in both languages.
    auto comma = parse_npy(npy_with_header("{'descr': '<f4' 'fortran_order': False}\n"));
    REQUIRE_FALSE(comma.ok());
    CHECK(comma.err().code == ErrCode::npy_expected_comma);
    CHECK(comma.error() == "the .npy header is malformed (expected ',' or '}')");
    CHECK(render_error(comma.err(), ErrorLang::Ko) ==
          ".npy 헤더의 형식이 잘못되었습니다 (','나 '}'이(가) 와야 합니다)");

    auto magic = parse_npy(std::vector<uint8_t>(12, 'x'));
    REQUIRE_FALSE(magic.ok());
    CHECK(magic.error() == "not a .npy file (the magic string \\x93NUMPY is missing)");
    CHECK(render_error(magic.err(), ErrorLang::Ko) ==
          ".npy 파일이 아닙니다 (매직 문자열 \\x93NUMPY가 없습니다)");
}

TEST_CASE("render_error: a bad image, in Korean; a decoder's own message is only an argument") {
    Image grey;
    grey.width = grey.height = 8;
    grey.channels = 1;
    grey.pixels.assign(64, 100);
    auto png = encode_png(grey);
    REQUIRE(png.ok());

    SECTION("a truncated PNG") {
        const std::vector<uint8_t> cut(png->begin(), png->begin() + 40);
        auto img = decode_image(cut);
        REQUIRE_FALSE(img.ok());
        CHECK(img.err().code == ErrCode::image_truncated_data);
        CHECK(img.error() == "the file ends before its image data does (40 bytes)");
        CHECK(render_error(img.err(), ErrorLang::Ko) == "파일이 이미지 데이터보다 먼저 끝납니다 (40바이트)");
    }
    SECTION("a PNG whose image data is damaged: libpng's words inside ours") {
        std::vector<uint8_t> bad = *png;
        const std::string_view idat("IDAT");
        const auto at = std::search(bad.begin(), bad.end(), idat.begin(), idat.end());
        REQUIRE(at != bad.end());
        at[4] ^= 0xff;  // the first data byte: the chunk's CRC no longer matches
        auto img = decode_image(bad);
        REQUIRE_FALSE(img.ok());
        CHECK(img.err().code == ErrCode::image_data_damaged);
        CHECK(img.error().starts_with("the PNG data is damaged ("));
        CHECK(render_error(img.err(), ErrorLang::Ko).starts_with("PNG 데이터가 손상되었습니다 ("));
    }
    SECTION("a format ConvScope refuses, named in Korean") {
        const std::vector<uint8_t> pic = {0x53, 0x80, 0xF6, 0x34, 0, 0, 0, 0};
        auto img = decode_image(pic);
        REQUIRE_FALSE(img.ok());
        CHECK(img.error() ==
              "a Softimage PIC image, which ConvScope does not read (it reads PNG, JPEG, GIF, BMP, "
              "TGA and binary PPM/PGM)");
        CHECK(render_error(img.err(), ErrorLang::Ko) ==
              "ConvScope가 읽지 않는 형식입니다: Softimage PIC 이미지 (읽는 형식: PNG, JPEG, GIF, BMP, TGA, "
              "바이너리 "
              "PPM/PGM)");
    }
}

TEST_CASE("render_error: a transposed convolution the geometry refuses, in Korean") {
    ConvTranspose2dParams p;
    p.padding = Pair(3);
    auto small = plan_conv_transpose2d({1, 1, 2, 2}, {1, 1, 3, 3}, nullptr, p);
    REQUIRE_FALSE(small.ok());
    CHECK(small.err().code == ErrCode::tconv_output_too_small);
    CHECK(small.error() ==
          "the output would be -2×-2: the input 2×2 is too small for padding 3 ((in − 1)·stride − "
          "2·padding + dilation·(kernel − 1) + output_padding + 1)");
    CHECK(render_error(small.err(), ErrorLang::Ko) ==
          "출력이 -2×-2이(가) 됩니다: 입력 2×2이(가) 패딩 3에 비해 너무 작습니다 ((in − 1)·stride − "
          "2·padding + "
          "dilation·(kernel − 1) + output_padding + 1)");

    ConvTranspose2dParams q;
    q.output_padding = Pair(1);
    auto op = plan_conv_transpose2d({1, 1, 4, 4}, {1, 1, 3, 3}, nullptr, q);
    REQUIRE_FALSE(op.ok());
    CHECK(op.error() == "output_padding 1 must be smaller than either stride 1 or dilation 1");
    CHECK(render_error(op.err(), ErrorLang::Ko) ==
          "output_padding 1은(는) stride 1 또는 dilation 1보다 작아야 합니다");

    auto channels = plan_conv_transpose2d({1, 2, 4, 4}, {3, 1, 3, 3}, nullptr, ConvTranspose2dParams{});
    REQUIRE_FALSE(channels.ok());
    CHECK(channels.error() ==
          "weight 3×1×3×3 expects 3 input channels (a transposed convolution's weight is "
          "C_in×C_out/groups×kH×kW), but the input has 2");
    CHECK(render_error(channels.err(), ErrorLang::Ko) ==
          "가중치 3×1×3×3은(는) 입력 채널 3개를 기대하지만 (전치 합성곱의 가중치는 C_in×C_out/groups×kH×kW), "
          "입력의 "
          "채널은 2개입니다");

    // A size beyond int64 is a word, rendered in the language too.
    ConvTranspose2dParams huge;
    huge.stride = Pair(std::numeric_limits<int64_t>::max());
    auto big = plan_conv_transpose2d({1, 1, 4, 4}, {1, 1, 3, 3}, nullptr, huge);
    REQUIRE_FALSE(big.ok());
    const std::string ko = render_error(big.err(), ErrorLang::Ko);
    INFO(big.error() << " / " << ko);
    CHECK(big.error().find("over 2⁶³") != std::string::npos);
    CHECK(ko.find("2⁶³ 초과") != std::string::npos);
    CHECK(ko.find("over") == std::string::npos);
}
