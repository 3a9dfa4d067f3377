// core/image_*.cpp, the decoders behind decode_image: valid files give the pixels the system stb_image gave
// before (PNG in every colour type, depth and interlacing; BMP, TGA, GIF; JPEG within a small tolerance),
// and hostile files (tests/data/hostile/, and truncations of every format made here) are readable errors
// within seconds, never a crash, a hang or a picture with zeros.
#include <gif_lib.h>
#include <png.h>
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csetjmp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/io/image.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Bytes hostile(const std::string& name) {
    return read_bytes(testing::source_path("tests/data/hostile/" + name));
}

// What the system stb_image (Debian's libstb, the decoder used before) gives, with alpha dropped the way
// decode_image drops it; an empty image when it refuses the file.
Image stb_reference(const Bytes& b) {
    int w = 0, h = 0, c = 0;
    stbi_uc* px = stbi_load_from_memory(b.data(), int(b.size()), &w, &h, &c, 0);
    if (!px) return {};
    Image img{w, h, c >= 3 ? 3 : 1, {}};
    for (int64_t i = 0; i < int64_t(w) * h; ++i)
        for (int k = 0; k < img.channels; ++k) img.pixels.push_back(px[i * c + k]);
    stbi_image_free(px);
    return img;
}

void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<Bytes*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

// Replicable noise: the hardest case for a decoder to get right by accident.
std::vector<uint8_t> noise(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    for (uint8_t& x : v) x = uint8_t(rng());
    return v;
}

// [SECTION] Writers for test files

struct PngWriter {
    Bytes out;
    std::jmp_buf jump;
};

void png_write_cb(png_structp png, png_bytep data, size_t n) {
    auto* w = static_cast<PngWriter*>(png_get_io_ptr(png));
    w->out.insert(w->out.end(), data, data + n);
}
void png_flush_cb(png_structp) {}
[[noreturn]] void png_error_cb(png_structp png, png_const_charp) {
    std::longjmp(static_cast<PngWriter*>(png_get_error_ptr(png))->jump, 1);
}

// A PNG of any colour type and bit depth with random samples (palette indices below `palette` entries),
// optionally Adam7-interlaced and with a tRNS chunk.
Bytes make_png(uint32_t w, uint32_t h, int color_type, int depth, bool interlaced, bool trns, uint32_t seed) {
    static PngWriter writer;  // outside the setjmp frame: see core/io/image_png.cpp
    writer.out.clear();
    const int channels = color_type == PNG_COLOR_TYPE_GRAY         ? 1
                         : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                         : color_type == PNG_COLOR_TYPE_RGB        ? 3
                         : color_type == PNG_COLOR_TYPE_RGBA       ? 4
                                                                   : 1;
    const size_t rowbytes = (size_t(w) * channels * depth + 7) / 8;
    static std::vector<uint8_t> pixels;
    static std::vector<png_bytep> rows;
    pixels = noise(rowbytes * h, seed);
    const int palette_size = 1 << std::min(depth, 4);
    if (color_type == PNG_COLOR_TYPE_PALETTE && depth == 8)
        for (uint8_t& p : pixels) p = uint8_t(p % palette_size);  // keep indices inside the palette
    rows.resize(h);
    for (uint32_t y = 0; y < h; ++y) rows[y] = pixels.data() + y * rowbytes;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer, png_error_cb, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(writer.jump)) {
        png_destroy_write_struct(&png, &info);
        FAIL("libpng could not write the test file");
    }
    png_set_write_fn(png, &writer, png_write_cb, png_flush_cb);
    png_set_IHDR(png, info, w, h, depth, color_type, interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_color> palette;
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        for (int i = 0; i < palette_size; ++i)
            palette.push_back(png_color{uint8_t(i * 37), uint8_t(255 - i * 11), uint8_t(i * 91)});
        png_set_PLTE(png, info, palette.data(), palette_size);
    }
    png_byte alphas[16];
    png_color_16 key{};
    if (trns) {
        for (int i = 0; i < 16; ++i) alphas[i] = uint8_t(i * 17);
        key.gray = 1;
        key.red = key.green = key.blue = 2;
        if (color_type == PNG_COLOR_TYPE_PALETTE)
            png_set_tRNS(png, info, alphas, std::min(palette_size, 16), nullptr);
        else if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_RGB)
            png_set_tRNS(png, info, nullptr, 0, &key);
    }
    png_write_info(png, info);
    png_write_image(png, rows.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return writer.out;
}

