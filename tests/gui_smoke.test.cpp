// The GUI smoke test: runs `convscope gui … --screenshot` under xvfb-run for every view, in English and
// Korean, at scale 1 and 2, and checks each picture is the window's size and not blank (many colours, no
// single colour filling it). Also: stepping draws the current window, --export-gif writes one frame per
// window, bad arguments exit 2, and a missing font falls back instead of crashing. Presentation: --present
// fills the screen with the grids at least a quarter of it, the UI scale keeps the cells, a clicker's keys
// (quick taps through xdotool) give the pictures --step gives, B blanks and returns, F11/F5/Escape, the key
// help, keyboard navigation; the stepper's settings fold in a cramped window and the toggle opens them. The
// screenshots stay in build/tests/gui_shots/ for people to look at. Skips (exit 4) where xvfb-run is missing.
#include <gif_lib.h>
#include <sys/stat.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/paths.hpp"
#include "support/picture.hpp"
#include "support/testing.hpp"

namespace {

namespace fs = std::filesystem;
using convscope::testing::differing_share;
using convscope::testing::load_rgb;
using convscope::testing::slurp;

const fs::path kShots = fs::path(convscope::testing::binary_dir()) / "tests" / "gui_shots";

// Exits the test process with 4 (CTest: skipped) when no X server can be started.
void require_xvfb() {
    if (!convscope::testing::have_program("xvfb-run")) {
        std::puts("skipped: xvfb-run is not installed (Debian package xvfb)");
        std::exit(4);
    }
}

// `xvfb-run` with a free display and a screen of `size`. Its X authority file is ours (in kShots): without
// one, xvfb-run makes and removes a temporary folder per run, and a failed removal there (seen when several
// xvfb-runs overlap) ends the run with status 5 whatever the app did.
std::string xvfb_run(const std::string& size) {
    fs::create_directories(kShots);
    return "xvfb-run -a -f " + (kShots / "Xauthority").string() + " -s '-screen 0 " + size + "x24'";
}

// Exits with 4 (skipped) where xdotool, which plays the person at the keyboard and mouse, is missing.
void require_xdotool() {
    require_xvfb();
    if (!convscope::testing::have_program("xdotool")) {
        std::puts("skipped: xdotool is not installed (Debian package xdotool)");
        std::exit(4);
    }
}

// Runs the shell line `command` with its output kept in kShots/last.log (for the people reading a failure).
convscope::testing::ProcessResult run_logged(const std::string& command, std::chrono::seconds timeout) {
    auto r = convscope::testing::run_shell(command, convscope::testing::ProcessOptions::within(timeout));
    std::ofstream(kShots / "last.log", std::ios::binary | std::ios::trunc)
        << r.out << r.err << (r.timed_out ? "\n(killed: over the time limit)\n" : "");
    return r;
}

// Runs `convscope gui ARGS` at `size` for `seconds` under Xvfb (a screen of `screen`), saving the window to
// `out` at the end, while a script waits `settle` seconds for the window and then plays `actions` (xdotool
// commands) on it.
void run_with_actions(const std::string& name, const std::string& args, double seconds, double settle,
                      const fs::path& out, const std::string& actions, const std::string& size = "1280x800",
                      const std::string& screen = "2000x1400") {
    fs::create_directories(kShots);
    const std::string script = (kShots / (name + ".sh")).string();
    std::FILE* f = std::fopen(script.c_str(), "w");
    REQUIRE(f);
    std::fprintf(f,
                 "%s/app/convscope gui %s --size %s --exit-after %g --screenshot %s &\n"
                 "pid=$!\n"
                 "xdotool search --sync --name ConvScope windowfocus --sync\n"
                 "sleep %g\n"
                 "%s\n"
                 "wait $pid\n",
                 convscope::testing::binary_dir().c_str(), args.c_str(), size.c_str(), seconds, out.c_str(),
                 settle, actions.c_str());
    std::fclose(f);
    const auto r = run_logged(xvfb_run(screen) + " sh " + script, std::chrono::seconds(40));
    REQUIRE_FALSE(r.timed_out);
    REQUIRE(r.status == 0);
}

// Runs convscope with `args` under xvfb-run (a screen of `screen`); returns its exit status.
int run_gui(const std::string& args, const std::string& env = "", const std::string& screen = "2600x1700") {
    require_xvfb();
    fs::create_directories(kShots);
    const auto r = run_logged(
        env + " " + xvfb_run(screen) + " " + convscope::testing::binary_dir() + "/app/convscope " + args,
        std::chrono::seconds(120));
    return r.timed_out ? -1 : r.status;
}

struct Picture {
    int width = 0, height = 0;
    int distinct = 0;        // distinct RGB colours
    double top_share = 0.0;  // share of the most common colour
    long vermillion = 0;     // pixels of the current-window colour (Okabe–Ito #D55E00)
};

Picture inspect(const fs::path& png) {
    Picture p;
    const auto picture = load_rgb(png);
    INFO(png.string());
    REQUIRE(picture);
    p.width = picture->width;
    p.height = picture->height;
    std::map<uint32_t, long> counts;
    const long n = picture->pixels();
    for (long i = 0; i < n; ++i) {
        const unsigned char* c = &picture->rgb[size_t(3 * i)];
        ++counts[(uint32_t(c[0]) << 16) | (uint32_t(c[1]) << 8) | c[2]];
        if (std::abs(c[0] - 0xD5) < 8 && std::abs(c[1] - 0x5E) < 8 && c[2] < 8) ++p.vermillion;
    }
    p.distinct = int(counts.size());
    long top = 0;
    for (const auto& [colour, count] : counts) top = std::max(top, count);
    p.top_share = double(top) / double(n);
    return p;
}

// Screenshot of a view; checks size and non-blankness; returns the picture's statistics.
Picture shot(const std::string& name, const std::string& args, int w, int h) {
    const fs::path out = kShots / (name + ".png");
    fs::remove(out);
    const int status = run_gui("gui " + args + " --size " + std::to_string(w) + "x" + std::to_string(h) +
                               " --screenshot " + out.string());
    INFO("convscope " << args << " (see " << (kShots / "last.log").string() << ")");
    REQUIRE(status == 0);
    REQUIRE(fs::exists(out));
    const Picture p = inspect(out);
    CHECK(p.width == w);
    CHECK(p.height == h);
    CHECK(p.distinct >= 24);
    CHECK(p.top_share < 0.9);
    return p;
}

}  // namespace

