// The GUI's string table and the bundled fonts: every glyph a string or formula uses is in DejaVu Sans or
// Nanum Gothic (no tofu boxes in English or Korean), and the math glyphs are in the Latin font itself.
#include <fmt/args.h>
#include <stb_truetype.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "app/ui/strings.hpp"
#include "core/engine/explain.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"
#include "core/io/npy.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;
using namespace convscope::ui;

namespace {

// UTF-8 to code points (the table is ours and valid; a bad byte becomes U+FFFD so the test fails loudly).
std::vector<uint32_t> code_points(std::string_view s) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        const auto b = uint8_t(s[i]);
        const int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + size_t(n) > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        uint32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (uint8_t(s[i + size_t(k)]) & 0x3F);
        out.push_back(cp);
        i += size_t(n);
    }
    return out;
}

struct Font {
    std::vector<uint8_t> bytes;
    stbtt_fontinfo info{};
    bool has(uint32_t cp) const { return stbtt_FindGlyphIndex(&info, int(cp)) != 0; }
};

Font load(const std::string& name) {
    Font f;
    auto bytes = read_file(testing::source_path("assets/fonts/" + name), 64 << 20);
    REQUIRE(bytes.ok());
    f.bytes = std::move(*bytes);
    REQUIRE(stbtt_InitFont(&f.info, f.bytes.data(), stbtt_GetFontOffsetForIndex(f.bytes.data(), 0)) != 0);
    return f;
}

std::string hex(uint32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", cp);
    return buf;
}

}  // namespace

TEST_CASE("strings: every entry has both languages, and Korean is Korean") {
    for (int i = 0; i < int(Str::count); ++i) {
        const Str id = Str(i);
        INFO("string " << i << ": " << tr(id, Lang::En));
        CHECK(std::string(tr(id, Lang::En)).size() > 0);
        CHECK(std::string(tr(id, Lang::Ko)).size() > 0);
    }
    CHECK(std::string(tr(Str::view_stepper, Lang::Ko)) == "단계별 계산");
    set_language(Lang::Ko);
    CHECK(trf(Str::window_n, 2, 9) == "창 2 / 9");
    set_language(Lang::En);
    CHECK(trf(Str::window_n, 2, 9) == "Window 2 of 9");
    Lang l = Lang::En;
    CHECK(parse_lang("ko", l));
    CHECK(l == Lang::Ko);
    CHECK_FALSE(parse_lang("fr", l));
}

TEST_CASE("strings: the bundled fonts hold every glyph the UI draws") {
    const Font latin = load("DejaVuSans.ttf");
    const Font hangul = load("NanumGothic.ttf");
    SECTION("the math glyphs are in the Latin font itself") {
        for (uint32_t cp : code_points("⌊⌋⌈⌉×−Σ⋆→←▶◀❚…")) {
            INFO(hex(cp));
            CHECK(latin.has(cp));
        }
    }
    SECTION("every string, both languages, and the formulas") {
        std::vector<std::string_view> texts = all_strings();
        texts.push_back(kExtraGlyphs);
        const std::string formula = axis_formula(AxisSpec{64, 7, 2, 1, 2, 2, true});
        texts.push_back(formula);
        for (std::string_view s : texts)
            for (uint32_t cp : code_points(s)) {
                if (cp == '\n') continue;
                INFO(hex(cp) << " in \"" << s << "\"");
                CHECK((latin.has(cp) || hangul.has(cp)));
                if (cp >= 0xAC00 && cp <= 0xD7A3) CHECK(hangul.has(cp));
            }
    }
}

TEST_CASE("tr_error: core's refusal of a stride of 0 or a negative padding, in the current language") {
    Conv2dParams p;
    p.stride = Pair(0, 1);
    auto plan = plan_conv2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, p);
    REQUIRE_FALSE(plan.ok());
    set_language(Lang::En);
    CHECK(tr_error(plan.err()) == plan.error());
    set_language(Lang::Ko);
    CHECK(tr_error(plan.err()) == "스트라이드 값은 1 이상이어야 합니다 (입력: 0,1)");
    // The same Error, rendered again after a switch: no stale text.
    CHECK(tr_error(plan.err(), Lang::En) == "stride must be at least 1, got 0,1");

    p = Conv2dParams{};
    p.padding = Padding(Pair(-1));
    plan = plan_conv2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, p);
    REQUIRE_FALSE(plan.ok());
    CHECK(tr_error(plan.err()) == "패딩은 음수일 수 없습니다 (입력: -1)");
    Pool2dParams q;
    q.kernel = Pair(2);
    q.stride = Pair(-1);
    auto pool = plan_pool2d({1, 1, 4, 4}, q);
    REQUIRE_FALSE(pool.ok());
    CHECK(tr_error(pool.err()).starts_with("스트라이드 값은 1 이상이어야 합니다"));
    // A refusal that used to stay English (no prefix matched it) is Korean now.
    auto big = plan_conv2d({1, 1, 3, 3}, {1, 1, 7, 7}, nullptr, Conv2dParams{});
    REQUIRE_FALSE(big.ok());
    CHECK(tr_error(big.err()).starts_with("커널 7×7"));
    set_language(Lang::En);
}

