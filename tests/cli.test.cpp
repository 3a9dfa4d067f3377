// The command line as a user runs it: the built `convscope` executable (testing::convscope_exe(), support/paths.hpp) in a fresh temporary
// folder per test. The lecture's examples, every golden case through `conv`/`pool`, the exact `explain` and
// `size --json` output, `--repeat` timing, every error path (exit 2, one `error: ` line, no output file
// written or changed), and `--help` on every subcommand.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/backend.hpp"
#include "core/io/npy.hpp"
#include "support/testing.hpp"
#include "support/paths.hpp"

using namespace convscope;
using convscope::testing::kLectureFilter;
using convscope::testing::kLectureInput;
using convscope::testing::kLectureLine;
using convscope::testing::mismatch;
using convscope::testing::source_path;
namespace fs = std::filesystem;

namespace {

// A fresh folder, removed with everything in it when the test ends.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "convscope_cli_XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    std::string operator/(const std::string& name) const { return (m_path / name).string(); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::string joined(const std::vector<std::string>& args) {
    std::string s = "convscope";
    for (const std::string& a : args) s += " " + a;
    return s;
}

using RunResult = testing::ProcessResult;
using testing::slurp;

// Runs convscope with `args` (no shell), stdout and stderr captured; a run over the time limit fails the
// test.
RunResult run_cli(const TempDir&, const std::vector<std::string>& args) {
    std::vector<std::string> argv{convscope::testing::convscope_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = testing::run_process(argv);
    INFO(joined(args) << "\n" << r.err);
    REQUIRE_FALSE(r.timed_out);
    return r;
}

Tensor read(const std::string& path) {
    auto t = read_npy(path);
    INFO(path);
    REQUIRE(t.ok());
    return std::move(*t);
}

void write(const std::string& path, const Tensor& t) {
    REQUIRE(write_npy(path, t).ok());
}

// The files a folder holds, by name (proves no output or temporary file was left behind).
std::vector<std::string> listing(const TempDir& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Runs a command that must fail: exit 2, exactly one stderr line starting "error: ", nothing on stdout, and
// `out` neither created (first run) nor changed when it already existed (second run). Returns the error line.
std::string expect_error(const TempDir& dir, const std::vector<std::string>& args, const std::string& out) {
    INFO(joined(args));
    if (!out.empty()) fs::remove(out);
    const auto before = listing(dir);
    const RunResult r = run_cli(dir, args);
    CHECK(r.status == 2);
    CHECK(r.out == "");
    CHECK(r.err.starts_with("error: "));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.ends_with("\n"));
    CHECK(listing(dir) == before);
    if (!out.empty()) {
        CHECK(!fs::exists(out));
        const std::string sentinel = "an earlier result that must survive";
        std::ofstream(out, std::ios::binary) << sentinel;
        const RunResult again = run_cli(dir, args);
        CHECK(again.status == 2);
        CHECK(again.err == r.err);
        CHECK(slurp(out) == sentinel);
        fs::remove(out);
    }
    return r.err;
}

}  // namespace

TEST_CASE("convscope conv: the lecture's example") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    const RunResult r = run_cli(dir, {"conv", dir / "x.npy", dir / "w.npy", "-o", dir / "y.npy"});
    CHECK(r.status == 0);
    CHECK(r.err == "");
    CHECK(r.out == "");
    const Tensor y = read(dir / "y.npy");
    CHECK(y.shape == Shape{1, 1, 3, 3});
    CHECK(y.data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    // The file is a plain little-endian float32 .npy, as numpy writes it.
    const std::string bytes = slurp(dir / "y.npy");
    CHECK(bytes.starts_with("\x93NUMPY\x01"));
    CHECK(bytes.find("'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }") !=
          std::string::npos);

    SECTION("padding 1: the 7x7 grid with a ring of zeros gives a 5x5 output") {
        const RunResult p =
            run_cli(dir, {"conv", dir / "x.npy", dir / "w.npy", "--padding", "1", "-o", dir / "p.npy"});
        CHECK(p.status == 0);
        const Tensor yp = read(dir / "p.npy");
        CHECK(yp.shape == Shape{1, 1, 5, 5});
        CHECK(yp.at(0, 0, 1, 1) == 8);
        CHECK(yp.at(0, 0, 0, 0) == 2);
    }
    SECTION("the lecture's CNN: Conv2d(1,5,5) then MaxPool2d(2) on 1x1x28x28") {
        write(dir / "x28.npy", testing::random_tensor({1, 1, 28, 28}, 1));
        write(dir / "w5.npy", testing::random_tensor({5, 1, 5, 5}, 2));
        write(dir / "b5.npy", testing::random_tensor({5}, 3));
        CHECK(run_cli(dir, {"conv", dir / "x28.npy", dir / "w5.npy", "--bias", dir / "b5.npy", "-o",
                            dir / "c.npy"})
                  .status == 0);
        CHECK(read(dir / "c.npy").shape == Shape{1, 5, 24, 24});
        CHECK(run_cli(dir, {"pool", "max", dir / "c.npy", "--kernel", "2", "-o", dir / "m.npy"}).status == 0);
        CHECK(read(dir / "m.npy").shape == Shape{1, 5, 12, 12});
    }
}

