// core/filter: the image pipeline against an independent direct computation (every preset, stride, padding,
// padding modes, dilation, colour and grey), the lecture example through a PNG, display mapping, pooling,
// traces.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <optional>

#include "core/image_lab/filter.hpp"
#include "core/image_lab/pixels.hpp"
#include "core/stepper/stepper.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;

namespace {

// Where padded coordinate i (may be outside 0..n-1) reads from, written out from PyTorch's documentation
// rather than taken from core: reflect mirrors without repeating the edge, replicate repeats it, circular
// wraps.
std::optional<int64_t> padded_source(int64_t i, int64_t n, PaddingMode mode) {
    if (i >= 0 && i < n) return i;
    switch (mode) {
        case PaddingMode::Zeros:
            return std::nullopt;
        case PaddingMode::Replicate:
            return i < 0 ? 0 : n - 1;
        case PaddingMode::Circular:
            return ((i % n) + n) % n;
        case PaddingMode::Reflect: {
            while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
            return i;
        }
    }
    return std::nullopt;
}

// Depthwise conv of C×H×W with one kernel, in double, explicit symmetric padding (pt, pl) and (pb, pr).
Tensor direct_conv(const Tensor& x, const Kernel& k, int64_t s, int64_t pt, int64_t pb, int64_t pl,
                   int64_t pr, int64_t d, PaddingMode mode) {
    const int64_t c = x.dim(0), h = x.dim(1), w = x.dim(2);
    const int64_t oh = (h + pt + pb - d * (k.rows - 1) - 1) / s + 1;
    const int64_t ow = (w + pl + pr - d * (k.cols - 1) - 1) / s + 1;
    Tensor y = Tensor::filled({c, oh, ow});
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t oy = 0; oy < oh; ++oy)
            for (int64_t ox = 0; ox < ow; ++ox) {
                double sum = k.offset;
                for (int64_t r = 0; r < k.rows; ++r)
                    for (int64_t q = 0; q < k.cols; ++q) {
                        const auto sy = padded_source(oy * s - pt + r * d, h, mode);
                        const auto sx = padded_source(ox * s - pl + q * d, w, mode);
                        if (!sy || !sx) continue;
                        sum += double(x.data[size_t((ch * h + *sy) * w + *sx)]) *
                               (k.cells[size_t(r * k.cols + q)] / k.divisor);
                    }
                y.data[size_t((ch * oh + oy) * ow + ox)] = float(sum);
            }
    return y;
}

Image photo(int64_t w, int64_t h, int channels, uint32_t seed) {
    Tensor t = testing::random_int_tensor({w * h * channels}, seed, 0, 255);
    Image img{w, h, channels, {}};
    for (float v : t.data) img.pixels.push_back(uint8_t(v));
    return img;
}

}  // namespace

TEST_CASE(
    "apply_filter: every preset, stride, padding, dilation and padding mode against a direct computation") {
    const Image img = photo(9, 8, 3, 42);
    const auto mode = GENERATE(ColorMode::Color, ColorMode::Grey);
    const Tensor x = *image_to_tensor(img, mode);
    struct Setting {
        int64_t stride, pad, dilation;
        PaddingMode pm;
    };
    const Setting settings[] = {
        {1, 0, 1, PaddingMode::Zeros},   {2, 0, 1, PaddingMode::Zeros},     {1, 1, 1, PaddingMode::Zeros},
        {2, 2, 1, PaddingMode::Reflect}, {1, 1, 1, PaddingMode::Replicate}, {3, 1, 1, PaddingMode::Circular},
        {1, 1, 2, PaddingMode::Zeros},   {2, 2, 2, PaddingMode::Reflect},
    };
    for (const PresetInfo& p : kernel_presets()) {
        Kernel k = *make_preset(p.id);
        if (k.rows > 5) REQUIRE(resize_kernel(k, 5, 5).ok());  // motion blur 9 does not fit the 8-row image
        for (const Setting& st : settings) {
            if (st.dilation * (k.rows - 1) + 1 > 8 + 2 * st.pad) continue;
            if (st.pm == PaddingMode::Reflect && st.pad >= 8) continue;
            ConvFilter spec;
            spec.kernel = k;
            spec.conv.stride = st.stride;
            spec.conv.padding = st.pad;
            spec.conv.dilation = st.dilation;
            spec.conv.padding_mode = st.pm;
            INFO(p.id << " stride " << st.stride << " pad " << st.pad << " dilation " << st.dilation
                      << " mode " << to_string(st.pm) << (mode == ColorMode::Grey ? " grey" : " colour"));
            // Compute reference
            const Tensor expected =
                direct_conv(x, k, st.stride, st.pad, st.pad, st.pad, st.pad, st.dilation, st.pm);
            // Run backend
            auto y = apply_filter(x, spec, reference_backend());
            REQUIRE(y.ok());
            // Verify
            CHECK(testing::mismatch(expected, *y, 1e-5f, 1e-3f) == "");
        }
    }
}

