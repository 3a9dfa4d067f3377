// The GUI smoke test: runs `convscope gui … --screenshot` under xvfb-run for every view, in English and
// Korean, at scale 1 and 2, and checks each picture is the window's size and not blank (many colours, no
// single colour filling it). Also: stepping draws the current window, --export-gif writes one frame per
// window, bad arguments exit 2, and a missing font falls back instead of crashing. The screenshots stay in
// build/tests/gui_shots/ for people to look at. Skips (exit 4) where xvfb-run is missing.
#include <gif_lib.h>
#include <stb_image.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>
#include <cstring>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace {

namespace fs = std::filesystem;

const fs::path kShots = fs::path(CONVSCOPE_BINARY_DIR) / "tests" / "gui_shots";

// Exits the test process with 4 (CTest: skipped) when no X server can be started.
void require_xvfb() {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
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
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
        std::puts("skipped: xdotool is not installed (Debian package xdotool)");
        std::exit(4);
    }
}

// Runs `convscope gui ARGS` at 1280×800 for `seconds` under Xvfb, saving the window to `out` at the end,
// while a script waits `settle` seconds for the window and then plays `actions` (xdotool commands) on it.
void run_with_actions(const std::string& name, const std::string& args, double seconds, double settle,
                      const fs::path& out, const std::string& actions, const std::string& size = "1280x800") {
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
                 CONVSCOPE_BINARY_DIR, args.c_str(), size.c_str(), seconds, out.c_str(), settle,
                 actions.c_str());
    std::fclose(f);
    const std::string cmd = "timeout 40 " + xvfb_run("2000x1400") + " sh " + script + " >" +
                            (kShots / "last.log").string() + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
}

// Runs convscope with `args` under xvfb-run; returns its exit status.
int run_gui(const std::string& args, const std::string& env = "") {
    require_xvfb();
    fs::create_directories(kShots);
    const std::string cmd = env + " " + xvfb_run("2600x1700") + " " + CONVSCOPE_BINARY_DIR +
                            "/app/convscope " + args + " >" + (kShots / "last.log").string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Picture {
    int width = 0, height = 0;
    int distinct = 0;        // distinct RGB colours
    double top_share = 0.0;  // share of the most common colour
    long vermillion = 0;     // pixels of the current-window colour (Okabe–Ito #D55E00)
};

Picture inspect(const fs::path& png) {
    Picture p;
    int channels = 0;
    unsigned char* px = stbi_load(png.c_str(), &p.width, &p.height, &channels, 3);
    REQUIRE(px != nullptr);
    std::map<uint32_t, long> counts;
    const long n = long(p.width) * p.height;
    for (long i = 0; i < n; ++i) {
        const unsigned char* c = px + 3 * i;
        ++counts[(uint32_t(c[0]) << 16) | (uint32_t(c[1]) << 8) | c[2]];
        if (std::abs(c[0] - 0xD5) < 8 && std::abs(c[1] - 0x5E) < 8 && c[2] < 8) ++p.vermillion;
    }
    stbi_image_free(px);
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

TEST_CASE("gui: the network view runs its stack on a photo given on the command line", "[gui]") {
    const std::string photo = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/camera.png";
    const Picture p = shot("network-photo", "--view network --theme light " + photo, 1280, 800);
    CHECK(p.distinct >= 100);  // the photo and its feature maps: many greys
}

TEST_CASE("gui: the image lab with a photo and an explained pixel, English and Korean at scale 1 and 2",
          "[gui]") {
    const std::string photo = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/camera.png";
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
        shot("image-not-an-image", std::string(CONVSCOPE_SOURCE_DIR) + "/tests/CMakeLists.txt --view image",
             1280, 800);
    CHECK(bad.distinct >= 24);
    shot("image-chelsea-gaussian-ko",
         std::string(CONVSCOPE_SOURCE_DIR) +
             "/assets/chelsea.png --view image --kernel gaussian9 --explain 60,80 "
             "--lang ko --theme light",
         1400, 860);
}

TEST_CASE("gui: the image lab with a real mouse: click an output pixel, then open it in the stepper",
          "[gui]") {
    require_xdotool();
    const std::string photo = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/camera.png";
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
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
    REQUIRE(px != nullptr);
    long count = 0;
    for (int y = 165; y < std::min(h, 490); ++y)
        for (int x = 330; x < std::min(w, 790); ++x) {
            const unsigned char* c = px + 3 * (long(y) * w + x);
            if (std::abs(c[0] - c[1]) > 40 || std::abs(c[1] - c[2]) > 40) ++count;
        }
    stbi_image_free(px);
    return count;
}

TEST_CASE("gui: the image lab's file browser opens a photo picked with the mouse", "[gui]") {
    require_xdotool();
    const fs::path before = kShots / "browser-before.png", after = kShots / "browser-after.png";
    for (const fs::path& p : {before, after}) fs::remove(p);
    const std::string photo = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/chelsea.png";
    REQUIRE(run_gui("gui " + photo + " --size 1280x800 --screenshot " + before.string()) == 0);
    // "Open a file…" is the panel's first button (x ≈ 72, y ≈ 198 at 1280×800); the browser lists the photo's
    // folder (assets/: fonts/, camera.png, chelsea.png), camera.png on the second line (y ≈ 271); "Open" sits
    // at the bottom left (x ≈ 290, y ≈ 618).
    run_with_actions("browser", photo, 5, 1.5, after,
                     "xdotool mousemove 72 198; sleep 0.2; xdotool click 1; sleep 0.5\n"
                     "xdotool mousemove 572 271; sleep 0.2; xdotool click 1; sleep 0.3\n"
                     "xdotool mousemove 290 618; sleep 0.2; xdotool click 1");
    // The colour cat gave way to the grey camera man.
    CHECK(colourful_pixels(before) > 20000);
    CHECK(colourful_pixels(after) < 100);
}

// Share of the image lab's input-pane pixels (x 400–720, y 170–485 at 1280×800) equal to their right-hand
// neighbour: a small map blown up to fit is blocks of one colour, a photo is not.
double blocky_share(const fs::path& png) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
    REQUIRE(px != nullptr);
    long same = 0, all = 0;
    for (int y = 170; y < std::min(h, 485); ++y)
        for (int x = 400; x < std::min(w - 1, 720); ++x, ++all) {
            const unsigned char* c = px + 3 * (long(y) * w + x);
            same += c[0] == c[3] && c[1] == c[4] && c[2] == c[5];
        }
    stbi_image_free(px);
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
        int w = 0, h = 0, c = 0, w2 = 0, h2 = 0;
        unsigned char* a = stbi_load(x.c_str(), &w, &h, &c, 3);
        unsigned char* b = stbi_load(y.c_str(), &w2, &h2, &c, 3);
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE((w == w2 && h == h2));
        long diff = 0;
        for (long i = 0; i < long(w) * h; ++i) diff += std::memcmp(a + 3 * i, b + 3 * i, 3) != 0;
        stbi_image_free(a);
        stbi_image_free(b);
        return double(diff) / (double(w) * h);
    };
    CHECK(differ(lecture, dcgan) > 0.1);    // the menu replaced the stack
    CHECK(differ(lecture, undone) < 0.02);  // and Ctrl+Z brought it back (the status line differs)
}