TEST_CASE("tr_axis_formula: the ceil_mode note in the current language, the math as core wrote it") {
    const AxisSpec a{5, 2, 2, 1, 1, 1, true};  // ceil_mode drops the window that would start in the padding
    const AxisFormula parts = axis_formula_parts(a);
    CHECK(parts.last_window_dropped);
    CHECK(parts.out == 3);
    CHECK(axis_formula(a) ==
          "⌈(5 − 2 + 2×1) / 2⌉ + 1 = ⌈2.5⌉ + 1 − 1 (the last window would start in the padding) = 3");
    set_language(Lang::En);
    CHECK(tr_axis_formula(a) == axis_formula(a));
    set_language(Lang::Ko);
    CHECK(tr_axis_formula(a) ==
          "⌈(5 − 2 + 2×1) / 2⌉ + 1 = ⌈2.5⌉ + 1 − 1 (마지막 창이 패딩에서 시작하므로) = 3");
    // Without the note the two languages agree.
    const AxisSpec b{64, 7, 2, 0, 0, 1, false};
    CHECK_FALSE(axis_formula_parts(b).last_window_dropped);
    CHECK(tr_axis_formula(b) == "⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29");
    set_language(Lang::En);
}

TEST_CASE("same_placeholders: the count, the order and each spec must match") {
    CHECK(same_placeholders("Window {} of {}", "창 {} / {}"));
    CHECK(same_placeholders("{:.1f} steps/s", "초당 {:.1f}단계"));
    CHECK(same_placeholders("{{literal}} {}", "{} {{다른}}"));
    CHECK_FALSE(same_placeholders("Window {} of {}", "창 {}"));
    CHECK_FALSE(same_placeholders("{:.1f} ms", "{} ms"));
    CHECK_FALSE(same_placeholders("{:.2f} {}", "{} {:.2f}"));
    CHECK(placeholder_spec("Zoom {:.0f}%", 0) == ":.0f");
    CHECK(placeholder_spec("Zoom {:.0f}%", 1) == "?");
}

TEST_CASE("strings: both languages of every string hold the same {} placeholders, and none is printf's") {
    for (int i = 0; i < int(Str::count); ++i) {
        const StrTexts& t = kStrTexts[size_t(i)];
        INFO("string " << i << ": \"" << t.en << "\" / \"" << t.ko << "\"");
        CHECK(same_placeholders(t.en, t.ko));
        for (std::string_view text : {t.en, t.ko})
            for (std::string_view printf_spec : {"%s", "%d", "%zu", "%.", "%%"})
                CHECK(text.find(printf_spec) == text.npos);
    }
}

TEST_CASE("trf: every format string renders in both languages, its arguments where its placeholders were") {
    // Each placeholder gets an argument of the kind its spec asks for: a number for `{:.Nf}`, else a marker.
    for (int i = 0; i < int(Str::count); ++i) {
        const StrTexts& t = kStrTexts[size_t(i)];
        const size_t n = count_placeholders(t.en);
        if (n == 0) continue;
        for (std::string_view text : {t.en, t.ko}) {
            INFO("string " << i << ": \"" << text << "\"");
            fmt::dynamic_format_arg_store<fmt::format_context> args;
            std::vector<std::string> markers;
            for (size_t k = 0; k < n; ++k) {
                if (placeholder_spec(text, k).find('f') != std::string_view::npos) {
                    args.push_back(1.25);
                } else {
                    markers.push_back("<" + std::to_string(k) + ">");
                    args.push_back(markers.back());
                }
            }
            std::string out;
            REQUIRE_NOTHROW(out = fmt::vformat(fmt::string_view(text.data(), text.size()), args));
            for (const std::string& m : markers) CHECK(out.find(m) != std::string::npos);
            CHECK(out.find('{') == std::string::npos);
            // A literal percent sign (Zoom 150%) stays one sign, as `%%` printed it.
            CHECK(std::count(out.begin(), out.end(), '%') == std::count(text.begin(), text.end(), '%'));
        }
    }
}

