// The shell's typed requests between views (app/ui/shell/handoff.hpp): each kind is taken once, a newer
// request replaces one not taken yet, asking shows the receiving view, dropped files are bounded, and "I need
// frames" lasts one frame.
#include <catch2/catch.hpp>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/shell/settings.hpp"

using namespace convscope;
using namespace convscope::ui;

TEST_CASE("Requests: open_in_stepper is taken once and shows the stepper", "[ui]") {
    Requests r;
    CHECK_FALSE(r.take_stepper());
    StepperProblem a, b;
    a.weighted()->conv.stride = Pair(2, 2);
    b.weighted()->conv.stride = Pair(3, 3);
    r.open_in_stepper({a, 4});
    r.open_in_stepper({b, 7});  // not taken yet: replaced
    CHECK(r.take_view() == std::optional<std::string>("stepper"));
    CHECK_FALSE(r.take_view());
    auto got = r.take_stepper();
    REQUIRE(got);
    CHECK(got->window == 7);
    CHECK(got->problem.weighted()->conv.stride == Pair(3, 3));
    CHECK_FALSE(r.take_stepper());
}

TEST_CASE("Requests: open_in_image_lab carries the image and shows the image lab", "[ui]") {
    Requests r;
    Image img;
    img.width = 2;
    img.height = 1;
    img.channels = 1;
    img.pixels = {10, 20};
    r.open_in_image_lab({"layer1-channel0", img});
    CHECK(r.take_view() == std::optional<std::string>("image"));
    auto got = r.take_image();
    REQUIRE(got);
    CHECK(got->name == "layer1-channel0");
    CHECK(got->image.pixels == std::vector<uint8_t>{10, 20});
    CHECK_FALSE(r.take_image());
}

TEST_CASE("Requests: dropped files are kept in order, at most 64, and taken once", "[ui]") {
    Requests r;
    std::vector<std::string> many;
    for (int i = 0; i < 100; ++i) many.push_back("f" + std::to_string(i) + ".png");
    r.files_dropped(many, "image");
    CHECK(r.take_view() == std::optional<std::string>("image"));
    const auto got = r.take_dropped_files();
    REQUIRE(got.size() == 64);
    CHECK(got.front() == "f0.png");
    CHECK(got.back() == "f63.png");
    CHECK(r.take_dropped_files().empty());
}

TEST_CASE("Requests: an animation export is pending until the stepper takes it", "[ui]") {
    Requests r;
    CHECK_FALSE(r.animation_export_pending());
    r.export_animation("/tmp/steps.gif");
    CHECK(r.animation_export_pending());
    CHECK(r.take_view() == std::optional<std::string>("stepper"));
    CHECK(r.take_animation_export() == std::optional<std::string>("/tmp/steps.gif"));
    CHECK_FALSE(r.animation_export_pending());
}

TEST_CASE("Requests: need_frames lasts until the shell reads it once", "[ui]") {
    Requests r;
    CHECK_FALSE(r.take_frames_wanted());
    r.need_frames();
    r.need_frames();
    CHECK(r.take_frames_wanted());
    CHECK_FALSE(r.take_frames_wanted());
}

TEST_CASE("Settings: compared as values (the shell writes JSON only when they differ)", "[ui]") {
    Settings a, b;
    CHECK(a == b);
    b.speed = 3.0f;
    CHECK_FALSE(a == b);
    b = a;
    b.window_w = 1920;
    CHECK_FALSE(a == b);
}