TEST_CASE("apply_filter: padding same keeps the size, also for an even kernel and with an offset") {
    const Tensor x = *image_to_tensor(photo(7, 6, 1, 3), ColorMode::Color);
    Kernel k = *parse_kernel_text("1 2\n3 4\ndivisor 10\noffset 7\n");
    ConvFilter spec;
    spec.kernel = k;
    spec.conv.padding = Padding::same();
    auto y = apply_filter(x, spec, reference_backend());
    REQUIRE(y.ok());
    CHECK(y->shape == Shape{1, 6, 7});
    // PyTorch pads an even kernel's extra row/column at the bottom/right.
    CHECK(testing::mismatch(direct_conv(x, k, 1, 0, 1, 0, 1, 1, PaddingMode::Zeros), *y, 1e-5f, 1e-3f) == "");
}

TEST_CASE("filter_image: the lecture example through a PNG gives [[8,9,8],[8,5,9],[6,5,5]]") {
    const Image in{5, 5, 1, {1, 2, 3, 0, 1, 0, 1, 5, 1, 0, 1, 0, 2, 2, 1, 1, 1, 2, 0, 0, 1, 0, 1, 1, 1}};
    auto decoded = decode_image(*encode_png(in));
    REQUIRE(decoded.ok());
    ConvFilter spec;
    spec.kernel = *parse_kernel_text("1 0 1\n0 1 0\n1 0 1\n");
    auto out = filter_image(*decoded, ColorMode::Grey, spec, DisplayMap::Clamp, reference_backend());
    REQUIRE(out.ok());
    CHECK(out->width == 3);
    CHECK(out->height == 3);
    CHECK(out->pixels == std::vector<uint8_t>{8, 9, 8, 8, 5, 9, 6, 5, 5});

    SECTION("and explains the first output exactly as the lecture writes it") {
        const Tensor x = *image_to_tensor(*decoded, ColorMode::Grey);
        auto trace = trace_filter(x, spec, 0, 0, 0);
        REQUIRE(trace.ok());
        CHECK(explain_lines(*trace) ==
              std::vector<std::string>{
                  "(1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8"});
    }
}

