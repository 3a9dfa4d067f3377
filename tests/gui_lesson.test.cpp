// Scenes and lessons in the app, under Xvfb: a scene saved, reopened and saved again is the same file and the
// same picture; an invalid scene is refused in the UI's language and the app keeps running; the clicker's
// PageDown at the end of a scene goes to the next one and PageUp at its start back; `convscope lesson
// lecture --export` writes one distinct picture per scene in each language, and a broken lesson names its
// scene. Skipped (exit 4) where xvfb-run or xdotool is missing.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/testing.hpp"
#include "support/paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(convscope::testing::binary_dir()) / "tests" / "gui_lesson";
const std::string kApp = convscope::testing::binary_dir() + "/app/convscope";
const std::string kLecture = convscope::testing::source_dir() + "/assets/lessons/lecture.json";

using convscope::testing::slurp;

void require_tools(bool xdotool = false) {
    if (!convscope::testing::have_program("xvfb-run")) {
        std::puts("skipped: xvfb-run is not installed (Debian package xvfb)");
        std::exit(4);
    }
    if (xdotool && !convscope::testing::have_program("xdotool")) {
        std::puts("skipped: xdotool is not installed (Debian package xdotool)");
        std::exit(4);
    }
}

// Runs `sh -c COMMAND` under xvfb-run (our own X authority file); returns the exit status, stderr in `err`.
int under_x(const std::string& command, std::string* err = nullptr, const std::string& screen = "1920x1080") {
    fs::create_directories(kDir);
    const auto r = convscope::testing::run_process(
        {"xvfb-run", "-a", "-f", (kDir / "Xauthority").string(), "-s", "-screen 0 " + screen + "x24", "sh",
         "-c", command},
        convscope::testing::ProcessOptions::within(std::chrono::seconds(120)));
    if (err) *err = r.err;
    return r.timed_out ? -1 : r.status;
}

}  // namespace

TEST_CASE("gui: a scene round-trips (open, save, reopen: same problem, same picture)", "[gui]") {
    require_tools();
    const fs::path a = kDir / "a.json", b = kDir / "b.json", pa = kDir / "a.png", pb = kDir / "b.png";
    for (const fs::path& p : {a, b, pa, pb}) fs::remove(p);
    // Scene 3 of the lecture (padding 1), saved as a scene; then opened and saved again.
    REQUIRE(under_x(kApp + " gui " + kLecture + " --scene 3 --save-scene " + a.string()) == 0);
    REQUIRE(under_x(kApp + " gui " + a.string() + " --save-scene " + b.string()) == 0);
    const std::string ta = slurp(a);
    CHECK(ta == slurp(b));
    const auto j = nlohmann::json::parse(ta);
    CHECK(j["convscope"] == "scene");
    CHECK(j["stepper"]["padding"] == nlohmann::json::array({1, 1}));
    CHECK(j["stepper"]["step"]["window"] == 0);
    CHECK(j["caption"]["en"].get<std::string>().find("Zero padding 1") == 0);
    // The same picture from both files.
    const std::string shot = " --present-in-window --size 1280x800 --frames 4 --screenshot ";
    REQUIRE(under_x(kApp + " gui " + a.string() + shot + pa.string()) == 0);
    REQUIRE(under_x(kApp + " gui " + b.string() + shot + pb.string()) == 0);
    CHECK(fs::file_size(pa) > 10000);
    CHECK(slurp(pa) == slurp(pb));
}

TEST_CASE("gui: an invalid scene is refused in the UI's language and the app keeps running", "[gui]") {
    require_tools();
    fs::create_directories(kDir);
    const fs::path bad = kDir / "bad.json", out = kDir / "after-bad.json";
    std::ofstream(bad)
        << R"({"convscope":"scene","version":1,"view":"stepper","stepper":{"input":[[[1,2],[3,4]]],
        "weight":[[[[1]]]],"stride":[0,1]}})";
    fs::remove(out);
    std::string err;
    // The app goes on with the lecture's example and saves it.
    REQUIRE(under_x(kApp + " gui " + bad.string() + " --lang ko --save-scene " + out.string(), &err) == 0);
    INFO(err);
    CHECK(err.find("stepper.stride[0]") != std::string::npos);
    CHECK(err.find("범위를 벗어났습니다") != std::string::npos);
    CHECK(err.find("열지 않았습니다") != std::string::npos);
    const auto j = nlohmann::json::parse(slurp(out));
    CHECK(j["stepper"]["input"].size() == 1);
    CHECK(j["stepper"]["input"][0].size() == 5);  // the lecture's 5×5, not the refused 2×2
    // In English the same field and reason.
    REQUIRE(under_x(kApp + " gui " + bad.string() + " --lang en --save-scene " + out.string(), &err) == 0);
    CHECK(err.find("Not opened: stepper.stride[0] must be between 1 and 64") != std::string::npos);
}

