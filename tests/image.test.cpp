// core/image: decoding with the limits checked on the header, bad files, tensors, PNG encoding and atomic
// saves.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include <stb/stb_image_write.h>

#include "core/io/fileio.hpp"
#include "core/io/image.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;

namespace {

std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Image rgb_image(int64_t w, int64_t h) {
    Image img{w, h, 3, {}};
    for (int64_t i = 0; i < w * h * 3; ++i) img.pixels.push_back(uint8_t((i * 37 + 11) % 256));
    return img;
}

std::filesystem::path temp_dir() {
    auto dir = std::filesystem::temp_directory_path() / "convscope-image-test";
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("encode_png and decode_image round-trip grey and RGB") {
    SECTION("rgb") {
        const Image img = rgb_image(5, 4);
        auto png = encode_png(img);
        REQUIRE(png.ok());
        auto back = decode_image(*png);
        REQUIRE(back.ok());
        CHECK(*back == img);
    }
    SECTION("grey") {
        Image img{3, 2, 1, {0, 1, 2, 253, 254, 255}};
        auto png = encode_png(img);
        REQUIRE(png.ok());
        auto back = decode_image(*png);
        REQUIRE(back.ok());
        CHECK(*back == img);
    }
}

TEST_CASE("decode_image reads PNM and drops alpha") {
    SECTION("P6 colour") {
        auto img = decode_image(bytes_of(std::string("P6\n2 1\n255\n") + "\x01\x02\x03\xFA\xFB\xFC"));
        REQUIRE(img.ok());
        CHECK(img->width == 2);
        CHECK(img->height == 1);
        CHECK(img->channels == 3);
        CHECK(img->pixels == std::vector<uint8_t>{1, 2, 3, 250, 251, 252});
    }
    SECTION("P5 grey") {
        auto img = decode_image(bytes_of(std::string("P5\n2 2\n255\n\x00\x40\x80\xFF", 15)));
        REQUIRE(img.ok());
        CHECK(img->channels == 1);
        CHECK(img->pixels == std::vector<uint8_t>{0, 64, 128, 255});
    }
}

TEST_CASE("decode_image refuses bad files with a message") {
    SECTION("empty") {
        auto r = decode_image({});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("empty"));
    }
    SECTION("text is not an image") {
        auto r = decode_image(bytes_of("hello, I am a text file\n"));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("not an image"));
    }
    SECTION("a truncated PNG") {
        auto png = encode_png(rgb_image(64, 64));
        REQUIRE(png.ok());
        for (size_t cut : {size_t(8), size_t(33), size_t(60), png->size() / 2, png->size() - 12}) {
            std::vector<uint8_t> part(png->begin(), png->begin() + long(cut));
            auto r = decode_image(part);
            INFO("cut at " << cut);
            CHECK_FALSE(r.ok());
        }
    }
    SECTION("a PNM whose header claims more than 100 megapixels is refused before decoding") {
        // No pixel data follows: a decoder would fail on truncation, so this message proves the header check.
        auto r = decode_image(bytes_of("P5\n20000 20000\n255\n"));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("20000×20000") && Catch::Contains("100 megapixels"));
    }
    SECTION("a PNM that ends before its pixels do") {
        auto r = decode_image(bytes_of("P5\n# a comment\n4 4\n255\n\x01\x02"));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("2 of 16 bytes"));
        auto full = decode_image(bytes_of(std::string("P5\n# a comment\n2 1\n255\n\x01\x02", 25)));
        REQUIRE(full.ok());
        CHECK(full->pixels == std::vector<uint8_t>{1, 2});
    }
    SECTION("a side over the limit") {
        auto r = decode_image(bytes_of("P5\n70000 2\n255\n"));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("65536"));
    }
    SECTION("PNG headers that claim 12000×12000 (144 megapixels) and 60000×60000") {
        // Signature, then an IHDR chunk with a zero CRC: the size is read before any decoder checks the CRC.
        std::string png = "\x89PNG\r\n\x1a\n";
        png += std::string("\x00\x00\x00\x0dIHDR", 8);
        std::string big = png + std::string("\x00\x00\x2e\xe0\x00\x00\x2e\xe0\x08\x02\x00\x00\x00", 13);
        big += std::string("\x00\x00\x00\x00", 4);
        auto r = decode_image(bytes_of(big));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("12000×12000") && Catch::Contains("100 megapixels"));
        std::string huge = png + std::string("\x00\x00\xea\x60\x00\x00\xea\x60\x08\x02\x00\x00\x00", 13);
        huge += std::string("\x00\x00\x00\x00", 4);
        r = decode_image(bytes_of(huge));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("60000×60000"));
    }
}

TEST_CASE("load_image names the file in its errors") {
    const auto dir = temp_dir();
    SECTION("missing") {
        auto r = load_image((dir / "no-such-photo.png").string());
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains("no-such-photo.png"));
    }
    SECTION("a directory") {
        auto r = load_image(dir.string());
        REQUIRE_FALSE(r.ok());
    }
    SECTION("a text file") {
        const std::string path = (dir / "notes.txt").string();
        REQUIRE(write_file_atomic(path, bytes_of("not a picture")).ok());
        auto r = load_image(path);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::StartsWith(path) && Catch::Contains("not an image"));
    }
    SECTION("the bundled sample photos load") {
        auto camera = load_image(testing::source_path("assets/camera.png"));
        REQUIRE(camera.ok());
        CHECK(camera->width == 512);
        CHECK(camera->height == 512);
        CHECK(camera->channels == 1);
        auto chelsea = load_image(testing::source_path("assets/chelsea.png"));
        REQUIRE(chelsea.ok());
        CHECK(chelsea->width == 451);
        CHECK(chelsea->height == 300);
        CHECK(chelsea->channels == 3);
    }
}

