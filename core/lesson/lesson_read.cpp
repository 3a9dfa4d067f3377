// Reading scene and lesson files: parse with validation (errors name the field); the source is kept so that
// writing (lesson_write.cpp) can write back over it and unknown fields survive.
//
// [SECTION] Errors
// [SECTION] Reading fields
// [SECTION] Scenes
// [SECTION] Lessons
// [SECTION] Entry points
#include "core/lesson/lesson.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/image_lab/kernels.hpp"
#include "core/io/fileio.hpp"
#include "core/network/network.hpp"

namespace convscope {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// A scene or lesson file larger than this is not something a teacher wrote.
constexpr int64_t kMaxFileBytes = int64_t(64) << 20;
// The stepper draws every cell: problems larger than this are not legible and their traces grow fast.
constexpr int64_t kMaxStepperSide = 64, kMaxStepperChannels = 8, kMaxStepperKernel = 16;

// Thrown inside this file only, caught at the parse entry points.
struct Refusal {
    SceneError error;
};

[[noreturn]] void refuse(SceneErrorCode code, std::string field, std::string detail = {}) {
    throw Refusal{SceneError{code, std::move(field), 0, std::move(detail), std::nullopt}};
}

// A refusal whose detail is one of core's errors: kept structured, so the UI renders it in its language.
[[noreturn]] void refuse(SceneErrorCode code, std::string field, const Error& cause) {
    throw Refusal{SceneError{code, std::move(field), 0, cause.message, cause}};
}

}  // namespace

// [SECTION] Errors

std::string SceneError::english() const {
    std::string what;
    switch (code) {
        case SceneErrorCode::CannotRead:
            what = "cannot be read: " + detail;
            break;
        case SceneErrorCode::NotJson:
            what = "is not valid JSON: " + detail;
            break;
        case SceneErrorCode::NotConvScope:
            what = "must be \"scene\" or \"lesson\"";
            break;
        case SceneErrorCode::Version:
            what = "must be 1";
            break;
        case SceneErrorCode::Missing:
            what = "is missing";
            break;
        case SceneErrorCode::Type:
            what = "must be " + detail;
            break;
        case SceneErrorCode::Range:
            what = "must be " + detail;
            break;
        case SceneErrorCode::Choice:
            what = "must be one of " + detail;
            break;
        case SceneErrorCode::Problem:
            what = "does not make a problem: " + detail;
            break;
        case SceneErrorCode::Unsupported:
            what = "is not supported yet: " + detail;
            break;
    }
    std::string out = scene > 0 ? "scene " + std::to_string(scene) + ": " : std::string();
    out += field.empty() ? std::string("the file") : field;
    return out + " " + what;
}

std::string_view to_string(SceneView v) {
    switch (v) {
        case SceneView::Stepper:
            return "stepper";
        case SceneView::Size:
            return "size";
        case SceneView::Image:
            return "image";
        case SceneView::Network:
            return "network";
    }
    return "stepper";
}

