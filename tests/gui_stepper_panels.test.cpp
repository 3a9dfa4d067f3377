// The stepper's transposed-convolution and im2col panels in the app, under xvfb-run: the operation chosen
// by preset and by scene, scatter stepped to the end shows conv_transpose2d's output, the gather view's
// numbers and multiply-accumulate line, the im2col column and its dot product, and in both languages at
// 1280×800 and in --present at 1920×1080 every grid on screen with none overlapping. The app reports what it
// shows through --report-layout. Screenshots stay in build/tests/gui_shots/. Skips (exit 4) without xvfb-run.
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/stepper/stepper_transpose.hpp"
#include "support/paths.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace convscope;

const fs::path kShots = fs::path(convscope::testing::binary_dir()) / "tests" / "gui_shots";

// Runs `convscope ARGS` under xvfb-run (a screen of `screen`) and returns its --report-layout as JSON.
json run_report(const std::string& name, const std::string& args, const std::string& screen = "2600x1700") {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        std::puts("skipped: xvfb-run is not installed (Debian package xvfb)");
        std::exit(4);
    }
    fs::create_directories(kShots);
    const fs::path report = kShots / (name + ".json"), shot = kShots / (name + ".png");
    fs::remove(report);
    const std::string cmd = "timeout 60 xvfb-run -a -f " + (kShots / "Xauthority-panels").string() +
                            " -s '-screen 0 " + screen + "x24' " + convscope::testing::binary_dir() +
                            "/app/convscope gui " + args + " --report-layout " + report.string() +
                            " --screenshot " + shot.string() + " >" + (kShots / (name + ".log")).string() +
                            " 2>&1";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    std::ifstream in(report);
    REQUIRE(in);
    return json::parse(in);
}

fs::path write_scene(const std::string& name, const std::string& stepper) {
    fs::create_directories(kShots);
    const fs::path p = kShots / (name + ".scene.json");
    std::ofstream(p) << R"({"convscope":"scene","version":1,"view":"stepper","stepper":)" << stepper << "}";
    return p;
}

// Every grid inside the screen, none overlapping another.
void check_grids_apart(const json& r) {
    const double w = r["screen"][0], h = r["screen"][1];
    const auto& g = r["grids"];
    REQUIRE(g.size() >= 3);
    for (size_t i = 0; i < g.size(); ++i) {
        INFO("grid " << i << " " << g[i].dump());
        CHECK(double(g[i][0]) >= 0);
        CHECK(double(g[i][1]) >= 0);
        CHECK(double(g[i][2]) <= w);
        CHECK(double(g[i][3]) <= h);
        for (size_t j = i + 1; j < g.size(); ++j) {
            const bool apart =
                g[i][2] <= g[j][0] || g[j][2] <= g[i][0] || g[i][3] <= g[j][1] || g[j][3] <= g[i][1];
            INFO("overlaps grid " << j << " " << g[j].dump());
            CHECK(apart);
        }
    }
}

StepperProblem preset(std::string_view key) {
    for (const StepperPreset& p : stepper_presets())
        if (p.key == key) return p.problem;
    FAIL("no preset " << key);
    return {};
}

std::vector<float> engine_transpose(const StepperProblem& p) {
    const ConvTransposeProblem* t = p.transposed();
    REQUIRE(t);
    auto y = reference_backend().conv_transpose2d(p.input, t->weight, t->has_bias ? &t->bias : nullptr,
                                                  transpose_params(*t));
    REQUIRE(y);
    return y->data;
}

std::vector<float> numbers(const json& a) {
    std::vector<float> v;
    for (const auto& x : a) v.push_back(x.is_null() ? -12345.0f : float(x.get<double>()));
    return v;
}

}  // namespace

