// Layers from PyTorch's constructor syntax: each kind's signature, arguments bound as Python binds them,
// the values PyTorch refuses, then parse_layer and parse_input_shape.
//
// [SECTION] Signatures
// [SECTION] parse_layer
#include "core/network/code_syntax.hpp"

namespace convscope {
namespace code_detail {

// [SECTION] Signatures

struct Signature {
    LayerKind kind;
    std::vector<std::string_view> params;
    size_t required;
};

const Signature& signature(LayerKind kind) {
    using K = LayerKind;
    static const Signature sigs[] = {
        {K::Conv2d,
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias",
          "padding_mode", "device", "dtype"},
         3},
        {K::ConvTranspose2d,
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
          "bias", "dilation", "padding_mode", "device", "dtype"},
         3},
        {K::MaxPool2d, {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"}, 1},
        {K::AvgPool2d,
         {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"},
         1},
        {K::AdaptiveAvgPool2d, {"output_size"}, 1},
        {K::AdaptiveMaxPool2d, {"output_size", "return_indices"}, 1},
        {K::BatchNorm2d,
         {"num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"},
         1},
        {K::Dropout, {"p", "inplace"}, 0},
        {K::Dropout2d, {"p", "inplace"}, 0},
        {K::ReLU, {"inplace"}, 0},
        {K::ReLU6, {"inplace"}, 0},
        {K::LeakyReLU, {"negative_slope", "inplace"}, 0},
        {K::ELU, {"alpha", "inplace"}, 0},
        {K::GELU, {"approximate"}, 0},
        {K::SiLU, {"inplace"}, 0},
        {K::Hardswish, {"inplace"}, 0},
        {K::Sigmoid, {}, 0},
        {K::Tanh, {}, 0},
        {K::Softmax, {"dim"}, 0},
        {K::LogSoftmax, {"dim"}, 0},
        {K::Identity, {}, 0},  // takes any arguments (*args, **kwargs) and ignores them
        {K::Flatten, {"start_dim", "end_dim"}, 0},
        {K::Linear, {"in_features", "out_features", "bias", "device", "dtype"}, 2},
        {K::ZeroPad2d, {"padding"}, 1},
        {K::ConstantPad2d, {"padding", "value"}, 2},
        {K::ReflectionPad2d, {"padding"}, 1},
        {K::ReplicationPad2d, {"padding"}, 1},
        {K::Upsample, {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"}, 0},
        {K::LocalResponseNorm, {"size", "alpha", "beta", "k"}, 1},
    };
    for (const Signature& s : sigs)
        if (s.kind == kind) return s;
    return sigs[0];
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// "Conv2d" for "nn.Conv2d" and "torch.nn.Conv2d"; nullopt for a name without a known layer.
std::optional<LayerKind> layer_kind(std::string_view name) {
    for (std::string_view prefix : {"torch.nn.", "nn."})
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    for (LayerKind k : kAllLayerKinds)
        if (name == to_string(k)) return k;
    return std::nullopt;
}

Error known_layers() {
    std::string r;
    const size_t n = std::size(kAllLayerKinds);
    for (size_t k = 0; k + 1 < n; ++k) r += (k == 0 ? "" : ", ") + std::string(to_string(kAllLayerKinds[k]));
    return fail<ErrCode::w_list_and>(r, to_string(kAllLayerKinds[n - 1]));
}

Error unknown_layer(std::string_view name) {
    std::string_view bare = name.substr(name.rfind('.') == kNoPos ? 0 : name.rfind('.') + 1);
    for (LayerKind k : kAllLayerKinds)
        if (lower(bare) == lower(to_string(k)))
            return fail<ErrCode::sig_not_a_layer_did_you_mean>(name, to_string(k));
    return fail<ErrCode::sig_unknown_layer>(bare, known_layers());
}

// The values bound to each parameter of the signature (nullptr where not given).
using Bound = std::vector<const Value*>;

std::optional<Bound> bind(const Call& call, const Signature& sig, Error& err) {
    const std::string fn = std::string(to_string(sig.kind)) + "()";
    Bound bound(sig.params.size(), nullptr);
    size_t positional = 0;
    for (const Argument& a : call.args) {
        if (a.keyword.empty()) {
            if (positional >= sig.params.size()) {
                const auto given = std::count_if(call.args.begin(), call.args.end(),
                                                 [](const Argument& x) { return x.keyword.empty(); });
                err = at(a.value.pos,
                         sig.params.size() == 1
                             ? fail<ErrCode::sig_too_many_positional_1>(fn, sig.params.size(), given)
                             : fail<ErrCode::sig_too_many_positional>(fn, sig.params.size(), given));
                return std::nullopt;
            }
            bound[positional++] = &a.value;
            continue;
        }
        const auto it = std::find(sig.params.begin(), sig.params.end(), a.keyword);
        if (it == sig.params.end()) {
            Error hint = fail_text("");
            size_t best = 3;
            for (std::string_view p : sig.params)
                if (size_t d = edit_distance(a.keyword, p); d < best) {
                    best = d;
                    hint = fail<ErrCode::w_hint_did_you_mean>(p);
                }
            err = at(a.keyword_pos, fail<ErrCode::sig_unexpected_keyword>(fn, a.keyword, std::move(hint)));
            return std::nullopt;
        }
        const size_t k = size_t(it - sig.params.begin());
        if (bound[k]) {
            err = at(a.keyword_pos, fail<ErrCode::sig_multiple_values>(fn, a.keyword));
            return std::nullopt;
        }
        bound[k] = &a.value;
    }
    for (size_t k = 0; k < sig.required; ++k)
        if (!bound[k]) {
            err = at(call.close_pos, fail<ErrCode::sig_missing_argument>(fn, sig.params[k]));
            return std::nullopt;
        }
    return bound;
}

// Reads bound values into a Layer, checking each value's type as PyTorch would.
class Binder {
public:
    Binder(const Signature& sig, const Bound& bound, Error& err) : m_sig(sig), m_bound(bound), m_err(err) {}

    const Value* get(std::string_view name) const {
        const auto it = std::find(m_sig.params.begin(), m_sig.params.end(), name);
        return it == m_sig.params.end() ? nullptr : m_bound[size_t(it - m_sig.params.begin())];
    }

    bool integer(std::string_view name, int64_t& out) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type != Value::Type::Int) return type_error(*v, name, ErrCode::w_a_whole_number);
        out = v->i;
        return true;
    }

    bool pair(std::string_view name, Pair& out) {
        const Value* v = get(name);
        if (!v) return true;
        return to_pair(*v, name, out);
    }

    bool boolean(std::string_view name, bool& out) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type == Value::Type::Bool)
            out = v->b;
        else if (v->type == Value::Type::Int)
            out = v->i != 0;  // Python's truth of 0 and 1
        else
            return type_error(*v, name, ErrCode::w_true_or_false);
        return true;
    }

    // padding= of Conv2d: a number, a pair, 'same' or 'valid'.
    bool conv_padding(Padding& out) {
        const Value* v = get("padding");
        if (!v) return true;
        if (v->type == Value::Type::String ||
            (v->type == Value::Type::Name && (v->s == "same" || v->s == "valid"))) {
            if (v->s == "same")
                out = Padding::same();
            else if (v->s == "valid")
                out = Padding::valid();
            else
                return value_error(*v, fail<ErrCode::arg_padding_string>(v->s));
            return true;
        }
        Pair p;
        if (!to_pair(*v, "padding", p, ErrCode::w_whole_or_pair_same)) return false;
        out = Padding(p);
        return true;
    }

    // padding_mode= of Conv2d.
    bool padding_mode(PaddingMode& out) {
        const Value* v = get("padding_mode");
        if (!v) return true;
        if (v->type != Value::Type::String && v->type != Value::Type::Name)
            return type_error(*v, "padding_mode", ErrCode::w_string_like_zeros);
        auto m = parse_padding_mode(v->s);
        if (!m) return value_error(*v, fail<ErrCode::arg_padding_mode>(v->s));
        out = *m;
        return true;
    }

    // stride= of the pools: None (the kernel size), a number or a pair, at least 1.
    bool pool_stride(Pair& out) {
        const Value* v = get("stride");
        if (!v || v->type == Value::Type::None) return true;
        if (!to_pair(*v, "stride", out, ErrCode::w_whole_or_pair_none)) return false;
        if (out.h < 1 || out.w < 1) return value_error(*v, fail<ErrCode::arg_pool_stride>(described(*v)));
        return true;
    }

    // An argument ConvScope supports only at its default False (return_indices=).
    bool must_be_false(std::string_view name, Error why) {
        const Value* v = get(name);
        if (!v || (v->type == Value::Type::Bool && !v->b) || (v->type == Value::Type::Int && v->i == 0))
            return true;
        if (v->type != Value::Type::Bool && v->type != Value::Type::Int)
            return type_error(*v, name, ErrCode::w_true_or_false);
        return value_error(*v, std::move(why));
    }

    // An argument ConvScope supports only at its default None (divisor_override=).
    bool must_be_none(std::string_view name, Error why) {
        const Value* v = get(name);
        return !v || v->type == Value::Type::None || value_error(*v, why);
    }

    // A number: a whole number or a float (0.5, 1e-05).
    bool real(std::string_view name, double& out) {
        const Value* v = get(name);
        if (!v) return true;
        return to_real(*v, name, out);
    }

    // A string argument; print(model) writes some unquoted (mode=nearest, padding_mode=reflect).
    bool text(std::string_view name, std::string& out, ErrCode expected) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type != Value::Type::String && v->type != Value::Type::Name)
            return type_error(*v, name, expected);
        out = v->s;
        return true;
    }