TEST_CASE(
    "convscope conv, pool, conv-transpose, unfold: every golden case through the command line matches "
    "PyTorch") {
    // The manifest's strings are the command line's option values; the reference backend is always there.
    std::ifstream in(source_path("tests/golden/cases.json"));
    REQUIRE(in.good());
    const nlohmann::json manifest = nlohmann::json::parse(in);
    TempDir dir;
    int checked = 0;
    for (const nlohmann::json& c : manifest.at("cases")) {
        const std::string name = c.at("name").get<std::string>();
        const std::string data = source_path("tests/golden/data/" + name + "/");
        std::vector<std::string> args;
        if (c.at("op") == "conv") {
            args = {"conv",
                    data + "x.npy",
                    data + "w.npy",
                    "--stride",
                    c.at("stride").get<std::string>(),
                    "--padding",
                    c.at("padding").get<std::string>(),
                    "--dilation",
                    c.at("dilation").get<std::string>(),
                    "--groups",
                    std::to_string(c.at("groups").get<int>()),
                    "--padding-mode",
                    c.at("padding_mode").get<std::string>()};
            if (c.at("bias").get<bool>()) args.insert(args.end(), {"--bias", data + "b.npy"});
            if (c.value("flip", false)) args.push_back("--flip");
        } else if (c.at("op") == "conv_transpose") {
            args = {"conv-transpose",
                    data + "x.npy",
                    data + "w.npy",
                    "--stride",
                    c.at("stride").get<std::string>(),
                    "--padding",
                    c.at("padding").get<std::string>(),
                    "--output-padding",
                    c.at("output_padding").get<std::string>(),
                    "--dilation",
                    c.at("dilation").get<std::string>(),
                    "--groups",
                    std::to_string(c.at("groups").get<int>())};
            if (c.at("bias").get<bool>()) args.insert(args.end(), {"--bias", data + "b.npy"});
        } else if (c.at("op") == "unfold") {
            args = {"unfold",     data + "x.npy",
                    "--kernel",   c.at("kernel").get<std::string>(),
                    "--stride",   c.at("stride").get<std::string>(),
                    "--padding",  c.at("padding").get<std::string>(),
                    "--dilation", c.at("dilation").get<std::string>()};
        } else {
            args = {"pool",
                    c.at("pool").get<std::string>(),
                    data + "x.npy",
                    "--kernel",
                    c.at("kernel").get<std::string>(),
                    "--padding",
                    c.at("padding").get<std::string>(),
                    "--dilation",
                    c.at("dilation").get<std::string>()};
            if (!c.at("stride").is_null())
                args.insert(args.end(), {"--stride", c.at("stride").get<std::string>()});
            if (c.at("ceil_mode").get<bool>()) args.push_back("--ceil-mode");
            if (!c.at("count_include_pad").get<bool>()) args.push_back("--exclude-pad");
        }
        args.insert(args.end(), {"-o", dir / "y.npy"});
        INFO("case " << name << ": " << joined(args));
        const RunResult r = run_cli(dir, args);
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK(mismatch(read(data + "y.npy"), read(dir / "y.npy"), 1e-4f, 1e-5f) == "");
        fs::remove(dir / "y.npy");
        ++checked;
    }
    CHECK(checked >= 120);
}

TEST_CASE("convscope explain: the lecture's line, exactly") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    SECTION("the first output") {
        const RunResult r = run_cli(dir, {"explain", dir / "x.npy", dir / "w.npy", "--at", "0,0"});
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK(r.out == kLectureLine + "\n");
    }
    SECTION("another output, with conv options") {
        const RunResult r =
            run_cli(dir, {"explain", dir / "x.npy", dir / "w.npy", "--at", "0,0", "--padding", "1"});
        CHECK(r.status == 0);
        CHECK(r.out == "(0×1) + (0×0) + (0×1) + (0×0) + (1×1) + (2×0) + (0×1) + (0×0) + (1×1) = 2\n");
        const RunResult s = run_cli(dir, {"explain", dir / "x.npy", dir / "w.npy", "--at", "2,1"});
        CHECK(s.out == "(0×1) + (2×0) + (2×1) + (1×0) + (2×1) + (0×0) + (0×1) + (1×0) + (1×1) = 5\n");
    }
    SECTION("several channels and a bias: one line per channel, then the total") {
        write(dir / "x2.npy", Tensor({1, 2, 2, 2}, {1, 2, 3, 4, 0.5f, -1, 2, 0.25f}));
        write(dir / "w2.npy",
              Tensor({2, 2, 2, 2}, {0, 0, 0, 0, 0, 0, 0, 0, /**/ 1, 0, 0, 1, 2, 1, 0.5f, -1}));
        write(dir / "b2.npy", Tensor({2}, {0, 1}));
        const RunResult r = run_cli(dir, {"explain", dir / "x2.npy", dir / "w2.npy", "--at", "0,0",
                                          "--out-channel", "1", "--bias", dir / "b2.npy"});
        CHECK(r.status == 0);
        CHECK(r.out ==
              "channel 0: (1×1) + (2×0) + (3×0) + (4×1) = 5\n"
              "channel 1: (0.5×2) + (-1×1) + (2×0.5) + (0.25×-1) = 0.75\n"
              "5 + 0.75 + bias 1 = 6.75\n");
    }
}

TEST_CASE("convscope size --json: the lecture's five output-size exercises, exactly") {
    TempDir dir;
    struct Exercise {
        std::vector<std::string> args;
        std::string json;
    };
    const Exercise exercises[] = {
        {{"227", "--kernel", "11", "--stride", "4", "--padding", "0"},
         R"({"out_h":55,"out_w":55,"exact_h":55,"exact_w":55})"},
        {{"64", "--kernel", "7", "--stride", "2", "--padding", "0"},
         R"({"out_h":29,"out_w":29,"exact_h":29.5,"exact_w":29.5})"},
        {{"32", "--kernel", "5", "--stride", "1", "--padding", "2"},
         R"({"out_h":32,"out_w":32,"exact_h":32,"exact_w":32})"},
        {{"32x64", "--kernel", "5", "--stride", "1", "--padding", "0"},
         R"({"out_h":28,"out_w":60,"exact_h":28,"exact_w":60})"},
        {{"64x32", "--kernel", "3", "--stride", "1", "--padding", "1"},
         R"({"out_h":64,"out_w":32,"exact_h":64,"exact_w":32})"},
    };
    for (const Exercise& e : exercises) {
        std::vector<std::string> args{"size"};
        args.insert(args.end(), e.args.begin(), e.args.end());
        args.push_back("--json");
        INFO(joined(args));
        const RunResult r = run_cli(dir, args);
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK(r.out == e.json + "\n");
    }
    SECTION("without --json: the worked formula") {
        const RunResult r = run_cli(dir, {"size", "64", "--kernel", "7", "--stride", "2"});
        CHECK(r.status == 0);
        CHECK(r.out ==
              "H_out = ⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29\n"
              "W_out = ⌊(64 − 7 + 2×0) / 2⌋ + 1 = ⌊28.5⌋ + 1 = 29\n"
              "output 29×29\n");
    }
    SECTION("ceil_mode rounds up, as a pooling layer") {
        const RunResult r =
            run_cli(dir, {"size", "5", "--kernel", "2", "--stride", "2", "--ceil-mode", "--json"});
        CHECK(r.status == 0);
        CHECK(r.out == R"({"out_h":3,"out_w":3,"exact_h":2.5,"exact_w":2.5})"
                       "\n");
    }
}

