// Scene and lesson files: parse with validation (errors name the field), write back over the source so
// unknown fields survive.
//
// [SECTION] Errors
// [SECTION] Reading fields
// [SECTION] Scenes
// [SECTION] Lessons
// [SECTION] Writing
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

json tensor_json(const Tensor& t, size_t d = 0, size_t offset = 0) {
    json a = json::array();
    if (d + 1 == t.shape.size()) {
        for (int64_t i = 0; i < t.shape[d]; ++i) {
            const float x = t.data[offset + size_t(i)];
            if (x == float(int64_t(x)) && x > -1e15f && x < 1e15f)
                a.push_back(int64_t(x));
            else
                a.push_back(double(x));
        }
        return a;
    }
    size_t stride = 1;
    for (size_t k = d + 1; k < t.shape.size(); ++k) stride *= size_t(t.shape[k]);
    for (int64_t i = 0; i < t.shape[d]; ++i) a.push_back(tensor_json(t, d + 1, offset + size_t(i) * stride));
    return a;
}

json pair_json(Pair p) {
    return json::array({p.h, p.w});
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

json caption_json(const Caption& c, json base) {
    if (!base.is_object()) base = json::object();
    base["en"] = c.en;
    base["ko"] = c.ko;
    return base;
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

json padding_json(const Padding& p) {
    if (p.kind == PaddingKind::Same) return "same";
    if (p.kind == PaddingKind::Valid) return "valid";
    return pair_json(p.amount);
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

// [SECTION] Writing

json stepper_json(const StepperScene& st, json base) {
    if (!base.is_object()) base = json::object();
    const StepperProblem& p = st.problem;
    // Fields are overwritten in place (a second save writes the same text); those of the other operations
    // (a conv scene's ceil_mode, output_padding) stay as the teacher wrote them.
    const ConvProblem* weighted = p.weighted();
    const Pool2dParams* pool = p.pool();
    const Op op = p.op();
    base.erase(weighted ? "kernel_size" : "weight");
    if (!weighted || !weighted->has_bias) base.erase("bias");
    if (!st.window) base.erase("step");
    if (pool && !(pool->stride.h || pool->stride.w)) base.erase("stride");
    base["operation"] = op == Op::Conv            ? "conv"
                        : op == Op::ConvTranspose ? "conv_transpose"
                        : op == Op::MaxPool       ? "max_pool"
                                                  : "avg_pool";
    base["input"] = tensor_json(p.input);
    if (const ConvTransposeProblem* t = p.transposed()) base["output_padding"] = pair_json(t->output_padding);
    if (weighted) {
        base["weight"] = tensor_json(weighted->weight);
        if (weighted->has_bias) base["bias"] = tensor_json(weighted->bias);
        base["stride"] = pair_json(weighted->conv.stride);
        base["padding"] = padding_json(weighted->conv.padding);
        base["dilation"] = pair_json(weighted->conv.dilation);
        base["groups"] = weighted->conv.groups;
        base["padding_mode"] = std::string(to_string(weighted->conv.padding_mode));
    } else {
        base["kernel_size"] = pair_json(pool->kernel);
        if (pool->stride.h || pool->stride.w) base["stride"] = pair_json(pool->effective_stride());
        base["padding"] = pair_json(pool->padding);
        base["dilation"] = pair_json(pool->dilation);
        base["ceil_mode"] = pool->ceil_mode;
        base["count_include_pad"] = pool->count_include_pad;
    }
    if (op == Op::ConvTranspose) base["transpose_view"] = st.transpose_view;
    if (op == Op::Conv && (weighted->conv.flip || base.contains("flip"))) base["flip"] = weighted->conv.flip;
    if (st.im2col || base.contains("im2col")) base["im2col"] = st.im2col;
    base["predict"] = st.predict;
    if (st.window) {
        json step = {{"window", *st.window}};
        if (st.term) step["term"] = *st.term;
        base["step"] = step;
    }
    return base;
}

json scene_json(const Scene& s, bool with_header) {
    json j = s.source_json.empty() ? json::object() : json::parse(s.source_json, nullptr, false);
    if (!j.is_object()) j = json::object();
    j.erase("convscope");
    j.erase("version");
    if (with_header) {
        // The header first, as a teacher writes it.
        json head = {{"convscope", "scene"}, {"version", 1}};
        for (auto it = j.begin(); it != j.end(); ++it) head[it.key()] = it.value();
        j = std::move(head);
    }
    j["view"] = std::string(to_string(s.view));
    j["caption"] = caption_json(s.caption, j.contains("caption") ? j["caption"] : json());
    const std::string key(to_string(s.view));
    json base = j.contains(key) ? j[key] : json::object();
    if (!base.is_object()) base = json::object();
    switch (s.view) {
        case SceneView::Stepper:
            j[key] = stepper_json(s.stepper, base);
            break;
        case SceneView::Size: {
            const SizeScene& z = s.size;
            for (const char* k :
                 {"exercise", "input", "kernel", "stride", "padding", "dilation", "ceil_mode"})
                base.erase(k);
            if (z.exercise > 0) {
                base["exercise"] = z.exercise;
            } else {
                base["input"] = pair_json(z.input);
                base["kernel"] = pair_json(z.kernel);
                base["stride"] = pair_json(z.stride);
                base["padding"] = pair_json(z.padding);
                base["dilation"] = pair_json(z.dilation);
                base["ceil_mode"] = z.ceil_mode;
            }
            j[key] = base;
            break;
        }
        case SceneView::Image: {
            const ImageScene& m = s.image;
            base["photo"] = m.photo;
            if (m.kernel_name.empty()) {
                json rows = json::array();
                for (const auto& r : m.kernel_matrix) {
                    Tensor t({int64_t(r.size())}, r);
                    rows.push_back(tensor_json(t));
                }
                base["kernel"] = rows;
            } else {
                base["kernel"] = m.kernel_name;
            }
            base["stride"] = pair_json(m.stride);
            base["padding"] = padding_json(m.padding);
            base["padding_mode"] = std::string(to_string(m.padding_mode));
            base["colour"] = m.colour;
            base["map"] = m.map;
            j[key] = base;
            break;
        }
        case SceneView::Network: {
            base["input"] = s.network.input;
            base["layers"] = s.network.layers;
            j[key] = base;
            break;
        }
    }
    return j;
}

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

// Pretty JSON with arrays of numbers on one line ([[1, 0, 1], [0, 1, 0], …] reads like the grid).
namespace {

std::string pretty(const json& j) {
    const std::string t = j.dump(2);
    std::string out;
    out.reserve(t.size());
    for (size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '[') {
            out += t[i];
            continue;
        }
        // An array holding only numbers and arrays of numbers: write it on one line.
        size_t depth = 0, k = i;
        bool flat = true;
        for (; k < t.size(); ++k) {
            const char c = t[k];
            if (c == '[')
                ++depth;
            else if (c == ']' && --depth == 0)
                break;
            else if (c == '{' || c == '"')
                flat = false;
            if (!flat) break;
        }
        if (!flat || k >= t.size()) {
            out += t[i];
            continue;
        }
        for (size_t m = i; m <= k; ++m) {
            const char c = t[m];
            if (c == '\n' || c == ' ') continue;
            out += c;
            if (c == ',') out += ' ';
        }
        i = k;
    }
    return out + "\n";
}

}  // namespace

std::string scene_to_json(const Scene& s) {
    return pretty(scene_json(s, true));
}

std::string lesson_to_json(const Lesson& l, bool inline_all) {
    json j = l.source_json.empty() ? json::object() : json::parse(l.source_json, nullptr, false);
    if (!j.is_object()) j = json::object();
    j.erase("convscope");
    j.erase("version");
    json head = {{"convscope", "lesson"}, {"version", 1}};
    for (auto it = j.begin(); it != j.end(); ++it) head[it.key()] = it.value();
    j = std::move(head);
    j["title"] = caption_json(l.title, j.contains("title") ? j["title"] : json());
    json scenes = json::array();
    for (const Scene& s : l.scenes) {
        if (!s.file.empty() && !inline_all)
            scenes.push_back({{"file", s.file}});
        else
            scenes.push_back(scene_json(s, false));
    }
    j["scenes"] = scenes;
    return pretty(j);
}

Status write_text_file(const std::string& path, const std::string& text) {
    return write_file_atomic(
        path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Scene stepper_scene(StepperProblem problem, Caption caption) {
    Scene s;
    s.view = SceneView::Stepper;
    s.caption = std::move(caption);
    s.stepper.problem = std::move(problem);
    return s;
}

}  // namespace convscope