int gif_write_cb(GifFileType* gif, const GifByteType* data, int n) {
    auto* out = static_cast<Bytes*>(gif->UserData);
    out->insert(out->end(), data, data + n);
    return n;
}

struct GifSpec {
    int screen_w = 20, screen_h = 12;
    int left = 0, top = 0, w = 20, h = 12;
    bool interlaced = false;
    int transparent = -1;  // colour index, or -1
    int background = 0;
    bool local_map = false;
    bool second_frame = true;
    uint32_t seed = 1;
};

// A GIF with one frame of random 16-colour indices (rows in interlaced pass order when asked) and a second
// frame that the decoder must ignore.
Bytes make_gif(const GifSpec& s) {
    Bytes out;
    int err = 0;
    GifFileType* gif = EGifOpen(&out, gif_write_cb, &err);
    REQUIRE(gif);
    GifColorType colours[16];
    for (int i = 0; i < 16; ++i)
        colours[i] = GifColorType{uint8_t(i * 16), uint8_t(200 - i * 9), uint8_t(i * 5)};
    ColorMapObject* global = GifMakeMapObject(16, colours);
    for (int i = 0; i < 16; ++i) std::swap(colours[i].Red, colours[i].Blue);
    ColorMapObject* local = GifMakeMapObject(16, colours);
    EGifSetGifVersion(gif, true);
    REQUIRE(EGifPutScreenDesc(gif, s.screen_w, s.screen_h, 8, s.background, global) == GIF_OK);
    if (s.transparent >= 0) {
        const GifByteType gce[4] = {0x01, 0, 0, GifByteType(s.transparent)};
        REQUIRE(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, gce) == GIF_OK);
    }
    REQUIRE(EGifPutImageDesc(gif, s.left, s.top, s.w, s.h, s.interlaced, s.local_map ? local : nullptr) ==
            GIF_OK);
    const std::vector<uint8_t> px = noise(size_t(s.w) * s.h, s.seed);
    std::vector<int> order;
    if (s.interlaced) {
        const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        for (int p = 0; p < 4; ++p)
            for (int y = start[p]; y < s.h; y += step[p]) order.push_back(y);
    } else {
        for (int y = 0; y < s.h; ++y) order.push_back(y);
    }
    std::vector<GifPixelType> line(size_t(s.w));
    for (int y : order) {
        for (int x = 0; x < s.w; ++x) line[size_t(x)] = GifPixelType(px[size_t(y) * s.w + x] % 16);
        REQUIRE(EGifPutLine(gif, line.data(), s.w) == GIF_OK);
    }
    if (s.second_frame) {  // all colour 3: decode_image shows the first frame only
        // The same local table again: giflib 5.2 leaks the previous frame's table when given none.
        REQUIRE(EGifPutImageDesc(gif, 0, 0, s.screen_w, s.screen_h, false, s.local_map ? local : nullptr) ==
                GIF_OK);
        std::vector<GifPixelType> three(size_t(s.screen_w), 3);
        for (int y = 0; y < s.screen_h; ++y) REQUIRE(EGifPutLine(gif, three.data(), s.screen_w) == GIF_OK);
    }
    REQUIRE(EGifCloseFile(gif, &err) == GIF_OK);
    GifFreeMapObject(global);
    GifFreeMapObject(local);
    return out;
}

Bytes prefix(const Bytes& b, size_t n) {
    return Bytes(b.begin(), b.begin() + long(std::min(n, b.size())));
}

// decode_image must refuse `b` quickly with a message containing `what`.
void check_refused(const Bytes& b, const std::string& what) {
    const auto start = std::chrono::steady_clock::now();
    auto r = decode_image(b);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains(what));
    CHECK_THAT(r.error(), !Catch::Contains("stb"));
    CHECK(seconds < 2.0);
}

}  // namespace