TEST_CASE(
    "to_display: rounded to nearest (ties to even), then clamp, abs, normalize, or abs scaled to the "
    "largest") {
    const Tensor y({1, 1, 8}, {-300.0f, -0.5f, 0.5f, 1.5f, 2.5f, 254.5f, 255.5f, 1000.0f});
    CHECK(to_display(y, DisplayMap::Clamp)->pixels == std::vector<uint8_t>{0, 0, 0, 2, 2, 254, 255, 255});
    CHECK(to_display(y, DisplayMap::Abs)->pixels == std::vector<uint8_t>{255, 0, 0, 2, 2, 254, 255, 255});
    // |v| / 1000 · 255: 76.5 → 76 (ties to even), 2.5 → 0.6375 → 1, 254.5 → 64.9 → 65.
    CHECK(to_display(y, DisplayMap::AbsScaled)->pixels == std::vector<uint8_t>{76, 0, 0, 0, 1, 65, 65, 255});
    SECTION("abs scaled: a Laplacian of Gaussian's small values still reach white, the sign is dropped") {
        const Tensor log({1, 1, 5}, {-12.0f, -3.0f, 0.0f, 6.0f, 1.5f});
        CHECK(to_display(log, DisplayMap::AbsScaled)->pixels == std::vector<uint8_t>{255, 64, 0, 128, 32});
        CHECK(to_display(log, DisplayMap::Abs)->pixels ==
              std::vector<uint8_t>{12, 3, 0, 6, 2});  // near black
        CHECK(to_display(Tensor({1, 1, 2}, {0.0f, 0.0f}), DisplayMap::AbsScaled)->pixels ==
              std::vector<uint8_t>{0, 0});
    }
    const Tensor z({1, 1, 3}, {-10.0f, 0.0f, 10.0f});
    CHECK(to_display(z, DisplayMap::Normalize)->pixels == std::vector<uint8_t>{0, 128, 255});
    const Tensor flat({1, 1, 2}, {3.0f, 3.0f});
    CHECK(to_display(flat, DisplayMap::Normalize)->pixels == std::vector<uint8_t>{0, 0});
    SECTION("colour is interleaved back, normalized over all channels together") {
        const Tensor c({3, 1, 1}, {0.0f, 50.0f, 100.0f});
        auto img = to_display(c, DisplayMap::Normalize);
        REQUIRE(img.ok());
        CHECK(img->channels == 3);
        CHECK(img->pixels == std::vector<uint8_t>{0, 128, 255});
    }
    CHECK_FALSE(to_display(Tensor({2, 1, 1}, {0, 0}), DisplayMap::Clamp).ok());
    SECTION("one value at a time, as the explain panel shows it") {
        const ValueRange r = finite_range(Tensor({1, 1, 4}, {-10.0f, NAN, INFINITY, 10.0f}));
        CHECK(r.lo == -10.0f);
        CHECK(r.hi == 10.0f);
        CHECK(display_value(0.0f, DisplayMap::Normalize, r) == 128);
        CHECK(display_value(-7.5f, DisplayMap::Abs) == 8);
        CHECK(display_value(-7.5f, DisplayMap::AbsScaled, r) == 191);  // 7.5 / 10 · 255 = 191.25
        CHECK(display_value(300.0f, DisplayMap::Clamp) == 255);
        CHECK(display_value(NAN, DisplayMap::Clamp) == 0);
    }
    SECTION("every quarter from −600 to 600, the ties beside each integer and ±inf round as nearbyint") {
        // The rule the display keeps (torch.round: ties to even), pinned beside each tie.
        const auto expected = [](float v, bool abs) {
            float r = std::nearbyint(v);
            if (abs) r = std::fabs(r);
            return uint8_t(std::clamp(r, 0.0f, 255.0f));
        };
        std::vector<float> values{INFINITY, -INFINITY, 1e30f, -1e30f, 8388607.5f, -4194304.5f};
        for (int q = -2400; q <= 2400; ++q) values.push_back(float(q) / 4.0f);
        for (int i = -600; i <= 600; ++i)
            for (float d : {-0.5f, 0.5f}) values.push_back(std::nextafter(float(i) + d, 0.0f));
        for (float v : values) {
            INFO("v = " << v);
            CHECK(display_value(v, DisplayMap::Clamp) == expected(v, false));
            CHECK(display_value(v, DisplayMap::Abs) == expected(v, true));
        }
    }
    CHECK(parse_display_map("abs").value() == DisplayMap::Abs);
    CHECK(parse_display_map("abs-scaled").value() == DisplayMap::AbsScaled);
    CHECK_FALSE(parse_display_map("log").ok());
}

