// Writing scene and lesson files: each field is written over the file it was read from (Scene::source_json),
// so unknown fields survive and a second save writes the same text; arrays of numbers stay on one line.
//
// [SECTION] Fields
// [SECTION] Scenes
// [SECTION] Files
#include <nlohmann/json.hpp>

#include "core/io/fileio.hpp"
#include "core/lesson/lesson.hpp"

namespace convscope {
namespace {

using json = nlohmann::ordered_json;

// [SECTION] Fields

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

json caption_json(const Caption& c, json base) {
    if (!base.is_object()) base = json::object();
    base["en"] = c.en;
    base["ko"] = c.ko;
    return base;
}

json padding_json(const Padding& p) {
    if (p.kind == PaddingKind::Same) return "same";
    if (p.kind == PaddingKind::Valid) return "valid";
    return pair_json(p.amount);
}

// [SECTION] Scenes

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

}  // namespace

// [SECTION] Files

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
