// Scene and lesson files (core/lesson/lesson.hpp): the DESIGN.md example parses, a scene round-trips (same
// problem, same playhead, unknown fields kept), invalid files name their field (and scene number), and the
// bundled lecture lesson holds the lecture's scenes in order.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/lesson/lesson.hpp"
#include "support/paths.hpp"

using namespace convscope;

namespace {

const char* const kDesignExample = R"J({ "convscope": "scene", "version": 1, "view": "stepper",
  "caption": {"en": "Stride 2 skips every other window", "ko": "스트라이드 2는 한 칸씩 건너뜁니다"},
  "teacher_note": {"keep": [1, 2, 3]},
  "stepper": {
    "operation": "conv",
    "input":  [[[1,2,3,0,1],[0,1,5,1,0],[1,0,2,2,1],[1,1,2,0,0],[1,0,1,1,1]]],
    "weight": [[[[1,0,1],[0,1,0],[1,0,1]]]],
    "bias": [0],
    "stride": [2,2], "padding": [1,1],
    "dilation": [1,1], "groups": 1, "padding_mode": "zeros", "output_padding": [0,0],
    "ceil_mode": false, "count_include_pad": true, "flip": false, "predict": true,
    "colour_hint": "blue",
    "step": {"window": 2, "term": 9}
  } })J";

Scene scene_of(const SceneResult<Document>& r) {
    REQUIRE(std::holds_alternative<Document>(r));
    const Document& d = std::get<Document>(r);
    REQUIRE(std::holds_alternative<Scene>(d));
    return std::get<Scene>(d);
}

SceneError error_of(const SceneResult<Document>& r) {
    REQUIRE(std::holds_alternative<SceneError>(r));
    return std::get<SceneError>(r);
}

// The example with one field of "stepper" replaced (or removed when value is null).
std::string with_stepper_field(const std::string& key, const nlohmann::json& value) {
    auto j = nlohmann::json::parse(kDesignExample);
    if (value.is_null())
        j["stepper"].erase(key);
    else
        j["stepper"][key] = value;
    return j.dump();
}

}  // namespace

TEST_CASE("parse_document: the DESIGN.md scene") {
    const Scene s = scene_of(parse_document(kDesignExample, "."));
    CHECK(s.view == SceneView::Stepper);
    CHECK(s.caption.en == "Stride 2 skips every other window");
    CHECK(s.caption.ko == "스트라이드 2는 한 칸씩 건너뜁니다");
    const StepperProblem& p = s.stepper.problem;
    CHECK(p.op() == Op::Conv);
    CHECK(p.input.shape == Shape{1, 5, 5});
    CHECK(p.weighted()->weight.shape == Shape{1, 1, 3, 3});
    CHECK(p.weighted()->has_bias);
    CHECK(p.weighted()->conv.stride == Pair(2));
    CHECK(p.weighted()->conv.padding == Padding(1));
    CHECK(s.stepper.predict);
    REQUIRE(s.stepper.window);
    CHECK(*s.stepper.window == 2);
    REQUIRE(s.stepper.term);
    CHECK(*s.stepper.term == 9);
    auto solved = solve_stepper(p);
    REQUIRE(solved);
    CHECK(solved->oh == 3);
}

TEST_CASE("scene_to_json: a scene round-trips with its unknown fields") {
    const Scene a = scene_of(parse_document(kDesignExample, "."));
    const std::string saved = scene_to_json(a);
    const Scene b = scene_of(parse_document(saved, "."));
    CHECK(b.caption == a.caption);
    CHECK(b.stepper.problem.input.data == a.stepper.problem.input.data);
    CHECK(b.stepper.problem.weighted()->weight.data == a.stepper.problem.weighted()->weight.data);
    CHECK(b.stepper.problem.weighted()->conv == a.stepper.problem.weighted()->conv);
    CHECK(b.stepper.window == a.stepper.window);
    CHECK(b.stepper.term == a.stepper.term);
    CHECK(b.stepper.predict == a.stepper.predict);
    // Unknown fields, top level and inside the view's object, survive.
    const auto j = nlohmann::json::parse(saved);
    CHECK(j["teacher_note"]["keep"] == nlohmann::json::array({1, 2, 3}));
    CHECK(j["stepper"]["colour_hint"] == "blue");
    CHECK(j["stepper"]["output_padding"] == nlohmann::json::array({0, 0}));  // conv_transpose's: kept
    // Saving the reread scene gives the same text (stable output).
    CHECK(scene_to_json(b) == saved);

    SECTION("an edited problem is what is saved") {
        Scene c = b;
        c.stepper.problem.input.data[0] = 7;
        c.stepper.window.reset();
        const Scene d = scene_of(parse_document(scene_to_json(c), "."));
        CHECK(d.stepper.problem.input.data[0] == 7);
        CHECK(!d.stepper.window);
    }
    SECTION("pools, size, image and network scenes") {
        for (
            const char* text : {
                R"J({"convscope":"scene","version":1,"view":"stepper","stepper":{"operation":"avg_pool",
                    "input":[[[1,2],[3,4]]],"kernel_size":[2,2],"count_include_pad":false,"ceil_mode":true}})J",
                R"J({"convscope":"scene","version":1,"view":"size","size":{"exercise":3}})J",
                R"J({"convscope":"scene","version":1,"view":"size","size":{"input":[32,64],"kernel":[5,5]}})J",
                R"J({"convscope":"scene","version":1,"view":"image","image":{"photo":"chelsea",
                    "kernel":[[0,1,0],[1,-4,1],[0,1,0]],"padding":"same","map":"normalize","colour":true}})J",
                R"J({"convscope":"scene","version":1,"view":"network","network":{"input":[1,1,28,28],
                    "layers":["Conv2d(1,5,5)","MaxPool2d(2)"]}})J"}) {
            const Scene x = scene_of(parse_document(text, "."));
            const std::string once = scene_to_json(x);
            const Scene y = scene_of(parse_document(once, "."));
            CHECK(scene_to_json(y) == once);
            CHECK(y.view == x.view);
        }
    }
}