TEST_CASE("planes_to_bytes equals display_value on every map; bytes_to_planes spreads the channels") {
    // Every quarter, the ties beside each integer and the specials, in an odd count so that each cloned
    // loop's vector body and its remainder both run.
    std::vector<float> values{NAN,         -NAN,        INFINITY,   -INFINITY,  1e30f,      -1e30f,
                              0.0f,        -0.0f,       4194303.5f, 4194304.5f, 8388607.5f, 12582912.0f,
                              16777217.0f, -4194304.5f, 254.5f,     255.5f};
    for (int q = -1200; q <= 1200; ++q) values.push_back(float(q) / 4.0f);
    for (int i = -300; i <= 300; ++i)
        for (float d : {-0.5f, 0.5f}) values.push_back(std::nextafter(float(i) + d, 0.0f));
    if (values.size() % 2 == 0) values.push_back(127.5f);
    const int64_t n = int64_t(values.size());
    std::vector<float> reversed(values.rbegin(), values.rend()), shifted(values);
    std::rotate(shifted.begin(), shifted.begin() + 17, shifted.end());
    struct Case {
        DisplayMap map;
        ValueRange range;
    };
    const Case cases[] = {{DisplayMap::Clamp, {}},
                          {DisplayMap::Abs, {}},
                          {DisplayMap::Normalize, {-10.0f, 300.0f}},
                          {DisplayMap::Normalize, finite_range(Tensor({n}, values))},
                          {DisplayMap::Normalize, {-3e38f, 3e38f}},  // the span overflows to ∞
                          {DisplayMap::Normalize, {7.0f, 7.0f}},     // flat: every pixel 0
                          {DisplayMap::AbsScaled, {-5.0f, 3.0f}},
                          {DisplayMap::AbsScaled, {0.0f, 0.0f}}};
    for (const Case& c : cases) {
        std::vector<uint8_t> grey(static_cast<size_t>(n)), rgb(static_cast<size_t>(3 * n));
        const float* one[1] = {values.data()};
        planes_to_bytes(one, 1, n, c.map, c.range, grey.data());
        const float* three[3] = {values.data(), reversed.data(), shifted.data()};
        planes_to_bytes(three, 3, n, c.map, c.range, rgb.data());
        for (int64_t i = 0; i < n; ++i) {
            INFO(to_string(c.map) << " over " << c.range.lo << " … " << c.range.hi
                                  << ", v = " << values[size_t(i)]);
            CHECK(grey[size_t(i)] == display_value(values[size_t(i)], c.map, c.range));
            CHECK(rgb[size_t(3 * i)] == display_value(values[size_t(i)], c.map, c.range));
            CHECK(rgb[size_t(3 * i + 1)] == display_value(reversed[size_t(i)], c.map, c.range));
            CHECK(rgb[size_t(3 * i + 2)] == display_value(shifted[size_t(i)], c.map, c.range));
        }
    }
    // The range over pieces on every thread: ±inf and NaN left out wherever they fall.
    std::vector<float> big(700001, 1.0f);
    big[3] = -INFINITY, big[400000] = INFINITY, big[5] = NAN, big[699999] = -2.5f, big[262144] = 9.0f;
    const ValueRange spread = finite_range(Tensor({int64_t(big.size())}, big));
    CHECK(spread.lo == -2.5f);
    CHECK(spread.hi == 9.0f);
    CHECK(finite_range(Tensor({3}, {NAN, INFINITY, -INFINITY})).lo == 0.0f);  // none: {0, 0}
    // to_display goes through it for these maps, interleaving a colour tensor's planes.
    const Tensor t({3, 1, n}, [&] {
        std::vector<float> d(values);
        d.insert(d.end(), reversed.begin(), reversed.end());
        d.insert(d.end(), shifted.begin(), shifted.end());
        return d;
    }());
    auto shown = to_display(t, DisplayMap::Clamp);
    REQUIRE(shown);
    for (int64_t i = 0; i < 3 * n; ++i)
        CHECK(shown->pixels[size_t(i)] ==
              display_value(t.data[size_t((i % 3) * n + i / 3)], DisplayMap::Clamp));

    const int64_t m = 1001;
    const Tensor bytes = testing::random_int_tensor({3 * m}, 11, 0, 255);
    std::vector<uint8_t> src;
    for (float v : bytes.data) src.push_back(uint8_t(v));
    std::vector<float> r(static_cast<size_t>(m)), g(r), b(r), y(static_cast<size_t>(3 * m));
    float* planes[3] = {r.data(), g.data(), b.data()};
    bytes_to_planes(src.data(), 3, m, planes);
    float* grey_plane[1] = {y.data()};
    bytes_to_planes(src.data(), 1, 3 * m, grey_plane);
    for (int64_t x = 0; x < m; ++x) {
        CHECK(r[size_t(x)] == float(src[size_t(3 * x)]));
        CHECK(g[size_t(x)] == float(src[size_t(3 * x + 1)]));
        CHECK(b[size_t(x)] == float(src[size_t(3 * x + 2)]));
    }
    CHECK(y == bytes.data);
}

TEST_CASE("apply_filter: max and average pooling on the image, per channel") {
    const Tensor x({2, 2, 4}, {1, 5, 2, 0, 3, 4, 8, 6,  //
                               10, 20, 30, 40, 50, 60, 70, 80});
    PoolFilter spec;
    spec.pool.op = Op::MaxPool;
    spec.pool.kernel = 2;
    auto y = apply_filter(x, spec, reference_backend());
    REQUIRE(y.ok());
    CHECK(y->shape == Shape{2, 1, 2});
    CHECK(y->data == std::vector<float>{5, 8, 60, 80});
    spec.pool.op = Op::AvgPool;
    y = apply_filter(x, spec, reference_backend());
    REQUIRE(y.ok());
    CHECK(y->data == std::vector<float>{3.25f, 4, 35, 55});
    auto t = trace_filter(x, spec, 1, 0, 1);
    REQUIRE(t.ok());
    CHECK(t->result == 55.0f);
    CHECK(explain_lines(*t).back() == "(30 + 40 + 70 + 80) / 4 = 55");
}

