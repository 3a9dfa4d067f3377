// core/kernels: presets, the kernel text format (good and bad files), normalization and resizing.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "core/image_lab/kernels.hpp"

using namespace convscope;

namespace {

std::vector<double> cells_of(std::string_view name) {
    auto k = kernel_from_name(name);
    REQUIRE(k.ok());
    return k->cells;
}

}  // namespace

TEST_CASE("kernel_presets: every preset builds at its default size and round-trips through its name") {
    for (const PresetInfo& p : kernel_presets()) {
        INFO(p.id);
        auto k = make_preset(p.id);
        REQUIRE(k.ok());
        CHECK(k->rows == (p.sized ? p.default_size : 3));
        CHECK(k->cols == k->rows);
        CHECK(k->cells.size() == size_t(k->rows * k->cols));
        auto again = kernel_from_name(k->name);
        REQUIRE(again.ok());
        CHECK(*again == *k);
    }
}

TEST_CASE("make_preset: the textbook weights") {
    CHECK(cells_of("identity") == std::vector<double>{0, 0, 0, 0, 1, 0, 0, 0, 0});
    CHECK(cells_of("sobel-x") == std::vector<double>{-1, 0, 1, -2, 0, 2, -1, 0, 1});
    CHECK(cells_of("sobel-y") == std::vector<double>{-1, -2, -1, 0, 0, 0, 1, 2, 1});
    CHECK(cells_of("scharr-x") == std::vector<double>{-3, 0, 3, -10, 0, 10, -3, 0, 3});
    CHECK(cells_of("prewitt-y") == std::vector<double>{-1, -1, -1, 0, 0, 0, 1, 1, 1});
    CHECK(cells_of("sharpen") == std::vector<double>{0, -1, 0, -1, 5, -1, 0, -1, 0});
    CHECK(cells_of("laplacian") == std::vector<double>{0, 1, 0, 1, -4, 1, 0, 1, 0});
    CHECK(cells_of("outline") == std::vector<double>{-1, -1, -1, -1, 8, -1, -1, -1, -1});
    CHECK(cells_of("emboss") == std::vector<double>{-2, -1, 0, -1, 1, 1, 0, 1, 2});

    SECTION("box: ones over N²") {
        auto k = kernel_from_name("box5");
        REQUIRE(k.ok());
        CHECK(k->divisor == 25.0);
        CHECK(k->weight(2, 3) == 1.0f / 25.0f);
        CHECK(k->weight_sum() == Approx(1.0));
    }
    SECTION("motion blur: the middle row over N") {
        auto k = kernel_from_name("motion-blur5");
        REQUIRE(k.ok());
        CHECK(k->weight(2, 0) == 0.2f);
        CHECK(k->weight(1, 2) == 0.0f);
        CHECK(k->weight_sum() == Approx(1.0));
    }
    SECTION("gaussian: sums to 1, symmetric, peak in the centre, σ by default from the size") {
        auto k = kernel_from_name("gaussian5");
        REQUIRE(k.ok());
        CHECK(k->weight_sum() == Approx(1.0));
        CHECK(k->cells[0] == Approx(k->cells[24]));
        CHECK(k->cells[7] == Approx(k->cells[11]));
        CHECK(*std::max_element(k->cells.begin(), k->cells.end()) == k->cells[12]);
        // σ = 1.1: the centre over its right neighbour is exp(1 / (2σ²)).
        CHECK(k->cells[12] / k->cells[13] == Approx(std::exp(1.0 / (2 * 1.1 * 1.1))));
        auto wide = kernel_from_name("gaussian5:3");
        REQUIRE(wide.ok());
        CHECK(wide->name == "gaussian5:3");
        CHECK(wide->cells[12] / wide->cells[13] == Approx(std::exp(1.0 / 18.0)));
    }
    SECTION("laplacian of gaussian: sums to 0, negative centre") {
        auto k = kernel_from_name("log9:1.4");
        REQUIRE(k.ok());
        double sum = 0;
        for (double c : k->cells) sum += c;
        CHECK(sum == Approx(0.0).margin(1e-12));
        CHECK(k->cells[40] < 0);
        CHECK(k->cells[0] > 0);
    }
    CHECK(default_sigma(3) == Approx(0.8));
    CHECK(default_sigma(5) == Approx(1.1));
}

TEST_CASE("kernel_from_name: bad names") {
    for (const char* bad : {"sobel", "box0", "box16", "box-3", "gaussian5:", "gaussian5:-1", "gaussian5:x",
                            "box3:1.5", "sobel-x:2", "", "BOX3"}) {
        INFO(bad);
        auto k = kernel_from_name(bad);
        REQUIRE_FALSE(k.ok());
        CHECK_FALSE(k.error().empty());
    }
    CHECK(kernel_from_name("box")->rows == 3);
    CHECK(kernel_from_name("motion-blur")->rows == 9);
    CHECK_THAT(kernel_from_name("nope").error(), Catch::Contains("sobel-x") && Catch::Contains("gaussianN"));
}