namespace {

// [SECTION] Reading fields

const json* find(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

int64_t whole(const json& v, const std::string& field, int64_t lo, int64_t hi) {
    if (!v.is_number_integer() &&
        !(v.is_number_float() && v.get<double>() == double(int64_t(v.get<double>()))))
        refuse(SceneErrorCode::Type, field, "a whole number");
    const int64_t x = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX
                      : v.is_number_integer()                                           ? v.get<int64_t>()
                                              : int64_t(v.get<double>());
    if (x < lo || x > hi)
        refuse(SceneErrorCode::Range, field, "between " + std::to_string(lo) + " and " + std::to_string(hi));
    return x;
}

// A pair: [h, w] or one number for both.
Pair pair_of(const json& v, const std::string& field, int64_t lo, int64_t hi) {
    if (v.is_array()) {
        if (v.size() != 2) refuse(SceneErrorCode::Type, field, "[h, w]");
        return {whole(v[0], field + "[0]", lo, hi), whole(v[1], field + "[1]", lo, hi)};
    }
    if (v.is_number()) return Pair(whole(v, field, lo, hi));
    refuse(SceneErrorCode::Type, field, "[h, w]");
}

bool boolean(const json& v, const std::string& field) {
    if (!v.is_boolean()) refuse(SceneErrorCode::Type, field, "true or false");
    return v.get<bool>();
}

std::string text(const json& v, const std::string& field) {
    if (!v.is_string()) refuse(SceneErrorCode::Type, field, "a string");
    return v.get<std::string>();
}

float number(const json& v, const std::string& field) {
    if (!v.is_number()) refuse(SceneErrorCode::Type, field, "a number");
    const double d = v.get<double>();
    if (!(d > -1e30 && d < 1e30)) refuse(SceneErrorCode::Range, field, "a finite number below 1e30");
    return float(d);
}

// Nested arrays of numbers of exactly `rank` levels, rectangular; `limits[i]` bounds each dimension.
Tensor tensor_of(const json& v, const std::string& field, size_t rank, const std::vector<int64_t>& limits) {
    Shape shape;
    const json* level = &v;
    for (size_t d = 0; d < rank; ++d) {
        if (!level->is_array() || level->empty())
            refuse(SceneErrorCode::Type, field,
                   "a non-empty " + std::to_string(rank) + "-level array of numbers");
        if (int64_t(level->size()) > limits[d])
            refuse(SceneErrorCode::Range, field,
                   "at most " + std::to_string(limits[d]) + " along dimension " + std::to_string(d + 1));
        shape.push_back(int64_t(level->size()));
        level = &(*level)[0];
    }
    std::vector<float> data;
    data.reserve(size_t(shape_numel(shape)));
    // Walk every element in C order, checking each sub-array's length.
    auto walk = [&](auto&& self, const json& node, size_t d, const std::string& path) -> void {
        if (d == rank) {
            data.push_back(number(node, path));
            return;
        }
        if (!node.is_array() || int64_t(node.size()) != shape[d])
            refuse(SceneErrorCode::Type, path,
                   "an array of " + std::to_string(shape[d]) + " (rows of equal length)");
        for (size_t i = 0; i < node.size(); ++i)
            self(self, node[i], d + 1, path + "[" + std::to_string(i) + "]");
    };
    walk(walk, v, 0, field);
    return Tensor(shape, std::move(data));
}

Caption caption_of(const json& v, const std::string& field) {
    Caption c;
    if (v.is_string()) {
        c.en = c.ko = v.get<std::string>();
        return c;
    }
    if (!v.is_object()) refuse(SceneErrorCode::Type, field, "{\"en\": …, \"ko\": …}");
    if (const json* en = find(v, "en")) c.en = text(*en, field + ".en");
    if (const json* ko = find(v, "ko")) c.ko = text(*ko, field + ".ko");
    return c;
}

Padding padding_of(const json& v, const std::string& field) {
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "same") return Padding::same();
        if (s == "valid") return Padding::valid();
        refuse(SceneErrorCode::Choice, field, "[h, w], \"same\", \"valid\"");
    }
    return Padding(pair_of(v, field, 0, kMaxStepperSide));
}

PaddingMode padding_mode_of(const json& v, const std::string& field) {
    auto m = parse_padding_mode(text(v, field));
    if (!m) refuse(SceneErrorCode::Choice, field, "zeros, reflect, replicate, circular");
    return *m;
}

// [SECTION] Scenes