TEST_CASE("parse_document: invalid scenes name their field") {
    struct Case {
        std::string text;
        SceneErrorCode code;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"{not json", SceneErrorCode::NotJson, ""},
        {"[1,2]", SceneErrorCode::Type, ""},
        {R"J({"version":1})J", SceneErrorCode::Missing, "convscope"},
        {R"J({"convscope":"slide","version":1})J", SceneErrorCode::NotConvScope, "convscope"},
        {R"J({"convscope":"scene","version":2,"view":"size"})J", SceneErrorCode::Version, "version"},
        {R"J({"convscope":"scene","version":1,"view":"movie"})J", SceneErrorCode::Choice, "view"},
        {R"J({"convscope":"scene","version":1,"view":"stepper"})J", SceneErrorCode::Missing, "stepper"},
        {with_stepper_field("stride", {0, 1}), SceneErrorCode::Range, "stepper.stride[0]"},
        {with_stepper_field("stride", "two"), SceneErrorCode::Type, "stepper.stride"},
        {with_stepper_field("input", nullptr), SceneErrorCode::Missing, "stepper.input"},
        {with_stepper_field("input", nlohmann::json::parse("[[[1,2],[3]]]")), SceneErrorCode::Type,
         "stepper.input[0][1]"},
        {with_stepper_field("input", nlohmann::json::parse("[[[1,\"a\"],[3,4]]]")), SceneErrorCode::Type,
         "stepper.input[0][0][1]"},
        {with_stepper_field("padding_mode", "mirror"), SceneErrorCode::Choice, "stepper.padding_mode"},
        {with_stepper_field("operation", "conv3d"), SceneErrorCode::Choice, "stepper.operation"},
        {with_stepper_field("bias", {1, 2}), SceneErrorCode::Type, "stepper.bias"},
        {with_stepper_field("step", {{"window", 9}}), SceneErrorCode::Range,
         "stepper.step.window"},  // 3×3 windows
        {with_stepper_field("weight", nlohmann::json::parse("[[[[1,1,1,1,1,1,1,1,1]]]]")),
         SceneErrorCode::Problem, "stepper"},
        {with_stepper_field("step", {{"window", 1}, {"term", 10}}), SceneErrorCode::Range,
         "stepper.step.term"},
        {R"J({"convscope":"scene","version":1,"view":"size","size":{"exercise":6}})J", SceneErrorCode::Range,
         "size.exercise"},
        {R"J({"convscope":"scene","version":1,"view":"image","image":{"photo":"missing.png"}})J",
         SceneErrorCode::CannotRead, "image.photo"},
        {R"J({"convscope":"scene","version":1,"view":"network","network":{"layers":[1]}})J",
         SceneErrorCode::Type, "network.layers[0]"},
        {R"J({"convscope":"scene","version":1,"view":"image","image":{"kernel":"no-such-kernel"}})J",
         SceneErrorCode::Problem, "image.kernel"},
        {R"J({"convscope":"scene","version":1,"view":"network","network":{"layers":["Conv9d(1)"]}})J",
         SceneErrorCode::Problem, "network.layers[0]"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const SceneError e = error_of(parse_document(c.text, "."));
        CHECK(int(e.code) == int(c.code));
        CHECK(e.field == c.field);
        CHECK(e.scene == 0);
        CHECK(!e.english().empty());
    }
    CHECK(error_of(parse_document(with_stepper_field("stride", {0, 1}), ".")).english() ==
          "stepper.stride[0] must be between 1 and 64");
}