    // The padding layers' padding=: one number for all four sides or (left, right, top, bottom).
    bool pad4(Layer& L) {
        const Value* v = get("padding");
        if (!v) return true;
        if (v->type == Value::Type::Int) {
            L.pad_left = L.pad_right = L.pad_top = L.pad_bottom = v->i;
            return true;
        }
        if (v->type == Value::Type::Tuple && v->items.size() == 4 &&
            std::all_of(v->items.begin(), v->items.end(),
                        [](const Value& x) { return x.type == Value::Type::Int; })) {
            L.pad_left = v->items[0].i;
            L.pad_right = v->items[1].i;
            L.pad_top = v->items[2].i;
            L.pad_bottom = v->items[3].i;
            return true;
        }
        if (v->type == Value::Type::Tuple &&
            std::all_of(v->items.begin(), v->items.end(),
                        [](const Value& x) { return x.type == Value::Type::Int; }))
            return value_error(*v, fail<ErrCode::arg_pad4_count>(v->items.size()));
        return type_error(*v, "padding", ErrCode::w_whole_or_4tuple);
    }

    // output_size= of the adaptive pools: a number, or a pair whose items may be None (0 here).
    bool output_size(Pair& out) {
        const Value* v = get("output_size");
        if (!v) return true;
        auto item = [](const Value& x, int64_t& o) {
            if (x.type == Value::Type::Int) return (o = x.i, true);
            if (x.type == Value::Type::None) return (o = 0, true);
            return false;
        };
        if (v->type == Value::Type::Int) {
            out = Pair(v->i);
            if (v->i < 1) return value_error(*v, fail<ErrCode::arg_output_size_min>(described(*v)));
            return true;
        }
        if (v->type == Value::Type::Tuple && v->items.size() == 2 && item(v->items[0], out.h) &&
            item(v->items[1], out.w)) {
            if ((v->items[0].type == Value::Type::Int && out.h < 1) ||
                (v->items[1].type == Value::Type::Int && out.w < 1))
                return value_error(*v, fail<ErrCode::arg_output_size_min>(described(*v)));
            return true;
        }
        return type_error(*v, "output_size", ErrCode::w_whole_or_pair_items_none);
    }