StepperScene stepper_of(const json& s, const std::string& f) {
    if (!s.is_object()) refuse(SceneErrorCode::Type, f, "an object");
    StepperScene out;
    StepperProblem& p = out.problem;
    const std::string op = find(s, "operation") ? text(s["operation"], f + ".operation") : "conv";
    if (op == "conv")
        p.operation = ConvProblem{};
    else if (op == "max_pool")
        p.operation = PoolProblem{Pool2dParams{.op = Op::MaxPool}};
    else if (op == "avg_pool")
        p.operation = PoolProblem{Pool2dParams{.op = Op::AvgPool}};
    else if (op == "conv_transpose")
        p.operation = ConvTransposeProblem{};
    else
        refuse(SceneErrorCode::Choice, f + ".operation", "conv, max_pool, avg_pool, conv_transpose");
    const json* input = find(s, "input");
    if (!input) refuse(SceneErrorCode::Missing, f + ".input");
    p.input = tensor_of(*input, f + ".input", 3, {kMaxStepperChannels, kMaxStepperSide, kMaxStepperSide});
    if (ConvProblem* w = p.weighted()) {
        const json* weight = find(s, "weight");
        if (!weight) refuse(SceneErrorCode::Missing, f + ".weight");
        w->weight =
            tensor_of(*weight, f + ".weight", 4,
                      {kMaxStepperChannels, kMaxStepperChannels, kMaxStepperKernel, kMaxStepperKernel});
        // conv_transpose's weight is C×O/g×kh×kw: its output channels are dim 1 × groups.
        int64_t groups = 1;
        if (const json* v = find(s, "groups")) groups = whole(*v, f + ".groups", 1, kMaxStepperChannels);
        const int64_t out_channels = p.op() == Op::Conv ? w->weight.dim(0) : w->weight.dim(1) * groups;
        if (const json* bias = find(s, "bias")) {
            w->bias = tensor_of(*bias, f + ".bias", 1, {kMaxStepperChannels * kMaxStepperChannels});
            w->has_bias = true;
            if (w->bias.numel() != out_channels)
                refuse(SceneErrorCode::Type, f + ".bias",
                       "one number per output channel (" + std::to_string(out_channels) + ")");
        } else {
            w->bias = Tensor::filled({out_channels});
        }
        Conv2dParams& c = w->conv;
        if (const json* v = find(s, "stride")) c.stride = pair_of(*v, f + ".stride", 1, kMaxStepperSide);
        if (const json* v = find(s, "padding")) c.padding = padding_of(*v, f + ".padding");
        if (const json* v = find(s, "dilation"))
            c.dilation = pair_of(*v, f + ".dilation", 1, kMaxStepperSide);
        if (const json* v = find(s, "groups")) c.groups = whole(*v, f + ".groups", 1, kMaxStepperChannels);
        if (const json* v = find(s, "padding_mode"))
            c.padding_mode = padding_mode_of(*v, f + ".padding_mode");
        if (ConvTransposeProblem* t = p.transposed()) {
            if (c.padding.kind != PaddingKind::Explicit)
                refuse(SceneErrorCode::Type, f + ".padding",
                       "numbers (a transposed convolution has no same/valid)");
            if (const json* v = find(s, "output_padding"))
                t->output_padding = pair_of(*v, f + ".output_padding", 0, kMaxStepperSide);
        }
        if (const json* v = find(s, "transpose_view")) {
            out.transpose_view = text(*v, f + ".transpose_view");
            if (out.transpose_view != "scatter" && out.transpose_view != "gather")
                refuse(SceneErrorCode::Choice, f + ".transpose_view", "scatter, gather");
        }
        if (const json* v = find(s, "im2col")) out.im2col = boolean(*v, f + ".im2col");
        if (const json* v = find(s, "flip")) out.flip = boolean(*v, f + ".flip");
        if (out.flip && p.transposed())
            refuse(SceneErrorCode::Unsupported, f + ".flip", "flip is for conv (true convolution)");
        c.flip = out.flip;
    } else {
        Pool2dParams& q = *p.pool();
        const json* k = find(s, "kernel_size");
        if (!k) refuse(SceneErrorCode::Missing, f + ".kernel_size");
        q.kernel = pair_of(*k, f + ".kernel_size", 1, kMaxStepperKernel);
        q.stride = Pair(0);
        if (const json* v = find(s, "stride")) q.stride = pair_of(*v, f + ".stride", 1, kMaxStepperSide);
        if (const json* v = find(s, "padding")) q.padding = pair_of(*v, f + ".padding", 0, kMaxStepperSide);
        if (const json* v = find(s, "dilation"))
            q.dilation = pair_of(*v, f + ".dilation", 1, kMaxStepperSide);
        if (const json* v = find(s, "ceil_mode")) q.ceil_mode = boolean(*v, f + ".ceil_mode");
        if (const json* v = find(s, "count_include_pad"))
            q.count_include_pad = boolean(*v, f + ".count_include_pad");
    }
    if (const json* v = find(s, "predict")) out.predict = boolean(*v, f + ".predict");
    auto solved = solve_stepper(p);
    if (!solved) refuse(SceneErrorCode::Problem, f, solved.err());
    if (const json* st = find(s, "step")) {
        if (!st->is_object()) refuse(SceneErrorCode::Type, f + ".step", "{\"window\": …, \"term\": …}");
        const json* w = find(*st, "window");
        if (!w) refuse(SceneErrorCode::Missing, f + ".step.window");
        out.window = whole(*w, f + ".step.window", 0, std::max<int64_t>(0, solved->window_count() - 1));
        if (const json* t = find(*st, "term"))
            out.term = whole(*t, f + ".step.term", 0, solved->term_count(*out.window));
    }
    return out;
}

SizeScene size_of(const json& s, const std::string& f) {
    if (!s.is_object()) refuse(SceneErrorCode::Type, f, "an object");
    SizeScene out;
    if (const json* e = find(s, "exercise")) {
        out.exercise = int(whole(*e, f + ".exercise", 1, 5));
        return out;
    }
    constexpr int64_t big = int64_t(1) << 20;
    if (const json* v = find(s, "input")) out.input = pair_of(*v, f + ".input", 1, big);
    if (const json* v = find(s, "kernel")) out.kernel = pair_of(*v, f + ".kernel", 1, big);
    if (const json* v = find(s, "stride")) out.stride = pair_of(*v, f + ".stride", 1, big);
    if (const json* v = find(s, "padding")) out.padding = pair_of(*v, f + ".padding", 0, big);
    if (const json* v = find(s, "dilation")) out.dilation = pair_of(*v, f + ".dilation", 1, big);
    if (const json* v = find(s, "ceil_mode")) out.ceil_mode = boolean(*v, f + ".ceil_mode");
    return out;
}