TEST_CASE("decode_image: PNG in every colour type, bit depth and interlacing gives stb_image's pixels") {
    struct Case {
        int type, depth;
    };
    const Case cases[] = {
        {PNG_COLOR_TYPE_GRAY, 1},        {PNG_COLOR_TYPE_GRAY, 2},    {PNG_COLOR_TYPE_GRAY, 4},
        {PNG_COLOR_TYPE_GRAY, 8},        {PNG_COLOR_TYPE_GRAY, 16},   {PNG_COLOR_TYPE_RGB, 8},
        {PNG_COLOR_TYPE_RGB, 16},        {PNG_COLOR_TYPE_PALETTE, 1}, {PNG_COLOR_TYPE_PALETTE, 2},
        {PNG_COLOR_TYPE_PALETTE, 4},     {PNG_COLOR_TYPE_PALETTE, 8}, {PNG_COLOR_TYPE_GRAY_ALPHA, 8},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 16}, {PNG_COLOR_TYPE_RGBA, 8},    {PNG_COLOR_TYPE_RGBA, 16}};
    uint32_t seed = 0;
    for (const Case& c : cases)
        for (bool interlaced : {false, true})
            for (bool trns : {false, true}) {
                const Bytes png = make_png(13, 7, c.type, c.depth, interlaced, trns, ++seed);
                INFO("colour type " << c.type << ", depth " << c.depth << (interlaced ? ", interlaced" : "")
                                    << (trns ? ", tRNS" : ""));
                const Image expected = stb_reference(png);
                REQUIRE(expected.width == 13);
                auto got = decode_image(png);
                REQUIRE(got.ok());
                CHECK(*got == expected);
            }
}