TEST_CASE("convscope pool max|avg: the lecture input") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    const RunResult m = run_cli(dir, {"pool", "max", dir / "x.npy", "--kernel", "2", "-o", dir / "max.npy"});
    CHECK(m.status == 0);
    CHECK(m.err == "");
    CHECK(read(dir / "max.npy").data == std::vector<float>{2, 5, 1, 2});
    const RunResult a = run_cli(dir, {"pool", "avg", dir / "x.npy", "--kernel", "2", "-o", dir / "avg.npy"});
    CHECK(a.status == 0);
    CHECK(read(dir / "avg.npy").data == std::vector<float>{1, 2.25f, 0.75f, 1.5f});
    SECTION("unbatched C×H×W stays unbatched") {
        write(dir / "u.npy", Tensor({1, 5, 5}, kLectureInput.data));
        CHECK(run_cli(dir,
                      {"pool", "max", dir / "u.npy", "--kernel", "3", "--stride", "1", "-o", dir / "um.npy"})
                  .status == 0);
        const Tensor um = read(dir / "um.npy");
        CHECK(um.shape == Shape{1, 3, 3});
        CHECK(um.data == std::vector<float>{5, 5, 5, 5, 5, 5, 2, 2, 2});
    }
    SECTION("padding, ceil_mode and exclude-pad") {
        CHECK(run_cli(dir, {"pool", "avg", dir / "x.npy", "--kernel", "3", "--stride", "2", "--padding", "1",
                            "--exclude-pad", "-o", dir / "e.npy"})
                  .status == 0);
        CHECK(read(dir / "e.npy").at(0, 0, 0, 0) == 1.0f);  // (1 + 2 + 0 + 1) / 4
        CHECK(
            run_cli(dir, {"pool", "max", dir / "x.npy", "--kernel", "2", "--ceil-mode", "-o", dir / "c.npy"})
                .status == 0);
        CHECK(read(dir / "c.npy").shape == Shape{1, 1, 3, 3});
    }
}