TEST_CASE("parse_kernel_text: spaces, commas, comments, fractions, divisor and offset") {
    auto k = parse_kernel_text(
        "\xEF\xBB\xBF# a 3x2 kernel\r\n"
        "1, 2, -3   # first row\r\n"
        "\n"
        "  +4 0.5\t1/4\r\n"
        "divisor: 2\n"
        "offset = 128\n");
    REQUIRE(k.ok());
    CHECK(k->rows == 2);
    CHECK(k->cols == 3);
    CHECK(k->cells == std::vector<double>{1, 2, -3, 4, 0.5, 0.25});
    CHECK(k->divisor == 2.0);
    CHECK(k->offset == 128.0);
    CHECK(k->weight(0, 1) == 1.0f);
}

TEST_CASE("parse_kernel_text: bad files get a message naming the line") {
    struct Bad {
        const char* text;
        const char* message;
    };
    const Bad cases[] = {
        {"", "no kernel rows"},
        {"# only a comment\n\n", "no kernel rows"},
        {"1 2 3\n4 x 6\n", "line 2: 'x' is not a number"},
        {"1 2 3\n4 5\n", "line 2 has 2 numbers but line 1 has 3"},
        {"# header\n1 2\n\n3 4 5\n", "line 4 has 3 numbers but line 2 has 2"},
        {"1 nan 2\n", "line 1: 'nan' is not a number"},
        {"inf\n", "line 1: 'inf' is not a number"},
        {"1e999\n", "'1e999' is not a number"},
        {"1/0\n", "divides by 0"},
        {"1 2\n3 4\ndivisor 0\n", "line 3: the divisor must not be 0"},
        {"1\ndivisor 2\ndivisor 3\n", "line 3: a second divisor line (the first is line 2)"},
        {"1\noffset\n", "line 2: offset needs one number"},
        {"1\nscale 2\n", "line 2: 'scale' is not a number"},
        {"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", "at most 15"},
        {"1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n", "line 16: more than 15 rows"},
        {"1 2\n\x01\x02\xff\n", "line 2:"},
    };
    for (const Bad& b : cases) {
        INFO(b.text);
        auto k = parse_kernel_text(b.text);
        REQUIRE_FALSE(k.ok());
        CHECK_THAT(k.error(), Catch::Contains(b.message));
    }
}

TEST_CASE("format_kernel_text: every preset reads back exactly") {
    for (const PresetInfo& p : kernel_presets()) {
        INFO(p.id);
        auto k = make_preset(p.id, p.sized ? 7 : 0, p.has_sigma ? 1.3 : 0.0);
        REQUIRE(k.ok());
        auto back = parse_kernel_text(format_kernel_text(*k));
        REQUIRE(back.ok());
        CHECK(back->cells == k->cells);
        CHECK(back->divisor == k->divisor);
        CHECK(back->offset == k->offset);
    }
}

TEST_CASE("read_kernel_file and write_kernel_file") {
    const auto dir = std::filesystem::temp_directory_path() / "convscope-kernels-test";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "edge.txt").string();
    Kernel k = *kernel_from_name("sobel-x");
    k.offset = 128;
    REQUIRE(write_kernel_file(path, k).ok());
    auto back = read_kernel_file(path);
    REQUIRE(back.ok());
    CHECK(back->name == "edge");
    CHECK(back->cells == k.cells);
    CHECK(back->offset == 128.0);

    auto missing = read_kernel_file((dir / "missing.txt").string());
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error(), Catch::Contains("missing.txt"));

    const std::string bad = (dir / "bad.txt").string();
    REQUIRE(write_kernel_file(bad, k).ok());
    {
        std::FILE* f = std::fopen(bad.c_str(), "a");
        REQUIRE(f);
        std::fputs("1 2\n", f);
        std::fclose(f);
    }
    auto r = read_kernel_file(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::StartsWith(bad) && Catch::Contains("line 6 has 2 numbers but line 2 has 3"));
}

TEST_CASE("normalize_to_sum_one and resize_kernel") {
    Kernel k = *parse_kernel_text("1 2 1\n2 4 2\n1 2 1\n");
    REQUIRE(normalize_to_sum_one(k).ok());
    CHECK(k.divisor == 16.0);
    CHECK(k.weight_sum() == Approx(1.0));

    Kernel edge = *kernel_from_name("laplacian");
    auto s = normalize_to_sum_one(edge);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error(), Catch::Contains("sum to 0"));

    SECTION("growing keeps the old cells in the centre") {
        REQUIRE(resize_kernel(k, 5, 5).ok());
        CHECK(k.cells[12] == 4.0);
        CHECK(k.cells[0] == 0.0);
        CHECK(k.cells[6] == 1.0);
    }
    SECTION("shrinking keeps the centre") {
        REQUIRE(resize_kernel(k, 1, 1).ok());
        CHECK(k.cells == std::vector<double>{4});
    }
    SECTION("limits") {
        CHECK_FALSE(resize_kernel(k, 0, 3).ok());
        CHECK_FALSE(resize_kernel(k, 3, 16).ok());
    }
}

TEST_CASE("Kernel::weight_tensor and bias_tensor: depthwise, one copy per channel") {
    Kernel k = *kernel_from_name("box3");
    k.offset = 5;
    const Tensor w = k.weight_tensor(3);
    CHECK(w.shape == Shape{3, 1, 3, 3});
    for (float v : w.data) CHECK(v == 1.0f / 9.0f);
    CHECK(k.bias_tensor(3).data == std::vector<float>{5, 5, 5});
}