TEST_CASE("gui stepper: scatter stepped to the end shows conv_transpose2d's output", "[gui]") {
    for (const char* key : {"transpose_checkerboard", "transpose_dcgan"}) {
        INFO(key);
        const StepperProblem p = preset(key);
        const int stamps = int(p.input.numel());
        const json r =
            run_report(std::string("panel-scatter-") + key, std::string("--preset ") + key + " --step " +
                                                                std::to_string(stamps) + " --size 1280x800");
        INFO(r.dump());
        REQUIRE(r.contains("transpose"));
        CHECK(r["transpose"]["view"] == "scatter");
        CHECK(numbers(r["transpose"]["output"]) == engine_transpose(p));
        check_grids_apart(r);
    }
    SECTION("halfway, only the stamped cells have sums; the checkerboard peaks at 4") {
        const json r =
            run_report("panel-scatter-half", "--preset transpose_checkerboard --step 1 --size 1280x800");
        INFO(r.dump());
        CHECK(numbers(r["transpose"]["output"]) ==
              std::vector<float>{1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        CHECK(r["transpose"]["max_overlap"] == 4);
    }
}

TEST_CASE("gui stepper: the operation chosen by a scene, the gather view's numbers and MAC line", "[gui]") {
    const std::string problem =
        R"({"operation":"conv_transpose","input":[[[1,2],[3,4]]],"weight":[[[[1,2,0],[0,1,1],[1,0,2]]]],)"
        R"("stride":[2,2],"padding":[0,0],"transpose_view":"gather"})";
    StepperProblem p = preset("transpose_checkerboard");
    p.weighted()->weight = Tensor({1, 1, 3, 3}, {1, 2, 0, 0, 1, 1, 1, 0, 2});
    const std::vector<float> expected = engine_transpose(p);
    SECTION("every window: the same numbers as the engine") {
        const json r = run_report("panel-gather-end",
                                  write_scene("gather", problem).string() + " --step 25 --size 1280x800");
        INFO(r.dump());
        REQUIRE(r.contains("transpose"));
        CHECK(r["transpose"]["view"] == "gather");
        CHECK(numbers(r["transpose"]["output"]) == expected);
        check_grids_apart(r);
    }
    SECTION("window 13 (the centre): its multiply-accumulate line ends in its value") {
        const json r = run_report("panel-gather-13",
                                  write_scene("gather", problem).string() + " --step 13 --size 1280x800");
        INFO(r.dump());
        const std::string mac = r["transpose"]["mac"];
        CHECK(mac.ends_with("= " + format_number(expected[12])));
        // Four of the nine products read an input cell (the centre gathers from all four stamps).
        auto g = gather_problem(p);
        REQUIRE(g);
        auto s = solve_stepper(g->conv);
        REQUIRE(s);
        CHECK(mac == explain_lines(s->traces[12]).back());
    }
}

TEST_CASE("gui stepper: im2col's column of the current window and its dot product", "[gui]") {
    const json r = run_report("panel-im2col", "--preset im2col_lecture --step 1 --size 1280x800");
    INFO(r.dump());
    REQUIRE(r.contains("im2col"));
    CHECK(r["im2col"]["rows"] == 9);
    CHECK(r["im2col"]["cols"] == 9);
    CHECK(numbers(r["im2col"]["column"]) == std::vector<float>{1, 2, 3, 0, 1, 5, 1, 0, 2});
    CHECK(numbers(r["im2col"]["kernel_row"]) == std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1});
    CHECK(r["im2col"]["dot"] == 8);  // the lecture's first output
    check_grids_apart(r);
    SECTION("the last window") {
        const json e = run_report("panel-im2col-9", "--preset im2col_lecture --step 9 --size 1280x800");
        CHECK(e["im2col"]["dot"] == 5);
    }
}

TEST_CASE("gui stepper: the panels in both languages, at 1280×800 and in --present at 1920×1080", "[gui]") {
    const fs::path gather =
        write_scene("gather-present", R"({"operation":"conv_transpose","input":[[[1,2],[3,4]]],)"
                                      R"("weight":[[[[1,1,1],[1,1,1],[1,1,1]]]],"stride":[2,2],)"
                                      R"("transpose_view":"gather","step":{"window":6,"term":4}})");
    const fs::path flip = write_scene("flip", R"({"operation":"conv","input":[[[1,2,3,0,1],[0,1,5,1,0],)"
                                              R"([1,0,2,2,1],[1,1,2,0,0],[1,0,1,1,1]]],)"
                                              R"("weight":[[[[1,2,0],[0,1,0],[3,0,1]]]],"flip":true,)"
                                              R"("step":{"window":0,"term":2}})");
    const std::pair<std::string, std::string> views[] = {
        {"scatter", "--preset transpose_checkerboard --step 3 --step-terms 2"},
        {"gather", gather.string()},
        {"im2col", "--preset im2col_lecture --step 5"},
        {"flip", flip.string()}};
    for (const auto& [name, args] : views)
        for (const char* lang : {"en", "ko"}) {
            INFO(name << " " << lang);
            const json small =
                run_report("panel-" + name + "-" + lang + "-1280",
                           args + " --lang " + lang + " --scale 1 --size 1280x800", "1280x800");
            check_grids_apart(small);
            const json big =
                run_report("panel-" + name + "-" + lang + "-present",
                           args + " --lang " + lang + " --present --size 1920x1080", "1920x1080");
            check_grids_apart(big);
            CHECK(big["presenting"] == true);
            CHECK(double(big["text"]) > double(small["text"]));  // larger text on the projector
        }
}

TEST_CASE("gui stepper: choosing Transposed convolution in the Operation list", "[gui]") {
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
        std::puts("skipped: xdotool is not installed (Debian package xdotool)");
        std::exit(4);
    }
    fs::create_directories(kShots);
    const fs::path report = kShots / "panel-choose-op.json", shot = kShots / "panel-choose-op.png";
    const fs::path script = kShots / "panel-choose-op.sh";
    fs::remove(report);
    // At 1280×800, scale 1: the Operation combo, then its fourth item (the positions the panel has there).
    std::ofstream(script) << convscope::testing::binary_dir()
                          << "/app/convscope gui --size 1280x800 --scale 1 --exit-after 6"
                          << " --report-layout " << report.string() << " --screenshot " << shot.string()
                          << " &\n"
                          << "pid=$!\n"
                          << "w=$(xdotool search --sync --name ConvScope | head -1)\n"
                          << "xdotool windowfocus --sync $w\n"
                          << "sleep 1.5\n"
                          << "xdotool mousemove --window $w 145 368 click 1\n"
                          << "sleep 0.7\n"
                          << "xdotool mousemove --window $w 116 477 click 1\n"
                          << "wait $pid\n";
    const std::string cmd = "timeout 40 xvfb-run -a -f " + (kShots / "Xauthority-panels").string() +
                            " -s '-screen 0 1600x1000x24' sh " + script.string() + " >" +
                            (kShots / "panel-choose-op.log").string() + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(report);
    REQUIRE(in);
    const json r = json::parse(in);
    INFO(r.dump());
    REQUIRE(r.contains("transpose"));
    CHECK(r["transpose"]["view"] == "scatter");
    CHECK(r["transpose"]["shape"] == json::array({1, 5, 5}));  // it starts on the 2×2 → 5×5 example
    check_grids_apart(r);
}