TEST_CASE("convscope --repeat: one timing line on stderr") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    const std::string timing =
        R"(time: median [0-9]+\.[0-9]+ ms \(min [0-9]+\.[0-9]+, max [0-9]+\.[0-9]+\) over 3 runs, )";
    const std::regex line(timing + R"(backend reference\n)");
    // Without --backend, conv and pool run on the fastest CPU backend, and the line says so.
    const std::regex default_line(timing + "backend " + std::string(fastest_cpu_backend().name()) +
                                  R"( \(default: the fastest CPU backend\)\n)");
    const RunResult c =
        run_cli(dir, {"conv", dir / "x.npy", dir / "w.npy", "--repeat", "3", "-o", dir / "y.npy"});
    CHECK(c.status == 0);
    CHECK(c.out == "");
    INFO("stderr: " << c.err);
    CHECK(std::regex_match(c.err, default_line));
    CHECK(read(dir / "y.npy").data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    const RunResult r = run_cli(dir, {"conv", dir / "x.npy", dir / "w.npy", "--repeat", "3", "--backend",
                                      "reference", "-o", dir / "y.npy"});
    CHECK(r.status == 0);
    INFO("stderr: " << r.err);
    CHECK(std::regex_match(r.err, line));
    CHECK(read(dir / "y.npy").data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    const RunResult p = run_cli(dir, {"pool", "avg", dir / "x.npy", "--kernel", "2", "--repeat", "3",
                                      "--backend", "reference", "-o", dir / "p.npy"});
    CHECK(p.status == 0);
    INFO("stderr: " << p.err);
    CHECK(std::regex_match(p.err, line));
    const RunResult pd =
        run_cli(dir, {"pool", "avg", dir / "x.npy", "--kernel", "2", "--repeat", "3", "-o", dir / "p.npy"});
    CHECK(pd.status == 0);
    INFO("stderr: " << pd.err);
    CHECK(std::regex_match(pd.err, default_line));
    CHECK(read(dir / "p.npy").data == std::vector<float>{1, 2.25f, 0.75f, 1.5f});
    // min ≤ median ≤ max
    std::smatch m;
    const std::regex nums(R"(median ([0-9.]+) ms \(min ([0-9.]+), max ([0-9.]+)\))");
    REQUIRE(std::regex_search(c.err, m, nums));
    CHECK(std::stod(m[2]) <= std::stod(m[1]));
    CHECK(std::stod(m[1]) <= std::stod(m[3]));
}

TEST_CASE("convscope: every error exits 2 with one error line and writes no output") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    write(dir / "x2.npy", Tensor::filled({1, 2, 5, 5}, 1));
    write(dir / "b3.npy", Tensor::filled({3}, 1));
    std::ofstream(dir / "bad.npy", std::ios::binary) << "\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'";
    std::ofstream(dir / "text.npy", std::ios::binary) << "1,2,3\n";
    const std::string x = dir / "x.npy", w = dir / "w.npy", out = dir / "y.npy";
    const std::vector<std::string> conv{"conv", x, w, "-o", out};
    auto with = [](std::vector<std::string> base, std::initializer_list<std::string> extra) {
        base.insert(base.end() - 2, extra);  // before "-o OUT"
        return base;
    };

    SECTION("bad stride") {
        CHECK_THAT(expect_error(dir, with(conv, {"--stride", "0"}), out),
                   Catch::Contains("stride must be at least 1"));
        CHECK_THAT(expect_error(dir, with(conv, {"--stride", "a,b"}), out), Catch::Contains("--stride"));
        CHECK_THAT(expect_error(dir, with(conv, {"--stride", "1,2,3"}), out),
                   Catch::Contains("is not N or H,W"));
        CHECK_THAT(expect_error(dir, with(conv, {"--stride", "-1"}), out), Catch::Contains("stride"));
    }
    SECTION("missing file") {
        CHECK_THAT(expect_error(dir, {"conv", dir / "nope.npy", w, "-o", out}, out),
                   Catch::Contains("nope.npy"));
        CHECK_THAT(expect_error(dir, {"conv", x, dir / "nope.npy", "-o", out}, out),
                   Catch::Contains("nope.npy"));
        CHECK_THAT(expect_error(dir, with(conv, {"--bias", dir / "nope.npy"}), out),
                   Catch::Contains("nope.npy"));
        CHECK_THAT(expect_error(dir, {"pool", "max", dir / "nope.npy", "--kernel", "2", "-o", out}, out),
                   Catch::Contains("nope.npy"));
        CHECK_THAT(expect_error(dir, {"explain", dir / "nope.npy", w, "--at", "0,0"}, ""),
                   Catch::Contains("nope.npy"));
        CHECK_THAT(expect_error(dir, {"conv", dir.path().string(), w, "-o", out}, out),
                   Catch::Contains("not a regular file"));
    }
    SECTION("malformed npy") {
        CHECK_THAT(expect_error(dir, {"conv", dir / "bad.npy", w, "-o", out}, out),
                   Catch::Contains("bad.npy"));
        CHECK_THAT(expect_error(dir, {"conv", dir / "text.npy", w, "-o", out}, out),
                   Catch::Contains("not a .npy file"));
        CHECK_THAT(expect_error(dir, {"pool", "avg", dir / "bad.npy", "--kernel", "2", "-o", out}, out),
                   Catch::Contains("bad.npy"));
        CHECK_THAT(expect_error(dir, {"explain", x, dir / "text.npy", "--at", "0,0"}, ""),
                   Catch::Contains("not a .npy file"));
    }
    SECTION("channel mismatch, bias shape, groups, sizes") {
        CHECK_THAT(expect_error(dir, {"conv", dir / "x2.npy", w, "-o", out}, out),
                   Catch::Contains("expects 1 input channels") && Catch::Contains("the input has 2"));
        CHECK_THAT(expect_error(dir, with(conv, {"--bias", dir / "b3.npy"}), out),
                   Catch::Contains("bias must have shape 1"));
        CHECK_THAT(expect_error(dir, with(conv, {"--groups", "0"}), out),
                   Catch::Contains("groups must be at least 1"));
        CHECK_THAT(expect_error(dir, with(conv, {"--groups", "two"}), out), Catch::Contains("groups"));
        CHECK_THAT(expect_error(dir, {"conv", w, x, "-o", out}, out),
                   Catch::Contains("larger than the padded input"));
        CHECK_THAT(expect_error(dir, with(conv, {"--padding", "same", "--stride", "2"}), out),
                   Catch::Contains("same"));
        CHECK_THAT(expect_error(dir, with(conv, {"--padding", "full"}), out), Catch::Contains("--padding"));
        CHECK_THAT(expect_error(dir, with(conv, {"--padding", "5", "--padding-mode", "reflect"}), out),
                   Catch::Contains("reflect padding"));
        CHECK_THAT(expect_error(dir, with(conv, {"--padding-mode", "mirror"}), out),
                   Catch::Contains("mirror"));
        CHECK_THAT(expect_error(dir, with(conv, {"--dilation", "0"}), out),
                   Catch::Contains("dilation must be at least 1"));
    }
    SECTION("unknown backend") {
        CHECK_THAT(expect_error(dir, with(conv, {"--backend", "quantum"}), out),
                   Catch::Contains("unknown backend 'quantum'") && Catch::Contains("reference"));
        CHECK_THAT(
            expect_error(dir, {"pool", "max", x, "--kernel", "2", "--backend", "quantum", "-o", out}, out),
            Catch::Contains("unknown backend"));
    }
    SECTION("unknown option, unknown subcommand, missing arguments") {
        expect_error(dir, with(conv, {"--frobnicate"}), out);
        expect_error(dir, with(conv, {"--frobnicate", "3"}), out);
        expect_error(dir, {"--frobnicate"}, "");
        expect_error(dir, {"conv", x, w}, "");  // no -o
        expect_error(dir, {"conv", x, "-o", out}, out);
        expect_error(dir, {"pool", "max", x, "-o", out}, out);  // no --kernel
        expect_error(dir, {"explain", x, w}, "");               // no --at
        expect_error(dir, {"size", "64"}, "");                  // no --kernel
        expect_error(dir, with(conv, {"--repeat", "many"}), out);
    }
    SECTION("pool errors") {
        const std::vector<std::string> pool{"pool", "max", x, "--kernel", "2", "-o", out};
        CHECK_THAT(expect_error(dir, {"pool", "min", x, "--kernel", "2", "-o", out}, out),
                   Catch::Contains("'min' is not max or avg"));
        CHECK_THAT(expect_error(dir, with(pool, {"--stride", "0"}), out),
                   Catch::Contains("stride must be at least 1"));
        CHECK_THAT(expect_error(dir, with(pool, {"--padding", "2"}), out),
                   Catch::Contains("half the kernel"));
        CHECK_THAT(expect_error(dir, {"pool", "max", x, "--kernel", "0", "-o", out}, out),
                   Catch::Contains("kernel size"));
        CHECK_THAT(expect_error(dir, {"pool", "avg", x, "--kernel", "2", "--dilation", "2", "-o", out}, out),
                   Catch::Contains("no dilation"));
        CHECK_THAT(expect_error(dir, {"pool", "max", x, "--kernel", "9", "-o", out}, out),
                   Catch::Contains("larger than the padded input"));
        CHECK_THAT(
            expect_error(dir, {"pool", "max", x, "--kernel", "2", "--stride", "1,2,3", "-o", out}, out),
            Catch::Contains("--stride"));
        CHECK(expect_error(dir, {"pool", "max", x, "--kernel", "2x", "-o", out}, out) ==
              "error: --kernel: '2x' is not N or H,W\n");
    }
    SECTION("explain and size errors") {
        CHECK_THAT(expect_error(dir, {"explain", x, w, "--at", "3,0"}, ""),
                   Catch::Contains("row 3 is outside 0..2"));
        CHECK_THAT(expect_error(dir, {"explain", x, w, "--at", "0,0", "--out-channel", "1"}, ""),
                   Catch::Contains("output channel 1 is outside 0..0"));
        CHECK_THAT(expect_error(dir, {"explain", x, w, "--at", "row"}, ""), Catch::Contains("--at"));
        CHECK_THAT(expect_error(dir, {"size", "0", "--kernel", "3"}, ""), Catch::Contains("at least 1"));
        CHECK_THAT(expect_error(dir, {"size", "5", "--kernel", "7"}, ""),
                   Catch::Contains("larger than the padded"));
        CHECK_THAT(expect_error(dir, {"size", "5", "--kernel", "3", "--stride", "0"}, ""),
                   Catch::Contains("stride must be at least 1"));
        CHECK_THAT(expect_error(dir, {"size", "5", "--kernel", "3", "--stride", "0", "--ceil-mode"}, ""),
                   Catch::Contains("stride must be at least 1"));
        CHECK_THAT(expect_error(dir, {"size", "big", "--kernel", "3"}, ""), Catch::Contains("input size"));
    }
    SECTION("the output cannot be written: the error names it, nothing is left behind") {
        CHECK_THAT(expect_error(dir, {"conv", x, w, "-o", dir / "no/such/dir/y.npy"}, ""),
                   Catch::Contains("cannot write"));
        fs::create_directory(dir / "adir");
        CHECK_THAT(expect_error(dir, {"conv", x, w, "-o", dir / "adir"}, ""),
                   Catch::Contains("cannot write"));
        CHECK(fs::is_empty(dir.path() / "adir"));
    }
}