ImageScene image_of(const json& s, const std::string& f, const std::string& base_dir) {
    if (!s.is_object()) refuse(SceneErrorCode::Type, f, "an object");
    ImageScene out;
    if (const json* v = find(s, "photo")) {
        out.photo = text(*v, f + ".photo");
        if (out.photo.empty())
            refuse(SceneErrorCode::Type, f + ".photo", "\"camera\", \"chelsea\" or a path");
        if (out.photo != "camera" && out.photo != "chelsea") {
            const fs::path p = fs::path(base_dir) / out.photo;
            std::error_code ec;
            if (!fs::is_regular_file(p, ec)) refuse(SceneErrorCode::CannotRead, f + ".photo", p.string());
            out.photo_path = p.string();
        }
    }
    if (const json* v = find(s, "kernel")) {
        if (v->is_string()) {
            out.kernel_name = v->get<std::string>();
            if (auto k = kernel_from_name(out.kernel_name); !k)
                refuse(SceneErrorCode::Problem, f + ".kernel", k.err());
        } else {
            Tensor k = tensor_of(*v, f + ".kernel", 2, {31, 31});
            out.kernel_name.clear();
            out.kernel_matrix.assign(size_t(k.shape[0]), std::vector<float>(size_t(k.shape[1])));
            for (int64_t y = 0; y < k.shape[0]; ++y)
                for (int64_t x = 0; x < k.shape[1]; ++x)
                    out.kernel_matrix[size_t(y)][size_t(x)] = k.data[size_t(y * k.shape[1] + x)];
        }
    }
    if (const json* v = find(s, "stride")) out.stride = pair_of(*v, f + ".stride", 1, 64);
    if (const json* v = find(s, "padding")) out.padding = padding_of(*v, f + ".padding");
    if (const json* v = find(s, "padding_mode")) out.padding_mode = padding_mode_of(*v, f + ".padding_mode");
    if (const json* v = find(s, "colour")) out.colour = boolean(*v, f + ".colour");
    if (const json* v = find(s, "map")) {
        out.map = text(*v, f + ".map");
        if (out.map != "clamp" && out.map != "abs" && out.map != "normalize")
            refuse(SceneErrorCode::Choice, f + ".map", "clamp, abs, normalize");
    }
    return out;
}

NetworkScene network_of(const json& s, const std::string& f) {
    if (!s.is_object()) refuse(SceneErrorCode::Type, f, "an object");
    NetworkScene out;
    if (const json* v = find(s, "input")) {
        if (!v->is_array() || v->size() != 4) refuse(SceneErrorCode::Type, f + ".input", "[N, C, H, W]");
        for (size_t i = 0; i < 4; ++i)
            out.input[i] = whole((*v)[i], f + ".input[" + std::to_string(i) + "]", 1, int64_t(1) << 16);
    }
    const json* layers = find(s, "layers");
    if (!layers) refuse(SceneErrorCode::Missing, f + ".layers");
    if (!layers->is_array() || layers->size() > 256)
        refuse(SceneErrorCode::Type, f + ".layers", "an array of at most 256 layers");
    for (size_t i = 0; i < layers->size(); ++i) {
        const std::string field = f + ".layers[" + std::to_string(i) + "]";
        out.layers.push_back(text((*layers)[i], field));
        if (auto L = parse_layer(out.layers.back()); !L) refuse(SceneErrorCode::Problem, field, L.err());
    }
    return out;
}

