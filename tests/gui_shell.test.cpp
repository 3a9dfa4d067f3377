// The app shell under Xvfb, driven from the keyboard through xdotool as a person would: File ▸ New, Save
// (Ctrl+S) through the save dialog, Open (Ctrl+O), the window title naming the lesson and marking unsaved
// changes, the question at quit (Save / Discard / Cancel), Export frame (Ctrl+E) asking before replacing a
// file, Export animation (Ctrl+Shift+E), and the app sleeping when nothing changes (CPU time over a few idle
// seconds) while playback still advances. Runs that are not scripted (no --frames, --exit-after …) get a
// config folder of their own. Skipped (exit 4) where xvfb-run or xdotool is missing.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include "support/paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(convscope::testing::binary_dir()) / "tests" / "gui_shell";
const std::string kApp = convscope::testing::binary_dir() + "/app/convscope";
const std::string kLecture = convscope::testing::source_dir() + "/assets/lessons/lecture.json";

void require_tools() {
    for (const char* tool : {"xvfb-run", "xdotool"})
        if (std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) != 0) {
            std::printf("skipped: %s is not installed (Debian packages xvfb, xdotool)\n", tool);
            std::exit(4);
        }
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A fresh folder for one test case: work/ (the app's current folder) and config/ (its settings).
fs::path fresh(const std::string& name) {
    const fs::path d = kDir / name;
    fs::remove_all(d);
    fs::create_directories(d / "work");
    fs::create_directories(d / "config");
    return d;
}

// Starts `convscope ARGS` in `dir`/work under Xvfb, waits for its window, runs `actions` (sh, with $pid the
// app's process and $win its window), then waits for the app to end (killing it after 60 s). Returns the
// app's exit status; what the actions echo goes to `dir`/out.txt.
int session(const fs::path& dir, const std::string& args, const std::string& actions) {
    const fs::path script = dir / "session.sh";
    std::ofstream(script)
        << "cd '" << (dir / "work").string() << "'\n"
        << "export XDG_CONFIG_HOME='" << (dir / "config").string() << "'\n"
        << kApp << " gui " << args << " 2>'" << (dir / "stderr.txt").string() << "' &\n"
        << "pid=$!\n"
        << "win=$(xdotool search --sync --name ConvScope | head -1)\n"
        << "sleep 0.5; xdotool windowfocus --sync $win 2>/dev/null; sleep 1\n"
        // until_title TEXT: waits (up to 15 s) for the window title to contain TEXT, so a
        // slow, loaded machine does not race the checks.
        << "until_title() { for i in $(seq 75); do case \"$(xdotool getwindowname $win)\" in "
           "*\"$1\"*) return;; esac; sleep 0.2; done; }\n"
        << actions << "\n"
        << "( sleep 60; kill $pid 2>/dev/null ) & killer=$!\n"
        << "wait $pid; status=$?\n"
        << "kill $killer 2>/dev/null\n"
        << "exit $status\n";
    const std::string cmd = "cd '" + dir.string() + "' && timeout 150 xvfb-run -a -f '" +
                            (dir / "Xauthority").string() + "' -s '-screen 0 1920x1080x24' sh '" +
                            script.string() + "' >'" + (dir / "out.txt").string() + "' 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Each line the actions echoed (X's and xdotool's own messages left out: they start otherwise).
std::vector<std::string> lines(const fs::path& dir) {
    std::vector<std::string> out;
    std::istringstream in(slurp(dir / "out.txt"));
    for (std::string l; std::getline(in, l);)
        for (const char* mine : {"title", "asked", "still-running", "kept=", "idle_ticks="})
            if (l.rfind(mine, 0) == 0) out.push_back(l);
    return out;
}

const std::string kArgs = "--view stepper --scale 1 --size 1280x800";

// One session's outcome: its folder, the app's exit status and the lines its actions echoed.
struct Played {
    fs::path dir;
    int status = -1;
    std::vector<std::string> out;
    // What a failure prints: everything the script and the app wrote.
    std::string log() const { return slurp(dir / "out.txt") + slurp(dir / "stderr.txt"); }
};

// Plays `actions` on `convscope gui ARGS` in `dir` (see session()) and reads back what they echoed.
Played play_in(const fs::path& dir, const std::string& args, const std::string& actions) {
    Played p{dir, session(dir, args, actions), {}};
    p.out = lines(dir);
    return p;
}

// The same in a fresh folder `name`, after `setup` (given the app's work folder) put files there. Checks
// that the app exited cleanly and that the actions echoed at least `echoed` lines.
Played play(const std::string& name, const std::string& args, const std::string& actions, size_t echoed,
            const std::function<void(const fs::path& work)>& setup = {}) {
    require_tools();
    const fs::path d = fresh(name);
    if (setup) setup(d / "work");
    Played p = play_in(d, args, actions);
    INFO(p.log());
    CHECK(p.status == 0);
    REQUIRE(p.out.size() >= echoed);
    return p;
}

void copy_lecture(const fs::path& work) {
    fs::copy_file(kLecture, work / "class.json");
}

}  // namespace

TEST_CASE("gui shell: Ctrl+N then Ctrl+S saves through the save dialog and the title marks unsaved changes",
          "[gui]") {
    const Played p = play("new_save", kArgs,
                          "echo \"title0=$(xdotool getwindowname $win)\"\n"
                          "xdotool key ctrl+n; until_title •\n"
                          "echo \"title1=$(xdotool getwindowname $win)\"\n"
                          "xdotool key ctrl+s; sleep 1\n"
                          "xdotool key ctrl+a; xdotool type --delay 30 mylesson; xdotool key Return; "
                          "until_title mylesson\n"
                          "echo \"title2=$(xdotool getwindowname $win)\"\n"
                          "xdotool key ctrl+q",
                          3);
    CHECK(p.out[0] == "title0=ConvScope");
    CHECK(p.out[1] == "title1=Lesson • — ConvScope");       // a new lesson nobody saved
    CHECK(p.out[2] == "title2=mylesson.json — ConvScope");  // named after its file, saved
    // The name typed got the lesson's ending, in the folder the dialog showed (the app's current folder).
    const fs::path saved = p.dir / "work" / "mylesson.json";
    REQUIRE(fs::exists(saved));
    const auto j = nlohmann::json::parse(slurp(saved));
    CHECK(j["convscope"] == "lesson");
    REQUIRE(j["scenes"].size() == 1);
    CHECK(j["scenes"][0]["view"] == "stepper");
    CHECK(j["scenes"][0]["stepper"]["input"][0].size() == 5);  // the lecture's 5×5
}

TEST_CASE("gui shell: quitting with unsaved changes asks: Escape cancels and D discards", "[gui]") {
    const Played p = play("quit_question", kArgs,
                          "xdotool key ctrl+n; until_title •\n"
                          "xdotool key ctrl+q; sleep 1\n"
                          "kill -0 $pid && echo asked\n"
                          "xdotool key Escape; sleep 0.7\n"
                          "kill -0 $pid && echo still-running\n"
                          "echo \"title=$(xdotool getwindowname $win)\"\n"
                          "xdotool key ctrl+q; sleep 0.7; xdotool key d",
                          3);
    CHECK(p.out[0] == "asked");          // Ctrl+Q did not quit: it asked
    CHECK(p.out[1] == "still-running");  // Escape is Cancel
    CHECK(p.out[2] == "title=Lesson • — ConvScope");
    // Discarded: no lesson file anywhere in the work folder.
    CHECK(fs::is_empty(p.dir / "work"));
}

TEST_CASE("gui shell: Ctrl+O opens a lesson by its path and the title names it", "[gui]") {
    const Played p = play("open", kArgs,
                          "xdotool key ctrl+o; sleep 1\n"
                          "xdotool key ctrl+a; xdotool type --delay 30 class.json; xdotool key Return; "
                          "until_title class.json\n"
                          "echo \"title=$(xdotool getwindowname $win)\"\n"
                          "xdotool key ctrl+q",
                          1, copy_lecture);
    CHECK(p.out[0] == "title=class.json — ConvScope");
}

TEST_CASE("gui shell: Export frame saves the view as a PNG and asks before replacing a file", "[gui]") {
    const Played p = play("export_frame", kArgs,
                          // The suggested name exists: Enter asks, Escape keeps the old file.
                          "xdotool key ctrl+e; sleep 0.7; xdotool key Return; sleep 0.5\n"
                          "xdotool key Escape; sleep 0.7\n"
                          "echo \"kept=$(cat stepper.png)\"\n"
                          // Enter twice: asked, then replaced.
                          "xdotool key ctrl+e; sleep 0.7; xdotool key Return; sleep 0.5\n"
                          "xdotool key Return; sleep 1.5\n"
                          // A new name gets the .png ending.
                          "xdotool key ctrl+e; sleep 0.7; xdotool key ctrl+a; "
                          "xdotool type --delay 30 second; xdotool key Return; sleep 1.5\n"
                          "xdotool key ctrl+q",
                          1, [](const fs::path& work) { std::ofstream(work / "stepper.png") << "old"; });
    CHECK(p.out[0] == "kept=old");
    const fs::path png = p.dir / "work" / "stepper.png";
    const std::string bytes = slurp(png);
    CHECK(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");
    CHECK(bytes.size() > 10000);  // the view's picture, not a blank
    const std::string second = slurp(p.dir / "work" / "second.png");
    CHECK(second.substr(0, 8) == "\x89PNG\r\n\x1a\n");
}

TEST_CASE("gui shell: Export animation records the stepper's steps as a GIF", "[gui]") {
    const Played p = play("export_animation", kArgs,
                          "xdotool key ctrl+shift+e; sleep 0.7; xdotool key ctrl+a; "
                          "xdotool type --delay 30 steps; xdotool key Return; sleep 4\n"
                          "xdotool key ctrl+q",
                          0);
    const std::string gif = slurp(p.dir / "work" / "steps.gif");
    CHECK(gif.substr(0, 6) == "GIF89a");
    CHECK(gif.size() > 10000);
}

TEST_CASE("gui shell: the app sleeps when nothing changes and playback still advances", "[gui]") {
    // CPU time (user + system, in clock ticks) of the app over 4 idle seconds, then Space plays the scene for
    // 3 s and Ctrl+S saves where the playhead got to.
    const Played p = play(
        "idle", "class.json --scene 2 --scale 1 --size 1280x800",
        "sleep 2\n"
        "t0=$(awk '{print $14+$15}' /proc/$pid/stat); sleep 4; t1=$(awk '{print $14+$15}' /proc/$pid/stat)\n"
        "echo \"idle_ticks=$((t1 - t0)) hz=$(getconf CLK_TCK)\"\n"
        "xdotool key Home; sleep 0.3; xdotool key space; sleep 3; xdotool key space; sleep 0.3\n"
        "xdotool key ctrl+s; sleep 0.7; xdotool key ctrl+q",
        1, copy_lecture);
    long ticks = -1, hz = 100;
    REQUIRE(std::sscanf(p.out[0].c_str(), "idle_ticks=%ld hz=%ld", &ticks, &hz) == 2);
    // Drawing every frame on llvmpipe costs most of a core; asleep it is a few wake-ups. 10 % leaves room for
    // a loaded machine (the goal, measured by hand, is under 2 %).
    CHECK(double(ticks) / double(hz) / 4.0 < 0.10);
    // 3 s at 1.5 steps a second: the playhead moved on from the first window (saved in the lesson's scene 2).
    const auto j = nlohmann::json::parse(slurp(p.dir / "work" / "class.json"));
    const int window = j["scenes"][1]["stepper"]["step"].value("window", -1);
    CHECK(window >= 2);
}

TEST_CASE("gui shell: the last view, each view's state and the recent files come back at the next start",
          "[gui]") {
    const std::string args = "--scale 1 --size 1280x800";  // no view, preset or file: the session may return
    // First run: open the lecture (a recent file), step its first scene three times, save, go to the network
    // view, quit.
    const Played first =
        play("restore", args,
             "xdotool key ctrl+o; sleep 1\n"
             "xdotool key ctrl+a; xdotool type --delay 30 class.json; xdotool key Return; "
             "until_title class.json\n"
             "xdotool key ctrl+1; sleep 0.3; xdotool key Right Right Right; sleep 0.5\n"
             "xdotool key ctrl+s; sleep 0.7; xdotool key ctrl+4; sleep 0.7; xdotool key ctrl+q",
             0, copy_lecture);
    REQUIRE(first.status == 0);
    const fs::path& d = first.dir;
    const fs::path config = d / "config" / "convscope";
    REQUIRE(fs::exists(config / "session.json"));
    const auto saved = nlohmann::json::parse(slurp(d / "work" / "class.json"));
    const int lesson_window = saved["scenes"][0]["stepper"]["step"].value("window", -1);
    CHECK(lesson_window >= 1);
    const auto last = nlohmann::json::parse(slurp(config / "session.json"));
    CHECK(last.value("current_view", "") == "network");
    int session_window = -2;
    for (const auto& sc : last["scenes"])
        if (sc.value("view", "") == "stepper") session_window = sc["stepper"]["step"].value("window", -1);
    CHECK(session_window == lesson_window);
    CHECK(slurp(config / "recent.json").find("class.json") != std::string::npos);

    // Second run, with the same arguments: it starts on the network view (Export frame suggests
    // "network.png"), and the recent file is offered again.
    const Played second = play_in(d, args,
                                  "sleep 1; xdotool key ctrl+e; sleep 0.7; xdotool key Return; sleep 1.5\n"
                                  "xdotool key ctrl+q");
    INFO(second.log());
    CHECK(second.status == 0);
    CHECK(fs::exists(d / "work" / "network.png"));
    CHECK(!fs::exists(d / "work" / "stepper.png"));
    CHECK(slurp(config / "recent.json").find("class.json") != std::string::npos);
}

TEST_CASE(
    "gui shell: typing capitals and brackets into a text field (Shift pressed and released within one "
    "frame) builds the pasted stack and does not abort",
    "[gui]") {
    // xdotool types a capital as Shift down, L, Shift up at once, so all of it may land in one poll. The
    // release held back for the next frame used to reach Dear ImGui after NewFrame, and 1.86 aborted in
    // InputTextEx ("Mismatching io.KeyCtrl/io.KeyShift… vs io.KeyMods").
    require_tools();
    const fs::path d = fresh("typing");
    // The network view at 1280×800: a new lesson, its "PyTorch code" tab (clicked twice: the first click may
    // only focus the window), the paste box (the right half below the tabs), where two layers are typed after
    // the example's code, "Build the stack" below the box (above the lesson's scene bar); then the lesson is
    // saved, so the file shows what was typed.
    const int status = session(d, "--view network --scale 1 --size 1280x800",
                               "xdotool key ctrl+n; until_title •; sleep 0.5\n"
                               "xdotool mousemove --window $win 546 267 click 1; sleep 0.5; xdotool click 1\n"
                               "sleep 0.7; xdotool mousemove --window $win 1000 500 click 1; sleep 0.5\n"
                               "xdotool key ctrl+End; sleep 0.3; xdotool key Return\n"
                               "xdotool type 'nn.Conv2d(5, 8, (3, 3))'; sleep 0.3; xdotool key Return\n"
                               "xdotool type 'nn.MaxPool2d(2)'; sleep 0.5\n"
                               "xdotool mousemove --window $win 1067 624 click 1; sleep 1\n"
                               "kill -0 $pid && echo still-running\n"
                               "xdotool key ctrl+s; sleep 1\n"
                               "xdotool key ctrl+a; xdotool type --delay 30 typed; xdotool key Return; "
                               "until_title typed\n"
                               "xdotool key ctrl+q");
    INFO(slurp(d / "out.txt") << slurp(d / "stderr.txt"));
    CHECK(status == 0);
    CHECK(slurp(d / "stderr.txt").find("Assertion") == std::string::npos);
    const auto out = lines(d);
    REQUIRE(out.size() >= 1);
    CHECK(out[0] == "still-running");
    const fs::path saved = d / "work" / "typed.json";
    REQUIRE(fs::exists(saved));
    const auto j = nlohmann::json::parse(slurp(saved));
    REQUIRE(j["scenes"].size() == 1);
    CHECK(j["scenes"][0]["view"] == "network");
    const auto& layers = j["scenes"][0]["network"]["layers"];
    INFO(layers.dump());
    REQUIRE(layers.size() == 4);  // the example's Conv2d and MaxPool2d, then the two typed
    CHECK(layers[2].get<std::string>().find("Conv2d(5, 8, ") != std::string::npos);
    CHECK(layers[3] == "nn.MaxPool2d(2)");
}