TEST_CASE("convscope --help: on the root and every subcommand") {
    TempDir dir;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                                 {"-h"},
                                                 {"--help-all"},
                                                 {"conv", "--help"},
                                                 {"pool", "--help"},
                                                 {"size", "--help"},
                                                 {"explain", "--help"},
                                                 {"conv-transpose", "--help"},
                                                 {"unfold", "--help"},
                                                 {"conv", "-h"},
                                                 {"pool", "max", "--help"}}) {
        INFO(joined(args));
        const RunResult r = run_cli(dir, args);
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK(r.out.find("Usage") != std::string::npos);
        if (args.size() > 1) CHECK(r.out.find(args[0]) != std::string::npos);
    }
    const RunResult root = run_cli(dir, {"--help"});
    for (const char* sub : {"conv", "pool", "size", "explain", "conv-transpose", "unfold"})
        CHECK(root.out.find(sub) != std::string::npos);
    const RunResult transpose = run_cli(dir, {"conv-transpose", "--help"});
    for (const char* opt : {"--stride", "--padding", "--output-padding", "--dilation", "--groups", "--bias",
                            "--backend", "--repeat", "--max-mult-adds", "--output"})
        CHECK(transpose.out.find(opt) != std::string::npos);
    const RunResult unfold = run_cli(dir, {"unfold", "--help"});
    for (const char* opt : {"--kernel", "--stride", "--padding", "--dilation", "--output"})
        CHECK(unfold.out.find(opt) != std::string::npos);
    CHECK(run_cli(dir, {"conv", "--help"}).out.find("--flip") != std::string::npos);
    const RunResult size = run_cli(dir, {"size", "--help"});
    CHECK(size.out.find("--transposed") != std::string::npos);
    CHECK(size.out.find("--output-padding") != std::string::npos);
    CHECK(run_cli(dir, {"explain", "--help"}).out.find("--transposed") != std::string::npos);
    const RunResult conv = run_cli(dir, {"conv", "--help"});
    for (const char* opt : {"--stride", "--padding", "--dilation", "--groups", "--padding-mode", "--bias",
                            "--backend", "--repeat", "--output"})
        CHECK(conv.out.find(opt) != std::string::npos);
    const RunResult pool = run_cli(dir, {"pool", "--help"});
    for (const char* opt :
         {"--kernel", "--stride", "--padding", "--dilation", "--ceil-mode", "--exclude-pad"})
        CHECK(pool.out.find(opt) != std::string::npos);
    // --backend names its default, the fastest CPU backend.
    const std::string fastest =
        "(default: " + std::string(fastest_cpu_backend().name()) + ", the fastest CPU";
    CHECK(conv.out.find(fastest) != std::string::npos);
    CHECK(pool.out.find(fastest) != std::string::npos);
}

TEST_CASE("convscope --backend: every backend compiled in, or its reason for being unavailable") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    for (std::string_view name : backend_names()) {
        const std::string b(name);
        INFO("backend " << b);
        const std::vector<std::string> conv{"conv", dir / "x.npy", dir / "w.npy", "--backend",
                                            b,      "-o",          dir / "y.npy"};
        const std::vector<std::string> pool{"pool",      "max", dir / "x.npy", "--kernel",   "2",
                                            "--backend", b,     "-o",          dir / "p.npy"};
        if (auto found = find_backend(name); !found) {
            // Unavailable here: the command line says why, as an error, and writes nothing.
            CHECK(expect_error(dir, conv, dir / "y.npy") == "error: " + found.error() + "\n");
            CHECK(expect_error(dir, pool, dir / "p.npy") == "error: " + found.error() + "\n");
            continue;
        }
        const RunResult c = run_cli(dir, conv);
        CHECK(c.status == 0);
        CHECK(c.err == "");
        CHECK(read(dir / "y.npy").data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
        const RunResult p = run_cli(dir, pool);
        CHECK(p.status == 0);
        CHECK(read(dir / "p.npy").data == std::vector<float>{2, 5, 1, 2});
        const RunResult t = run_cli(dir, {"pool", "avg", dir / "x.npy", "--kernel", "2", "--repeat", "3",
                                          "--backend", b, "-o", dir / "p.npy"});
        CHECK(t.status == 0);
        CHECK(t.err.ends_with(" over 3 runs, backend " + b + "\n"));
    }
}

namespace {

// `base` with `extra` appended: the same command with more options.
std::vector<std::string> plus(std::vector<std::string> base, std::initializer_list<std::string> extra) {
    base.insert(base.end() - 2, extra.begin(), extra.end());  // before "-o OUT"
    return base;
}

}  // namespace