TEST_CASE("filter_geometry: the output shape and formula the view shows") {
    ConvFilter spec;
    spec.kernel = *kernel_from_name("gaussian9");
    spec.conv.stride = 2;
    auto g = filter_geometry({1, 512, 512}, spec);
    REQUIRE(g.ok());
    CHECK(g->output == Shape{1, 252, 252});
    CHECK(axis_formula(g->h) == "⌊(512 − 9 + 2×0) / 2⌋ + 1 = ⌊251.5⌋ + 1 = 252");
    spec.conv.padding = Padding::same();
    auto bad = filter_geometry({3, 512, 512}, spec);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error(), Catch::Contains("stride 1"));
    spec.conv.padding = 0;
    spec.conv.stride = 1;
    auto small = filter_geometry({3, 4, 4}, spec);
    REQUIRE_FALSE(small.ok());
    CHECK_THAT(small.error(), Catch::Contains("larger than the padded input"));
}

TEST_CASE("trace_filter: replaying the trace gives the backend's output, colour channel by channel") {
    const Tensor x = *image_to_tensor(photo(6, 5, 3, 7), ColorMode::Color);
    ConvFilter spec;
    spec.kernel = *kernel_from_name("gaussian3");
    spec.kernel.offset = 2;
    spec.conv.padding = 1;
    spec.conv.padding_mode = PaddingMode::Reflect;
    auto y = apply_filter(x, spec, reference_backend());
    REQUIRE(y.ok());
    for (int64_t c = 0; c < 3; ++c) {
        auto t = trace_filter(x, spec, c, 0, 4);
        REQUIRE(t.ok());
        CHECK(t->terms.size() == 9);
        CHECK(t->result == y->data[size_t((c * 5 + 0) * 6 + 4)]);
        CHECK(replay(*t) == t->result);
        CHECK(t->has_bias);
    }
}

TEST_CASE("stepper_neighbourhood: a small problem whose explained window gives the full result's value") {
    const Tensor x = *image_to_tensor(photo(12, 10, 3, 5), ColorMode::Color);
    struct Case {
        const char* name;
        Op op;
        int64_t stride, pad, dilation;
        PaddingMode mode;
    };
    const Case cases[] = {
        {"sobel-x", Op::Conv, 1, 1, 1, PaddingMode::Zeros},
        {"emboss", Op::Conv, 2, 1, 1, PaddingMode::Reflect},
        {"box3", Op::Conv, 1, 2, 2, PaddingMode::Circular},
        {"", Op::MaxPool, 2, 1, 1, PaddingMode::Zeros},
        {"", Op::AvgPool, 2, 1, 1, PaddingMode::Zeros},
    };
    for (const Case& cs : cases) {
        FilterSpec spec;
        if (cs.op == Op::Conv) {
            ConvFilter& f = spec.operation.emplace<ConvFilter>();
            f.kernel = *kernel_from_name(cs.name);
            f.kernel.offset = 3;
            f.conv.stride = cs.stride;
            f.conv.padding = cs.pad;
            f.conv.dilation = cs.dilation;
            f.conv.padding_mode = cs.mode;
        } else {
            PoolFilter& f = spec.operation.emplace<PoolFilter>();
            f.pool.op = cs.op;
            f.pool.kernel = 3;
            f.pool.stride = cs.stride;
            f.pool.padding = cs.pad;
        }
        CHECK(spec.op() == cs.op);
        const Tensor y = *apply_filter(x, spec, reference_backend());
        // Every corner (padding reached) and an inner pixel, on each channel.
        for (int64_t c = 0; c < 3; ++c)
            for (auto [oy, ox] : {std::pair<int64_t, int64_t>{0, 0}, {y.dim(1) - 1, y.dim(2) - 1}, {2, 3}}) {
                INFO(cs.name << " op " << int(cs.op) << " channel " << c << " at " << oy << "," << ox);
                auto nb = stepper_neighbourhood(x, spec, c, oy, ox, 1, 24, 7);
                REQUIRE(nb.ok());
                auto solved = solve_stepper(nb->problem);
                REQUIRE(solved.ok());
                CHECK(solved->output.shape[0] == 1);
                CHECK(solved->output.data[size_t(nb->window)] ==
                      y.data[size_t((c * y.dim(1) + oy) * y.dim(2) + ox)]);
            }
    }
    SECTION("too large for the stepper") {
        ConvFilter spec;
        spec.kernel = *kernel_from_name("box9");
        auto nb = stepper_neighbourhood(x, spec, 0, 0, 0, 1, 24, 7);
        REQUIRE_FALSE(nb.ok());
        CHECK_THAT(nb.error(), Catch::Contains("up to 7×7"));
    }
}
