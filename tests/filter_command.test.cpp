// `convscope filter` run as a user runs it: known results on tiny generated PNGs (every preset, stride,
// padding modes, colour and grey, pooling, display maps), and bad input: exit 2, one `error:` line, no output
// file.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cstdlib>
#include <stdexcept>

#include "core/image_lab/filter.hpp"
#include "support/paths.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

// One folder per test process: CTest runs the test cases of this file in parallel processes.
fs::path work_dir() {
    static const fs::path dir = [] {
        std::string pattern = (fs::temp_directory_path() / "convscope-filter-cli-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        return fs::path(pattern);
    }();
    return dir;
}

using Run = testing::ProcessResult;

// Runs `convscope <args>` (words split by the shell) with stdout and stderr captured.
Run run_cli(const std::string& args) {
    return testing::run_shell(testing::shell_quote(convscope::testing::convscope_exe()) + " " + args);
}

std::string write_png(const std::string& name, const Image& img) {
    const std::string path = (work_dir() / name).string();
    REQUIRE(save_png(path, img).ok());
    return path;
}

Image photo(int64_t w, int64_t h, int channels, uint32_t seed) {
    Tensor t = testing::random_int_tensor({w * h * channels}, seed, 0, 255);
    Image img{w, h, channels, {}};
    for (float v : t.data) img.pixels.push_back(uint8_t(v));
    return img;
}

std::string fresh_output(const std::string& name) {
    const fs::path p = work_dir() / name;
    fs::remove(p);
    return p.string();
}

}  // namespace

TEST_CASE("convscope filter: Sobel x on a ramp, worked by hand") {
    // Every row is 0 10 30 60: Sobel x at column 1 is (30 − 0)·(1 + 2 + 1) = 120, at column 2 (60 − 10)·4 =
    // 200.
    const std::string in =
        write_png("ramp.png", Image{4, 3, 1, {0, 10, 30, 60, 0, 10, 30, 60, 0, 10, 30, 60}});
    const std::string out = fresh_output("ramp-sobel.png");
    Run r = run_cli("filter '" + in + "' '" + out + "' --kernel sobel-x");
    REQUIRE(r.status == 0);
    CHECK(r.err == "");
    auto img = load_image(out);
    REQUIRE(img.ok());
    CHECK(img->channels == 1);
    CHECK(img->pixels == std::vector<uint8_t>{120, 200});

    SECTION("with zero padding the edges see the zeros; clamp cuts negatives, abs keeps them") {
        r = run_cli("filter '" + in + "' '" + out + "' --kernel sobel-x --padding 1 --map abs");
        REQUIRE(r.status == 0);
        img = load_image(out);
        REQUIRE(img.ok());
        // Row 1 (middle): column 0 is (10 − 0)·4 = 40, column 3 is (0 − 30)·4 = −120 → 120 with abs.
        CHECK(img->width == 4);
        CHECK(img->pixels[4 + 0] == 40);
        CHECK(img->pixels[4 + 3] == 120);
        r = run_cli("filter '" + in + "' '" + out + "' --kernel sobel-x --padding 1");
        REQUIRE(r.status == 0);
        CHECK(load_image(out)->pixels[4 + 3] == 0);
    }
}

TEST_CASE("convscope filter: the lecture example from a kernel file") {
    const std::string in = write_png("lecture.png", Image{5, 5, 1, {1, 2, 3, 0, 1, 0, 1, 5, 1, 0, 1, 0, 2,
                                                                    2, 1, 1, 1, 2, 0, 0, 1, 0, 1, 1, 1}});
    const std::string kpath = (work_dir() / "lecture-kernel.txt").string();
    std::ofstream(kpath) << "# the lecture's filter\n1, 0, 1\n0, 1, 0\n1, 0, 1\n";
    const std::string out = fresh_output("lecture-out.png");
    Run r = run_cli("filter '" + in + "' '" + out + "' --kernel '" + kpath + "' --backend reference");
    REQUIRE(r.status == 0);
    auto img = load_image(out);
    REQUIRE(img.ok());
    CHECK(img->pixels == std::vector<uint8_t>{8, 9, 8, 8, 5, 9, 6, 5, 5});
}