TEST_CASE("decode_image: BMP, TGA, GIF and the bundled photos give stb_image's pixels, JPEG stays close") {
    SECTION("the bundled photos and the fuzz seeds") {
        for (const char* path : {"assets/camera.png", "assets/chelsea.png", "tests/data/filter/input.png",
                                 "tests/fuzz/corpus/image/rgb.bmp", "tests/fuzz/corpus/image/rgb.tga",
                                 "tests/fuzz/corpus/image/rgb.gif", "tests/fuzz/corpus/image/rgb.png",
                                 "tests/fuzz/corpus/image/rgba.png", "tests/fuzz/corpus/image/gray8.png"}) {
            INFO(path);
            const Bytes b = read_bytes(testing::source_path(path));
            auto got = decode_image(b);
            REQUIRE(got.ok());
            CHECK(*got == stb_reference(b));
        }
    }
    SECTION("BMP and TGA, grey and colour, with and without run-length coding") {
        const std::vector<uint8_t> px = noise(31 * 9 * 4, 7);
        for (int channels : {1, 3, 4}) {
            INFO(channels << " channels");
            Bytes bmp, tga, tga_raw;
            REQUIRE(stbi_write_bmp_to_func(append_bytes, &bmp, 31, 9, channels, px.data()));
            REQUIRE(stbi_write_tga_to_func(append_bytes, &tga, 31, 9, channels, px.data()));
            stbi_write_tga_with_rle = 0;
            REQUIRE(stbi_write_tga_to_func(append_bytes, &tga_raw, 31, 9, channels, px.data()));
            stbi_write_tga_with_rle = 1;
            for (const Bytes* b : {&bmp, &tga, &tga_raw}) {
                auto got = decode_image(*b);
                REQUIRE(got.ok());
                CHECK(*got == stb_reference(*b));
            }
        }
    }
    SECTION("GIF: interlaced, transparent, a local colour table, a frame smaller than the screen") {
        GifSpec plain;
        GifSpec interlaced;
        interlaced.interlaced = true;
        interlaced.h = interlaced.screen_h = 19;
        GifSpec transparent;
        transparent.transparent = 5;
        GifSpec local;
        local.local_map = true;
        GifSpec inset;  // background index 0: the uncovered pixels stay black
        inset.left = 3, inset.top = 2, inset.w = 9, inset.h = 6;
        for (const GifSpec* s : {&plain, &interlaced, &transparent, &local, &inset}) {
            const Bytes gif = make_gif(*s);
            auto got = decode_image(gif);
            REQUIRE(got.ok());
            CHECK(got->channels == 3);
            CHECK(*got == stb_reference(gif));
        }
    }
    SECTION("GIF: a frame smaller than the screen with a background colour above index 0") {
        // stb_image swapped red and blue in the background; the colour table's own order is kept here.
        GifSpec s;
        s.left = 4, s.top = 3, s.w = 5, s.h = 4, s.background = 2;
        auto got = decode_image(make_gif(s));
        REQUIRE(got.ok());
        const uint8_t* corner = got->pixels.data();
        CHECK(std::vector<uint8_t>(corner, corner + 3) == std::vector<uint8_t>{32, 182, 10});
    }
    SECTION("JPEG (libjpeg-turbo) within 3 levels of stb_image's own decoder") {
        // A smooth colour gradient, so the two decoders' rounding is all that differs.
        std::vector<uint8_t> px;
        for (int y = 0; y < 24; ++y)
            for (int x = 0; x < 40; ++x)
                for (int c : {x * 6, y * 10, 255 - x * 6}) px.push_back(uint8_t(c));
        for (int quality : {50, 90, 100}) {
            Bytes jpg;
            REQUIRE(stbi_write_jpg_to_func(append_bytes, &jpg, 40, 24, 3, px.data(), quality));
            const Image expected = stb_reference(jpg);
            auto got = decode_image(jpg);
            REQUIRE(got.ok());
            REQUIRE(got->pixels.size() == expected.pixels.size());
            int worst = 0;
            for (size_t i = 0; i < expected.pixels.size(); ++i)
                worst = std::max(worst, std::abs(int(got->pixels[i]) - int(expected.pixels[i])));
            INFO("quality " << quality);
            CHECK(worst <= 3);
        }
        const Bytes grey = read_bytes(testing::source_path("tests/fuzz/corpus/image/rgb.jpg"));
        auto got = decode_image(grey);
        REQUIRE(got.ok());
        CHECK(got->width == 6);
        CHECK(got->height == 4);
    }
    SECTION("a top-down BMP (negative height) reads the right way up") {
        const std::vector<uint8_t> px = noise(5 * 3 * 3, 3);
        Bytes bmp;
        REQUIRE(stbi_write_bmp_to_func(append_bytes, &bmp, 5, 3, 3, px.data()));
        // Flip the rows in the file and negate the height: the same picture.
        Bytes flipped = bmp;
        const size_t offset = 54, row = 16;  // 5 × 3 bytes padded to 16
        for (size_t y = 0; y < 3; ++y)
            std::copy_n(bmp.begin() + long(offset + (2 - y) * row), row,
                        flipped.begin() + long(offset + y * row));
        const int32_t neg = -3;
        std::memcpy(flipped.data() + 22, &neg, 4);
        auto a = decode_image(bmp), b = decode_image(flipped);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        CHECK(*a == *b);
    }
    SECTION("16-bit PNM keeps the high byte of each big-endian sample") {
        const std::string p5 = std::string("P5\n2 1\n65535\n") + std::string("\x12\x34\xAB\xCD", 4);
        auto got = decode_image(Bytes(p5.begin(), p5.end()));
        REQUIRE(got.ok());
        CHECK(got->pixels == std::vector<uint8_t>{0x12, 0xAB});
    }
}