TEST_CASE("image_to_tensor: planar channels 0-255, grey as BT.601 luma") {
    const Image img{2, 1, 3, {10, 20, 30, 200, 100, 0}};
    SECTION("colour") {
        auto t = image_to_tensor(img, ColorMode::Color);
        REQUIRE(t.ok());
        CHECK(t->shape == Shape{3, 1, 2});
        CHECK(t->data == std::vector<float>{10, 200, 20, 100, 30, 0});
    }
    SECTION("grey") {
        auto t = image_to_tensor(img, ColorMode::Grey);
        REQUIRE(t.ok());
        CHECK(t->shape == Shape{1, 1, 2});
        CHECK(t->data[0] == Approx(0.299 * 10 + 0.587 * 20 + 0.114 * 30));
        CHECK(t->data[1] == Approx(0.299 * 200 + 0.587 * 100));
    }
    SECTION("a grey image stays one channel in colour mode") {
        auto t = image_to_tensor(Image{2, 1, 1, {7, 9}}, ColorMode::Color);
        REQUIRE(t.ok());
        CHECK(t->shape == Shape{1, 1, 2});
        CHECK(t->data == std::vector<float>{7, 9});
    }
}

TEST_CASE("save_png writes atomically and refuses malformed images") {
    const auto dir = temp_dir();
    const std::string path = (dir / "saved.png").string();
    std::filesystem::remove(path);
    REQUIRE(save_png(path, rgb_image(3, 3)).ok());
    auto back = load_image(path);
    REQUIRE(back.ok());
    CHECK(*back == rgb_image(3, 3));

    SECTION("a failed save leaves the old file") {
        Image bad{4, 4, 3, {1, 2, 3}};
        CHECK_FALSE(save_png(path, bad).ok());
        auto still = load_image(path);
        REQUIRE(still.ok());
        CHECK(*still == rgb_image(3, 3));
    }
    SECTION("a missing folder is an error, not a crash") {
        auto s = save_png((dir / "no-such-dir" / "x.png").string(), rgb_image(2, 2));
        CHECK_FALSE(s.ok());
    }
}

TEST_CASE("shrink_to_fit: the smallest whole factor, block averages cut at the edges") {
    const Image img{5, 3, 1, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140}};
    int64_t factor = 0;
    CHECK(shrink_to_fit(img, 8, factor) == img);
    CHECK(factor == 1);
    const Image half = shrink_to_fit(img, 3, factor);
    CHECK(factor == 2);
    CHECK(half.width == 3);
    CHECK(half.height == 2);
    // (0+10+50+60)/4 = 30, (20+30+70+80)/4 = 50, (40+90)/2 = 65, (100+110)/2 = 105, (120+130)/2 = 125, 140
    CHECK(half.pixels == std::vector<uint8_t>{30, 50, 65, 105, 125, 140});
}

namespace {

// stb_image_write's callback: appends the bytes to a vector.
void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

}  // namespace

TEST_CASE("decode_image reads BMP, TGA and JPEG as well as PNG, and refuses HDR by name") {
    // A smooth colour gradient, so JPEG's loss stays small.
    Image img{16, 8, 3, {}};
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 16; ++x)
            for (int c : {x * 15, y * 30, 255 - x * 15}) img.pixels.push_back(uint8_t(c));
    const int w = int(img.width), h = int(img.height);
    std::vector<uint8_t> bmp, tga, jpg, hdr;
    REQUIRE(stbi_write_bmp_to_func(append_bytes, &bmp, w, h, 3, img.pixels.data()));
    REQUIRE(stbi_write_tga_to_func(append_bytes, &tga, w, h, 3, img.pixels.data()));
    REQUIRE(stbi_write_jpg_to_func(append_bytes, &jpg, w, h, 3, img.pixels.data(), 100));
    std::vector<float> linear(img.pixels.size());
    for (size_t i = 0; i < linear.size(); ++i) linear[i] = float(img.pixels[i]) / 255.0f;
    REQUIRE(stbi_write_hdr_to_func(append_bytes, &hdr, w, h, 3, linear.data()));
    SECTION("lossless formats come back exactly") {
        CHECK(*decode_image(bmp) == img);
        CHECK(*decode_image(tga) == img);
    }
    SECTION("JPEG comes back close") {
        auto back = decode_image(jpg);
        REQUIRE(back.ok());
        REQUIRE(back->pixels.size() == img.pixels.size());
        int worst = 0;
        for (size_t i = 0; i < img.pixels.size(); ++i)
            worst = std::max(worst, std::abs(int(back->pixels[i]) - int(img.pixels[i])));
        CHECK(worst <= 12);
    }
    SECTION("HDR, which stb_image's decoder hangs on when hostile, is refused with its name") {
        auto back = decode_image(hdr);
        REQUIRE_FALSE(back.ok());
        CHECK_THAT(back.error(), Catch::Contains("Radiance HDR") && Catch::Contains("does not read"));
    }
}