    // dim= of Softmax/LogSoftmax: a whole number or None.
    bool optional_integer(std::string_view name, std::optional<int64_t>& out) {
        const Value* v = get(name);
        if (!v || v->type == Value::Type::None) return true;
        if (v->type != Value::Type::Int) return type_error(*v, name, ErrCode::w_whole_or_none);
        out = v->i;
        return true;
    }

    // Upsample's size= (a number or a pair) and scale_factor= (a number or a pair of numbers).
    bool upsample(Layer& L) {
        L.scale_h = L.scale_w = 0.0;
        if (const Value* v = get("size"); v && v->type != Value::Type::None) {
            if (!to_pair(*v, "size", L.output_size, ErrCode::w_whole_or_pair_none)) return false;
        }
        if (const Value* v = get("scale_factor"); v && v->type != Value::Type::None) {
            if (v->type == Value::Type::Tuple && v->items.size() == 2) {
                if (!to_real(v->items[0], "scale_factor", L.scale_h) ||
                    !to_real(v->items[1], "scale_factor", L.scale_w))
                    return false;
            } else {
                if (!to_real(*v, "scale_factor", L.scale_h)) return false;
                L.scale_w = L.scale_h;
            }
            if (!(L.scale_h > 0 && L.scale_w > 0))
                return value_error(*v, fail<ErrCode::arg_scale_factor_positive>(described(*v)));
        }
        std::string mode = "nearest";
        if (!text("mode", mode, ErrCode::w_string_like_nearest)) return false;
        if (mode == "nearest")
            L.mode = UpsampleMode::Nearest;
        else if (mode == "bilinear")
            L.mode = UpsampleMode::Bilinear;
        else
            return value_error(*get("mode"), fail<ErrCode::arg_upsample_mode>(mode));
        if (const Value* v = get("align_corners"); v && v->type != Value::Type::None) {
            bool a = false;
            if (!boolean("align_corners", a)) return false;
            L.align_corners = a;
        }
        if (const Value* v = get("recompute_scale_factor"); v && v->type != Value::Type::None) {
            bool r = false;
            if (!boolean("recompute_scale_factor", r)) return false;
        }
        return true;
    }