TEST_CASE("convscope: hostile numbers exit 2 with one error line, on every backend") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    const std::string x = dir / "x.npy", w = dir / "w.npy", out = dir / "y.npy";
    for (std::string_view name : backend_names()) {
        const std::string b(name);
        if (!find_backend(name)) continue;  // covered by the --backend test
        INFO("backend " << b);
        const std::vector<std::string> conv{"conv", x, w, "--backend", b, "-o", out};
        // d·(k−1)+1 overflows int64: refused, not wrapped into a small kernel (it crashed before).
        CHECK(expect_error(
                  dir, plus(conv, {"--dilation", "6148914691236517206", "--padding-mode", "reflect"}), out) ==
              "error: kernel 3×3 (dilated over 2⁶³×over 2⁶³) is larger than the padded "
              "input 5×5\n");
        CHECK_THAT(
            expect_error(dir, plus(conv, {"--padding", "same", "--dilation", "4611686018427387905"}), out),
            Catch::Contains("padding 'same' with dilation 4611686018427387905"));
        CHECK(expect_error(dir, plus(conv, {"--max-mult-adds", "80"}), out) ==
              "error: this convolution needs 81 multiply-adds, over the limit of 80 per operation "
              "(--max-mult-adds raises it)\n");
        CHECK(run_cli(dir, plus(conv, {"--max-mult-adds", "81"})).status == 0);
        fs::remove(out);
        CHECK_THAT(expect_error(dir,
                                {"pool", "max", x, "--kernel", "2", "--dilation", "9223372036854775807",
                                 "--backend", b, "-o", out},
                                out),
                   Catch::Contains("larger than the padded input"));
        CHECK_THAT(
            expect_error(
                dir, {"pool", "avg", x, "--kernel", "2", "--max-mult-adds", "15", "--backend", b, "-o", out},
                out),
            Catch::Contains("needs 16 multiply-adds, over the limit of 15"));
    }
    SECTION("2.5×10¹⁴ multiply-adds are refused from the headers, before 1 GiB of input is read") {
        // 1×1×16384×16384 float32 (a sparse file: nothing on disk) with a 1024×1024 kernel.
        {
            const std::vector<uint8_t> header = encode_npy(Tensor({1, 1, 16384, 16384}, {}));
            std::ofstream f(dir / "huge.npy", std::ios::binary);
            f.write(reinterpret_cast<const char*>(header.data()), std::streamsize(header.size()));
        }
        fs::resize_file(dir / "huge.npy", fs::file_size(dir / "huge.npy") + (uintmax_t(1) << 30));
        write(dir / "k.npy", Tensor::filled({1, 1, 1024, 1024}, 1.0f));
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(expect_error(dir, {"conv", dir / "huge.npy", dir / "k.npy", "-o", out}, out) ==
              "error: this convolution needs 247422329552896 multiply-adds, over the limit of 1000000000000 "
              "per operation (--max-mult-adds raises it)\n");
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
        fs::remove(dir / "huge.npy");
        fs::remove(dir / "k.npy");
    }
    SECTION("explain with dilation 2⁶²+1 reads nothing outside the input") {
        CHECK_THAT(
            expect_error(dir, {"explain", x, w, "--at", "0,0", "--dilation", "4611686018427387905"}, ""),
            Catch::Contains("larger than the padded input"));
    }
    SECTION("size: PyTorch refuses a kernel dilated past the input") {
        CHECK_THAT(expect_error(dir, {"size", "5", "--kernel", "5", "--dilation", "9223372036854775807"}, ""),
                   Catch::Contains("larger than the padded input"));
        CHECK(run_cli(dir, {"size", "64x32", "--kernel", "3", "--padding", "1", "--json"}).status == 0);
    }
    SECTION("N and H,W are plain decimal integers in range; the error names the option") {
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--stride", "0x10"}), out) ==
              "error: --stride: '0x10' is not N or H,W\n");
        CHECK(expect_error(dir, {"size", "8", "--kernel", "3", "--stride", "0x10"}, "") ==
              "error: --stride: '0x10' is not N or H,W\n");
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--groups", "99999999999999999999"}), out) ==
              "error: --groups: '99999999999999999999' is out of range\n");
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--groups", "0x1"}), out) ==
              "error: --groups: '0x1' is not a whole number (decimal digits only)\n");
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--dilation", "1e3"}), out) ==
              "error: --dilation: '1e3' is not N or H,W\n");
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--padding", "+1"}), out) ==
              "error: --padding: '+1' is not N, H,W, same or valid\n");
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--stride", "1,99999999999999999999"}),
                           out) == "error: --stride: '1,99999999999999999999' is out of range\n");
        CHECK(expect_error(dir, {"explain", x, w, "--at", "0,0", "--out-channel", "0x0"}, "") ==
              "error: --out-channel: '0x0' is not a whole number (decimal digits only)\n");
        CHECK(expect_error(dir, {"pool", "max", x, "--kernel", " 2", "-o", out}, out) ==
              "error: --kernel: ' 2' is not N or H,W\n");
    }
    SECTION("--repeat is between 1 and 10000") {
        for (const char* n : {"-5", "0", "10001", "2000000000", "99999999999999999999"}) {
            INFO(n);
            CHECK_THAT(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--repeat", n}), out),
                       Catch::Contains("--repeat"));
        }
        CHECK(expect_error(dir, plus({"conv", x, w, "-o", out}, {"--repeat", "0"}), out) ==
              "error: --repeat must be between 1 and 10000, got 0\n");
    }
}