TEST_CASE("trf: precisions, percent signs, sizes and strings as the printf formats printed them") {
    set_language(Lang::En);
    CHECK(trf(Str::img_zoom, 150.0) == "Zoom 150%");
    CHECK(trf(Str::steps_per_s, 2.0) == "2.0 steps/s");
    CHECK(trf(Str::img_time, "simd", 12.345) == "simd: 12.3 ms");
    CHECK(trf(Str::img_computing, 1.5f) == "Computing… 1.5 s");
    CHECK(trf(Str::net_sizes, 0.003, 0.25, 1.0, 1.254) ==
          "Input 0.00 MB · forward/backward pass 0.25 MB · params 1.00 MB · estimated total 1.25 MB (as "
          "torchinfo)");
    CHECK(trf(Str::msg_saved, std::string("/tmp/a b.png")) == "Saved /tmp/a b.png");
    CHECK(trf(Str::window_n, size_t(3), int64_t(9)) == "Window 3 of 9");
    CHECK(trf(Str::msg_recording, 2, 9, "out.gif") ==
          "Recording GIF: window 2 of 9 (Escape cancels) into out.gif");
    CHECK(trf(Lang::Ko, Str::msg_saved, "x.png") == "x.png 저장됨");
    set_language(Lang::Ko);
    CHECK(trf(Str::img_zoom, 150.0) == "확대 150%");
    CHECK(trf(Str::steps_per_s, 2.0) == "초당 2.0단계");
    CHECK(trf(Str::img_computing, 1.5f) == "계산 중… 1.5초");
    CHECK(trf(Str::gif_long, 120, 4, 100) ==
          "이 GIF는 120프레임입니다 (약 4 MB; 슬라이드에는 100프레임이 넘으면 깁니다). 녹화할까요?");
    CHECK(trf(Lang::En, Str::msg_saved, "x.png") == "Saved x.png");
    set_language(Lang::En);
}

namespace {

// A transposed convolution's element with two input channels, the second reached by no cell, and a bias.
Trace channel_left_empty() {
    Trace t;
    t.kind = Op::ConvTranspose;
    TraceTerm term;
    term.c = 0;
    term.x = 1.0f;
    term.w = 2.0f;
    term.acc = 2.0f;
    t.terms = {term};
    t.channels = {0, 1};
    t.channel_sums = {2.0f, 0.0f};
    t.has_bias = true;
    t.bias = 1.0f;
    t.result = 3.0f;
    return t;
}

}  // namespace

TEST_CASE("tr_mac_lines: explain's words in the current language, its numbers as core wrote them") {
    const Trace t = channel_left_empty();
    const auto tokens = explain_tokens(t);
    SECTION("English is explain's text, to the letter") {
        set_language(Lang::En);
        CHECK(tr_mac_lines(tokens) == explain_lines(t));
        CHECK(tr_mac_lines(tokens) == std::vector<std::string>{"channel 0: (1×2) = 2",
                                                               "channel 1: nothing lands here = 0",
                                                               "2 + 0 + bias 1 = 3"});
    }
    SECTION("Korean: the channel label, 'nothing lands here' and the bias translated") {
        set_language(Lang::Ko);
        CHECK(tr_mac_lines(tokens) == std::vector<std::string>{"채널 0: (1×2) = 2",
                                                               "채널 1: 여기에 닿는 곱이 없습니다 = 0",
                                                               "2 + 0 + 편향 1 = 3"});
        set_language(Lang::En);
    }
    SECTION("a truncated trace says so in Korean") {
        Trace pool;
        pool.kind = Op::MaxPool;
        TraceTerm a, b;
        a.x = 1.0f;
        b.x = 3.0f;
        pool.terms = {a, b};
        pool.truncated = true;
        pool.argmax = 1;
        pool.result = 3.0f;
        const auto pool_tokens = explain_tokens(pool);
        set_language(Lang::En);
        const auto en = tr_mac_lines(pool_tokens);
        CHECK(en == explain_lines(pool));
        REQUIRE(en.size() == 1);
        CHECK(en[0].find("(trace truncated)") != std::string::npos);
        set_language(Lang::Ko);
        const auto ko = tr_mac_lines(pool_tokens);
        set_language(Lang::En);
        REQUIRE(ko.size() == 1);
        CHECK(ko[0].find("(기록 생략)") != std::string::npos);
        CHECK(ko[0].find("truncated") == std::string::npos);
        // Only the words differ: the numbers and operators are the same.
        std::string ko_as_en = ko[0];
        ko_as_en.replace(ko_as_en.find("기록 생략"), std::string("기록 생략").size(), "trace truncated");
        CHECK(ko_as_en == en[0]);
    }
}