TEST_CASE("gui: every view in English and Korean at scale 1 and 2", "[gui]") {
    const std::string view = GENERATE(as<std::string>{}, "stepper", "size", "network");
    const std::string lang = GENERATE(as<std::string>{}, "en", "ko");
    const int scale = GENERATE(1, 2);
    const std::string name = view + "-" + lang + "-" + std::to_string(scale) + "x";
    shot(name, "--view " + view + " --lang " + lang + " --scale " + std::to_string(scale) + " --step 1",
         1280 * scale, 800 * scale);
}

TEST_CASE("gui: stepping draws the current window and the filled output", "[gui]") {
    const Picture before = shot("stepper-start", "--view stepper", 1280, 800);
    const Picture after = shot("stepper-step1", "--view stepper --step 1", 1280, 800);
    const Picture term = shot("stepper-step1-terms3", "--view stepper --step 1 --step-terms 3", 1280, 800);
    // The vermillion window outline appears only once a window is shown (the legend swatch is in both).
    CHECK(after.vermillion > before.vermillion + 500);
    CHECK(term.vermillion > before.vermillion + 500);
    SECTION("other presets render too") {
        shot("stepper-padding", "--preset lecture_padding --step 7 --step-terms 2", 1280, 800);
        shot("stepper-max-pool-ko", "--preset max_pool --step 2 --lang ko", 1280, 800);
        shot("stepper-avg-pool", "--preset avg_pool --step 4", 1280, 800);
        shot("stepper-rgb-bias", "--preset rgb_bias --step 3 --theme light", 1600, 1000);
        shot("stepper-floor-slide", "--preset floor --step 2 --hide-controls --scale 1.5", 1600, 900);
    }
}

TEST_CASE("gui: --export-gif writes one frame per window", "[gui]") {
    const fs::path out = kShots / "lecture.gif";
    fs::remove(out);
    REQUIRE(run_gui("gui --view stepper --export-gif " + out.string() + " --size 1280x800") == 0);
    REQUIRE(fs::exists(out));
    int err = 0;
    GifFileType* gif = DGifOpenFileName(out.c_str(), &err);
    REQUIRE(gif != nullptr);
    REQUIRE(DGifSlurp(gif) == GIF_OK);
    CHECK(gif->ImageCount >= 9);  // the lecture example has 9 windows
    CHECK(gif->SWidth > 200);
    CHECK(gif->SHeight > 200);
    DGifCloseFile(gif, &err);
}

TEST_CASE("gui: real key presses step the lecture example and scale the UI", "[gui]") {
    require_xdotool();
    // Keys are held for 80 ms, as a person would: ImGui 1.86 reads key state once per frame.
    const fs::path before = kShots / "keys-start.png", after = kShots / "keys-right.png";
    fs::remove(before);
    fs::remove(after);
    REQUIRE(run_gui("gui --size 1280x800 --exit-after 1 --screenshot " + before.string()) == 0);
    run_with_actions("keys", "", 4, 0.5, after,
                     "xdotool keydown Right; sleep 0.08; xdotool keyup Right; sleep 0.3\n"
                     "xdotool keydown ctrl; xdotool keydown equal; sleep 0.08; xdotool keyup equal; "
                     "xdotool keyup ctrl");
    const Picture a = inspect(before), b = inspect(after);
    // → placed the window (vermillion outline); Ctrl+= made everything bigger (more of the same colours).
    CHECK(b.vermillion > a.vermillion + 500);
}

TEST_CASE("gui: bad arguments exit 2 and open no window", "[gui]") {
    const fs::path out = kShots / "never.png";
    fs::remove(out);
    CHECK(run_gui("gui --view nonsense --screenshot " + out.string()) == 2);
    CHECK(run_gui("gui --lang fr --screenshot " + out.string()) == 2);
    CHECK(run_gui("gui --scale 9 --screenshot " + out.string()) == 2);
    CHECK(run_gui("gui --scale nan --screenshot " + out.string()) == 2);  // NaN fails every comparison
    CHECK_FALSE(fs::exists(out));
    SECTION("an output that cannot be written is an error, not a crash") {
        CHECK(run_gui("gui --screenshot /nonexistent-dir/x.png") == 2);
        CHECK(run_gui("gui --export-gif /nonexistent-dir/x.gif") == 2);
        CHECK_FALSE(fs::exists("/nonexistent-dir"));
    }
}

TEST_CASE("gui: a missing font falls back to the built-in one", "[gui]") {
    const fs::path empty = kShots / "no-assets";
    fs::create_directories(empty);
    const fs::path out = kShots / "fallback-font.png";
    fs::remove(out);
    REQUIRE(run_gui("gui --lang ko --screenshot " + out.string(), "CONVSCOPE_ASSETS=" + empty.string()) == 0);
    const Picture p = inspect(out);
    CHECK(p.distinct >= 24);
}

TEST_CASE("gui: a corrupt or empty font file falls back like a missing one", "[gui]") {
    const std::string kind = GENERATE(as<std::string>{}, "corrupt", "empty");
    const fs::path assets = kShots / ("bad-font-" + kind);
    fs::create_directories(assets / "fonts");
    {
        std::ofstream latin(assets / "fonts" / "DejaVuSans.ttf", std::ios::binary | std::ios::trunc);
        std::ofstream hangul(assets / "fonts" / "NanumGothic.ttf", std::ios::binary | std::ios::trunc);
        if (kind == "corrupt") {
            // A TrueType tag and a table directory pointing far outside the file, then noise.
            const char head[] = {0,   1,   0, 0, 0, 9, 0,    (char)0x80, 0, 3, 0, 0x10, 'c',  'm',
                                 'a', 'p', 0, 0, 0, 0, 0x7f, 0,          0, 0, 0, 0,    0x10, 0};
            latin.write(head, sizeof head);
            for (int i = 0; i < 300; ++i) latin.put(char(i * 37));
            hangul << "not a font";
        }
    }
    const fs::path out = kShots / ("fallback-font-" + kind + ".png");
    fs::remove(out);
    INFO(kind << " font (see " << (kShots / "last.log").string() << ")");
    REQUIRE(run_gui("gui --view stepper --screenshot " + out.string(),
                    "CONVSCOPE_ASSETS=" + assets.string()) == 0);
    const Picture p = inspect(out);
    CHECK(p.distinct >= 24);
}