TEST_CASE("convscope: FIFOs, devices and folders as inputs are refused at once; outputs are never replaced") {
    TempDir dir;
    write(dir / "x.npy", kLectureInput);
    write(dir / "w.npy", kLectureFilter);
    const std::string x = dir / "x.npy", w = dir / "w.npy", out = dir / "y.npy";
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
    SECTION("reads: each would block forever in open() without O_NONBLOCK") {
        CHECK(expect_error(dir, {"conv", dir / "pipe", w, "-o", out}, out) ==
              "error: " + (dir / "pipe") + " is a FIFO (named pipe), not a regular file\n");
        CHECK_THAT(expect_error(dir, {"conv", x, dir / "pipe", "-o", out}, out), Catch::Contains("FIFO"));
        CHECK_THAT(expect_error(dir, {"conv", x, w, "--bias", dir / "pipe", "-o", out}, out),
                   Catch::Contains("FIFO"));
        CHECK(expect_error(dir, {"conv", "/dev/zero", w, "-o", out}, out) ==
              "error: /dev/zero is a device, not a regular file\n");
        CHECK(expect_error(dir, {"pool", "max", dir.path().string(), "--kernel", "2", "-o", out}, out) ==
              "error: " + dir.path().string() + " is a folder, not a regular file\n");
    }
    SECTION("writes: a FIFO or a device output is refused and stays what it was") {
        CHECK(expect_error(dir, {"conv", x, w, "-o", dir / "pipe"}, "") ==
              "error: cannot write " + (dir / "pipe") +
                  ": it is a FIFO (named pipe), not a regular file (it is not replaced)\n");
        CHECK(fs::is_fifo(dir / "pipe"));
        CHECK_THAT(expect_error(dir, {"conv", x, w, "-o", "/dev/null"}, ""), Catch::Contains("not replaced"));
        CHECK(fs::is_character_file("/dev/null"));
    }
    SECTION("writes: a symlink output is written through; an existing file keeps its mode") {
        write(dir / "target.npy", kLectureInput);
        fs::permissions(dir / "target.npy", fs::perms::owner_read | fs::perms::owner_write);
        fs::create_symlink("target.npy", dir / "link.npy");
        const RunResult r = run_cli(dir, {"conv", x, w, "-o", dir / "link.npy"});
        CHECK(r.status == 0);
        CHECK(fs::is_symlink(dir / "link.npy"));
        CHECK(read(dir / "target.npy").data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
        CHECK(fs::status(dir / "target.npy").permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write));
        CHECK(listing(dir) == std::vector<std::string>{"link.npy", "pipe", "target.npy", "w.npy", "x.npy"});
    }
}

TEST_CASE("convscope: Ctrl+C (SIGINT) or SIGTERM stops a long run with no output and no temporary file") {
    TempDir dir;
    // 1×1×1024×1024 with a 63×63 kernel on the reference loops: about 3.7×10⁹ multiply-adds, seconds long.
    write(dir / "x.npy", Tensor::filled({1, 1, 1024, 1024}, 1.0f));
    write(dir / "w.npy", Tensor::filled({1, 1, 63, 63}, 1.0f));
    const int sig = GENERATE(SIGINT, SIGTERM);
    INFO("signal " << sig);
    testing::ChildProcess child(
        {convscope::testing::convscope_exe(), "conv", dir / "x.npy", dir / "w.npy", "--backend", "reference", "-o", dir / "y.npy"});
    REQUIRE(child.started());
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const auto t0 = std::chrono::steady_clock::now();
    child.signal(sig);
    const RunResult r = child.finish();
    REQUIRE_FALSE(r.timed_out);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    REQUIRE(r.signal != 0);  // it was still running, and ended by the signal (exit status 128 + sig)
    CHECK(r.signal == sig);
    CHECK(listing(dir) == std::vector<std::string>{"w.npy", "x.npy"});
}