TEST_CASE("convscope filter: every preset, stride, padding modes, colour and grey match the core pipeline") {
    const std::string in = write_png("photo.png", photo(11, 10, 3, 9));
    const Image img = *load_image(in);
    struct Case {
        const char* args;
        ColorMode mode;
        int64_t stride, pad;
        PaddingMode pm;
        DisplayMap map;
    };
    const Case cases[] = {
        {"", ColorMode::Color, 1, 0, PaddingMode::Zeros, DisplayMap::Clamp},
        {"--stride 2 --gray", ColorMode::Grey, 2, 0, PaddingMode::Zeros, DisplayMap::Clamp},
        {"--padding 1 --padding-mode reflect --map abs", ColorMode::Color, 1, 1, PaddingMode::Reflect,
         DisplayMap::Abs},
        {"--padding 2 --padding-mode circular --stride 3 --gray --map normalize", ColorMode::Grey, 3, 2,
         PaddingMode::Circular, DisplayMap::Normalize},
        {"--padding 1 --padding-mode replicate", ColorMode::Color, 1, 1, PaddingMode::Replicate,
         DisplayMap::Clamp},
    };
    for (const PresetInfo& p : kernel_presets()) {
        const std::string name = p.sized ? std::string(p.id) + "3" : std::string(p.id);
        for (const Case& c : cases) {
            INFO(name << " " << c.args);
            ConvFilter spec;
            spec.kernel = *kernel_from_name(name);
            spec.conv.stride = c.stride;
            spec.conv.padding = c.pad;
            spec.conv.padding_mode = c.pm;
            auto expected = filter_image(img, c.mode, spec, c.map, reference_backend());
            REQUIRE(expected.ok());
            const std::string out = fresh_output("preset.png");
            Run r = run_cli("filter '" + in + "' '" + out + "' --kernel " + name + " --backend reference " +
                            c.args);
            REQUIRE(r.status == 0);
            auto got = load_image(out);
            REQUIRE(got.ok());
            CHECK(got->width == (11 + 2 * c.pad - 3) / c.stride + 1);
            CHECK(got->height == (10 + 2 * c.pad - 3) / c.stride + 1);
            CHECK(got->channels == (c.mode == ColorMode::Grey ? 1 : 3));
            CHECK(*got == *expected);
        }
    }
}

TEST_CASE("convscope filter: pooling the image") {
    const std::string in = write_png("pool.png", Image{4, 2, 1, {1, 5, 2, 0, 3, 4, 8, 6}});
    const std::string out = fresh_output("pool-out.png");
    Run r = run_cli("filter '" + in + "' '" + out + "' --pool max --kernel 2");
    REQUIRE(r.status == 0);
    CHECK(load_image(out)->pixels == std::vector<uint8_t>{5, 8});
    r = run_cli("filter '" + in + "' '" + out + "' --pool avg --kernel 2 --stride 1");
    REQUIRE(r.status == 0);
    // (1+5+3+4)/4 = 3.25 → 3, (5+2+4+8)/4 = 4.75 → 5, (2+0+8+6)/4 = 4
    CHECK(load_image(out)->pixels == std::vector<uint8_t>{3, 5, 4});
}

TEST_CASE("convscope filter: bad input exits 2 with one error line and writes nothing") {
    const std::string in = write_png("ok.png", photo(6, 6, 3, 1));
    const std::string notes = (work_dir() / "notes.png").string();
    std::ofstream(notes) << "this is not a PNG at all";
    const std::string ragged = (work_dir() / "ragged.txt").string();
    std::ofstream(ragged) << "1 2 3\n4 5\n";
    struct Bad {
        std::string args;
        const char* message;
    };
    const std::string out = fresh_output("never.png");
    const Bad cases[] = {
        {"'" + notes + "' '" + out + "' --kernel box3", "not an image"},
        {"'" + in + "' '" + out + "' --kernel '" + ragged + "'", "line 2 has 2 numbers but line 1 has 3"},
        {"'" + in + "' '" + out + "' --kernel no-such-kernel", "neither a preset nor a file"},
        {"'" + in + "' '" + out + "' --kernel box3 --map sepia", "--map"},
        {"'" + in + "' '" + out + "' --kernel box3 --groups 3", "groups"},
        {"'" + in + "' '" + out + "' --kernel box3 --stride 0", "stride"},
        {"'" + in + "' '" + out + "' --kernel box3 --padding same --stride 2", "stride 1"},
        {"'" + in + "' '" + out + "' --kernel box9", "larger than the padded input"},
        {"'" + in + "' '" + out + "' --kernel box3 --backend warp", "unknown backend"},
        {"'" + in + "' '" + out + "' --pool median --kernel 2", "max or avg"},
        {"'" + (work_dir() / "missing.png").string() + "' '" + out + "' --kernel box3", "missing.png"},
    };
    for (const Bad& b : cases) {
        INFO(b.args);
        Run r = run_cli("filter " + b.args);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains(b.message));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(fs::exists(out));
    }
    SECTION("an existing output file is left as it was") {
        const std::string keep = write_png("keep.png", Image{1, 1, 1, {77}});
        Run r = run_cli("filter '" + notes + "' '" + keep + "' --kernel box3");
        CHECK(r.status == 2);
        CHECK(load_image(keep)->pixels == std::vector<uint8_t>{77});
    }
}

