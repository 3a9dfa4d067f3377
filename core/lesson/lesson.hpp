// Scene and lesson files (the contract in DESIGN.md, "Scene and lesson files"): what one view shows, and an
// ordered list of scenes with a title. Parsing validates every field and refuses a file with a structured
// error naming the field (and, in a lesson, the scene number from 1); the UI renders it in its language, the
// CLI in English. Unknown fields are kept: each parsed object remembers its source, and saving writes the
// known fields over it.
//
//   auto l = read_lesson_file("lecture.json");        // or parse_document(text, base_dir) for either kind
//   if (!l) std::puts(l.error().english().c_str());    // "scene 3: stepper.stride: must be at least 1"
//   save_lesson_file(*l, "copy.json");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/engine/params.hpp"
#include "core/stepper/stepper.hpp"
#include "core/support/result.hpp"

namespace convscope {

// Why a scene or lesson file was refused. `field` is the JSON path ("stepper.stride"), language-neutral;
// `detail` is an English fragment the UI shows as it is (a JSON parser position, a solver error).
enum class SceneErrorCode {
    CannotRead,    // the file cannot be read (detail: the reason)
    NotJson,       // not JSON (detail: where the parser stopped)
    NotConvScope,  // "convscope" is not "scene" or "lesson"
    Version,       // version is not 1
    Missing,       // a required field is missing
    Type,          // wrong type (detail: what is expected, e.g. "a whole number")
    Range,         // out of range (detail: the limit, e.g. "at least 1")
    Choice,        // not one of the allowed words (detail: the allowed words)
    Problem,       // the fields are each fine but the problem is not (detail: the solver's message)
    Unsupported,   // a valid value the app cannot show yet (detail: what)
};

struct SceneError {
    SceneErrorCode code = SceneErrorCode::Missing;
    std::string field;   // "stepper.input", "" for the whole file
    int scene = 0;       // from 1 in a lesson; 0 in a scene file
    std::string detail;  // see SceneErrorCode
    std::optional<Error>
        cause;  // core's refusal behind `detail` (Problem, CannotRead), for the UI's language
    // The message in English: "scene 3: stepper.stride: must be at least 1".
    std::string english() const;
};

template <class T>
using SceneResult = std::variant<T, SceneError>;

// A caption or title in both languages (either may be empty).
struct Caption {
    std::string en, ko;
    bool operator==(const Caption&) const = default;
};

// The stepper's whole problem and playhead.
struct StepperScene {
    StepperProblem problem;
    bool predict = false;  // predict, then reveal
    bool flip = false;     // true convolution (the kernel rotated 180°): the conv problem's conv.flip
    std::optional<int64_t> window;           // playhead window (0-based), none: before the first
    std::optional<int64_t> term;             // playhead term, none: the window complete
    std::string transpose_view = "scatter";  // conv_transpose: "scatter" or "gather" (optional field)
    bool im2col = false;                     // conv: the im2col matrix shown (optional field)
};

// The output-size view: one of the five exercises (1..5) or the calculator's inputs.
struct SizeScene {
    int exercise = 0;  // 0: the calculator
    Pair input{64}, kernel{7}, stride{2}, padding{0}, dilation{1};
    bool ceil_mode = false;
};

// The image lab: a bundled photo ("camera", "chelsea") or a path (relative to the file, resolved on load),
// a named kernel or a matrix, conv parameters and how the result is mapped to grey levels.
struct ImageScene {
    std::string photo = "camera";
    std::string photo_path;               // resolved path when photo is a file, else empty
    std::string kernel_name = "sobel-x";  // empty when kernel_matrix is used
    std::vector<std::vector<float>> kernel_matrix;
    Pair stride{1};
    Padding padding{1};
    PaddingMode padding_mode = PaddingMode::Zeros;
    bool colour = false;
    std::string map = "abs";  // clamp | abs | normalize
};

// The network view: an N,C,H,W input and a layer stack in PyTorch's spelling.
struct NetworkScene {
    std::vector<int64_t> input{1, 1, 28, 28};
    std::vector<std::string> layers;
};

enum class SceneView { Stepper, Size, Image, Network };
std::string_view to_string(SceneView v);  // "stepper", "size", "image", "network"

struct Scene {
    SceneView view = SceneView::Stepper;
    Caption caption;
    StepperScene stepper;  // each read only for its view
    SizeScene size;
    ImageScene image;
    NetworkScene network;
    std::string source_json;  // the object as read (unknown fields kept on save); empty for a new scene
    std::string file;         // in a lesson: the {"file": …} it came from (relative), empty when inline
};

struct Lesson {
    Caption title;
    std::vector<Scene> scenes;
    std::string source_json;
};

// What a file holds.
using Document = std::variant<Scene, Lesson>;

// Parses a scene or a lesson (by its "convscope" field). `base_dir` resolves relative paths (scene files of a
// lesson, photos); `depth` guards against a lesson naming itself. Never throws.
SceneResult<Document> parse_document(const std::string& text, const std::string& base_dir);
// Reads and parses a file (at most 64 MiB).
SceneResult<Document> read_document_file(const std::string& path);
// Parses one scene object's JSON text (no "convscope" check when `in_lesson`).
SceneResult<Scene> parse_scene(const std::string& text, const std::string& base_dir);

// The scene as JSON text (pretty, UTF-8): the known fields written over source_json.
std::string scene_to_json(const Scene& s);
// The lesson as JSON text; scenes with a `file` are written as {"file": …} unless `inline_all`.
std::string lesson_to_json(const Lesson& l, bool inline_all = false);
// Writes text to a file (through a temporary, then renamed).
Status write_text_file(const std::string& path, const std::string& text);

// A scene for the stepper showing `problem` (with an optional playhead).
Scene stepper_scene(StepperProblem problem, Caption caption = {});

}  // namespace convscope