TEST_CASE("convscope conv-transpose, unfold, conv --flip: the checkerboard, im2col and a true convolution") {
    TempDir dir;
    write(dir / "x.npy", Tensor({1, 1, 2, 2}, {1, 2, 3, 4}));
    write(dir / "w.npy", Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    for (std::string_view name : backend_names()) {
        if (!find_backend(name)) continue;  // gpu without a context: its own tests say why
        INFO("backend " << name);
        const RunResult r = run_cli(dir, {"conv-transpose", dir / "x.npy", dir / "w.npy", "--stride", "2",
                                          "--backend", std::string(name), "-o", dir / "y.npy"});
        CHECK(r.status == 0);
        CHECK(r.err == "");
        // PyTorch's conv_transpose2d(x, w, stride=2).
        CHECK(mismatch(Tensor({1, 1, 5, 5}, {1,  2,  5,  4,  6,  4,  5,  14, 10, 12, 10, 14, 36,
                                             24, 30, 12, 15, 34, 20, 24, 21, 24, 55, 32, 36}),
                       read(dir / "y.npy"), 0, 0) == "");
        fs::remove(dir / "y.npy");
    }
    SECTION("--repeat times conv-transpose, on the fastest CPU backend unless --backend says otherwise") {
        const RunResult r = run_cli(
            dir, {"conv-transpose", dir / "x.npy", dir / "w.npy", "--repeat", "2", "-o", dir / "y.npy"});
        CHECK(r.status == 0);
        CHECK(std::regex_search(r.err, std::regex("^time: median [0-9.]+ ms .* over 2 runs, backend " +
                                                  std::string(fastest_cpu_backend().name()) +
                                                  " \\(default: the fastest CPU backend\\)\n$")));
        const RunResult ref = run_cli(dir, {"conv-transpose", dir / "x.npy", dir / "w.npy", "--repeat", "2",
                                            "--backend", "reference", "-o", dir / "y.npy"});
        CHECK(ref.status == 0);
        CHECK(std::regex_search(ref.err,
                                std::regex("^time: median [0-9.]+ ms .* over 2 runs, backend reference\n$")));
    }
    SECTION("unfold of the lecture example: 9 rows, 9 windows") {
        write(dir / "lx.npy", kLectureInput);
        const RunResult r = run_cli(dir, {"unfold", dir / "lx.npy", "--kernel", "3", "-o", dir / "cols.npy"});
        CHECK(r.status == 0);
        const Tensor cols = read(dir / "cols.npy");
        CHECK(cols.shape == Shape{1, 9, 9});
        CHECK(cols.data[0] == 1);  // the first window's first value
        CHECK(cols.data[9] == 2);  // ... and its second
    }
    SECTION("conv --flip rotates the kernel, explain --flip shows the rotated weights") {
        write(dir / "lx.npy", kLectureInput);
        write(dir / "k.npy", Tensor({1, 1, 3, 3}, {1, 2, 0, 0, 0, 0, 0, 0, 0}));
        const RunResult r =
            run_cli(dir, {"conv", dir / "lx.npy", dir / "k.npy", "--flip", "-o", dir / "f.npy"});
        CHECK(r.status == 0);
        // Rotated: k'[2][1] = 2, k'[2][2] = 1, so out[0][0] = 2·x[2][1] + 1·x[2][2] = 0 + 2.
        CHECK(read(dir / "f.npy").data[0] == 2);
        const RunResult e = run_cli(dir, {"explain", dir / "lx.npy", dir / "k.npy", "--at", "0,0", "--flip"});
        CHECK(e.status == 0);
        CHECK(e.out == "(1×0) + (2×0) + (3×0) + (0×0) + (1×0) + (5×0) + (1×0) + (0×2) + (2×1) = 2\n");
    }
}

TEST_CASE("convscope size --transposed and explain --transposed") {
    TempDir dir;
    SECTION("size: the formula, the Conv2d round trip, and --json") {
        const RunResult j =
            run_cli(dir, {"size", "2", "--kernel", "3", "--stride", "2", "--transposed", "--json"});
        CHECK(j.status == 0);
        CHECK(j.out == "{\"out_h\":5,\"out_w\":5}\n");
        const RunResult d = run_cli(dir, {"size", "4x3", "--kernel", "4,3", "--stride", "2", "--padding", "1",
                                          "--transposed", "--json"});
        CHECK(d.out == "{\"out_h\":8,\"out_w\":5}\n");
        const RunResult t = run_cli(dir, {"size", "4", "--kernel", "3", "--stride", "2", "--padding", "1",
                                          "--output-padding", "1", "--transposed"});
        CHECK(t.status == 0);
        CHECK(t.out ==
              "H_out = (4 − 1)×2 − 2×1 + 1×(3 − 1) + 1 + 1 = 8\n"
              "W_out = (4 − 1)×2 − 2×1 + 1×(3 − 1) + 1 + 1 = 8\n"
              "output 8×8\n"
              "H: Conv2d with these parameters maps 7..8 to 4 (output_padding 0..1 chooses which); "
              "output_padding 1 gives 8\n"
              "W: Conv2d with these parameters maps 7..8 to 4 (output_padding 0..1 chooses which); "
              "output_padding 1 gives 8\n");
    }
    SECTION("explain: every input cell × weight that lands on the element") {
        write(dir / "x.npy", Tensor({1, 2, 2}, {1, 2, 3, 4}));
        write(dir / "w.npy", Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        const RunResult r = run_cli(
            dir, {"explain", dir / "x.npy", dir / "w.npy", "--at", "2,2", "--stride", "2", "--transposed"});
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK(r.out == "(1×9) + (2×7) + (3×3) + (4×1) = 36\n");
        const RunResult p = run_cli(dir, {"explain", dir / "x.npy", dir / "w.npy", "--at", "3,3", "--stride",
                                          "2", "--padding", "1", "--output-padding", "1", "--transposed"});
        CHECK(p.status == 0);
        CHECK(p.out == "(4×9) = 36\n");
    }
    SECTION("errors: exit 2, one line, no output") {
        write(dir / "x.npy", Tensor({1, 1, 2, 2}, {1, 2, 3, 4}));
        write(dir / "w.npy", Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        const std::string x = dir / "x.npy", w = dir / "w.npy", y = dir / "y.npy";
        CHECK(expect_error(dir, {"conv-transpose", x, w, "--output-padding", "1", "-o", y}, y) ==
              "error: output_padding 1 must be smaller than either stride 1 or dilation 1\n");
        CHECK(expect_error(dir, {"conv-transpose", x, w, "--padding", "3", "-o", y}, y)
                  .starts_with("error: the output would be -2×-2"));
        CHECK(expect_error(dir, {"conv-transpose", x, w, "--padding", "same", "-o", y}, y) ==
              "error: --padding: 'same' is not N or H,W\n");
        expect_error(dir, {"conv-transpose", x, w, "--stride", "0", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, w, "--groups", "2", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, w, "--stride", "9223372036854775807", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, w, "--backend", "nope", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, w, "--max-mult-adds", "8", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, dir / "missing.npy", "-o", y}, y);
        expect_error(dir, {"conv-transpose", x, w}, "");
        expect_error(dir, {"unfold", x, "-o", y}, y);  // --kernel is required
        CHECK(expect_error(dir, {"unfold", x, "--kernel", "0", "-o", y}, y) ==
              "error: kernel size must be at least 1, got 0\n");
        expect_error(dir, {"unfold", x, "--kernel", "3", "--stride", "0", "-o", y}, y);
        expect_error(dir, {"unfold", x, "--kernel", "5", "-o", y}, y);
        expect_error(dir, {"unfold", x, "--kernel", "2", "--padding", "-1", "-o", y}, y);
        expect_error(dir, {"unfold", w, "--kernel", "1", "--max-mult-adds", "3", "-o", y}, y);
        CHECK(expect_error(dir, {"size", "5", "--kernel", "3", "--output-padding", "1"}, "") ==
              "error: --output-padding needs --transposed\n");
        expect_error(dir, {"size", "5", "--kernel", "3", "--transposed", "--ceil-mode"}, "");
        expect_error(dir, {"size", "5", "--kernel", "3", "--transposed", "--padding", "same"}, "");
        expect_error(dir, {"size", "2", "--kernel", "3", "--transposed", "--padding", "3"}, "");
        expect_error(dir, {"size", "5", "--kernel", "3", "--transposed", "--output-padding", "1"}, "");
        expect_error(dir, {"size", "5", "--kernel", "3", "--transposed", "--stride", "9223372036854775807"},
                     "");
        expect_error(dir, {"explain", x, w, "--at", "0,0", "--transposed", "--flip"}, "");
        expect_error(dir, {"explain", x, w, "--at", "0,0", "--transposed", "--padding-mode", "reflect"}, "");
        expect_error(dir, {"explain", x, w, "--at", "9,0", "--transposed"}, "");
        expect_error(dir, {"explain", x, w, "--at", "0,0", "--output-padding", "1"}, "");
    }
}