TEST_CASE("gui: a FIFO as settings.json or as the image opened shows a message and keeps drawing", "[gui]") {
    const fs::path config = kShots / "fifo-config";
    fs::remove_all(config);
    fs::create_directories(config / "convscope");
    REQUIRE(::mkfifo((config / "convscope" / "settings.json").c_str(), 0600) == 0);
    REQUIRE(::mkfifo((config / "convscope" / "recent-images.txt").c_str(), 0600) == 0);
    const fs::path photo = kShots / "fifo-photo.png";
    fs::remove(photo);
    REQUIRE(::mkfifo(photo.c_str(), 0600) == 0);
    const fs::path out = kShots / "fifo-image.png";
    fs::remove(out);
    // Nobody ever writes either FIFO: a blocking open() would hang the app, and the test with it.
    REQUIRE(run_gui("gui " + photo.string() + " --view image --size 1280x800 --screenshot " + out.string(),
                    "XDG_CONFIG_HOME=" + config.string()) == 0);
    const Picture p = inspect(out);
    CHECK(p.distinct >= 24);
    CHECK(fs::is_fifo(config / "convscope" / "settings.json"));
    // A FIFO as the GIF or screenshot to write is refused (exit 2), and stays a FIFO.
    CHECK(run_gui("gui --view stepper --export-gif " + photo.string()) == 2);
    CHECK(run_gui("gui --screenshot " + photo.string()) == 2);
    CHECK(fs::is_fifo(photo));
    fs::remove(photo);
    fs::remove_all(config);
}

TEST_CASE("gui: the network view runs its stack on a photo given on the command line", "[gui]") {
    const std::string photo = convscope::testing::source_dir() + "/assets/camera.png";
    const Picture p = shot("network-photo", "--view network --theme light " + photo, 1280, 800);
    CHECK(p.distinct >= 100);  // the photo and its feature maps: many greys
}

TEST_CASE("gui: the image lab with a photo and an explained pixel, English and Korean at scale 1 and 2",
          "[gui]") {
    const std::string photo = convscope::testing::source_dir() + "/assets/camera.png";
    const std::string lang = GENERATE(as<std::string>{}, "en", "ko");
    const int scale = GENERATE(1, 2);
    const std::string name = "image-" + lang + "-" + std::to_string(scale) + "x";
    const std::string args = photo + " --view image --lang " + lang + " --scale " + std::to_string(scale);
    const Picture plain = shot(name + "-plain", args, 1280 * scale, 800 * scale);
    const Picture explained = shot(name, args + " --explain 100,120", 1280 * scale, 800 * scale);
    // The explained pixel and its window on the input are outlined in vermillion.
    CHECK(explained.vermillion > plain.vermillion + 40 * scale * scale);
}

TEST_CASE("gui: the image lab keeps running on a file that is not an image, and shows a colour photo",
          "[gui]") {
    const Picture bad =
        shot("image-not-an-image", convscope::testing::source_dir() + "/tests/CMakeLists.txt --view image",
             1280, 800);
    CHECK(bad.distinct >= 24);
    // Hostile files: a truncated Softimage PIC crashed the app and a Radiance HDR with a zero-length run
    // hung it before its first frame (the system stb_image). Now each is refused with a message and the
    // app draws on.
    for (const char* name : {"truncated.pic", "zero_run.hdr", "truncated.gif"}) {
        INFO(name);
        const Picture hostile = shot(
            std::string("image-hostile-") + name,
            convscope::testing::source_dir() + "/tests/data/hostile/" + name + " --view image", 1280, 800);
        CHECK(hostile.distinct >= 24);
    }
    shot("image-chelsea-gaussian-ko",
         convscope::testing::source_dir() +
             "/assets/chelsea.png --view image --kernel gaussian9 --explain 60,80 "
             "--lang ko --theme light",
         1400, 860);
}

TEST_CASE("gui: the image lab with a real mouse: click an output pixel, then open it in the stepper",
          "[gui]") {
    require_xdotool();
    const std::string photo = convscope::testing::source_dir() + "/assets/camera.png";
    const fs::path plain = kShots / "mouse-image-plain.png", clicked = kShots / "mouse-image-clicked.png",
                   stepper = kShots / "mouse-image-stepper.png";
    for (const fs::path& p : {plain, clicked, stepper}) fs::remove(p);
    REQUIRE(run_gui("gui " + photo + " --size 1280x800 --screenshot " + plain.string()) == 0);
    // At 1280×800 and scale 1 the output pane spans about x 802–1272, y 160–495; the explain panel's buttons
    // sit at the right end of its first line (y ≈ 521), "Open in stepper" last.
    auto run_script = [&](const fs::path& out, const std::string& actions) {
        run_with_actions("mouse", photo, 5, 1.5, out, actions);
    };
    const std::string click_output = "xdotool mousemove 1000 330; sleep 0.2; xdotool click 1; sleep 0.3";
    run_script(clicked, click_output);
    run_script(stepper, click_output + "; xdotool mousemove 1190 521; sleep 0.2; xdotool click 1; sleep 0.3");
    const Picture a = inspect(plain), b = inspect(clicked), c = inspect(stepper);
    // The click pinned a pixel (its outline and its window in vermillion); the button switched to the
    // stepper, which shows the neighbourhood with its current window outlined in vermillion, far more of it.
    CHECK(b.vermillion > a.vermillion + 40);
    CHECK(c.vermillion > b.vermillion + 500);
}

// Pixels of the input pane (x 330–790, y 165–490 at 1280×800) whose colour channels differ strongly: a colour
// photo has many, a grey one none.
long colourful_pixels(const fs::path& png) {
    const auto p = load_rgb(png);
    REQUIRE(p);
    long count = 0;
    for (int y = 165; y < std::min(p->height, 490); ++y)
        for (int x = 330; x < std::min(p->width, 790); ++x) {
            const unsigned char* c = p->at(x, y);
            if (std::abs(c[0] - c[1]) > 40 || std::abs(c[1] - c[2]) > 40) ++count;
        }
    return count;
}

TEST_CASE("gui: the image lab's file browser opens a photo picked with the mouse", "[gui]") {
    require_xdotool();
    const fs::path before = kShots / "browser-before.png", after = kShots / "browser-after.png";
    for (const fs::path& p : {before, after}) fs::remove(p);
    const std::string photo = convscope::testing::source_dir() + "/assets/chelsea.png";
    REQUIRE(run_gui("gui " + photo + " --size 1280x800 --screenshot " + before.string()) == 0);
    // "Open a file…" is the panel's first button (x ≈ 72, y ≈ 198 at 1280×800); the browser lists the photo's
    // folder (assets/: fonts/, lessons/, camera.png, chelsea.png), camera.png on the third line (y ≈ 297);
    // "Open" sits at the bottom left (x ≈ 290, y ≈ 618).
    run_with_actions("browser", photo, 5, 1.5, after,
                     "xdotool mousemove 72 198; sleep 0.2; xdotool click 1; sleep 0.5\n"
                     "xdotool mousemove 572 297; sleep 0.2; xdotool click 1; sleep 0.3\n"
                     "xdotool mousemove 290 618; sleep 0.2; xdotool click 1");
    // The colour cat gave way to the grey camera man.
    CHECK(colourful_pixels(before) > 20000);
    CHECK(colourful_pixels(after) < 100);
}