    // A value PyTorch refuses (ValueError), at the value.
    bool value_error(const Value& v, Error why) {
        m_err = at(v.pos, std::move(why));
        return false;
    }

private:
    bool to_real(const Value& v, std::string_view name, double& out) {
        if (v.type == Value::Type::Int) {
            out = double(v.i);
            return true;
        }
        if (v.type == Value::Type::Float) {
            char* end = nullptr;
            out = std::strtod(v.s.c_str(), &end);
            if (end && *end == '\0' && std::isfinite(out)) return true;
            if (end && *end == '\0') return value_error(v, fail<ErrCode::arg_finite>(name, v.s));
        }
        return type_error(v, name, ErrCode::w_a_number);
    }

    bool to_pair(const Value& v, std::string_view name, Pair& out,
                 ErrCode expected = ErrCode::w_whole_or_pair) {
        if (v.type == Value::Type::Int) {
            out = Pair(v.i);
            return true;
        }
        if (v.type == Value::Type::Tuple && v.items.size() == 2 && v.items[0].type == Value::Type::Int &&
            v.items[1].type == Value::Type::Int) {
            out = Pair(v.items[0].i, v.items[1].i);
            return true;
        }
        return type_error(v, name, expected);
    }

    // A value of the wrong type (TypeError), at the value; `expected` a word such as w_a_whole_number.
    bool type_error(const Value& v, std::string_view name, ErrCode expected) {
        m_err = at(v.pos, fail<ErrCode::sig_type>(name, fail_code(expected, {}), described(v)));
        return false;
    }

    const Signature& m_sig;
    const Bound& m_bound;
    Error& m_err;
};