TEST_CASE("decode_image: hostile files are errors within seconds") {
    SECTION("a truncated Softimage PIC (117 bytes; crashed the system stb_image) is refused by its magic") {
        const Bytes pic = hostile("truncated.pic");
        REQUIRE(pic.size() == 117);
        check_refused(pic, "Softimage PIC");
    }
    SECTION("a Radiance HDR with a zero-length run (50 bytes; stb_image looped forever) is refused") {
        const Bytes hdr = hostile("zero_run.hdr");
        REQUIRE(hdr.size() == 50);
        check_refused(hdr, "Radiance HDR");
    }
    SECTION("PSD, TIFF, WebP and the text PNM formats are named and refused") {
        check_refused({'8', 'B', 'P', 'S', 0, 1, 0, 0, 0, 0, 0, 0}, "Photoshop PSD");
        check_refused({'I', 'I', '*', 0, 8, 0, 0, 0}, "TIFF");
        check_refused({'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}, "WebP");
        check_refused({'P', '3', '\n', '1', ' ', '1', '\n'}, "PNM");
    }
    SECTION("the committed truncated BMP, TGA, GIF, PNG and JPEG") {
        for (const char* name :
             {"truncated.bmp", "truncated.tga", "truncated.gif", "truncated.png", "truncated.jpg"}) {
            INFO(name);
            check_refused(hostile(name), "ends before");
        }
    }
    SECTION("every cut of a BMP, TGA (raw and run-length coded), GIF, PNG and JPEG is an error") {
        const std::vector<uint8_t> px = noise(40 * 30 * 3, 11);
        Bytes bmp, tga, tga_raw, jpg;
        REQUIRE(stbi_write_bmp_to_func(append_bytes, &bmp, 40, 30, 3, px.data()));
        REQUIRE(stbi_write_tga_to_func(append_bytes, &tga, 40, 30, 3, px.data()));
        stbi_write_tga_with_rle = 0;
        REQUIRE(stbi_write_tga_to_func(append_bytes, &tga_raw, 40, 30, 3, px.data()));
        stbi_write_tga_with_rle = 1;
        REQUIRE(stbi_write_jpg_to_func(append_bytes, &jpg, 40, 30, 3, px.data(), 90));
        GifSpec one_frame;
        one_frame.screen_w = one_frame.w = 40;
        one_frame.screen_h = one_frame.h = 30;
        one_frame.second_frame = false;
        Bytes gif = make_gif(one_frame);
        Bytes png = *encode_png(Image{40, 30, 3, px});
        struct Named {
            const char* name;
            const Bytes* bytes;
            size_t keep;  // bytes that may be dropped from the end without losing a pixel
        };
        // The GIF's trailer byte and the JPEG's end-of-image marker carry no pixel; every other byte does.
        for (const Named& n :
             {Named{"BMP", &bmp, 0}, Named{"TGA (RLE)", &tga, 0}, Named{"TGA (raw)", &tga_raw, 0},
              Named{"PNG", &png, 0}, Named{"JPEG", &jpg, 2}, Named{"GIF", &gif, 1}}) {
            const size_t end = n.bytes->size() - n.keep;
            REQUIRE(decode_image(*n.bytes).ok());
            for (size_t cut = 1; cut < end; cut += std::max<size_t>(1, end / 97)) {
                INFO(n.name << " cut to " << cut << " of " << n.bytes->size() << " bytes");
                CHECK_FALSE(decode_image(prefix(*n.bytes, cut)).ok());
            }
            INFO(n.name << " without its last byte of pixel data");
            CHECK_FALSE(decode_image(prefix(*n.bytes, end - 1)).ok());
        }
    }
    SECTION("a BMP whose compression field is 2^31 or more (stb_image read it as negative) is refused") {
        // A fuzz finding: 54 bytes that made stb_image decode 68×65532 pixels of nothing for 13 s.
        const Bytes bmp =
            read_bytes(testing::source_path("tests/fuzz/corpus/image/regression-bmp-compression-2pow31.bmp"));
        check_refused(bmp, "compression 4043309056");
    }
    SECTION("a PNM header with numbers past int range is refused before any parsing overflows") {
        const std::string p = "P5\n99999999999999999999 2\n255\n";
        check_refused(Bytes(p.begin(), p.end()), "number");
    }
    SECTION("a 9000×9000 PNG header (81 MP, within the limits) on a 200-byte file is refused unallocated") {
        Bytes png = make_png(4, 4, PNG_COLOR_TYPE_RGB, 8, false, false, 5);
        const uint8_t side[4] = {0x00, 0x00, 0x23, 0x28};  // 9000, big-endian; the CRC is left wrong
        std::memcpy(png.data() + 16, side, 4);
        std::memcpy(png.data() + 20, side, 4);
        check_refused(png, "cannot hold a 9000×9000 image");
    }
    SECTION("headers that claim huge images are refused before decoding, in every format") {
        // BMP 60000×60000 (3.6 gigapixels), TGA 65535×65535, GIF 65535×65535, JPEG 65500×65500: no data.
        Bytes bmp(54, 0);
        bmp[0] = 'B', bmp[1] = 'M', bmp[10] = 54, bmp[14] = 40, bmp[26] = 1, bmp[28] = 24;
        const int32_t side = 60000;
        std::memcpy(bmp.data() + 18, &side, 4);
        std::memcpy(bmp.data() + 22, &side, 4);
        check_refused(bmp, "100 megapixels");
        Bytes tga(18, 0);
        tga[2] = 2, tga[12] = tga[13] = tga[14] = tga[15] = 0xff, tga[16] = 24;
        check_refused(tga, "100 megapixels");
        const std::string gif = std::string("GIF89a") + "\xff\xff\xff\xff" + std::string("\x00\x00\x00", 3);
        check_refused(Bytes(gif.begin(), gif.end()), "100 megapixels");
        // A real 8×8 JPEG whose frame header (SOF0) is patched to 65500×65500.
        const std::vector<uint8_t> px(8 * 8 * 3, 128);
        Bytes jpg;
        REQUIRE(stbi_write_jpg_to_func(append_bytes, &jpg, 8, 8, 3, px.data(), 90));
        size_t sof = 0;
        while (sof + 9 < jpg.size() && !(jpg[sof] == 0xFF && jpg[sof + 1] == 0xC0)) ++sof;
        REQUIRE(sof + 9 < jpg.size());
        jpg[sof + 5] = jpg[sof + 7] = 0xFF;
        jpg[sof + 6] = jpg[sof + 8] = 0xDC;
        check_refused(jpg, "65500×65500");
    }
}

TEST_CASE(
    "encode_png: images of many bands, compressed on every thread, decode to their pixels in libpng and "
    "stb_image") {
    // The encoder compresses bands of about 1 MiB of rows apart, each primed with the band before it. Sizes
    // around the cut: one band, a band and a row, and several bands with a short last one; noise (nothing to
    // match) and a smooth gradient whose Up-filtered rows are runs (zlib's Z_RLE strategy, runs that continue
    // across each cut).
    struct Case {
        int64_t w, h, channels;
    };
    const Case cases[] = {{64, 32, 1}, {1024, 1025, 1}, {700, 1700, 3}, {1, 3000, 3}};
    uint32_t seed = 40;
    for (const Case& c : cases)
        for (bool smooth : {false, true}) {
            Image img{c.w, c.h, int(c.channels), {}};
            if (smooth) {
                for (int64_t y = 0; y < c.h; ++y)
                    for (int64_t x = 0; x < c.w * c.channels; ++x)
                        img.pixels.push_back(uint8_t((x / 7 + y / 3) % 251));
            } else {
                img.pixels = noise(size_t(c.w * c.h * c.channels), ++seed);
            }
            INFO(c.w << "×" << c.h << "×" << c.channels << (smooth ? ", smooth" : ", noise"));
            auto png = encode_png(img);
            REQUIRE(png.ok());
            // Every band is one IDAT chunk; a file of several must still be one valid zlib stream.
            size_t idats = 0;
            for (size_t i = 8; i + 8 <= png->size();) {
                const size_t len = size_t((*png)[i]) << 24 | size_t((*png)[i + 1]) << 16 |
                                   size_t((*png)[i + 2]) << 8 | size_t((*png)[i + 3]);
                idats += std::memcmp(png->data() + i + 4, "IDAT", 4) == 0;
                i += 12 + len;
            }
            const int64_t rows_per_band = std::max<int64_t>(1, (1 << 20) / (c.w * c.channels + 1));
            CHECK(int64_t(idats) == (c.h + rows_per_band - 1) / rows_per_band);
            auto back = decode_image(*png);  // libpng, CRCs and Adler-32 checked
            REQUIRE(back.ok());
            CHECK(*back == img);
            CHECK(stb_reference(*png) == img);  // a second, independent decoder
            // Runs along the rows; a one-pixel-wide image's rows are too short for them.
            if (smooth && c.h > 1000 && c.w > 1) CHECK(png->size() * 20 < img.pixels.size());
        }
}