// Share of the image lab's input-pane pixels (x 400–720, y 170–485 at 1280×800) equal to their right-hand
// neighbour: a small map blown up to fit is blocks of one colour, a photo is not.
double blocky_share(const fs::path& png) {
    const auto p = load_rgb(png);
    REQUIRE(p);
    long same = 0, all = 0;
    for (int y = 170; y < std::min(p->height, 485); ++y)
        for (int x = 400; x < std::min(p->width - 1, 720); ++x, ++all) {
            const unsigned char* c = p->at(x, y);
            same += c[0] == c[3] && c[1] == c[4] && c[2] == c[5];
        }
    return all ? double(same) / double(all) : 0.0;
}

TEST_CASE("gui: the network view opens a feature map in the image lab", "[gui]") {
    require_xdotool();
    const fs::path photo = kShots / "network-open-image-photo.png", map = kShots / "network-open-image.png";
    for (const fs::path& p : {photo, map}) fs::remove(p);
    REQUIRE(run_gui("gui --view image --size 1280x800 --screenshot " + photo.string()) == 0);
    // At 1280×800 and scale 1 the picked map's "Open in image lab" button sits at about (437, 608).
    run_with_actions("network-open-image", "--view network", 6, 2.5, map,
                     "xdotool mousemove 437 608; sleep 0.2; xdotool click 1; sleep 0.3; "
                     "xdotool mousemove 1200 780");
    // The photo the image lab opens on is fine-grained; the 24×24 map it shows after the click is blocks.
    CHECK(blocky_share(photo) < 0.7);
    CHECK(blocky_share(map) > 0.85);
}

// [SECTION] Presentation: the grids fill the projector, a clicker drives the stepper

namespace {

// Share of pixels that differ between two pictures of the same size (1 when the sizes differ).
double differing_share(const fs::path& a, const fs::path& b) {
    const auto pa = load_rgb(a), pb = load_rgb(b);
    INFO(a.string() << " and " << b.string());
    REQUIRE(pa);
    REQUIRE(pb);
    return differing_share(*pa, *pb);
}

// Issue 14: the kernel editor's and the image lab's edits undo with Ctrl+Z and redo with Ctrl+Shift+Z in the
// running app (the model's undo is tested in image_lab.test.cpp).
TEST_CASE("gui: Ctrl+Z undoes an image lab edit made with the mouse, Ctrl+Shift+Z redoes it", "[gui]") {
    require_xdotool();
    const std::string photo = convscope::testing::source_dir() + "/assets/chelsea.png";
    const fs::path plain = kShots / "undo-image-plain.png", edited = kShots / "undo-image-edited.png",
                   undone = kShots / "undo-image-undone.png", redone = kShots / "undo-image-redone.png";
    for (const fs::path& p : {plain, edited, undone, redone}) fs::remove(p);
    const std::string args = photo + " --view image";
    REQUIRE(run_gui("gui " + args + " --size 1280x800 --screenshot " + plain.string()) == 0);
    // At 1280×800 and scale 1 the stride H slider spans about x 16–152 at y ≈ 516: a click near its right end
    // sets a large stride (the output shrinks); the mouse then leaves the panel.
    const std::string click =
        "xdotool mousemove 130 516; sleep 0.2; xdotool click 1; sleep 0.5; "
        "xdotool mousemove 640 790; sleep 0.4";
    const std::string undo = "; xdotool key ctrl+z; sleep 0.6";
    const std::string redo = "; xdotool key ctrl+shift+z; sleep 0.6";
    run_with_actions("undo", args, 6, 1.5, edited, click);
    run_with_actions("undo", args, 7, 1.5, undone, click + undo);
    run_with_actions("undo", args, 8, 1.5, redone, click + undo + redo);
    CHECK(differing_share(plain, edited) > 0.05);    // the stride changed the output (and its formula)
    CHECK(differing_share(plain, undone) < 0.002);   // undone: as it started
    CHECK(differing_share(edited, redone) < 0.002);  // redone: the edit again
}

// The number after "key": in a --report-layout file (−1 when absent).
double report_number(const std::string& json, const std::string& key) {
    const size_t at = json.find("\"" + key + "\":");
    return at == std::string::npos ? -1.0 : std::atof(json.c_str() + at + key.size() + 3);
}

// The grid rectangles [x0,y0,x1,y1] of a --report-layout file.
std::vector<std::array<double, 4>> report_grids(const std::string& json) {
    std::vector<std::array<double, 4>> v;
    size_t at = json.find("\"grids\":[");
    if (at == std::string::npos) return v;
    at += 9;
    while ((at = json.find('[', at)) != std::string::npos) {
        std::array<double, 4> r{};
        if (std::sscanf(json.c_str() + at, "[%lf,%lf,%lf,%lf]", &r[0], &r[1], &r[2], &r[3]) != 4) break;
        v.push_back(r);
        at = json.find(']', at);
    }
    return v;
}

// Every grid inside the screen, no two overlapping.
void check_grids_apart(const std::string& json, double screen_w, double screen_h) {
    const auto grids = report_grids(json);
    REQUIRE(!grids.empty());
    for (size_t i = 0; i < grids.size(); ++i) {
        const auto& a = grids[i];
        INFO("grid " << i << " [" << a[0] << "," << a[1] << "," << a[2] << "," << a[3] << "]");
        CHECK(a[0] >= 0);
        CHECK(a[1] >= 0);
        CHECK(a[2] <= screen_w);
        CHECK(a[3] <= screen_h);
        for (size_t j = i + 1; j < grids.size(); ++j) {
            const auto& b = grids[j];
            const bool apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
            INFO("overlaps grid " << j);
            CHECK(apart);
        }
    }
}

}  // namespace