TEST_CASE("gui: a scene core refuses (kernel larger than the input) names core's reason in Korean", "[gui]") {
    require_tools();
    fs::create_directories(kDir);
    const fs::path bad = kDir / "bad-kernel.json", out = kDir / "after-bad-kernel.json";
    std::ofstream(bad)
        << R"({"convscope":"scene","version":1,"view":"stepper","stepper":{"input":[[[1,2],[3,4]]],
        "weight":[[[[1,0,1],[0,1,0],[1,0,1]]]]}})";
    fs::remove(out);
    std::string err;
    REQUIRE(under_x(kApp + " gui " + bad.string() + " --lang ko --save-scene " + out.string(), &err) == 0);
    INFO(err);
    // The field, the scene-file wording and core's reason: all Korean, none of core's English left.
    CHECK(err.find("계산할 수 없는 문제입니다") != std::string::npos);
    CHECK(err.find("커널 3×3 (팽창 후 3×3)이(가) 패딩한 입력 2×2보다 큽니다") != std::string::npos);
    CHECK(err.find("is larger than") == std::string::npos);
    // In English, core's own words (the CLI's and the earlier text).
    REQUIRE(under_x(kApp + " gui " + bad.string() + " --lang en --save-scene " + out.string(), &err) == 0);
    CHECK(err.find("kernel 3×3 (dilated 3×3) is larger than the padded input 2×2") != std::string::npos);
}

TEST_CASE("gui: PageDown at the end of a scene goes to the next, PageUp at its start back", "[gui]") {
    require_tools(true);
    fs::create_directories(kDir);
    const auto run = [&](const std::string& keys) {
        const fs::path out = kDir / "paged.json";
        fs::remove(out);
        const std::string script = kApp + " gui " + kLecture + " --scene 2 --size 1280x800 --exit-after 3 " +
                                   "--save-scene " + out.string() + " & pid=$!; " +
                                   "xdotool search --sync --name ConvScope windowfocus --sync; sleep 1; " +
                                   keys + "; wait $pid";
        REQUIRE(under_x(script) == 0);
        return nlohmann::json::parse(slurp(out));
    };
    // Scene 2 ends on its last window: PageDown goes on to scene 3 (padding 1), at its first window.
    const auto next = run("xdotool key Next");
    CHECK(next["stepper"]["padding"] == nlohmann::json::array({1, 1}));
    CHECK(next["stepper"]["step"]["window"] == 0);
    // Scene 3: PageUp steps back to its start, the next PageUp returns to scene 2, shown as it begins.
    const auto back = run("xdotool key Next; sleep 0.3; xdotool key Prior; sleep 0.3; xdotool key Prior");
    CHECK(back["stepper"]["padding"] == nlohmann::json::array({0, 0}));
    CHECK(back["stepper"]["step"]["window"] == 8);
    // Inside a scene PageDown steps: scene 2 at its end, PageUp goes back one window and stays in scene 2.
    const auto inside = run("xdotool key Prior");
    CHECK(inside["stepper"]["padding"] == nlohmann::json::array({0, 0}));
    CHECK(inside["stepper"]["step"]["window"] == 7);
}

TEST_CASE("lesson --export: one distinct picture per scene in each language, a broken scene names itself",
          "[gui]") {
    require_tools();
    std::set<std::string> pictures;
    for (const char* lang : {"en", "ko"}) {
        const fs::path dir = kDir / (std::string("export-") + lang);
        fs::remove_all(dir);
        REQUIRE(under_x(kApp + " lesson lecture --export " + dir.string() + " --lang " + lang) == 0);
        int n = 0;
        for (const auto& e : fs::directory_iterator(dir)) {
            CHECK(e.path().extension() == ".png");
            pictures.insert(slurp(e.path()));
            ++n;
        }
        CHECK(n == 14);
        CHECK(fs::exists(dir / "01-stepper.png"));
        CHECK(fs::exists(dir / "14-network.png"));
    }
    CHECK(pictures.size() == 28);  // no two alike, across the languages too

    const fs::path broken = kDir / "broken.json", dir = kDir / "export-broken";
    std::ofstream(broken)
        << R"({"convscope":"lesson","version":1,"scenes":[{"view":"size","size":{"exercise":1}},
        {"view":"size","size":{"exercise":9}}]})";
    fs::remove_all(dir);
    std::string err;
    CHECK(under_x(kApp + " lesson " + broken.string() + " --export " + dir.string(), &err) == 2);
    CHECK(err.rfind("error: ", 0) == 0);
    CHECK(err.find("scene 2: size.exercise") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(!fs::exists(dir));
}

TEST_CASE("gui: predict, then reveal: the first step shows the hidden value, the next one moves on",
          "[gui]") {
    require_tools();
    fs::create_directories(kDir);
    const fs::path scene = kDir / "predict.json", out = kDir / "predict-out.json";
    std::ofstream(scene) << R"J({"convscope":"scene","version":1,"view":"stepper","stepper":{
        "input":[[[1,2,3,0,1],[0,1,5,1,0],[1,0,2,2,1],[1,1,2,0,0],[1,0,1,1,1]]],
        "weight":[[[[1,0,1],[0,1,0],[1,0,1]]]],"predict":true,"step":{"window":0}}})J";
    const auto window_after = [&](int steps) {
        fs::remove(out);
        REQUIRE(under_x(kApp + " gui " + scene.string() + " --step " + std::to_string(steps) +
                        " --save-scene " + out.string()) == 0);
        const auto j = nlohmann::json::parse(slurp(out));
        CHECK(j["stepper"]["predict"] == true);
        return j["stepper"]["step"]["window"].get<int>();
    };
    CHECK(window_after(0) == 0);
    CHECK(window_after(1) == 0);  // revealed window 0's value, stayed
    CHECK(window_after(2) == 1);  // then moved on (window 1 now hidden)
    CHECK(window_after(3) == 1);
    CHECK(window_after(4) == 2);
}