TEST_CASE("parse_document: lessons, inline and by file, errors with the scene number") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("convscope-lesson-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    { std::ofstream(dir / "one.json") << kDesignExample; }
    const std::string lesson = R"J({"convscope":"lesson","version":1,"title":{"en":"T","ko":"티"},"extra":5,
        "scenes":[{"file":"one.json"},{"view":"size","size":{"exercise":2}}]})J";
    { std::ofstream(dir / "lesson.json") << lesson; }
    auto r = read_document_file((dir / "lesson.json").string());
    REQUIRE(std::holds_alternative<Document>(r));
    const Lesson& l = std::get<Lesson>(std::get<Document>(r));
    CHECK(l.title.ko == "티");
    REQUIRE(l.scenes.size() == 2);
    CHECK(l.scenes[0].file == "one.json");
    CHECK(l.scenes[0].stepper.problem.weighted()->conv.stride == Pair(2));
    CHECK(l.scenes[1].size.exercise == 2);
    // Saved back: the file reference stays, unknown fields stay; inline_all writes the scene itself.
    const auto j = nlohmann::json::parse(lesson_to_json(l));
    CHECK(j["extra"] == 5);
    CHECK(j["scenes"][0] == nlohmann::json{{"file", "one.json"}});
    const auto k = nlohmann::json::parse(lesson_to_json(l, true));
    CHECK(k["scenes"][0]["stepper"]["stride"] == nlohmann::json::array({2, 2}));
    CHECK(k["scenes"][0]["teacher_note"]["keep"].size() == 3);

    SECTION("a broken second scene names scene 2") {
        const SceneError e = error_of(parse_document(
            R"J({"convscope":"lesson","version":1,"scenes":[{"file":"one.json"},{"view":"size","size":{"stride":0}}]})J",
            dir.string()));
        CHECK(e.scene == 2);
        CHECK(e.field == "size.stride");
        CHECK(e.english() == "scene 2: size.stride must be between 1 and 1048576");
    }
    SECTION("a missing scene file names scene 1") {
        const SceneError e = error_of(parse_document(
            R"J({"convscope":"lesson","version":1,"scenes":[{"file":"nope.json"}]})J", dir.string()));
        CHECK(e.scene == 1);
        CHECK(e.code == SceneErrorCode::CannotRead);
    }
    SECTION("no scenes") {
        const SceneError e =
            error_of(parse_document(R"J({"convscope":"lesson","version":1,"scenes":[]})J", "."));
        CHECK(e.field == "scenes");
    }
    fs::remove_all(dir);
}

TEST_CASE("the bundled lecture lesson follows the lecture") {
    auto r = read_document_file(convscope::testing::source_dir() + "/assets/lessons/lecture.json");
    if (auto* e = std::get_if<SceneError>(&r)) FAIL(e->english());
    const Lesson& l = std::get<Lesson>(std::get<Document>(r));
    REQUIRE(l.scenes.size() == 14);
    for (const Scene& s : l.scenes) {
        CHECK(!s.caption.en.empty());
        CHECK(!s.caption.ko.empty());
    }
    // 1: the 5×5 example, its first multiply-accumulate = 8; 2: the full output.
    auto first = solve_stepper(l.scenes[0].stepper.problem);
    REQUIRE(first);
    CHECK(first->output.data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    CHECK(l.scenes[0].stepper.window == 0);
    CHECK(l.scenes[1].stepper.window == 8);
    // 3: padding 1 (the 7×7 ring); 4: stride 2; 5: the floor, 64 k7 s2 → 29.
    CHECK(l.scenes[2].stepper.problem.weighted()->conv.padding == Padding(1));
    CHECK(l.scenes[3].stepper.problem.weighted()->conv.stride == Pair(2));
    CHECK(l.scenes[4].view == SceneView::Size);
    CHECK(l.scenes[4].size.input == Pair(64));
    CHECK(l.scenes[4].size.kernel == Pair(7));
    CHECK(l.scenes[4].size.stride == Pair(2));
    // 6: channels and bias; 7–11: the five exercises; 12, 13: pooling; 14: the CNN.
    CHECK(l.scenes[5].stepper.problem.input.dim(0) == 2);
    CHECK(l.scenes[5].stepper.problem.weighted()->has_bias);
    for (int i = 0; i < 5; ++i) CHECK(l.scenes[size_t(6 + i)].size.exercise == i + 1);
    CHECK(l.scenes[11].stepper.problem.op() == Op::MaxPool);
    CHECK(l.scenes[12].stepper.problem.op() == Op::AvgPool);
    CHECK(l.scenes[13].network.layers == std::vector<std::string>{"Conv2d(1,5,5)", "MaxPool2d(2)"});
}