TEST_CASE("gui: --present fills the screen and the grids take at least a quarter of it", "[gui]") {
    const std::string size = GENERATE(as<std::string>{}, "1024x768", "1280x800", "1920x1080");
    const int w = std::atoi(size.c_str()), h = std::atoi(size.c_str() + size.find('x') + 1);
    const fs::path out = kShots / ("present-" + size + ".png"),
                   report = kShots / ("present-" + size + ".json");
    fs::remove(out);
    fs::remove(report);
    // The window asks for 800×600; presentation makes it the whole screen.
    REQUIRE(run_gui("gui --present --step 1 --size 800x600 --report-layout " + report.string() +
                        " --screenshot " + out.string(),
                    "", size) == 0);
    const Picture p = inspect(out);
    CHECK(p.width == w);
    CHECK(p.height == h);
    const std::string json = slurp(report);
    INFO(json);
    CHECK(report_number(json, "share") >= 0.25);
    check_grids_apart(json, w, h);
}

TEST_CASE("gui: three channels in --present and windowed, nothing overlapping", "[gui]") {
    const std::string mode = GENERATE(as<std::string>{}, "--present", "--scale 2 --lang ko");
    const fs::path report = kShots / "channels-report.json";
    fs::remove(report);
    const fs::path out = kShots / (mode == "--present" ? "channels-present.png" : "channels-ko-2x.png");
    REQUIRE(run_gui("gui --preset rgb_bias --step 3 --size 1280x800 " + mode + " --report-layout " +
                        report.string() + " --screenshot " + out.string(),
                    "", "1280x800") == 0);
    const std::string json = slurp(report);
    INFO(json);
    check_grids_apart(json, 1280, 800);
    CHECK(report_number(json, "cell") >= 26);  // the stated minimum
}

TEST_CASE("gui: the UI scale changes the chrome, not the grids", "[gui]") {
    double cells[3] = {};
    for (int scale = 1; scale <= 3; ++scale) {
        const fs::path report = kShots / ("scale-report-" + std::to_string(scale) + ".json");
        fs::remove(report);
        REQUIRE(run_gui("gui --hide-controls --step 1 --size 1920x1080 --scale " + std::to_string(scale) +
                            " --report-layout " + report.string() + " --screenshot " +
                            (kShots / ("scale-" + std::to_string(scale) + "x-1080p.png")).string(),
                        "", "1920x1080") == 0);
        cells[scale - 1] = report_number(slurp(report), "cell");
    }
    INFO("cells at 1×, 2×, 3×: " << cells[0] << ", " << cells[1] << ", " << cells[2]);
    CHECK(cells[0] >= 100);
    // Only the taller menu, tabs and toolbar take from the canvas.
    CHECK(cells[1] >= 0.8 * cells[0]);
    CHECK(cells[2] >= 0.7 * cells[0]);
}

TEST_CASE("gui: a clicker drives the stepper in presentation mode", "[gui]") {
    require_xdotool();
    // The reference: four windows stepped from the command line.
    const fs::path ref = kShots / "clicker-ref-step4.png";
    fs::remove(ref);
    REQUIRE(run_gui("gui --present --step 4 --screenshot " + ref.string(), "", "1280x800") == 0);
    const auto run_keys = [&](const std::string& name, const std::string& keys) {
        const fs::path out = kShots / ("clicker-" + name + ".png");
        fs::remove(out);
        // `xdotool key` presses and releases at once, faster than a frame: the press must still count.
        // Going full screen maps the window anew, which can drop the focus: focus it again before the keys.
        run_with_actions("clicker-" + name, "--present", 5, 2.0, out,
                         "xdotool mousemove 3 3; sleep 0.2; "
                         "xdotool search --name ConvScope windowfocus --sync; sleep 0.2; " +
                             keys,
                         "800x600", "1280x800");
        return out;
    };
    SECTION("PageDown ×4 gives the picture of --step 4") {
        CHECK(differing_share(ref, run_keys("pagedown4", "xdotool key Next Next Next Next")) < 0.0005);
    }
    SECTION("PageUp goes back") {
        CHECK(differing_share(ref, run_keys("pagedown6-pageup2",
                                            "xdotool key Next Next Next Next Next Next "
                                            "Prior Prior")) < 0.0005);
    }
    SECTION("N, Enter and the arrows step too; digits and Enter jump to a window") {
        CHECK(differing_share(ref, run_keys("mixed", "xdotool key n Return Right Down")) < 0.0005);
        CHECK(differing_share(ref, run_keys("jump4", "xdotool key 4 Return")) < 0.0005);
    }
    SECTION("B blanks the screen to black; B again returns to the same step") {
        const fs::path black = run_keys("blank", "xdotool key Next Next Next Next b");
        const Picture p = inspect(black);
        CHECK(p.top_share > 0.999);
        CHECK(p.distinct <= 2);
        CHECK(differing_share(ref, run_keys("blank-back", "xdotool key Next Next Next Next b b")) < 0.0005);
        // "." blanks too, and a step key returns without stepping.
        CHECK(differing_share(ref, run_keys("blank-period", "xdotool key Next Next Next Next period Next")) <
              0.0005);
    }
}

TEST_CASE("gui: F11 fills the screen, F5 presents, Escape leaves", "[gui]") {
    require_xdotool();
    const fs::path full = kShots / "f11-full.png", back = kShots / "f5-escape.png";
    fs::remove(full);
    fs::remove(back);
    run_with_actions("f11", "", 4, 1.0, full, "xdotool key F11", "800x600", "1280x800");
    const Picture f = inspect(full);
    CHECK(f.width == 1280);
    CHECK(f.height == 800);
    run_with_actions("f5-escape", "", 4, 1.0, back, "xdotool key F5; sleep 0.5; xdotool key Escape",
                     "800x600", "1280x800");
    const Picture b = inspect(back);
    CHECK(b.width == 800);
    CHECK(b.height == 600);
    SECTION("F1 shows the key help over the view, in Korean too; F1 again hides it") {
        const fs::path plain = kShots / "help-none.png", help = kShots / "help-ko.png",
                       hidden = kShots / "help-hidden.png";
        for (const fs::path& p : {plain, help, hidden}) fs::remove(p);
        run_with_actions("help-none", "--lang ko", 3, 1.0, plain, "xdotool mousemove 3 3", "800x600",
                         "1280x800");
        run_with_actions("help-ko", "--lang ko", 3, 1.0, help, "xdotool mousemove 3 3; xdotool key F1",
                         "800x600", "1280x800");
        run_with_actions("help-hidden", "--lang ko", 3, 1.0, hidden,
                         "xdotool mousemove 3 3; xdotool key F1 F1", "800x600", "1280x800");
        CHECK(differing_share(plain, help) > 0.05);
        CHECK(differing_share(plain, hidden) < 0.0005);
    }
}