TEST_CASE("convscope filter: hostile images exit 2 within seconds, with one error line and no output") {
    // tests/data/hostile/: a truncated Softimage PIC (117 bytes) that crashed the system stb_image, a
    // Radiance HDR with a zero-length run (50 bytes) that made it loop forever, and truncated BMP, TGA and
    // GIF files that it decoded as pictures with zeros, next to truncated PNG and JPEG. The runner's time
    // limit turns a hang into timed_out, and a crash shows as a status other than 2.
    struct Hostile {
        const char* name;
        const char* message;
    };
    const Hostile files[] = {
        {"truncated.pic", "a Softimage PIC image, which ConvScope does not read"},
        {"zero_run.hdr", "a Radiance HDR image, which ConvScope does not read"},
        {"truncated.bmp", "ends before its pixels do"},
        {"truncated.tga", "ends before its pixels do"},
        {"truncated.gif", "ends before its image data does"},
        {"truncated.png", "ends before its image data does"},
        {"truncated.jpg", "ends before its image data does"},
    };
    const std::string out = fresh_output("hostile-out.png");
    for (const Hostile& h : files) {
        const std::string in = testing::source_path(std::string("tests/data/hostile/") + h.name);
        INFO(h.name);
        Run r =
            testing::run_process({convscope::testing::convscope_exe(), "filter", in, out, "--kernel", "box3"},
                                 testing::ProcessOptions::within(std::chrono::seconds(20)));
        CHECK_FALSE(r.timed_out);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::StartsWith("error: " + in + ": ") && Catch::Contains(h.message));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(fs::exists(out));
    }
}

TEST_CASE("convscope filter --help lists the kernel names") {
    Run r = run_cli("filter --help");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("sobel-x") && Catch::Contains("gaussianN[:SIGMA]") &&
                          Catch::Contains("--map") && Catch::Contains("--gray"));
}

TEST_CASE("convscope filter: PyTorch's results (tests/data/filter, made by make_filter_golden.py)") {
    const std::string dir = testing::source_path("tests/data/filter/");
    std::ifstream manifest(dir + "manifest.txt");
    REQUIRE(manifest.good());
    std::string line;
    int cases = 0;
    while (std::getline(manifest, line)) {
        std::istringstream fields(line);
        std::string expected_name, tolerance, args;
        fields >> expected_name >> tolerance;
        std::getline(fields, args);
        auto expected = load_image(dir + expected_name);
        REQUIRE(expected.ok());
        // The reference backend and the default (fastest CPU) one both agree with PyTorch.
        for (const char* backend : {" --backend reference", ""}) {
            INFO(line << backend);
            const std::string out = fresh_output("golden.png");
            Run r = run_cli("filter '" + dir + "input.png' '" + out + "'" + args + backend);
            REQUIRE(r.status == 0);
            auto got = load_image(out);
            REQUIRE(got.ok());
            REQUIRE(got->width == expected->width);
            REQUIRE(got->height == expected->height);
            REQUIRE(got->channels == expected->channels);
            if (tolerance == "exact") {
                CHECK(got->pixels == expected->pixels);
            } else {
                // Float weights: a different summation order may move a value across a rounding boundary.
                int off = 0;
                for (size_t i = 0; i < got->pixels.size(); ++i) {
                    const int d = std::abs(int(got->pixels[i]) - int(expected->pixels[i]));
                    CHECK(d <= 1);
                    off += d != 0;
                }
                CHECK(off * 50 <= int(got->pixels.size()));
            }
        }
        ++cases;
    }
    CHECK(cases == 9);
}