// A Layer from a parsed call, or the failure.
std::optional<Layer> to_layer(const Call& call, Error& err) {
    const auto kind = layer_kind(call.name);
    if (!kind) {
        err = at(call.name_pos, unknown_layer(call.name));
        return std::nullopt;
    }
    Layer L = Layer::make(*kind);
    if (*kind == LayerKind::Identity) return L;  // Identity(*args, **kwargs) ignores its arguments
    const Signature& sig = signature(*kind);
    auto bound = bind(call, sig, err);
    if (!bound) return std::nullopt;
    Binder b(sig, *bound, err);
    bool inplace = false;
    bool ok = true;
    switch (*kind) {
        case LayerKind::Conv2d:
            ok = b.integer("in_channels", L.in) && b.integer("out_channels", L.out) &&
                 b.pair("kernel_size", L.kernel) && b.pair("stride", L.stride) && b.conv_padding(L.padding) &&
                 b.pair("dilation", L.dilation) && b.integer("groups", L.groups) &&
                 b.boolean("bias", L.bias) && b.padding_mode(L.padding_mode);
            break;
        case LayerKind::ConvTranspose2d: {
            Pair padding{0};
            ok = b.integer("in_channels", L.in) && b.integer("out_channels", L.out) &&
                 b.pair("kernel_size", L.kernel) && b.pair("stride", L.stride) &&
                 b.pair("padding", padding) && b.pair("output_padding", L.output_padding) &&
                 b.integer("groups", L.groups) && b.boolean("bias", L.bias) &&
                 b.pair("dilation", L.dilation) && b.padding_mode(L.padding_mode);
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::MaxPool2d: {
            Pair padding{0};
            ok = b.pair("kernel_size", L.kernel) && b.pool_stride(L.stride) && b.pair("padding", padding) &&
                 b.pair("dilation", L.dilation) && b.boolean("ceil_mode", L.ceil_mode) &&
                 b.must_be_false("return_indices", fail<ErrCode::arg_return_indices>("MaxPool2d"));
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::AvgPool2d: {
            Pair padding{0};
            ok = b.pair("kernel_size", L.kernel) && b.pool_stride(L.stride) && b.pair("padding", padding) &&
                 b.boolean("ceil_mode", L.ceil_mode) && b.boolean("count_include_pad", L.count_include_pad) &&
                 b.must_be_none("divisor_override", fail<ErrCode::arg_divisor_override>());
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::AdaptiveAvgPool2d:
            ok = b.output_size(L.output_size);
            break;
        case LayerKind::AdaptiveMaxPool2d:
            ok = b.output_size(L.output_size) &&
                 b.must_be_false("return_indices", fail<ErrCode::arg_return_indices>("AdaptiveMaxPool2d"));
            break;
        case LayerKind::BatchNorm2d: {
            ok = b.integer("num_features", L.in) && b.real("eps", L.eps) && b.boolean("affine", L.affine) &&
                 b.boolean("track_running_stats", L.track_running_stats);
            if (ok && b.get("momentum") && b.get("momentum")->type == Value::Type::None)
                L.momentum = -1.0;  // None: a cumulative average
            else
                ok = ok && b.real("momentum", L.momentum);
            break;
        }
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            ok = b.real("p", L.p) && b.boolean("inplace", inplace);
            break;
        case LayerKind::LeakyReLU:
            ok = b.real("negative_slope", L.negative_slope) && b.boolean("inplace", inplace);
            break;
        case LayerKind::ELU:
            ok = b.real("alpha", L.alpha) && b.boolean("inplace", inplace);
            break;
        case LayerKind::GELU: {
            std::string approximate = "none";
            ok = b.text("approximate", approximate, ErrCode::w_none_or_tanh);
            if (ok && approximate != "none" && approximate != "tanh")
                ok = b.value_error(*b.get("approximate"), fail<ErrCode::arg_gelu_approximate>(approximate));
            L.tanh_approximation = approximate == "tanh";
            break;
        }
        case LayerKind::ReLU:
        case LayerKind::ReLU6:
        case LayerKind::SiLU:
        case LayerKind::Hardswish:
            ok = b.boolean("inplace", inplace);
            break;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            ok = b.optional_integer("dim", L.dim);
            break;
        case LayerKind::Flatten:
            ok = b.integer("start_dim", L.start_dim) && b.integer("end_dim", L.end_dim);
            break;
        case LayerKind::Linear:
            ok = b.integer("in_features", L.in) && b.integer("out_features", L.out) &&
                 b.boolean("bias", L.bias);
            break;
        case LayerKind::ZeroPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            ok = b.pad4(L);
            break;
        case LayerKind::ConstantPad2d:
            ok = b.pad4(L) && b.real("value", L.value);
            break;
        case LayerKind::Upsample:
            ok = b.upsample(L);
            break;
        case LayerKind::LocalResponseNorm:
            ok = b.integer("size", L.size) && b.real("alpha", L.alpha) && b.real("beta", L.beta) &&
                 b.real("k", L.k);
            break;
        default:  // Sigmoid, Tanh: no arguments
            break;
    }
    if (!ok) return std::nullopt;
    return L;
}

// Parses text that must be exactly one call.
std::optional<Layer> parse_layer_at(std::string_view text, Error& err) {
    Parser p(text);
    auto call = p.call(err);
    if (!call) return std::nullopt;
    if (!p.at_end(err)) return std::nullopt;
    return to_layer(*call, err);
}

}  // namespace code_detail

using namespace code_detail;

std::string_view to_string(LayerErrorKind kind) {
    switch (kind) {
        case LayerErrorKind::None:
            return "none";
        case LayerErrorKind::Syntax:
            return "syntax";
        case LayerErrorKind::Signature:
            return "signature";
        case LayerErrorKind::Argument:
            return "argument";
        case LayerErrorKind::Groups:
            return "groups";
        case LayerErrorKind::Rank:
            return "rank";
        case LayerErrorKind::Channels:
            return "channels";
        case LayerErrorKind::TooSmall:
            return "too_small";
        case LayerErrorKind::Features:
            return "features";
    }
    return "none";
}

namespace {

// The error a place wrapper (`line {}: …`, `column {}: …`, `layer {} ({}): …`) holds, or nullptr for an
// error that is not one; `number` receives the wrapper's first argument.
const Error* wrapped(const Error& e, int64_t& number) {
    size_t inner = 0;
    if (e.code == ErrCode::at_line || e.code == ErrCode::net_at_column)
        inner = 1;
    else if (e.code == ErrCode::net_at_layer)
        inner = 2;
    else
        return nullptr;
    if (e.args.size() <= inner) return nullptr;
    const auto* s = std::get_if<std::string>(&e.args[0]);
    const auto* in = std::get_if<std::shared_ptr<const Error>>(&e.args[inner]);
    if (!s || !in || !*in) return nullptr;
    number = 0;
    std::from_chars(s->data(), s->data() + s->size(), number);
    return in->get();
}

}  // namespace

LayerErrorKind layer_error_kind(const Error& e) {
    const Error* at = &e;
    int64_t number = 0;
    while (const Error* inner = wrapped(*at, number)) at = inner;
    switch (at->code) {
        case ErrCode::syn_expected:
        case ErrCode::syn_unclosed_string:
        case ErrCode::syn_number_text_too_large:
        case ErrCode::syn_unexpected_char:
        case ErrCode::syn_after_close:
        case ErrCode::syn_nested:
        case ErrCode::syn_unclosed_call:
        case ErrCode::syn_positional_after_keyword:
        case ErrCode::syn_fraction:
        case ErrCode::syn_division_by_zero:
        case ErrCode::syn_whole_numbers_only:
        case ErrCode::syn_number_too_large:
        case ErrCode::syn_sign_needs_number:
            return LayerErrorKind::Syntax;
        case ErrCode::sig_not_a_layer_did_you_mean:
        case ErrCode::sig_unknown_layer:
        case ErrCode::sig_too_many_positional_1:
        case ErrCode::sig_too_many_positional:
        case ErrCode::sig_unexpected_keyword:
        case ErrCode::sig_multiple_values:
        case ErrCode::sig_missing_argument:
        case ErrCode::sig_type:
            return LayerErrorKind::Signature;
        case ErrCode::net_groups_in:
        case ErrCode::net_groups_out:
            return LayerErrorKind::Groups;
        case ErrCode::net_spatial_rank:
        case ErrCode::net_batchnorm_rank:
        case ErrCode::net_lrn_rank:
        case ErrCode::net_dim_range:
        case ErrCode::net_pad_rank:
        case ErrCode::net_bilinear_rank:
            return LayerErrorKind::Rank;
        case ErrCode::net_channels:
        case ErrCode::net_channels_1:
            return LayerErrorKind::Channels;
        case ErrCode::net_output_empty:
        case ErrCode::net_output_empty_or_large:
        case ErrCode::net_tconv_empty:
            return LayerErrorKind::TooSmall;
        case ErrCode::net_features:
            return LayerErrorKind::Features;
        default:  // a value PyTorch refuses: the parser's arg_* codes, the checks' and the geometry's
            return LayerErrorKind::Argument;
    }
}

ErrorPlace error_place(const Error& e) {
    ErrorPlace place;
    const Error* at = &e;
    int64_t number = 0;
    for (const Error* inner; (inner = wrapped(*at, number)); at = inner) {
        std::optional<int64_t>& field = at->code == ErrCode::at_line         ? place.line
                                        : at->code == ErrCode::net_at_column ? place.column
                                                                             : place.layer;
        if (!field) field = number;
    }
    return place;
}

// [SECTION] parse_layer

Result<Layer> parse_layer(std::string_view text) {
    Error err;
    auto layer = parse_layer_at(text, err);
    if (layer) return *layer;
    return err;  // at() made its offset in `text` the column
}

Result<Shape> parse_input_shape(std::string_view text) {
    std::string cleaned;
    for (char c : text)
        cleaned += (c == 'x' || c == 'X' || c == '(' || c == ')' || c == '[' || c == ']') ? ' ' : c;
    // "×" is two bytes in UTF-8; replace it too.
    for (size_t at; (at = cleaned.find("×")) != std::string::npos;)
        cleaned.replace(at, std::string("×").size(), ",");
    Shape shape;
    size_t start = 0;
    for (size_t i = 0; i <= cleaned.size(); ++i) {
        if (i < cleaned.size() && cleaned[i] != ',') continue;
        std::string_view part = std::string_view(cleaned).substr(start, i - start);
        start = i + 1;
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) part.remove_prefix(1);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.remove_suffix(1);
        if (part.empty() && i == cleaned.size() && !shape.empty()) break;  // "1,1,28,28,"
        // Dimensions may also be separated by spaces ("1 1 28 28" after removing the x's).
        size_t p = 0;
        bool any = false;
        while (p < part.size()) {
            while (p < part.size() && std::isspace(static_cast<unsigned char>(part[p]))) ++p;
            size_t q = p;
            while (q < part.size() && !std::isspace(static_cast<unsigned char>(part[q]))) ++q;
            if (q == p) break;
            int64_t v = 0;
            const auto [end, ec] = std::from_chars(part.data() + p, part.data() + q, v);
            if (ec != std::errc() || end != part.data() + q) return fail<ErrCode::shape_not_a_shape>(text);
            shape.push_back(v);
            any = true;
            p = q;
        }
        if (!any) return fail<ErrCode::shape_not_a_shape>(text);
    }
    if (shape.empty() || shape.size() > 4) return fail<ErrCode::shape_rank_text>(text);
    for (int64_t d : shape)
        if (d < 1) return fail<ErrCode::shape_dim_min>(shape_to_string(shape));
    if (shape_numel(shape) < 0) return fail<ErrCode::net_input_over_limits>(shape_to_string(shape));
    return shape;
}

}  // namespace convscope