TEST_CASE("gui: --export-gif leaves the playhead where it was", "[gui]") {
    const fs::path gif = kShots / "playhead.gif", with = kShots / "playhead-after-gif.png",
                   without = kShots / "playhead-step2.png";
    for (const fs::path& p : {gif, with, without}) fs::remove(p);
    REQUIRE(run_gui("gui --present --step 2 --export-gif " + gif.string() + " --screenshot " + with.string(),
                    "", "1280x800") == 0);
    REQUIRE(run_gui("gui --present --step 2 --screenshot " + without.string(), "", "1280x800") == 0);
    REQUIRE(fs::exists(gif));
    CHECK(differing_share(with, without) < 0.0005);
}

TEST_CASE("gui: Tab starts keyboard navigation, then the arrows move the focus and not the stepper",
          "[gui]") {
    require_xdotool();
    const fs::path stepped = kShots / "nav-right.png", navigated = kShots / "nav-tab-arrows.png";
    fs::remove(stepped);
    fs::remove(navigated);
    run_with_actions("nav-right", "", 3, 1.0, stepped, "xdotool mousemove 1 795; xdotool key Right");
    run_with_actions("nav-tab-arrows", "", 3, 1.0, navigated,
                     "xdotool mousemove 1 795; xdotool key Tab Down Down Right");
    const Picture s = inspect(stepped), n = inspect(navigated);
    // → alone placed the window (its vermillion outline); after Tab the same → moved ImGui's focus instead.
    CHECK(s.vermillion > n.vermillion + 500);
    CHECK(differing_share(stepped, navigated) > 0.01);
}

TEST_CASE(
    "gui: the network view lights a clicked cell's receptive field, and Ctrl+Z undoes an example network",
    "[gui]") {
    require_xdotool();
    const fs::path picked = kShots / "network-rf-picked.png", lit = kShots / "network-rf-lit.png";
    const fs::path lecture = kShots / "network-rf-lecture.png", undone = kShots / "network-undo.png";
    for (const fs::path& p : {picked, lit, lecture, undone}) fs::remove(p);
    // At 1400×1000: MaxPool2d's channel 1 at (822, 752); then a cell of its enlarged map at (508, 830).
    const std::string pick = "xdotool mousemove 822 752 click 1; sleep 0.7; ";
    run_with_actions("network-rf-picked", "--view network", 5, 1.5, picked,
                     pick + "xdotool mousemove 1300 980", "1400x1000");
    run_with_actions("network-rf-lit", "--view network", 5, 1.5, lit,
                     pick + "xdotool mousemove 508 830 click 1; sleep 0.5; xdotool mousemove 1300 980",
                     "1400x1000");
    // The field's outline, in the current-window colour, on the input and on every earlier map.
    CHECK(inspect(lit).vermillion > inspect(picked).vermillion + 300);
    // The menu's DCGAN generator (its last entry), then Ctrl+Z: the lecture's stack is back, as at start.
    run_with_actions("network-rf-lecture", "--view network", 4, 1.5, lecture, "xdotool mousemove 1300 980",
                     "1400x1000");
    run_with_actions(
        "network-undo", "--view network", 9, 1.5, undone,
        "xdotool mousemove 265 266 click 1; sleep 0.5; xdotool mousemove 248 426 click 1; sleep 3; "
        "xdotool mousemove 1300 980; xdotool keydown ctrl; sleep 0.1; xdotool keydown z; sleep 0.2; "
        "xdotool keyup z; xdotool keyup ctrl; sleep 1",
        "1400x1000");
    const fs::path dcgan = kShots / "network-dcgan.png";
    fs::remove(dcgan);
    run_with_actions(
        "network-dcgan", "--view network", 7, 1.5, dcgan,
        "xdotool mousemove 265 266 click 1; sleep 0.5; xdotool mousemove 248 426 click 1; sleep 3; "
        "xdotool mousemove 1300 980",
        "1400x1000");
    // Share of pixels that differ between two screenshots of the same size.
    auto differ = [](const fs::path& x, const fs::path& y) {
        const auto a = load_rgb(x), b = load_rgb(y);
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE((a->width == b->width && a->height == b->height));
        return differing_share(*a, *b);
    };
    CHECK(differ(lecture, dcgan) > 0.1);    // the menu replaced the stack
    CHECK(differ(lecture, undone) < 0.02);  // and Ctrl+Z brought it back (the status line differs)
}

TEST_CASE("gui: in the network view Ctrl+Z undoes an example stack, Ctrl+Shift+Z and Ctrl+Y redo it",
          "[gui]") {
    require_xdotool();
    // The menu's DCGAN generator replaces the lecture's stack (as in the test above), then keys; the stack
    // the view ends with is read back from --save-scene (the model's stack, not pixels).
    const std::string dcgan =
        "xdotool mousemove 265 266 click 1; sleep 0.5; xdotool mousemove 248 426 click 1; sleep 2; "
        "xdotool mousemove 1300 980; ";
    auto chord = [](const std::string& mods, const std::string& key) {
        std::string down, up;
        for (const char* m : {"ctrl", "shift"})
            if (mods.find(m) != std::string::npos) {
                down += std::string("xdotool keydown ") + m + "; sleep 0.1; ";
                up += std::string("xdotool keyup ") + m + "; ";
            }
        return down + "xdotool keydown " + key + "; sleep 0.2; xdotool keyup " + key + "; " + up +
               "sleep 0.7; ";
    };
    auto layers_after = [&](const std::string& name, const std::string& keys) {
        const fs::path scene = kShots / (name + ".json"), shot = kShots / (name + ".png");
        fs::remove(scene);
        run_with_actions(name, "--view network --save-scene " + scene.string(), 8, 1.5, shot, dcgan + keys,
                         "1400x1000");
        std::ifstream in(scene);
        REQUIRE(in);
        const auto j = nlohmann::json::parse(in);
        return j.at("network").at("layers").get<std::vector<std::string>>();
    };
    const std::vector<std::string> lecture = {"nn.Conv2d(1, 5, 5)", "nn.MaxPool2d(2)"};
    const auto replaced = layers_after("network-keys-dcgan", "");
    REQUIRE(replaced.size() > 2);
    CHECK(replaced.front().find("ConvTranspose2d") != std::string::npos);
    CHECK(layers_after("network-keys-undo", chord("ctrl", "z")) == lecture);
    CHECK(layers_after("network-keys-redo", chord("ctrl", "z") + chord("ctrl+shift", "z")) == replaced);
    CHECK(layers_after("network-keys-redo-y", chord("ctrl", "z") + chord("ctrl", "y")) == replaced);
    // Undo twice: nothing before the lecture's stack, so it stays.
    CHECK(layers_after("network-keys-undo2", chord("ctrl", "z") + chord("ctrl", "z")) == lecture);
}