Scene scene_of(const json& j, const std::string& base_dir, bool check_kind) {
    if (!j.is_object()) refuse(SceneErrorCode::Type, "", "a JSON object");
    if (check_kind) {
        const json* kind = find(j, "convscope");
        if (!kind) refuse(SceneErrorCode::Missing, "convscope");
        if (text(*kind, "convscope") != "scene") refuse(SceneErrorCode::NotConvScope, "convscope");
    }
    if (const json* v = find(j, "version")) {
        if (whole(*v, "version", 0, INT32_MAX) != 1) refuse(SceneErrorCode::Version, "version");
    } else if (check_kind) {
        refuse(SceneErrorCode::Missing, "version");
    }
    Scene s;
    const json* view = find(j, "view");
    if (!view) refuse(SceneErrorCode::Missing, "view");
    const std::string v = text(*view, "view");
    if (v == "stepper")
        s.view = SceneView::Stepper;
    else if (v == "size")
        s.view = SceneView::Size;
    else if (v == "image")
        s.view = SceneView::Image;
    else if (v == "network")
        s.view = SceneView::Network;
    else
        refuse(SceneErrorCode::Choice, "view", "stepper, size, image, network");
    if (const json* c = find(j, "caption")) s.caption = caption_of(*c, "caption");
    const std::string key(to_string(s.view));
    const json* part = find(j, key.c_str());
    if (!part && s.view != SceneView::Size) refuse(SceneErrorCode::Missing, key);
    const json empty = json::object();
    switch (s.view) {
        case SceneView::Stepper:
            s.stepper = stepper_of(*part, key);
            break;
        case SceneView::Size:
            s.size = size_of(part ? *part : empty, key);
            break;
        case SceneView::Image:
            s.image = image_of(*part, key, base_dir);
            break;
        case SceneView::Network:
            s.network = network_of(*part, key);
            break;
    }
    s.source_json = j.dump();
    return s;
}

json parse_json(const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (auto pos = what.find("parse error"); pos != std::string::npos) what = what.substr(pos);
        refuse(SceneErrorCode::NotJson, "", what);
    }
}

std::string read_text(const std::string& path, const std::string& field) {
    auto bytes = read_file(path, kMaxFileBytes);
    if (!bytes) refuse(SceneErrorCode::CannotRead, field, bytes.error());
    return std::string(bytes->begin(), bytes->end());
}

// [SECTION] Lessons

Lesson lesson_of(const json& j, const std::string& base_dir) {
    const json* v = find(j, "version");
    if (!v) refuse(SceneErrorCode::Missing, "version");
    if (whole(*v, "version", 0, INT32_MAX) != 1) refuse(SceneErrorCode::Version, "version");
    Lesson l;
    if (const json* t = find(j, "title")) l.title = caption_of(*t, "title");
    const json* scenes = find(j, "scenes");
    if (!scenes) refuse(SceneErrorCode::Missing, "scenes");
    if (!scenes->is_array() || scenes->empty() || scenes->size() > 1000)
        refuse(SceneErrorCode::Type, "scenes", "an array of 1 to 1000 scenes");
    for (size_t i = 0; i < scenes->size(); ++i) {
        const json& item = (*scenes)[i];
        try {
            if (item.is_object() && item.contains("file")) {
                const std::string rel = text(item["file"], "file");
                const fs::path p = fs::path(base_dir) / rel;
                json sj = parse_json(read_text(p.string(), "file"));
                Scene s = scene_of(sj, p.parent_path().string(), true);
                s.file = rel;
                l.scenes.push_back(std::move(s));
            } else {
                l.scenes.push_back(scene_of(item, base_dir, false));
            }
        } catch (Refusal& r) {
            r.error.scene = int(i) + 1;
            throw;
        }
    }
    l.source_json = j.dump();
    return l;
}

// [SECTION] Entry points

template <class F>
auto guarded(F&& f) -> SceneResult<decltype(f())> {
    try {
        return f();
    } catch (const Refusal& r) {
        return r.error;
    } catch (const std::exception& e) {
        // nlohmann's type errors cannot happen after the checks above; never let one escape.
        return SceneError{SceneErrorCode::NotJson, "", 0, e.what(), std::nullopt};
    }
}

}  // namespace

SceneResult<Document> parse_document(const std::string& text, const std::string& base_dir) {
    return guarded([&]() -> Document {
        const json j = parse_json(text);
        if (!j.is_object()) refuse(SceneErrorCode::Type, "", "a JSON object");
        const json* kind = find(j, "convscope");
        if (!kind) refuse(SceneErrorCode::Missing, "convscope");
        const std::string k = convscope::text(*kind, "convscope");
        if (k == "scene") return scene_of(j, base_dir, true);
        if (k == "lesson") return lesson_of(j, base_dir);
        refuse(SceneErrorCode::NotConvScope, "convscope");
    });
}

SceneResult<Document> read_document_file(const std::string& path) {
    auto bytes = read_file(path, kMaxFileBytes);
    if (!bytes) return SceneError{SceneErrorCode::CannotRead, "", 0, bytes.error(), bytes.err()};
    std::error_code ec;
    const std::string base = fs::absolute(fs::path(path), ec).parent_path().string();
    return parse_document(std::string(bytes->begin(), bytes->end()), base);
}

SceneResult<Scene> parse_scene(const std::string& text, const std::string& base_dir) {
    return guarded([&]() -> Scene { return scene_of(parse_json(text), base_dir, true); });
}

}  // namespace convscope
