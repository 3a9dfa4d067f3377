// The GUI's settings file: JSON round trip, tolerance of hand-edited files, and a config directory that
// cannot be written (an error value, never a crash).
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "app/ui/shell/settings.hpp"

using namespace convscope;
using namespace convscope::ui;

TEST_CASE("settings: JSON round trip") {
    Settings s;
    s.scale = 2.5f;
    s.theme = Theme::Light;
    s.lang = Lang::Ko;
    s.window_w = 1600;
    s.window_h = 900;
    s.speed = 3.0f;
    auto back = settings_from_json(settings_to_json(s));
    REQUIRE(back.ok());
    CHECK(back->scale == 2.5f);
    CHECK(back->theme == Theme::Light);
    CHECK(back->lang == Lang::Ko);
    CHECK(back->window_w == 1600);
    CHECK(back->speed == 3.0f);
}

TEST_CASE("settings: hand-edited files keep defaults where wrong") {
    SECTION("not JSON") {
        CHECK_FALSE(settings_from_json("{scale: ").ok());
    }
    SECTION("not an object") {
        CHECK_FALSE(settings_from_json("[1, 2]").ok());
    }
    SECTION("wrong types and out-of-range values") {
        auto s = settings_from_json(
            R"({"scale": "big", "lang": "fr", "theme": 3, "window": {"w": 5}, "speed": 99})");
        REQUIRE(s.ok());
        CHECK(s->scale == 1.0f);
        CHECK(s->lang == Lang::En);
        CHECK(s->theme == Theme::Dark);
        CHECK(s->window_w == 320);
        CHECK(s->speed == 20.0f);
    }
    SECTION("scale is clamped to 1..3") {
        auto s = settings_from_json(R"({"scale": 7})");
        REQUIRE(s.ok());
        CHECK(s->scale == 3.0f);
    }
}

TEST_CASE("settings: saved under XDG_CONFIG_HOME, and a read-only directory is an error value") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("convscope-settings-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    ::setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
    Settings s;
    s.lang = Lang::Ko;
    REQUIRE(save_settings(s).ok());
    CHECK(fs::exists(dir / "convscope" / "settings.json"));
    std::optional<Error> error;
    CHECK(load_settings(error).lang == Lang::Ko);
    CHECK_FALSE(error);
    SECTION("read-only") {
        if (::geteuid() == 0) {
            // root writes through permissions; a file in place of the directory fails for everyone.
            fs::remove_all(dir / "convscope");
            std::FILE* f = std::fopen((dir / "convscope").c_str(), "w");
            REQUIRE(f);
            std::fclose(f);
        } else {
            ::chmod((dir / "convscope").c_str(), 0555);
        }
        s.lang = Lang::En;
        const auto status = save_settings(s);
        CHECK_FALSE(status.ok());
        ::chmod((dir / "convscope").c_str(), 0755);
    }
    SECTION("a corrupt file gives defaults and a message") {
        std::FILE* f = std::fopen((dir / "convscope" / "settings.json").c_str(), "w");
        REQUIRE(f);
        std::fputs("{not json", f);
        std::fclose(f);
        const Settings loaded = load_settings(error);
        CHECK(loaded.lang == Lang::En);
        // Coded, so the status line words it in the UI's language: the path, then why.
        REQUIRE(error);
        CHECK(error->code == ErrCode::path_colon);
        const std::string path = (dir / "convscope" / "settings.json").string();
        CHECK(error->message == path + ": settings.json is not a JSON object");
        CHECK(render_error(*error, ErrorLang::Ko) == path + ": settings.json이 JSON 객체가 아닙니다");
        CHECK(tr_error(*error, Lang::Ko) == render_error(*error, ErrorLang::Ko));
    }
    SECTION("a FIFO in place of settings.json gives defaults and a message at once, never blocks") {
        const fs::path file = dir / "convscope" / "settings.json";
        fs::remove(file);
        REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
        const Settings loaded = load_settings(error);  // a blocking open() would hang the test here
        CHECK(loaded.lang == Lang::En);
        REQUIRE(error);
        CHECK(error->code == ErrCode::not_regular_file);
        CHECK(error->message == file.string() + " is a FIFO (named pipe), not a regular file");
        CHECK(render_error(*error, ErrorLang::Ko) ==
              file.string() + "은(는) 일반 파일이 아닙니다 (FIFO (이름 있는 파이프))");
        // Saving refuses to replace it (the FIFO stays).
        CHECK_FALSE(save_settings(s).ok());
        CHECK(fs::is_fifo(file));
    }
    fs::remove_all(dir);
}

TEST_CASE("settings: a file without a scale is a first start; one with a scale keeps the user's choice") {
    CHECK_FALSE(Settings{}.scale_chosen);
    auto first = settings_from_json(R"({"theme": "light"})");
    REQUIRE(first);
    CHECK_FALSE(first->scale_chosen);
    auto chosen = settings_from_json(R"({"scale": 2})");
    REQUIRE(chosen);
    CHECK(chosen->scale_chosen);
    CHECK(chosen->scale == 2.0f);
    // Saved once, the scale is there next time.
    auto again = settings_from_json(settings_to_json(*first));
    REQUIRE(again);
    CHECK(again->scale_chosen);
}