TEST_CASE("gui: Escape during a long GIF export cancels it: no file left, the playhead back", "[gui]") {
    require_xdotool();
    // 196 windows, one GIF frame each: seconds of recording, so Escape lands in the middle of it.
    const fs::path gif = kShots / "escape-cancel.gif", out = kShots / "escape-cancel.png",
                   ref = kShots / "escape-cancel-ref.png";
    for (const fs::path& p : {gif, out, ref}) fs::remove(p);
    REQUIRE(run_gui("gui --present --preset diagonal16 --step 3 --screenshot " + ref.string(), "",
                    "1280x800") == 0);
    run_with_actions("escape-cancel", "--present --preset diagonal16 --step 3 --export-gif " + gif.string(),
                     6, 0.8, out,
                     "xdotool mousemove 3 3; xdotool search --name ConvScope windowfocus --sync; "
                     "xdotool key Escape",
                     "800x600", "1280x800");
    INFO("log: " << slurp(kShots / "last.log"));
    CHECK_FALSE(fs::exists(gif));
    // Still presenting (Escape went to the recording, not to presentation mode), at the step it was on.
    const Picture p = inspect(out);
    CHECK(p.width == 1280);
    CHECK(differing_share(ref, out) < 0.0005);
}

TEST_CASE(
    "gui: nothing cut off or overlapping in the size view, image lab and network view at large scales on "
    "small screens",
    "[gui]") {
    // --report-clipping lists every window whose content runs past its edge with no scrollbar to reach it
    // (a label cut at a pane's edge, a button half outside, photos pushed below the bottom), and the guarded
    // items that overlap (a button over a label). "explain" is the image lab with a colour pixel explained:
    // its header (pixel, channel, buttons) and its sum.
    const std::string view = GENERATE(as<std::string>{}, "size", "image", "explain", "network");
    const std::string lang = GENERATE(as<std::string>{}, "en", "ko");
    const std::string size = GENERATE(as<std::string>{}, "1280x800", "1024x768");
    const std::string scale = GENERATE(as<std::string>{}, "2", "3");
    const std::string name = "clip-" + view + "-" + lang + "-" + scale + "x-" + size;
    const fs::path out = kShots / (name + ".png"), report = kShots / (name + ".json");
    fs::remove(out);
    fs::remove(report);
    const std::string args = view == "explain"
                                 ? convscope::testing::source_dir() +
                                       "/assets/chelsea.png --view image --kernel sobel-x --explain 100,120"
                                 : "--view " + view;
    REQUIRE(run_gui("gui " + args + " --lang " + lang + " --scale " + scale + " --size " + size +
                        " --report-clipping " + report.string() + " --screenshot " + out.string(),
                    "", size) == 0);
    const std::string json = slurp(report);
    INFO(name << ": " << json);
    REQUIRE(json.find("\"clipped\":[") != std::string::npos);
    CHECK(json.find("\"clipped\":[]") != std::string::npos);
    REQUIRE(json.find("\"overlaps\":[") != std::string::npos);
    CHECK(json.find("\"overlaps\":[]") != std::string::npos);
}

TEST_CASE("gui: nothing cut off or overlapping in the stepper's settings or a lesson's caption bar",
          "[gui]") {
    // The stepper's settings panel is narrow at scale 1 (a checkbox label such as "Flip the kernel (true
    // convolution)" ran past it) and a lesson's caption ran past the window at scale 2: both wrap now.
    // On a 1024×768 screen at scale 2 "Save animation as GIF…" ran 46 px past the settings (its label now
    // breaks into lines), and a toolbar wrapping onto a new line left its right edge one item spacing past
    // the window (8–30 px at scale 2–3, same_line_if_fits now decides before SameLine). Where the canvas
    // would be cramped (1024×768, 1280×800 at scale 2) the settings start folded now; the next test opens
    // them there.
    const std::string view = GENERATE(as<std::string>{}, "stepper", "lesson");
    const std::string lang = GENERATE(as<std::string>{}, "en", "ko");
    const auto [size, scale] = GENERATE(table<std::string, std::string>({{"1024x768", "2"},
                                                                         {"1024x768", "3"},
                                                                         {"1280x800", "1"},
                                                                         {"1280x800", "2"},
                                                                         {"1920x1080", "1"},
                                                                         {"1920x1080", "2"},
                                                                         {"1920x1080", "3"}}));
    const std::string name = "clip-" + view + "-" + lang + "-" + scale + "x-" + size;
    const fs::path out = kShots / (name + ".png"), report = kShots / (name + ".json");
    fs::remove(out);
    fs::remove(report);
    const std::string args = view == "lesson" ? "--lesson lecture --scene 3" : "--view stepper --step 5";
    REQUIRE(run_gui("gui " + args + " --lang " + lang + " --scale " + scale + " --size " + size +
                        " --report-clipping " + report.string() + " --screenshot " + out.string(),
                    "", size) == 0);
    const std::string json = slurp(report);
    INFO(name << ": " << json);
    CHECK(json.find("{\"clipped\":[],\"overlaps\":[]}") == 0);
}

namespace {
// The --report-layout of `convscope gui ARGS` at `size` (the screen as large), its screenshot kept as
// NAME.png.
nlohmann::json stepper_layout(const std::string& name, const std::string& args, const std::string& size) {
    const fs::path out = kShots / (name + ".png"), report = kShots / (name + ".json");
    fs::remove(out);
    fs::remove(report);
    INFO("convscope gui " << args << " (see " << (kShots / "last.log").string() << ")");
    REQUIRE(run_gui("gui " + args + " --size " + size + " --report-layout " + report.string() +
                        " --screenshot " + out.string(),
                    "", size) == 0);
    std::ifstream in(report);
    REQUIRE(in);
    return nlohmann::json::parse(in);
}
}  // namespace

TEST_CASE(
    "gui: the stepper's settings fold where the canvas beside them would be cramped, the toggle opens them",
    "[gui]") {
    // At 1024×768 and scale 2 the settings took 42% of the width and left a canvas 556 px wide, whose text
    // hit its 16 px floor under 36 px chrome ("0×1" in the window's cells was illegible): there the settings
    // start folded, and the canvas gets the whole width.
    SECTION("roomy windows keep the settings beside the canvas") {
        const auto [size, scale] = GENERATE(
            table<std::string, std::string>({{"1280x800", "1"}, {"1920x1080", "1"}, {"1920x1080", "2"}}));
        const auto r = stepper_layout("fold-shown-" + scale + "x-" + size,
                                      "--view stepper --step 5 --lang en --scale " + scale, size);
        INFO(size << " at scale " << scale << ": " << r.dump());
        CHECK(r["settings"] == true);
        CHECK(r["canvas"][0].get<double>() > 200);  // the canvas starts right of the panel
    }
    SECTION("a cramped window folds them, as --hide-controls does, and the grids get bigger") {
        const std::string size = GENERATE(as<std::string>{}, "1024x768", "1280x800");
        const std::string lang = GENERATE(as<std::string>{}, "en", "ko");
        const std::string name = lang + "-2x-" + size;
        const std::string args = "--view stepper --step 5 --scale 2 --lang " + lang;
        const auto folded = stepper_layout("fold-auto-" + name, args, size);
        const auto hidden = stepper_layout("fold-hidden-" + name, args + " --hide-controls", size);
        INFO("auto: " << folded.dump() << "\n--hide-controls: " << hidden.dump());
        CHECK(folded["settings"] == false);
        CHECK(hidden["settings"] == false);
        CHECK(folded["canvas"] == hidden["canvas"]);
        CHECK(folded["cell"] == hidden["cell"]);
        // The toggle (» Settings, the toolbar's first button, at the view's top left) opens them in the
        // cramped window, and they stay open: the user's choice wins over the fold. The grids are smaller
        // beside them, and nothing in the panel is cut off (the clipping test above sees these sizes folded).
        require_xdotool();
        const fs::path out = kShots / ("fold-opened-" + name + ".png"),
                       report = kShots / ("fold-opened-" + name + ".json"),
                       clipping = kShots / ("fold-opened-" + name + "-clipping.json");
        fs::remove(report);
        fs::remove(clipping);
        run_with_actions(
            "fold-opened-" + name,
            args + " --report-layout " + report.string() + " --report-clipping " + clipping.string(), 5, 1.5,
            out,
            "w=$(xdotool search --name ConvScope | head -1); "
            "xdotool mousemove --window $w 60 172; sleep 0.2; xdotool click 1; sleep 1.5; "
            "xdotool mousemove --window $w 1000 760",
            size, size);
        std::ifstream in(report);
        REQUIRE(in);
        const auto opened = nlohmann::json::parse(in);
        INFO("opened with the toggle: " << opened.dump() << "\nclipping: " << slurp(clipping));
        CHECK(opened["settings"] == true);
        CHECK(opened["canvas"][0].get<double>() > folded["canvas"][0].get<double>() + 200);
        CHECK(opened["cell"].get<double>() < folded["cell"].get<double>());
        CHECK(slurp(clipping).find("{\"clipped\":[],\"overlaps\":[]}") == 0);
    }
}

TEST_CASE("gui: a stride of 0 typed into the stepper is refused with core's reason, in Korean", "[gui]") {
    require_xdotool();
    // Ctrl+click turns the stride slider (H, at 1280×800 and scale 1, below the predict checkbox) into a text
    // field; 0 and Enter.
    const fs::path out = kShots / "stride0-ko.png", report = kShots / "stride0-ko.json";
    fs::remove(out);
    fs::remove(report);
    run_with_actions("stride0", "--lang ko --scale 1 --report-layout " + report.string(), 4, 1.0, out,
                     "w=$(xdotool search --name ConvScope | head -1); "
                     "xdotool mousemove --window $w 80 678; sleep 0.2; "
                     "xdotool keydown ctrl click 1 keyup ctrl; sleep 0.3; "
                     "xdotool type 0; xdotool key Return",
                     "1280x800", "1280x800");
    const std::string json = slurp(report);
    INFO(json);
    CHECK(json.find("\"error\":\"스트라이드 값은 1 이상이어야 합니다 (입력: 0,1)\"") != std::string::npos);
}

namespace {
// The bottom `rows` rows of `p` (where the status line is drawn).
convscope::testing::RgbPicture bottom_rows(const convscope::testing::RgbPicture& p, int rows) {
    convscope::testing::RgbPicture s;
    s.width = p.width;
    s.height = std::min(rows, p.height);
    s.rgb.assign(p.rgb.end() - std::ptrdiff_t(size_t(s.width) * size_t(s.height) * 3), p.rgb.end());
    return s;
}
}  // namespace

TEST_CASE("gui: a language switch redraws the status message in the other language", "[gui]") {
    require_xdotool();
    const std::string photo = convscope::testing::source_dir() + "/assets/camera.png";
    const std::string args = photo + " --view stepper --scale 1 --theme dark";
    const fs::path ko = kShots / "status-ko.png", en = kShots / "status-en.png",
                   switched = kShots / "status-switched.png";
    for (const fs::path& p : {ko, en, switched}) fs::remove(p);
    // The photo given on the command line posts "Image: PATH" ("이미지: PATH") in the status line.
    REQUIRE(run_gui("gui " + args + " --lang ko --size 1280x800 --screenshot " + ko.string()) == 0);
    REQUIRE(run_gui("gui " + args + " --lang en --size 1280x800 --screenshot " + en.string()) == 0);
    // Started in English, then the menu bar's quick switch to Korean (at scale 1 its "한국어" button sits at
    // x ≈ 229, y ≈ 14), and the pointer moved away from the menus.
    run_with_actions("language-switch", args + " --lang en", 5, 1.5, switched,
                     "xdotool mousemove 229 14; sleep 0.2; xdotool click 1; sleep 0.5; "
                     "xdotool mousemove 640 700; sleep 0.5");
    const auto a = load_rgb(ko), b = load_rgb(en), c = load_rgb(switched);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    const auto status_ko = bottom_rows(*a, 30), status_en = bottom_rows(*b, 30),
               status_switched = bottom_rows(*c, 30);
    // The two languages' messages differ, and after the switch the status line is the Korean one, drawn
    // again (before, the message was dropped at the switch, so the line was empty).
    CHECK(differing_share(status_en, status_ko) > 0.005);
    CHECK(differing_share(status_switched, status_ko) == 0.0);
    // The rest of the window switched too: the menus and the stepper are in Korean.
    CHECK(differing_share(*c, *b) > differing_share(*c, *a));
}
